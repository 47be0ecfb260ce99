"""The command line as a user meets it: figures, align (JSON contract and table), demo."""

from __future__ import annotations

import email
import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from triglot.cli import main

DEVSET = Path(__file__).parent / "devset"


def test_figures_json_follows_the_contract():
    result = CliRunner().invoke(main, ["figures", "--json", "--lang", "uk", "понад 36 тисяч"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "raw": "понад 36 тисяч",
            "value": 36000.0,
            "high": None,
            "unit": None,
            "qualifier": "over",
            "kind": "count",
            "start": 0,
            "end": 14,
        }
    ]


def test_figures_reads_stdin_and_prints_a_table():
    result = CliRunner().invoke(
        main, ["figures", "--lang", "en", "-"], input="Prices rose 5% to $1.5 billion."
    )
    assert result.exit_code == 0, result.output
    assert "percent" in result.output and "money" in result.output


def _write(tmp_path: Path, name: str, paragraphs: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


UK = [
    "У ніч на суботу Росія запустила 427 тисяч дронів, заявили в Повітряних силах.",
    "Нагадаємо, торік таких атак було 12.",
    "Мер Києва Віталій Кличко повідомив про 5 поранених.",
]
EN = [
    "Russia launched 427,000 drones overnight on Saturday, the Air Force said.",
    "Kyiv mayor Vitali Klitschko reported 5 injured.",
]
RU = [
    "В ночь на субботу Россия запустила 472 тысячи дронов, заявили в Воздушных силах.",
    "Напомним, в прошлом году таких атак было 12.",
    "Мэр Киева Виталий Кличко сообщил о 5 раненых.",
]


def test_align_json_contract_on_text_files(tmp_path):
    sources = [
        f"uk={_write(tmp_path, 'a.txt', UK)}",
        f"en={_write(tmp_path, 'b.txt', EN)}",
        f"ru={_write(tmp_path, 'c.txt', RU)}",
    ]
    result = CliRunner().invoke(main, ["align", "--json", *sources])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) >= {"editions", "rows", "divergences"}
    assert document["editions"]["uk"]["paragraphs"] == UK
    assert [{lang: row[lang] for lang in ("uk", "en", "ru")} for row in document["rows"]] == [
        {"uk": [0], "en": [0], "ru": [0]},
        {"uk": [1], "en": [], "ru": [1]},
        {"uk": [2], "en": [1], "ru": [2]},
    ]
    assert all(0.0 <= row["score"] <= 1.0 for row in document["rows"])
    changed = [d for d in document["divergences"] if d["kind"] == "changed"]
    assert {
        (d["a"]["lang"], d["a"]["value"], d["b"]["lang"], d["b"]["value"]) for d in changed
    } == {("uk", 427000.0, "ru", 472000.0), ("en", 427000.0, "ru", 472000.0)}
    assert all("values_changed" in d["deepdiff"] for d in changed)


def test_align_detects_languages_and_prints_a_table(tmp_path):
    sources = [
        str(_write(tmp_path, n, p)) for n, p in (("a.txt", UK), ("b.txt", EN), ("c.txt", RU))
    ]
    result = CliRunner().invoke(main, ["align", *sources], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "»472" in result.output  # the divergent figure is marked (it may wrap)
    assert "changed: uk 427 тисяч vs ru 472 тысячи" in result.output


def test_align_reads_saved_html_pages():
    from triglot.sample_site.server import expected, manifest, pages_dir

    gold, served = expected(), manifest()
    article = next(p for p in gold["pages"].values() if p["article"] == "dnipro-harvest")
    paths = [pages_dir() / served[path]["file"] for path in article["editions"].values()]
    result = CliRunner().invoke(main, ["align", "--json", *map(str, paths)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document["editions"]) == {"uk", "en", "ru"}
    values = {
        (d["a"]["value"], d["b"]["value"])
        for d in document["divergences"]
        if d["kind"] == "changed"
    }
    assert (427000.0, 472000.0) in values


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["align", "uk=/nonexistent.txt"], "no such file"),
        (["align", "xx=/nonexistent.txt"], "unknown language"),
    ],
)
def test_align_errors_are_clear(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 4
    assert message in result.output


def test_align_on_a_devset_article_through_the_console_script():
    article = DEVSET / "01-kharkiv-missile-strike"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "triglot.cli",
            "align",
            "--json",
            *(f"{lang}={article / (lang + '.txt')}" for lang in ("uk", "en", "ru")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    for lang in ("uk", "en", "ru"):  # every paragraph in exactly one row, in reading order
        indices = [i for row in document["rows"] for i in row[lang]]
        assert indices == list(range(len(document["editions"][lang]["paragraphs"])))


def test_config_error_exit_code(tmp_path):
    bad = tmp_path / "triglot.toml"
    bad.write_text("[crawl]\nbogus = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "--config", str(bad), "--db", str(tmp_path / "a")])
    assert result.exit_code == 5
    assert "unknown key 'crawl.bogus'" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_builds_the_archive_and_an_alert(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "triglot.cli",
            "demo",
            "--no-serve",
            "--site-port",
            str(_free_port()),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    db = tmp_path / "demo" / "triglot.db"
    with sqlite3.connect(db) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        stored = conn.execute(
            "select count(*) from editions where current_snapshot_id is not null"
        ).fetchone()[0]
        planted = set(
            conn.execute(
                "select raw_a, raw_b from divergences where scope = 'language' "
                "and kind = 'changed' and resolved_at is null"
            )
        )
        versions = conn.execute(
            "select count(*) from divergences where scope = 'version'"
        ).fetchone()[0]
    assert (articles, stored) == (10, 29)
    # exactly the planted cross-language divergences still open after version 2, no more
    assert planted == {
        ("12%", "21%"),
        ("427 тисяч тонн", "472 тысячи тонн"),
        ("427,000 tonnes", "472 тысячи тонн"),
        ("$2,3 млн", "$3,2 млн"),
        ("$2.3 million", "$3,2 млн"),
        ("17 травня", "27 мая"),
        ("May 17", "27 мая"),
    }
    with sqlite3.connect(db) as conn:
        others = conn.execute(
            "select count(*) from divergences where scope = 'language' and kind != 'changed'"
        ).fetchone()[0]
        resolved = set(
            conn.execute("select raw_a, raw_b from divergences where resolved_at is not null")
        )
    assert others == 0  # no spurious "missing" figures on the sample outlets
    assert resolved == {("38%", "48%"), ("48%", "38%")}  # the en correction in version 2
    assert versions == 13
    emls = list((tmp_path / "demo" / "outbox").glob("*.eml"))
    assert len(emls) == 1
    message = email.message_from_bytes(emls[0].read_bytes())
    assert message.is_multipart()
    assert "Alert email written" in done.stdout
    # the numbers explain themselves (issue 12): what version 2 resolved, what the alert holds
    assert "version 2 resolved 2 of the cross-language divergences; 8 remain open" in done.stdout
    assert "The alert carries 15 divergences (8 cross-language, 7 version)" in done.stdout
    assert "of the kind changed, the [alerts] kinds default" in done.stdout
