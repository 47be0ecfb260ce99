"""Crawl scope: an entry's own scheme, host and port — never another service on the host.

Two loopback servers on different ports: the entry's pages link to the other (hreflang,
switcher, a redirect, a feed link, and "localhost" for the entry's own port), and the
other server's request log must stay empty — not even robots.txt. The DNS rule (no
private destinations after resolution unless the entry is one) is checked on its pure
function and on the middleware's own resolution of "localhost".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from faultserver import FaultServer, page, redirect, story_page

from crawler.profiles import generic_profile, parse_profile
from crawler.scope import is_private_address, resolved_refusal, same_origin

REPO = Path(__file__).resolve().parents[1]
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]
FAST += ["--set", "LOG_LEVEL=WARNING"]


def _crawl(db: Path, *args: str) -> dict:
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db), *FAST, *args]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _other_service(other: FaultServer) -> None:
    secret = page("<html><body><article><p>Internal admin panel text.</p></article></body></html>")
    other.route_prefix("/", secret)


def test_a_loopback_entry_never_reaches_another_port(tmp_path):
    with FaultServer() as entry, FaultServer() as other:
        _other_service(other)
        localhost = entry.base_url.replace("127.0.0.1", "localhost")
        alternates = {
            "en": other.url("/en.html"),  # same host, another port
            "ru": entry.url("/ru.html"),  # the real sibling
            "pl": f"{localhost}/pl.html",  # the entry's port under another host name
            "de": entry.url("/de.html"),  # redirects to the other port
            "fr": "https://127.0.0.1:" + entry.base_url.rsplit(":", 1)[1] + "/fr.html",
        }
        entry.route("/uk.html", page(story_page("uk", "1", alternates)))
        entry.route("/ru.html", page(story_page("ru", "1", alternates)))
        entry.route("/de.html", redirect(other.url("/de.html")))
        stats = _crawl(tmp_path / "a.db", "--url", entry.url("/uk.html"))
        assert dict(other.hits) == {}, f"fetched from the other service: {dict(other.hits)}"
        assert set(entry.hits) <= {"/robots.txt", "/uk.html", "/ru.html", "/de.html"}
        assert entry.hits["/ru.html"] == 1
    assert stats["editions_stored"] == 2
    assert stats["offsite_alternates"] >= 3  # en, pl, fr refused where they were found


def test_a_relocated_profile_keeps_to_its_own_port(tmp_path):
    with FaultServer() as entry, FaultServer() as other:
        _other_service(other)
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel>'
            f"<item><link>{entry.url('/news/1-a.html')}</link></item>"
            f"<item><link>{other.url('/news/2-b.html')}</link></item>"
            "</channel></rss>"
        )
        entry.route("/feed.xml", page(feed, headers={"Content-Type": "application/rss+xml"}))
        entry.route(
            "/news/1-a.html",
            page(story_page("uk", "1", {"en": other.url("/news/1-a-en.html")})),
        )
        profiles = tmp_path / "profiles"
        profiles.mkdir()
        (profiles / "loop.toml").write_text(
            'name = "loop"\ntitle = "Loop"\nbase_url = "http://127.0.0.1:1/"\n'
            'allowed_domains = ["127.0.0.1"]\n'
            '[start_urls]\nuk = ["/feed.xml"]\n'
            "[article]\nurl_patterns = ['/news/\\d+-[a-z]+']\n"
            '[selectors]\ntitle = ["h1"]\nbody = ["article"]\n',
            encoding="utf-8",
        )
        stats = _crawl(
            tmp_path / "b.db",
            "--profile-dir", str(profiles),
            "--base-url", f"loop={entry.base_url}/",
            "--site", "loop",
        )  # fmt: skip
        assert dict(other.hits) == {}
        assert entry.hits["/news/1-a.html"] == 1
    assert stats["editions_stored"] == 1


def test_scope_rules():
    generic = generic_profile("http://127.0.0.1:8000/a.html")
    assert generic.allows("http://127.0.0.1:8000/b.html")
    assert not generic.allows("http://127.0.0.1:8001/b.html")
    assert not generic.allows("https://127.0.0.1:8000/b.html")
    assert not generic.allows("http://localhost:8000/b.html")
    public = generic_profile("http://example.org/a.html")
    assert public.allows("https://example.org/b.html")  # the usual upgrade to https
    assert not public.allows("http://example.org:8080/b.html")
    assert not public.allows("http://www.example.org/b.html")
    site = parse_profile(
        {
            "name": "s",
            "title": "S",
            "base_url": "https://www.example.org/",
            "allowed_domains": ["example.org"],
            "article": {"url_patterns": ["/news/"]},
        }
    )
    assert site.allows("https://en.example.org/news/1")
    assert site.allows("http://example.org/news/1")
    assert not site.allows("https://example.org:8443/news/1")
    assert not site.allows("ftp://example.org/news/1")
    assert same_origin("http://[::1]:80/x", "http://[::1]/", allow_upgrade=False)


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "192.168.0.5", "169.254.169.254", "::1", "fe80::1",
                "fd00::5", "0.0.0.0", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_private_destinations_are_refused_from_a_public_entry(address):
    assert is_private_address(address)
    refusal = resolved_refusal("cdn.example.org", "example.org", [address], ["93.184.216.34"])
    assert refusal and address in refusal
    # ... unless the entry itself is private
    assert resolved_refusal("cdn.intra", "intra", [address], ["10.0.0.2"]) is None
    # the entry's own host is its own business
    assert resolved_refusal("example.org", "example.org", [address], [address]) is None


def test_names_that_are_private_without_dns():
    for host in ("localhost", "app.localhost", "127.0.0.1", "[::1]"):
        assert resolved_refusal(host, "example.org", [], ["93.184.216.34"]), host


def test_public_destinations_pass():
    assert not is_private_address("93.184.216.34")
    assert resolved_refusal("cdn.example.org", "example.org", ["8.8.8.8"], ["1.1.1.1"]) is None
