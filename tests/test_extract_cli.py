"""`triglot extract` on saved pages: plain, gzipped, legacy-encoded, broken and empty files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from triglot import exitcodes
from triglot.cli import main

PAGES = Path(__file__).parent / "extract_pages"
REGIONAL = PAGES / "regional_news.html"


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["extract", "--db", str(db), *args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_prints_title_body_headings_language_and_candidates(tmp_path: Path) -> None:
    code, out, _ = run(str(REGIONAL), db=tmp_path / "t.db")
    assert code == exitcodes.OK
    assert "title:      У Вишнівці відкрили новий міст через річку" in out
    assert "language:   declared uk, detected uk" in out
    assert "body:       trafilatura — 6 paragraphs, 2 headings" in out
    assert "trafilatura" in out and "(won)" in out and "generic" in out and "jsonld" in out
    assert "  ## Що зміниться для мешканців" in out
    assert "  [1] Після двох років будівництва" in out
    assert "Головна шпальта" not in out and "15:03" not in out


def test_json_of_a_gzipped_page_read_with_a_profile(tmp_path: Path) -> None:
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(REGIONAL.read_bytes()))
    url = "https://www.pravda.com.ua/articles/2026/03/14/7501234/"
    code, out, _ = run("--json", "--url", url, str(gz), db=tmp_path / "t.db")
    assert code == exitcodes.OK
    [record] = json.loads(out)
    assert record["url"] == url and record["profile"] == "pravda"
    assert record["profile_note"] == "profile pravda"  # a long read is an article URL now
    assert record["extraction"] == "profile"
    assert len(record["paragraphs"]) == 6
    assert record["headings"][0] == {"before_paragraph": 3, "text": "Що зміниться для мешканців"}
    assert set(record["scores"]) == {"profile", "generic", "jsonld"}  # no trafilatura needed
    assert record["lang_declared"] == "uk" and record["lang_detected"] == "uk"


def test_url_off_any_profile_reads_generically(tmp_path: Path) -> None:
    code, out, _ = run("--json", "--url", "https://example.org/a/1", str(REGIONAL),
                       db=tmp_path / "t.db")  # fmt: skip
    assert code == exitcodes.OK
    assert json.loads(out)[0]["profile"] is None


def test_legacy_windows_1251_page(tmp_path: Path) -> None:
    text = REGIONAL.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; '
        'charset=windows-1251">'
    )  # fmt: skip
    legacy = tmp_path / "legacy.html"
    legacy.write_bytes(text.encode("cp1251", errors="replace"))
    code, out, _ = run("--json", str(legacy), db=tmp_path / "t.db")
    assert code == exitcodes.OK
    assert json.loads(out)[0]["title"] == "У Вишнівці відкрили новий міст через річку"


def test_broken_utf8_still_reads(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_bytes(REGIONAL.read_bytes().replace("Довжина".encode(), b"\xff\xfe\xc3("))
    code, out, _ = run("--json", str(broken), db=tmp_path / "t.db")
    assert code == exitcodes.OK
    assert len(json.loads(out)[0]["paragraphs"]) == 6


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"", "empty file"),
        ("blank.html", b"  \n\t\n", "empty file"),
        ("bad.html.gz", b"\x1f\x8bnot really gzip", "not a readable gzip file"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("empty.html.gz", gzip.compress(b""), "empty file"),
    ],
)
def test_unreadable_files_get_one_line_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(str(path), db=tmp_path / "t.db")
    assert code == exitcodes.NOTHING_DONE
    assert err.startswith(f"triglot extract: {path}: {message}")
    assert err.count("\n") == 1 and not out


def test_missing_file_beside_a_good_one_is_partial(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.html"), str(REGIONAL), db=tmp_path / "t.db")
    assert code == exitcodes.PARTIAL
    assert err.count("\n") == 1 and "nope.html" in err
    assert "== " + str(REGIONAL) in out


def test_page_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Головна</a></nav></body></html>")
    code, out, _ = run(str(path), db=tmp_path / "t.db")
    assert code == exitcodes.OK
    assert "body:       none found — 0 paragraphs" in out
