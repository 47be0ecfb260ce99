"""One unauthenticated GET must not take `triglot serve` down.

`triglot serve` runs as a real subprocess on a free loopback port with a small memory
ceiling; ?sql= probes that build huge strings and blobs (zeroblob, randomblob, printf
widths, group_concat over a big table, recursive string growth, many big rows) are fired
at it several at a time while a normal page is requested over and over. The server's peak
RSS (VmHWM) must stay under the ceiling, every probe must get an error answer, the server
must stay alive, and the normal page must keep answering; its latency under attack is
printed, not asserted.

A safety belt (RLIMIT_AS of a few GB on the child) keeps a regression from eating the
machine: without Triglot's limits the probes ask for tens of GB, the child dies at the
belt, and the test fails on "server alive" and on the peak.
"""

from __future__ import annotations

import json
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlite_utils

import archive

CEILING_MB = 384
VALUE_MB = 4
SAFETY_BELT = 6 * 1024**3
TRIGLOT = Path(sys.executable).with_name("triglot")

N = "with recursive n(i) as (select 1 union all select i + 1 from n limit {rows}) "
PROBES = {
    "zeroblob": "select length(zeroblob(2000000000))",
    "randomblob": "select length(randomblob(1500000000))",
    "printf width": "select length(printf('%.*c', 2000000000, 'x'))",
    "group_concat over a big table": "select length(group_concat(text, ' ')) from big",
    "group_concat of generated rows": N.format(rows=10**6)
    + "select length(group_concat(printf('%.*c', 1000, 'x'))) from n",
    "replace growth": "with recursive s(x, k) as (select 'ab', 0 union all "
    "select replace(x, 'a', 'aa') || x, k + 1 from s where k < 60) select max(length(x)) from s",
    "doubling cte": "with recursive s(x) as (select 'x' union all select x || x from s "
    "where length(x) < 4000000000) select length(x) from s",
    "many big blobs": N.format(rows=1000) + "select randomblob(3500000) from n",
    "many big strings": N.format(rows=1000) + "select printf('%.*c', 3500000, 'y') from n",
    "sorted big blobs": N.format(rows=2000) + "select randomblob(3000000) b from n order by 1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if ":" in line)


def _kb(value: str) -> int:
    return int(value.split()[0])


def _get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _safety_belt() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_BELT, SAFETY_BELT))


@pytest.fixture()
def server(tmp_path):
    db_path = tmp_path / "triglot.db"
    archive.open_db(db_path)
    # a real table big enough that group_concat over it passes the value limit
    big = sqlite_utils.Database(db_path)["big"]
    row = "Довгий абзац про бюджет міста і ремонт доріг. " * 4
    big.insert_all(({"id": i, "text": row} for i in range(40_000)), pk="id", batch_size=5000)
    config = tmp_path / "triglot.toml"
    config.write_text(
        f"[serve]\nmax_memory_mb = {CEILING_MB}\nmax_value_mb = {VALUE_MB}\n"
        "sql_time_limit_ms = 8000\n",
        encoding="utf-8",
    )
    port = _free_port()
    process = subprocess.Popen(
        [str(TRIGLOT), "serve", "--db", str(db_path), "--config", str(config), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_safety_belt,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if _get(base + "/-/versions.json", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("triglot serve did not start: " + process.communicate()[1][-2000:])
    yield process, base
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def test_no_single_query_exhausts_the_servers_memory(server):
    process, base = server
    start_rss = _kb(_status(process.pid)["VmRSS"])
    stop = threading.Event()
    latencies: list[float] = []
    normal_failures: list[str] = []

    def normal_reader() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                code, _body = _get(base + "/triglot/articles.json?_size=5", timeout=60)
            except OSError as error:
                normal_failures.append(repr(error))
                continue
            latencies.append(time.monotonic() - started)
            if code != 200:
                normal_failures.append(f"HTTP {code}")
            time.sleep(0.1)

    def probe(name: str) -> tuple[str, int, bytes]:
        query = urllib.parse.urlencode({"sql": PROBES[name]})
        code, body = _get(f"{base}/triglot.json?{query}", timeout=120)
        return name, code, body

    reader = threading.Thread(target=normal_reader, daemon=True)
    reader.start()
    time.sleep(0.5)
    idle = list(latencies)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(probe, [*PROBES, *PROBES]))  # every probe twice, 4 at a time
    stop.set()
    reader.join(timeout=90)

    status = _status(process.pid)
    peak_mb = _kb(status["VmHWM"]) / 1024
    under_attack = latencies[len(idle) :] or latencies
    print(
        f"\nserve peak RSS {peak_mb:.0f} MB (ceiling {CEILING_MB} MB, at start "
        f"{start_rss / 1024:.0f} MB); normal page latency idle "
        f"{statistics.median(idle or [0]) * 1000:.0f} ms, under attack median "
        f"{statistics.median(under_attack) * 1000:.0f} ms, max {max(under_attack) * 1000:.0f} ms "
        f"over {len(under_attack)} requests"
    )
    for name, code, body in answers:
        print(f"  {name:32} HTTP {code}  {body[:90]!r}")

    assert process.poll() is None, "triglot serve died under the probes"
    assert peak_mb < CEILING_MB, f"peak RSS {peak_mb:.0f} MB over the {CEILING_MB} MB ceiling"
    for name, code, body in answers:
        # an error page, or (SQLite's printf past the length limit) a NULL: never the value
        refused = code == 400 and b'"ok": false' in body
        nulled = code == 200 and json.loads(body)["rows"] == [[None]]
        assert refused or nulled, f"{name}: HTTP {code} {body[:300]!r}"
    assert not normal_failures, normal_failures[:5]
    assert len(under_attack) >= 3  # the normal page answered while the probes ran
    code, body = _get(base + "/triglot/articles.json?_size=5")
    assert code == 200 and json.loads(body)["rows"] == []  # and still does afterwards


def test_stored_values_within_the_limit_are_served(server):
    """The limits refuse building huge values, not reading what the archive holds."""
    _process, base = server
    sql = "select length(group_concat(text)) as n from big where id < 100"
    code, body = _get(f"{base}/triglot.json?{urllib.parse.urlencode({'sql': sql})}&_shape=array")
    assert code == 200, body[:300]
    assert json.loads(body)[0]["n"] > 10_000
    code, body = _get(base + "/triglot/big.json?_size=1000&_shape=array")
    assert code == 200 and len(json.loads(body)) == 1000
