"""What every benchmark shares: tables, percentiles, child processes with their peak RSS,
a crawl of the generated site through ``python -m crawler.runner``, row counts.

Benchmarks report a ratio against a baseline measured in the same run, because these
machines are shared and noisy: absolute numbers move, ratios much less.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# The crawl as fast as the machine allows: no politeness delays, wide concurrency.
FAST_CRAWL = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LOG_LEVEL": "WARNING",
    "RETRY_ENABLED": False,
}

ARCHIVE_TABLES = (
    "articles",
    "editions",
    "snapshots",
    "paragraphs",
    "figures",
    "alignments",
    "divergences",
    "checks",
    "alerts",
    "runs",
)


# ------------------------------------------------------------------------------- output


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain-text table, right-aligned numbers, left-aligned text."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    numeric = [
        all(_is_number(row[i]) for row in rows if row[i] not in (None, ""))
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    print()
    print(title)
    print("=" * len(title))
    print(line(list(headers)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))
    sys.stdout.flush()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 0.1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def note(text: str) -> None:
    print(f"  · {text}")
    sys.stdout.flush()


def progress(text: str) -> None:
    """A progress line on stderr, so the tables on stdout stay clean."""
    print(f"[bench] {text}", file=sys.stderr)
    sys.stderr.flush()


# ------------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": statistics.median(ms) if ms else 0.0,
        "p95_ms": percentile(ms, 95),
        "mean_ms": statistics.fmean(ms) if ms else 0.0,
        "max_ms": max(ms) if ms else 0.0,
    }


def ratio(value: float, baseline: float) -> float | None:
    return value / baseline if baseline else None


# ------------------------------------------------------------------------------- processes


@dataclass
class ChildResult:
    returncode: int
    stdout: str
    stderr: str
    wall_seconds: float
    peak_rss_kb: int  # VmHWM of this child (/proc), not every child so far
    rss_samples_kb: list[tuple[float, int]] = field(default_factory=list)
    user_seconds: float = 0.0
    system_seconds: float = 0.0
    # with tree=True: the largest sum of VmRSS over the child and all its descendants seen
    peak_tree_rss_kb: int = 0

    def json(self) -> dict[str, Any]:
        """The last line of stdout as JSON (the runner's stats), or {}."""
        for line in reversed(self.stdout.strip().splitlines()):
            try:
                return json.loads(line)
            except ValueError:
                continue
        return {}


def _descendants(pid: int) -> list[int]:
    """The pids of every live descendant of pid (from /proc/*/stat's parent pids)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_child(
    argv: Sequence[str],
    *,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    tree: bool = False,
) -> ChildResult:
    """Run a child process, sampling its RSS and peak (VmHWM) from /proc.

    wait4's ru_maxrss is no use here: Linux starts a forked child's maximum at the parent's
    RSS, so a benchmark process holding 250 MB would report 250 MB for every child. With
    tree=True the RSS of the child's own children (worker processes) is summed in too.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, stdout=out, stderr=err, env={**os.environ, **(env or {})}
        )
        samples: list[tuple[float, int]] = []
        peak = [0]
        peak_tree = [0]
        done = threading.Event()

        def sample() -> None:
            status = Path(f"/proc/{process.pid}/status")
            while not done.wait(0.1):
                try:
                    fields = dict(
                        line.split(":", 1)
                        for line in status.read_text().splitlines()
                        if ":" in line
                    )
                except OSError:
                    return
                if "VmRSS" in fields:  # absent once the process is a zombie
                    rss = int(fields["VmRSS"].split()[0])
                    samples.append((time.perf_counter() - started, rss))
                    peak[0] = max(peak[0], int(fields["VmHWM"].split()[0]))
                    if tree:
                        total = rss + sum(map(_rss_kb, _descendants(process.pid)))
                        peak_tree[0] = max(peak_tree[0], total)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # the zombie stays readable until here
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return ChildResult(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            wall_seconds=wall,
            peak_rss_kb=peak[0] or usage.ru_maxrss,
            rss_samples_kb=samples,
            user_seconds=usage.ru_utime,
            system_seconds=usage.ru_stime,
            peak_tree_rss_kb=peak_tree[0],
        )


def crawl_site(
    db_path: Path,
    base_url: str,
    *,
    profile_dir: Path,
    settings: dict[str, Any] | None = None,
    urls: Sequence[str] = (),
) -> ChildResult:
    """One crawl of the generated site (start: its sitemap, plus urls) in a fresh process."""
    argv = [
        sys.executable,
        "-m",
        "crawler.runner",
        "--db",
        str(db_path),
        "--site",
        "bench",
        "--profile-dir",
        str(profile_dir),
        "--base-url",
        f"bench={base_url}/",
    ]
    for url in urls:
        argv += ["--url", url]
    for key, value in {**FAST_CRAWL, **(settings or {})}.items():
        argv += ["--set", f"{key}={json.dumps(value) if not isinstance(value, str) else value}"]
    result = run_child(argv)
    if result.returncode != 0 and not result.json():
        raise RuntimeError(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


# ------------------------------------------------------------------------------- databases


def row_counts(db_path: Path, tables: Sequence[str] = ARCHIVE_TABLES) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        present = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        return {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in tables
            if t in present
        }
    finally:
        conn.close()


def checkpoint(db_path: Path) -> None:
    """Fold the WAL into the main file, so its size is the archive's size."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def file_bytes(db_path: Path) -> int:
    return sum(
        Path(str(db_path) + suffix).stat().st_size
        for suffix in ("", "-wal")
        if Path(str(db_path) + suffix).exists()
    )


def table_bytes(db_path: Path) -> dict[str, int]:
    """Bytes per table with its indexes (dbstat), or {} where SQLite lacks dbstat."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        owners = dict(
            conn.execute("select name, tbl_name from sqlite_master where type in ('table','index')")
        )
        sizes: dict[str, int] = {}
        for name, size in conn.execute("select name, sum(pgsize) from dbstat group by name"):
            owner = owners.get(name, name)
            if owner.startswith("paragraphs_fts"):
                owner = "paragraphs_fts"
            sizes[owner] = sizes.get(owner, 0) + size
        return sizes
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def explain(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[str]:
    """EXPLAIN QUERY PLAN as indented lines."""
    rows = conn.execute(f"explain query plan {sql}", params).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("    " + "  " * depth[node] + detail)
    return lines


@contextmanager
def workdir(keep: bool = False) -> Iterator[Path]:
    """A scratch folder for one benchmark's databases."""
    path = Path(tempfile.mkdtemp(prefix="triglot-bench-"))
    try:
        yield path
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "load_1m": round(load[0], 2),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
    }


def size_parser(doc: str | None) -> argparse.ArgumentParser:
    """The command line every benchmark shares: full size, or --quick, or --smoke."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a CI-sized run")
    parser.add_argument("--smoke", action="store_true", help="smallest size (the smoke test)")
    return parser


def chosen_size(args: argparse.Namespace) -> str:
    return "smoke" if args.smoke else "quick" if args.quick else "full"


def sized_main(doc: str | None, results: str, run: Any, argv: list[str] | None = None) -> int:
    """main() of a benchmark whose run takes only the size: run it, write its results."""
    args = size_parser(doc).parse_args(argv)
    write_results(results, run(chosen_size(args)))
    return 0
