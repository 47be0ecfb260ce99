"""The researchers' Datasette, driven through its own test client over a real archive file.

The archive comes from archive_factory: one story with a planted cross-language
divergence (uk 427 тисяч / ru 472 тысячи), a gap, a weak row, a <script> in the text and
two versions of one edition; one story missing an edition; one failing its language check.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from archive_factory import SCRIPT, build_sample_archive
from parsel import Selector

import archive
from triglot.serve import CONFIG_DIR, make_datasette

pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    # a file stem other than "triglot": the metadata must follow the rename
    return build_sample_archive(tmp_path_factory.mktemp("ds") / "newsroom.db")


@pytest.fixture()
def ds(sample):
    return make_datasette(sample.path)


async def get(ds, path: str, status: int = 200):
    response = await ds.client.get(path)
    assert response.status_code == status, (path, response.text[:2000])
    return response


async def canned(ds, name: str, db: str = "newsroom", **params: str) -> list[dict]:
    query = "&".join(f"{key}={quote(value)}" for key, value in params.items())
    response = await get(ds, f"/{db}/{name}.json?_shape=objects&{query}")
    body = response.json()
    assert body["ok"], body
    return body["rows"]


def html(response) -> Selector:
    return Selector(text=response.text)


def text_of(selector: Selector) -> str:
    """The text as a reader sees it (whitespace collapsed)."""
    return " ".join(" ".join(selector.xpath("string()").getall()).split())


# ---------------------------------------------------------------- the article page


async def test_article_page_shows_the_editions_in_aligned_columns(ds, sample):
    page = html(await get(ds, f"/-/triglot/article/{sample.harvest_id}"))
    rows = page.css(".aligned-row[data-row]")
    assert [r.attrib["data-row"] for r in rows] == ["0", "1", "2", "3"]
    for row in rows:
        assert [c.attrib["data-lang"] for c in row.css(".cell")] == ["uk", "en", "ru"]
    expected = {  # (row, lang): a phrase of the paragraph that must sit in that cell
        ("0", "uk"): "Аграрії Дніпропетровщини",
        ("0", "en"): "Farmers in Dnipropetrovsk",
        ("0", "ru"): "Аграрии Днепропетровщины",
        ("1", "en"): "12% more than last year",
        ("3", "uk"): "Середня врожайність",
        ("3", "ru"): "Средняя урожайность",
    }
    for (row, lang), phrase in expected.items():
        cell = page.css(f'#row-{row} .cell[data-lang="{lang}"]')
        assert phrase in text_of(cell), (row, lang)


async def test_planted_divergence_is_highlighted_with_the_other_values(ds, sample):
    page = html(await get(ds, f"/-/triglot/article/{sample.harvest_id}"))
    cases = [  # lang, the divergent figure as written, what its title and note must name
        ("uk", "427 тисяч", ["ru: 472 тысячи"]),
        ("en", "427,000", ["ru: 472 тысячи"]),
        ("ru", "472 тысячи", ["uk: 427 тисяч", "en: 427,000"]),
    ]
    for lang, raw, others in cases:
        cell = page.css(f'#row-0 .cell[data-lang="{lang}"]')
        marks = cell.css("mark.figure.divergent")
        assert [m.css("::text").get() for m in marks] == [raw]
        mark = marks[0]
        assert mark.attrib["tabindex"] == "0"
        tip = page.css(f"#{mark.attrib['aria-describedby']}")
        note = text_of(cell.css(".divergence-note"))
        for other in others:
            assert other in mark.attrib["title"]
            assert other in note  # the inline text: readable without hover, JS or CSS
            assert other.split(": ")[1] in text_of(tip)
    # figures that agree are marked, not highlighted
    assert page.css('#row-1 .cell[data-lang="uk"] mark.figure:not(.divergent)::text').get() == "12%"
    listed = text_of(page.css(".divergence-list"))
    assert "427 тисяч" in listed and "472 тысячи" in listed


async def test_gaps_weak_rows_and_missing_figures_are_shown(ds, sample):
    page = html(await get(ds, f"/-/triglot/article/{sample.harvest_id}"))
    gap = page.css('#row-3 .cell[data-lang="en"]')
    assert "gap" in gap.attrib["class"]
    assert "— not in this edition" in text_of(gap)
    assert "uk states 41 центнер" in text_of(gap)
    assert "weak" in page.css("#row-2").attrib["class"]
    assert page.css("#row-2 .weak-flag")
    assert not page.css("#row-1 .weak-flag")
    assert "has-divergence" in page.css("#row-0").attrib["class"]
    assert "has-divergence" not in page.css("#row-1").attrib["class"]


async def test_article_text_is_escaped(ds, sample):
    response = await get(ds, f"/-/triglot/article/{sample.harvest_id}")
    assert SCRIPT not in response.text
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in response.text
    # the paragraphs still read as text
    assert SCRIPT in text_of(html(response).css('#row-2 .cell[data-lang="uk"]'))


async def test_article_page_metadata_links_and_language_checks(ds, sample):
    page = html(await get(ds, f"/-/triglot/article/{sample.harvest_id}"))
    meta = text_of(page.css(".article-meta"))
    for expected in ("ledger", "ledger:harvest", "2025-03-03 08:00 UTC", "2025-03-06 10:00 UTC"):
        assert expected in meta
    originals = page.css("a.original-url::attr(href)").getall()
    assert originals == [
        f"https://ledger.example.test/{lang}/news/harvest.html" for lang in ("uk", "en", "ru")
    ]
    assert page.css(".lang-check-ok .verdict::text").getall() == ["ok", "ok", "ok"]

    bridge = html(await get(ds, f"/-/triglot/article/{sample.bridge_id}"))
    en = bridge.css("tr.edition.lang-en .lang-check")
    assert "mismatch" in en.attrib["class"]
    assert "mismatch: declared en, detected uk (0.97)" in text_of(en)

    energy = html(await get(ds, f"/-/triglot/article/{sample.energy_id}"))
    assert "HTTP 503 Service Unavailable" in text_of(energy.css("tr.edition.lang-ru"))
    # never aligned: paragraphs by position, and the page says so
    assert "not been aligned yet" in text_of(energy.css(".aligned .notice"))
    assert "Графіки відключень" in text_of(energy.css('#row-0 .cell[data-lang="uk"]'))
    assert "gap" in energy.css('#row-0 .cell[data-lang="ru"]').attrib["class"]


async def test_version_timeline_diffs_consecutive_versions(ds, sample):
    page = html(await get(ds, f"/-/triglot/article/{sample.harvest_id}"))
    uk = page.css(".timeline.lang-uk")
    versions = uk.css("li.version")
    assert [v.attrib["id"] for v in versions] == [
        f"snapshot-{sample.harvest_uk_v1_snapshot}",
        f"snapshot-{sample.snapshot_ids['uk']}",
    ]
    assert "current" in versions[1].attrib["class"]
    changed = versions[1].css(".version-diff .changed")
    assert changed.css("del.figure-change::text").get() == "419"
    assert changed.css("ins.figure-change::text").get() == "427"
    assert "3 unchanged paragraphs" in text_of(versions[1].css(".version-diff"))
    assert "419 тисяч" in text_of(versions[1].css(".version-divergences"))
    assert len(page.css(".timeline.lang-en li.version")) == 1


@pytest.mark.parametrize("path", ["/-/triglot/article/999999", "/-/triglot/article/abc"])
async def test_unknown_article_is_404(ds, path):
    await get(ds, path, status=404)


# ---------------------------------------------------------------- home page and chart


@pytest.mark.parametrize("path", ["/", "/-/triglot"])
async def test_home_leads_to_divergences_and_article_pages(ds, sample, path):
    page = html(await get(ds, path))
    start = page.css("a.start-link.primary::attr(href)").get()
    assert start == "/newsroom/latest_divergences"
    latest = page.css(".latest-articles a::attr(href)").getall()
    assert latest == [
        f"/-/triglot/article/{sample.harvest_id}",
        f"/-/triglot/article/{sample.port_id}",
    ]
    bars = {
        (r.attrib["data-site"], r.attrib["data-week"]): r.attrib["data-count"]
        for r in page.css("svg.triglot-chart rect[data-site]")
    }
    assert bars == {("ledger", "2025-03-03"): "4", ("ledger", "2025-02-24"): "1"}
    # the followed links work
    await get(ds, start)
    await get(ds, latest[0])


async def test_chart_route_is_standalone_svg(ds):
    response = await get(ds, "/-/triglot/divergences-per-week.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = Selector(text=response.text, type="xml")
    svg.remove_namespaces()
    assert svg.css("svg > title::text").get() == "Divergences per week per site"
    assert sorted(svg.css("rect[data-count]::attr(data-count)").getall()) == ["1", "4"]


async def test_empty_archive_pages_work(tmp_path):
    path = tmp_path / "empty.db"
    archive.open_db(path).conn.close()
    ds = make_datasette(path)
    for route in ("/", "/-/triglot"):
        assert "No divergences yet" in (await get(ds, route)).text
    await get(ds, "/-/triglot/divergences-per-week.svg")
    await get(ds, "/-/triglot/article/1", status=404)
    assert await canned(ds, "latest_divergences", db="empty") == []


# ---------------------------------------------------------------- canned queries


async def test_latest_divergences_newest_first_with_both_figures(ds, sample):
    rows = await canned(ds, "latest_divergences")
    assert [r["detected_at"] for r in rows] == sorted(
        (r["detected_at"] for r in rows), reverse=True
    )
    planted = [r for r in rows if r["lang_a"] == "uk" and r["lang_b"] == "ru"]
    assert planted[0]["raw_a"] == "427 тисяч" and planted[0]["raw_b"] == "472 тысячи"
    assert planted[0]["article"] == "На Дніпропетровщині зібрали рекордний урожай"
    assert planted[0]["article_page"] == f"/-/triglot/article/{sample.harvest_id}#row-0"
    # the HTML view turns article_page into a link
    page = html(await get(ds, "/newsroom/latest_divergences"))
    assert (
        f"/-/triglot/article/{sample.harvest_id}#row-0"
        in page.css("a.article-page-link::attr(href)").getall()
    )


async def test_divergences_by_site_and_week(ds):
    rows = await canned(ds, "divergences_by_site_and_week")
    assert [
        (r["site"], r["week_start"], r["divergences"], r["between_versions"]) for r in rows
    ] == [
        ("ledger", "2025-03-03", 4, 1),
        ("ledger", "2025-02-24", 1, 0),
    ]


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        # every uk version, with the figure it states (None: this version does not)
        ("427", [("earlier", None), ("current", "427 тисяч")]),
        ("419000", [("earlier", "419 тисяч"), ("current", None)]),
        ("419 000", [("earlier", "419 тисяч"), ("current", None)]),
        ("", [("earlier", "419 тисяч"), ("earlier", "1 серпня"), ("current", "427 тисяч")]),
    ],
)
async def test_figure_history(ds, sample, figure, expected):
    rows = await canned(ds, "figure_history", article_id=str(sample.harvest_id), figure=figure)
    uk = [(r["version"], r["raw"]) for r in rows if r["lang"] == "uk"]
    assert uk[: len(expected)] == expected
    assert {r["lang"] for r in rows} == {"uk", "en", "ru"}
    assert all(r["first_seen"] and r["last_seen"] for r in rows)


async def test_language_check_failures(ds, sample):
    rows = await canned(ds, "language_check_failures")
    assert [(r["article_id"], r["edition"], r["lang_detected"]) for r in rows] == [
        (sample.bridge_id, "en", "uk")
    ]


async def test_missing_editions(ds, sample):
    rows = await canned(ds, "missing_editions")
    assert [(r["article_id"], r["languages_stored"], r["missing"]) for r in rows] == [
        (sample.energy_id, 2, "ru")
    ]
    assert "503" in rows[0]["failed_fetches"]


@pytest.mark.parametrize(
    ("q", "hit_langs"),
    [
        ("grain", {"en"}),
        ("зерн*", {"uk", "ru"}),
        ("дунай*", {"uk", "ru"}),  # a prefix: дунайські, дунайские
        ("Дунай", set()),  # whole words only
        ('"a"b(', set()),  # punctuation cannot break the query
        ("AND", set()),  # neither can an FTS keyword
        ("", set()),
    ],
)
async def test_search_all_languages(ds, q, hit_langs):
    rows = await canned(ds, "search_all_languages", q=q)
    assert {r["hit_lang"] for r in rows} == hit_langs


async def test_search_returns_the_aligned_counterparts(ds, sample):
    rows = await canned(ds, "search_all_languages", q="harvested")
    assert len(rows) == 1
    hit = rows[0]
    assert hit["hit_lang"] == "en" and hit["version"] == "current"
    assert "427 тисяч" in hit["uk"] and "472 тысячи" in hit["ru"] and hit["en"] == hit["hit"]
    assert hit["article_page"] == f"/-/triglot/article/{sample.harvest_id}#row-0"


# ---------------------------------------------------------------- tables and metadata


@pytest.mark.parametrize(
    ("table", "expected_link"),
    [("articles", True), ("editions", True), ("divergences", True), ("snapshots", False)],
)
async def test_table_rows_link_to_the_article_page(ds, sample, table, expected_link):
    page = html(await get(ds, f"/newsroom/{table}"))
    links = page.css("a.article-page-link::attr(href)").getall()
    assert (f"/-/triglot/article/{sample.harvest_id}" in links) is expected_link


@pytest.mark.parametrize(
    ("table", "sort_desc", "facets"),
    [
        ("articles", "first_seen", {"site"}),
        ("divergences", "detected_at", {"scope", "kind"}),
        ("snapshots", "fetched_at", {"lang_ok"}),
        ("checks", "id", {"outcome"}),
        ("runs", "started_at", {"command"}),
        ("editions", "id", {"lang"}),
    ],
)
async def test_tables_sort_and_facet(ds, table, sort_desc, facets):
    body = (await get(ds, f"/newsroom/{table}.json?_shape=objects")).json()
    assert body["human_description_en"].endswith(f"sorted by {sort_desc} descending")
    assert [r[sort_desc] for r in body["rows"]] == sorted(
        (r[sort_desc] for r in body["rows"]), reverse=True
    )
    assert facets <= set(body["facet_results"])


async def test_every_column_is_described_and_fts_tables_hidden(ds, sample):
    metadata = yaml.safe_load((CONFIG_DIR / "metadata.yml").read_text(encoding="utf-8"))
    described = metadata["databases"]["triglot"]["tables"]
    conn = sqlite3.connect(sample.path)
    tables = [
        r[0]
        for r in conn.execute("select name from sqlite_master where type = 'table'")
        if not r[0].startswith(("paragraphs_fts", "sqlite_"))
    ]
    for table in tables:
        columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
        assert described[table]["description"], table
        missing = set(columns) - set(described[table].get("columns", {}))
        assert not missing, (table, missing)
    conn.close()
    database = (await get(ds, "/newsroom.json")).json()
    hidden = {t["name"] for t in database["tables"] if t["hidden"]}
    assert {"paragraphs_fts", "paragraphs_fts_data", "paragraphs_fts_idx"} <= hidden
    assert "articles" not in hidden
    queries = {q["name"] for q in database["queries"]}
    assert queries >= {
        "latest_divergences",
        "divergences_by_site_and_week",
        "figure_history",
        "language_check_failures",
        "missing_editions",
        "search_all_languages",
    }


async def test_paragraph_table_search_and_article_label(ds, sample):
    body = (await get(ds, "/newsroom/paragraphs.json?_search=harvested&_shape=objects")).json()
    assert [r["lang"] for r in body["rows"]] == ["en"]
    editions = (await get(ds, "/newsroom/editions.json?_labels=on&_shape=objects")).json()
    labels = {r["article_id"]["value"]: r["article_id"]["label"] for r in editions["rows"]}
    assert labels[sample.harvest_id] == "На Дніпропетровщині зібрали рекордний урожай"


async def test_config_dir_is_the_one_served():
    assert (CONFIG_DIR / "plugins" / "triglot_pages.py").exists()
    assert Path(CONFIG_DIR / "static" / "triglot.css").exists()


# ---------------------------------------------------------------- presentation logic

TEXT = "Зібрали 427 тисяч тонн, на 12% більше; ще 12% експортовано."


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # stored offsets that point at the raw text are used
        ([{"raw": "427 тисяч", "start": 8, "end": 17}], [(8, 17)]),
        # offsets that point elsewhere: the raw text is searched for instead
        ([{"raw": "427 тисяч", "start": 0, "end": 7}], [(8, 17)]),
        # a figure the text does not contain is left out, not marked in the wrong place
        ([{"raw": "472 тысячи", "start": None, "end": None}], []),
        # the same raw twice without offsets: two different occurrences
        ([{"raw": "12%"}, {"raw": "12%"}], [(27, 30), (42, 45)]),
        # overlapping figures: the first one wins
        ([{"raw": "427 тисяч", "start": 8, "end": 17}, {"raw": "тисяч тонн"}], [(8, 17)]),
    ],
)
async def test_figure_spans(figures, expected):
    from datasette_config.marking import figure_spans, mark_figures

    assert [(f["start"], f["end"]) for f in figure_spans(TEXT, figures)] == expected
    segments = mark_figures(TEXT, figures)
    assert "".join(s["text"] for s in segments) == TEXT  # nothing lost or repeated


@pytest.mark.parametrize(
    ("old", "new", "changes"),
    [
        (
            "зібрали 419 тисяч тонн",
            "зібрали 427 тисяч тонн",
            [("delete", "419", True), ("insert", "427", True)],
        ),
        (
            "reported on Monday",
            "reported on Tuesday",
            [("delete", "Monday", False), ("insert", "Tuesday", False)],
        ),
        ("1,5 млн гривень", "1,8 млн гривень", [("delete", "1,5", True), ("insert", "1,8", True)]),
        ("same text", "same text", []),
    ],
)
async def test_word_diff(old, new, changes):
    from datasette_config.marking import word_diff

    segments = word_diff(old, new)
    assert [(s["op"], s["text"], s["figure"]) for s in segments if s["op"] != "equal"] == changes
    assert "".join(s["text"] for s in segments if s["op"] != "insert") == old
    assert "".join(s["text"] for s in segments if s["op"] != "delete") == new


async def test_paragraph_diff_blocks():
    from datasette_config.marking import paragraph_diff

    old = ["Перший абзац.", "Було 5 загиблих.", "Третій абзац."]
    new = ["Перший абзац.", "Було 7 загиблих.", "Третій абзац.", "Новий абзац."]
    assert [b["op"] for b in paragraph_diff(old, new)] == ["same", "changed", "same", "added"]
    assert [b["op"] for b in paragraph_diff(new, old)] == ["same", "changed", "same", "removed"]


async def test_home_page_reads_the_summaries_and_counts_without_them(ds, sample, tmp_path):
    """Totals and bars from the trigger-kept summaries equal a count of the rows; an archive
    served before migration 3 ran (no summary tables) shows the same page."""
    page = html(await get(ds, "/-/triglot"))
    conn = sqlite3.connect(sample.path)
    articles, divergences = (
        conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "divergences")
    )
    assert text_of(page.css(".totals")) == (
        f"{articles:,} articles archived, {divergences:,} divergences reported."
    )
    old = tmp_path / "newsroom.db"
    conn.execute(f"vacuum into '{old}'")
    conn.close()
    unmigrated = sqlite3.connect(old)
    for (name,) in unmigrated.execute(
        "select name from sqlite_master where type = 'trigger' and "
        "(name like '%counted%' or name like '%weekly%')"
    ).fetchall():
        unmigrated.execute(f"drop trigger {name}")
    unmigrated.execute("drop table table_counts")
    unmigrated.execute("drop table divergence_weeks")
    unmigrated.commit()
    unmigrated.close()
    again = html(await get(make_datasette(old), "/-/triglot"))
    assert text_of(again.css(".totals")) == text_of(page.css(".totals"))
    assert again.css("svg.triglot-chart").get() == page.css("svg.triglot-chart").get()
    assert again.css(".latest-articles").get() == page.css(".latest-articles").get()
