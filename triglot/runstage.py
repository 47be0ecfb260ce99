"""`triglot run`: crawl, diff and alert under one lock, with one summary line per run.

Each stage commits its own work, so a failure in one stage is recorded and the next
stage still runs on what was committed; the `runs` table keeps the same numbers as the
summary line for Datasette.
"""

from __future__ import annotations

import logging
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import archive
from archive import clock, runs
from triglot import exitcodes
from triglot.config import Config
from triglot.lock import RunLock

log = logging.getLogger("triglot.run")


def run_all(
    db_path: str,
    config: Config,
    *,
    to_file: str | None = None,
    echo: Callable[[str], Any] = print,
) -> int:
    """Run the three stages; returns the exit code (see triglot.exitcodes)."""
    from triglot.alerts import run_alerts
    from triglot.crawlstage import run_crawl_stage
    from triglot.diffstage import run_diff

    with RunLock(db_path):
        db = archive.open_db(db_path)
        started = clock.now()
        run_id = runs.start_run(db, command="run", now=started)
        errors = 0
        crawl_failed = False
        try:
            crawl = run_crawl_stage(db_path, config)
        except Exception as error:  # the crawl stage failing must not hide the others
            log.exception("crawl stage failed")
            crawl, crawl_failed, errors = {"error": str(error)}, True, errors + 1
        db = archive.open_db(db_path)
        diff = run_diff(db)
        errors += diff.errors
        try:
            alerts = run_alerts(db, config, to_file=to_file, echo=log.info)
            sent, pending = alerts.sent, alerts.pending + alerts.failed
        except Exception:
            log.exception("alert stage failed")
            sent, pending, errors = 0, 1, errors + 1
        activity = runs.activity_since(db, started)
        numbers = {
            "articles_checked": activity["articles_checked"],
            "pages": int(crawl.get("pages", 0) or 0),
            "new_snapshots": activity["new_snapshots"],
            # feeds and start pages have no check
            "fetch_errors": activity["fetch_errors"] + int(crawl.get("listing_failures") or 0),
            "new_divergences": diff.language_divergences_new + diff.version_divergences_new,
            "emails_sent": sent,
            "errors": errors,
        }
        if crawl.get("archive_error"):
            log.error("crawl stopped: %s", crawl["archive_error"])
            errors += 1
            numbers["errors"] = errors
        crawl_code = exitcodes.for_crawl(crawl) if not crawl_failed else exitcodes.NOTHING_DONE
        if crawl_code == exitcodes.NOTHING_DONE and not numbers["new_snapshots"]:
            code = exitcodes.NOTHING_DONE
        elif numbers["fetch_errors"] or errors or pending:
            code = exitcodes.PARTIAL
        else:
            code = exitcodes.OK
        summary = "run: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in numbers.items())
        summary += f", exit {code}"
        runs.finish_run(
            db, run_id, exit_code=code, summary=summary, numbers=numbers, now=clock.now()
        )
        echo(summary)
        return code


_EVERY = {"m": (60, "*/{n} * * * *"), "h": (24, "0 */{n} * * *")}


def crontab_line(
    db_path: str, config: Config, *, every: str = "15m", log_path: str | None = None
) -> str:
    """A crontab line with absolute paths: cron's environment has no venv and no cwd."""
    unit = every[-1:]
    if unit not in _EVERY or not every[:-1].isdigit():
        raise ValueError(f"{every!r}: use minutes like 15m or hours like 2h")
    n = int(every[:-1])
    limit, pattern = _EVERY[unit]
    if not 0 < n <= limit or limit % n:
        raise ValueError(f"{every!r}: the number must divide {limit}")
    schedule = pattern.format(n=n) if n > 1 or unit == "h" else "* * * * *"
    executable = Path(sys.executable).parent / "triglot"
    db = Path(db_path).resolve()
    log_file = Path(log_path).resolve() if log_path else db.parent / "triglot-cron.log"
    command = [str(executable), "run", "--db", str(db)]
    if config.path:
        command += ["--config", str(config.path)]
    quoted = " ".join(shlex.quote(part) for part in command)
    log_file.parent.mkdir(parents=True, exist_ok=True)  # cron's `>>` needs the folder
    return f"{schedule} PYTHONUTF8=1 {quoted} >> {shlex.quote(str(log_file))} 2>&1"
