"""The diff stage: read snapshots from the archive, run diffing/, write the derivations.

diffing/ is pure; this module is the only place that feeds it from SQLite and stores
what it says. Every article is derived in one transaction, so a crash leaves either the
old derivation or the new one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import clock, derive, read
from archive.schema import database_file
from archive.store import write_transaction
from diffing.analyse import Analysis, analyse_editions, extract_paragraph_figures
from diffing.figures import Figure, extract_figures
from diffing.versions import diff_versions

log = logging.getLogger("triglot.diff")


@dataclass
class DiffReport:
    articles: int = 0
    language_divergences_new: int = 0
    version_divergences_new: int = 0
    errors: int = 0
    seconds: float = 0.0
    workers: int = 0  # worker processes that derived the articles (0: all in this process)


def _language_divergence_rows(
    analysis: Analysis, editions: dict[str, read.EditionText]
) -> list[dict[str, Any]]:
    """One divergences row per typed divergence: each side names its own paragraph."""
    out = []
    for divergence in analysis.divergences:
        sides = {}
        for side, ref in (("a", divergence.a), ("b", divergence.b)):
            edition = editions[ref.lang]
            paragraph_id = (
                edition.paragraph_ids[ref.paragraph_index]
                if ref.paragraph_index is not None
                else None
            )
            sides[side] = (edition.snapshot_id, paragraph_id, ref.figure)
        (snapshot_a, paragraph_a, figure_a), (snapshot_b, paragraph_b, figure_b) = (
            sides["a"],
            sides["b"],
        )
        out.append(
            {
                "kind": divergence.kind,
                "lang_a": divergence.a.lang,
                "lang_b": divergence.b.lang,
                "snapshot_a": snapshot_a,
                "snapshot_b": snapshot_b,
                "row": divergence.row,
                "paragraph_a": paragraph_a,
                "paragraph_b": paragraph_b,
                "raw_a": figure_a.raw if figure_a else None,
                "raw_b": figure_b.raw if figure_b else None,
                "value_a": figure_a.value if figure_a else None,
                "value_b": figure_b.value if figure_b else None,
                "unit_a": figure_a.unit if figure_a else None,
                "unit_b": figure_b.unit if figure_b else None,
                "figure_kind": divergence.figure_kind,
                "deepdiff": divergence.deepdiff,
            }
        )
    return out


def _version_divergence_rows(
    db: sqlite_utils.Database, old_id: int, new_id: int
) -> list[dict[str, Any]]:
    lang, old_title = read.snapshot_title(db, old_id)
    _, new_title = read.snapshot_title(db, new_id)
    old_ids, old_texts = read.snapshot_paragraphs(db, old_id)
    new_ids, new_texts = read.snapshot_paragraphs(db, new_id)
    result = diff_versions(
        old_texts, new_texts, lang or "uk", old_title=old_title, new_title=new_title
    )
    out = []
    for change in result["changes"]:
        a, b = change.get("a"), change.get("b")
        out.append(
            {
                "kind": change["kind"],
                "lang_a": lang,
                "lang_b": lang,
                "snapshot_a": old_id,
                "snapshot_b": new_id,
                "row": change.get("row"),
                "paragraph_a": old_ids[change["old_index"]]
                if change.get("old_index") is not None
                else None,
                "paragraph_b": new_ids[change["new_index"]]
                if change.get("new_index") is not None
                else None,
                "raw_a": a.get("raw") if a else None,
                "raw_b": b.get("raw") if b else None,
                "value_a": a.get("value") if a else None,
                "value_b": b.get("value") if b else None,
                "unit_a": a.get("unit") if a else None,
                "unit_b": b.get("unit") if b else None,
                "figure_kind": (a or b or {}).get("kind"),
                "deepdiff": change.get("deepdiff"),
            }
        )
    return out


@dataclass
class Derivation:
    """What one article's diff derives, before anything is written (plain, picklable data)."""

    article_id: int
    figures_by_paragraph: dict[int, list[dict[str, Any]]]
    alignment_rows: list[dict[str, Any]]
    language_rows: list[dict[str, Any]]
    version_work: list[tuple[tuple[int, int], list[dict[str, Any]]]]


def derive_article(db: sqlite_utils.Database, article_id: int) -> Derivation:
    """Read one article's snapshots and run diffing/ on them; writes nothing."""
    editions = read.current_editions(db, article_id)
    figures_by_paragraph: dict[int, list[dict[str, Any]]] = {}
    # extracted once: stored per paragraph, and handed to the analysis as they are
    edition_figures: dict[str, list[list[Figure]]] = {}
    for lang, edition in editions.items():
        edition_figures[lang] = extract_paragraph_figures(edition.paragraphs, edition.lang)
        for paragraph_id, figures in zip(edition.paragraph_ids, edition_figures[lang], strict=True):
            figures_by_paragraph[paragraph_id] = [f.to_dict() for f in figures]
    # earlier versions keep their figures too, so a figure's history covers every version
    # (the current editions' paragraphs are among them on a first diff: done above)
    for paragraph_id, lang, text in read.paragraphs_without_figures(db, article_id):
        if paragraph_id not in figures_by_paragraph:
            figures_by_paragraph[paragraph_id] = [
                f.to_dict() for f in extract_figures(text, lang or "uk")
            ]
    analysis = analyse_editions(
        {lang: e.paragraphs for lang, e in editions.items()},
        titles={lang: e.title for lang, e in editions.items()},
        figures=edition_figures,
    )
    alignment_rows = [
        {
            "members": {
                lang: [editions[lang].paragraph_ids[i] for i in row.members.get(lang, [])]
                for lang in editions
            },
            "score": row.score,
            "weak": row.weak,
        }
        for row in analysis.rows
    ]
    version_work = [
        ((old_id, new_id), _version_divergence_rows(db, old_id, new_id))
        for old_id, new_id in read.snapshot_pairs_to_compare(db, article_id)
    ]
    return Derivation(
        article_id,
        figures_by_paragraph,
        alignment_rows,
        _language_divergence_rows(analysis, editions),
        version_work,
    )


def write_derivation(db: sqlite_utils.Database, derived: Derivation, now: str) -> tuple[int, int]:
    """Store one article's derivation in one transaction; returns the new divergence counts."""
    article_id = derived.article_id
    with write_transaction(db):
        derive.replace_figures(db, derived.figures_by_paragraph)
        derive.replace_alignment(db, article_id, derived.alignment_rows)
        new_language = derive.sync_divergences(
            db, article_id, "language", derived.language_rows, now
        )
        new_version = 0
        for pair, rows in derived.version_work:
            new_version += derive.sync_divergences(
                db, article_id, "version", rows, now, snapshot_pair=pair
            )
        derive.mark_diffed(db, article_id)
    return new_language, new_version


def diff_article(db: sqlite_utils.Database, article_id: int, now: str) -> tuple[int, int]:
    """Derive one article; returns (new language divergences, new version divergences)."""
    return write_derivation(db, derive_article(db, article_id), now)


# ---- several processes: workers read and derive, this process alone writes -----------------

# Articles per task handed to a worker (amortises the pickling), and how many tasks may be in
# flight per worker: what bounds the memory the pool holds, whatever the archive's size.
_CHUNK = 8
_IN_FLIGHT_PER_WORKER = 2
# Below this many articles to diff, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 100
_worker_db: sqlite_utils.Database | None = None


def default_workers() -> int:
    """Worker processes for a large diff: the cores this process may use, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def _worker_open(path: str) -> None:
    global _worker_db
    _worker_db = sqlite_utils.Database(read.open_readonly(path))


def _worker_derive(article_ids: list[int]) -> list[Derivation | str]:
    """Derive a chunk of articles in a worker; an article that fails gives its traceback."""
    assert _worker_db is not None
    out: list[Derivation | str] = []
    for article_id in article_ids:
        try:
            out.append(derive_article(_worker_db, article_id))
        except Exception:  # reported by the writer, like a failure in-process
            out.append(traceback.format_exc())
    return out


def _chunks(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for article_id in ids:
        chunk.append(article_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _derivations_in_pool(
    path: str, ids: Iterator[int], workers: int
) -> Iterator[tuple[int, Derivation | str | None]]:
    """(article id, derivation, traceback or None) in id order, derived by worker processes.

    Only a bounded number of chunks is in flight, so a million-article archive is streamed.
    Results come back in submission order, so the writes (and the ids they take) are those
    of a run in one process. If the pool breaks (a worker killed), the articles it had not
    delivered come back as None, for this process to derive itself: nothing is skipped.
    """
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    limit = workers * _IN_FLIGHT_PER_WORKER
    pending: deque[tuple[list[int], Future[list[Derivation | str]] | None]] = deque()
    chunks = _chunks(ids, _CHUNK)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_open, initargs=(path,)
    ) as pool:
        broken = False
        for chunk in chunks:
            future = None
            if not broken:
                try:
                    future = pool.submit(_worker_derive, chunk)
                except (BrokenProcessPool, OSError):  # died, or could not start at all
                    log.warning("no diff worker processes; deriving in this process")
                    broken = True
            pending.append((chunk, future))
            if len(pending) >= limit:
                chunk, future = pending.popleft()
                results = _results(future)
                broken = broken or results is None
                yield from zip(chunk, results or [None] * len(chunk), strict=True)
        while pending:
            chunk, future = pending.popleft()
            yield from zip(chunk, _results(future) or [None] * len(chunk), strict=True)


def _results(future: Future[list[Derivation | str]] | None) -> list[Derivation | str] | None:
    """A chunk's results, or None when the pool broke before delivering them."""
    if future is None:
        return None
    try:
        return future.result()
    except BrokenProcessPool:
        log.warning("a diff worker process died; its articles are derived in this process")
        return None


def run_diff(
    db: sqlite_utils.Database,
    *,
    everything: bool = False,
    now: str | None = None,
    workers: int | None = None,
) -> DiffReport:
    """Diff every article with new snapshots since the last run (or every article).

    With several cores and enough articles, worker processes read and derive the articles
    while this process writes them, in the same order and with the same result as alone
    (`workers=1` keeps everything in this process; None picks `default_workers()`).
    """
    started = time.perf_counter()
    now = now or clock.now()
    report = DiffReport()
    workers = default_workers() if workers is None else max(1, workers)
    path = database_file(db) if workers > 1 else None
    ids = read.iter_articles_to_diff(db, everything=everything)
    derivations: Iterator[tuple[int, Derivation | str | None]]
    if path and read.has_articles_to_diff(db, everything=everything, at_least=_POOL_THRESHOLD):
        db.conn.commit()  # workers read what is committed
        report.workers = workers
        derivations = _derivations_in_pool(str(path), ids, workers)
    else:  # derived here, below
        derivations = ((article_id, None) for article_id in ids)
    for article_id, derived in derivations:
        try:
            if isinstance(derived, str):
                raise RuntimeError(derived)
            if derived is None:
                derived = derive_article(db, article_id)
            new_language, new_version = write_derivation(db, derived, now)
        except Exception:  # one bad article must not stop the stage; it stays needs_diff
            log.exception("diff failed for article %s", article_id)
            report.errors += 1
            continue
        report.articles += 1
        report.language_divergences_new += new_language
        report.version_divergences_new += new_version
    report.seconds = time.perf_counter() - started
    return report
