"""The diff stage in worker processes derives exactly what one process does, streaming.

A generated archive (benchmarks.generate: invented text) large enough for the pool is
diffed twice, once in this process and once with two workers, and every derived table must
come out row for row the same, ids included. A broken article fails alone in both modes.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

import archive
from archive import read
from triglot import diffstage
from triglot.diffstage import run_diff

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed
from benchmarks.generate import generate_archive  # noqa: E402

NOW = "2025-06-01T00:00:00+00:00"
TABLES = {
    "figures": 'paragraph_id, raw, value, high, unit, qualifier, kind, start, "end"',
    "alignments": "*",
    "divergences": "*",
    "articles": "id, needs_diff",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "base.db"
    articles = diffstage._POOL_THRESHOLD + 10
    generate_archive(path, articles, paragraphs=(3, 5), sentences=(1, 2), derived=False)
    return path


def _copy(generated: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(generated, target)
    return target


def _tables(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"select {columns} from {table} order by 1, 2").fetchall()
            for table, columns in TABLES.items()
        }
    finally:
        conn.close()


def _diff(path: Path, workers: int) -> diffstage.DiffReport:
    db = archive.open_db(path)
    try:
        return run_diff(db, everything=True, now=NOW, workers=workers)
    finally:
        db.close()


def test_workers_derive_what_one_process_derives(generated: Path, tmp_path: Path):
    alone, shared = _copy(generated, tmp_path, "alone.db"), _copy(generated, tmp_path, "pool.db")
    report_alone, report_pool = _diff(alone, 1), _diff(shared, 2)
    assert (report_alone.workers, report_pool.workers) == (0, 2)
    assert report_alone.articles == report_pool.articles == diffstage._POOL_THRESHOLD + 10
    assert report_alone.errors == report_pool.errors == 0
    assert (report_pool.language_divergences_new, report_pool.version_divergences_new) == (
        report_alone.language_divergences_new,
        report_alone.version_divergences_new,
    )
    tables = _tables(alone)
    assert tables["figures"] and tables["alignments"] and tables["divergences"]
    assert _tables(shared) == tables
    # and a second run over the pool's result changes nothing and reports nothing new
    again = _diff(shared, 2)
    assert (again.language_divergences_new, again.version_divergences_new) == (0, 0)
    rerun = _tables(shared)
    assert (
        [row[1:] for row in rerun.pop("alignments")]
        == [  # replaced whole: new ids
            row[1:] for row in tables.pop("alignments")
        ]
    )
    assert rerun == tables


@pytest.mark.parametrize("workers", [1, 2])
def test_a_broken_article_fails_alone(generated: Path, tmp_path: Path, workers: int):
    path = _copy(generated, tmp_path, f"broken-{workers}.db")
    conn = sqlite3.connect(path)
    # a paragraph whose stored text is not UTF-8: reading that article fails
    conn.execute(
        "update paragraphs set text = cast(x'ff' as text) where id = "
        "(select min(p.id) from paragraphs p join editions e "
        "on e.current_snapshot_id = p.snapshot_id where e.article_id = 7)"
    )
    conn.execute("update articles set needs_diff = 1")
    conn.commit()
    conn.close()
    report = _diff(path, workers)
    assert report.workers == (0 if workers == 1 else 2)
    assert (report.errors, report.articles) == (1, diffstage._POOL_THRESHOLD + 9)
    conn = sqlite3.connect(path)
    pending = [row[0] for row in conn.execute("select id from articles where needs_diff = 1")]
    conn.close()
    assert pending == [7]  # it stays to diff; every other article was derived and stored


def test_articles_are_listed_a_batch_at_a_time(generated: Path, tmp_path: Path):
    db = archive.open_db(_copy(generated, tmp_path, "batches.db"))
    everything = [row[0] for row in db.execute("select id from articles order by id")]
    assert list(read.iter_articles_to_diff(db, everything=True, batch=7)) == everything
    db.execute("update articles set needs_diff = 0 where id % 3 = 0")
    db.conn.commit()
    wanted = [article_id for article_id in everything if article_id % 3]
    seen = []
    # marking articles diffed while the listing runs neither skips nor repeats any
    for article_id in read.iter_articles_to_diff(db, batch=5):
        seen.append(article_id)
        db.execute("update articles set needs_diff = 0 where id = ?", [article_id])
        db.conn.commit()
    assert seen == wanted
    assert list(read.iter_articles_to_diff(db, batch=5)) == []
    db.close()
