"""`triglot run` as cron runs it: bare environment, any folder, the lock, exit codes, runs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from triglot.lock import RunLock
from triglot.sample_site.server import SampleSite, profiles_dir

TRIGLOT = str(Path(sys.executable).parent / "triglot")
OUTLETS = ("dnipro", "polissia", "karpaty")


def write_config(tmp_path: Path, site: SampleSite) -> Path:
    lines = [
        'db = "data/archive.db"',
        "[crawl]",
        f"sites = {list(OUTLETS)!r}".replace("'", '"'),
        f'profile_dirs = ["{profiles_dir()}"]',
        "download_delay = 0",
        "autothrottle = false",
        "[alerts]",
        'recipients = ["desk@example.org"]',
        "[smtp]",
        'host = "127.0.0.1"',
        "port = 9",  # nothing listens: the digest stays pending, the run is partial
        "timeout = 2",
    ]
    for name in OUTLETS:
        lines += [f"[sites.{name}]", f'base_url = "{site.base_url}"']
    path = tmp_path / "conf" / "triglot.toml"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bare_env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}


def test_run_under_a_bare_environment_from_another_folder(tmp_path, site):
    config = write_config(tmp_path, site)
    done = subprocess.run(
        [TRIGLOT, "run", "--config", str(config)],
        cwd="/",
        env=bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    # one edition of the sample sites is a 404 and no SMTP server listens: partial
    assert done.returncode == 3, done.stderr[-3000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("run: articles checked 10, pages ")
    assert "fetch errors 1" in summary and "emails sent 0" in summary and summary.endswith("exit 3")
    db = tmp_path / "conf" / "data" / "archive.db"  # relative to the config file
    with sqlite3.connect(db) as conn:
        run = conn.execute(
            "select exit_code, articles_checked, new_snapshots, fetch_errors, "
            "new_divergences, emails_sent, finished_at from runs"
        ).fetchall()
        pending = conn.execute("select status, attempts, last_error from alerts").fetchall()
    assert len(run) == 1
    exit_code, checked, snapshots, errors, divergences, sent, finished = run[0]
    assert (exit_code, checked, snapshots, errors, sent) == (3, 10, 29, 1, 0)
    assert divergences >= 10 and finished
    assert pending[0][:2] == ("pending", 1) and pending[0][2]


def test_a_second_run_while_one_is_active_exits_at_once(tmp_path):
    db = tmp_path / "archive.db"
    with RunLock(db):
        done = subprocess.run(
            [TRIGLOT, "run", "--db", str(db)],
            env=bare_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 6
    assert "another triglot run" in done.stderr and str(db) in done.stderr


def test_the_printed_crontab_line_runs_under_cron_like_conditions(tmp_path, site):
    config = write_config(tmp_path, site)
    line = subprocess.run(
        [TRIGLOT, "cron", "--every", "15m", "--config", str(config)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    schedule, command = " ".join(line.split()[:5]), line.split(maxsplit=5)[5]
    assert schedule == "*/15 * * * *"
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        env=bare_env(tmp_path),
        cwd="/",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 3
    log = (tmp_path / "conf" / "data" / "triglot-cron.log").read_text(encoding="utf-8")
    assert "run: articles checked 10" in log


@pytest.mark.parametrize(
    ("config_text", "code", "message"),
    [
        ("[crawl]\nsites = 'rbc'\n", 5, "key 'crawl.sites' must be a list"),
        ("[smtp]\nsecurity = 'tls'\n", 5, "key 'smtp.security'"),
    ],
)
def test_run_refuses_a_bad_config_before_doing_anything(tmp_path, config_text, code, message):
    config = tmp_path / "triglot.toml"
    config.write_text(config_text, encoding="utf-8")
    done = subprocess.run(
        [TRIGLOT, "run", "--config", str(config)],
        env=bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == code
    assert message in done.stderr and str(config) in done.stderr
    assert not (tmp_path / "triglot.db").exists()
