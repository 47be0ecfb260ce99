"""The recrawl schedule, the run lock and the crontab line."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import archive
from archive.schedule import due_edition_urls, next_check, reschedule
from triglot.config import Config
from triglot.lock import LockHeld, RunLock
from triglot.runstage import crontab_line

T0 = "2026-03-01T12:00:00+00:00"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-03-01T12:00:00+00:00", "2026-03-01T12:15:00+00:00"),  # brand new: 15 min
        ("2026-03-01T14:59:00+00:00", "2026-03-01T15:14:00+00:00"),  # under 3 h
        ("2026-03-01T15:00:00+00:00", "2026-03-01T16:00:00+00:00"),  # 3 h: hourly
        ("2026-03-02T13:00:00+00:00", "2026-03-02T16:00:00+00:00"),  # a day: every 3 h
        ("2026-03-09T12:00:00+00:00", "2026-03-12T12:00:00+00:00"),  # a week: every 3 days
        ("2026-03-30T12:00:00+00:00", "2026-03-31T12:00:00+00:00"),  # capped at the horizon
        ("2026-03-31T12:00:00+00:00", None),  # 30 days unchanged: stop
    ],
)
def test_next_check_backs_off_with_time_since_change(now, expected):
    assert next_check(T0, now) == expected


def test_custom_steps_and_horizon():
    assert next_check(T0, T0, steps=[[1, 5]], horizon_days=1) == "2026-03-01T12:05:00+00:00"
    assert next_check(T0, "2026-03-02T12:00:01+00:00", steps=[[1, 5]], horizon_days=1) is None


def _article(db, n: int, changed: str) -> None:
    item = {
        "site": "s",
        "url": f"http://s/uk/{n}",
        "lang": "uk",
        "paragraphs": [f"Текст {n}."],
        "article_key": f"s:{n}",
        "fetched_at": changed,
        "alternates": {"en": f"http://s/en/{n}"},
    }
    archive.save_edition(db, item)


def test_due_queue_is_ordered_by_overdueness_and_includes_unfetched_editions(tmp_path):
    db = archive.open_db(tmp_path / "a.db")
    _article(db, 1, "2026-03-01T12:00:00+00:00")  # young: checked every 15 min
    _article(db, 2, "2026-02-10T12:00:00+00:00")  # older: every 3 days
    _article(db, 3, "2026-01-01T12:00:00+00:00")  # past the horizon
    assert reschedule(db, "2026-03-01T12:00:00+00:00") == 3
    assert due_edition_urls(db, "2026-03-01T12:10:00+00:00") == []
    assert due_edition_urls(db, "2026-03-01T12:20:00+00:00") == ["http://s/uk/1", "http://s/en/1"]
    due_later = due_edition_urls(db, "2026-03-05T00:00:00+00:00")
    assert due_later == ["http://s/uk/1", "http://s/en/1", "http://s/uk/2", "http://s/en/2"]
    assert db.execute("select next_check from articles where key = 's:3'").fetchone()[0] is None


def test_lock_refuses_a_second_holder_and_dies_with_its_process(tmp_path):
    db_path = tmp_path / "a.db"
    with RunLock(db_path), pytest.raises(LockHeld, match="another triglot run"):
        RunLock(db_path).acquire()
    RunLock(db_path).acquire().release()  # free again after release
    # a process that takes the lock and is killed leaves nothing behind
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from triglot.lock import RunLock
            RunLock({str(db_path)!r}).acquire()
            print("locked", flush=True)
            time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(LockHeld, match=str(holder.pid)):
        RunLock(db_path).acquire()
    holder.kill()
    holder.wait()
    RunLock(db_path).acquire().release()


@pytest.mark.parametrize(
    ("every", "schedule"),
    [("15m", "*/15 * * * *"), ("1m", "* * * * *"), ("1h", "0 */1 * * *"), ("6h", "0 */6 * * *")],
)
def test_crontab_line_uses_absolute_paths(tmp_path, every, schedule):
    line = crontab_line(str(tmp_path / "a.db"), Config(), every=every)
    assert line.startswith(schedule + " PYTHONUTF8=1 /")
    assert f"{sys.prefix}/bin/triglot run --db {tmp_path}/a.db" in line
    assert line.endswith(f">> {tmp_path}/triglot-cron.log 2>&1")


@pytest.mark.parametrize("every", ["7m", "0m", "5", "h", "25h", "90m"])
def test_crontab_line_rejects_schedules_cron_cannot_keep(tmp_path, every):
    with pytest.raises(ValueError):
        crontab_line(str(tmp_path / "a.db"), Config(), every=every)


def test_an_article_past_its_horizon_is_never_due(tmp_path):
    db = archive.open_db(tmp_path / "a.db")
    _article(db, 1, "2026-03-01T12:00:00+00:00")
    reschedule(db, "2026-03-01T12:00:00+00:00")  # next check in 15 minutes...
    # ...but the crawler was away for 40 days: the article is past its horizon now
    assert due_edition_urls(db, "2026-04-10T12:00:00+00:00") == []
    assert due_edition_urls(db, "2026-04-10T12:00:00+00:00", horizon_days=60) != []
