"""Search that stays fast on a large archive must still give the right rows and say when it
stopped counting. A real archive file with more matches than the count cap, Datasette's own
test client, and the expected rows worked out with plain SQL (LIKE), not with FTS.

Paragraphs are stored oldest first, so ids grow with time:

* OLD: "Barley barley barley harvest." and 200 short paragraphs saying "grain" four times (BM25's
  favourites, but old);
* BULK: 5 editions × 2,000 paragraphs saying "grain" once (uk, en, ru, en, uk);
* NEW: 50 paragraphs, every tenth saying "grain" three times, 5 about wheat alone, and a
  long one mentioning barley once.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote, urlsplit

import pytest
from parsel import Selector

import archive
from datasette_config import search
from triglot.serve import make_datasette

BULK_LANGS = ("uk", "en", "ru", "en", "uk")


def _edition(slug: str, lang: str, paragraphs: list[str], when: str) -> dict:
    return {
        "site": "ledger",
        "article_key": f"ledger:{slug}",
        "url": f"https://ledger.example.test/{lang}/{slug}.html",
        "lang": lang,
        "lang_declared": lang,
        "lang_detected": lang,
        "title": f"{slug} ({lang})",
        "paragraphs": paragraphs,
        "fetched_at": when,
        "extraction": "profile",
    }


@pytest.fixture(scope="module")
def grain(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "grain.db"
    db = archive.open_db(path)
    archive.save_edition(
        db,
        _edition(
            "old",
            "en",
            ["Barley barley barley harvest."]
            + [f"Grain grain grain grain: old note {i}." for i in range(200)],
            "2025-01-01T08:00:00+00:00",
        ),
    )
    for k, lang in enumerate(BULK_LANGS):
        archive.save_edition(
            db,
            _edition(
                f"bulk-{k}",
                lang,
                [f"Report {k}.{i} on the grain harvest in the region." for i in range(2000)],
                f"2025-02-0{k + 1}T08:00:00+00:00",
            ),
        )
    new = [
        f"Grain grain grain: new report {i}." if i % 10 == 0 else f"Report {i} on the grain crop."
        for i in range(50)
    ] + [f"Wheat note {i}." for i in range(5)]
    new.append("A note on barley and on the other crops sown in the region this year.")
    archive.save_edition(db, _edition("new", "en", new, "2025-03-01T08:00:00+00:00"))
    db.conn.close()
    return path


@pytest.fixture()
def ds(grain):
    return make_datasette(grain)


def expected_ids(path, where: str = "text like '%grain%'", order: str = "id") -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [
            r[0] for r in conn.execute(f"select id from paragraphs where {where} order by {order}")
        ]
    finally:
        conn.close()


async def get_json(ds, path: str) -> dict:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:1000])
    return response.json()


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


async def walk(ds, path: str) -> tuple[list[int], list[dict]]:
    """Every row of a table search, following next_url to the end."""
    ids, bodies = [], []
    while path:
        body = await get_json(ds, path)
        bodies.append(body)
        ids += [row["id"] for row in body["rows"]]
        path = local(body["next_url"]) if body["next_url"] else None
    return ids, bodies


@pytest.mark.asyncio
async def test_more_matches_than_the_cap_say_so_and_every_page_is_right(ds, grain):
    ids, bodies = await walk(ds, "/grain/paragraphs.json?_search=grain&_size=1000&_shape=objects")
    assert ids == expected_ids(grain)  # every match once, in id order, across 11 pages
    assert len(ids) == 200 + 5 * 2000 + 50 > search.COUNT_CAP
    assert len(bodies) == 11
    for body in bodies:
        assert "(10,000+ paragraphs)" in body["human_description_en"]
        assert body["filtered_table_rows_count"] is None  # never counted to the end


@pytest.mark.asyncio
async def test_default_page_and_descending_order(ds, grain):
    body = await get_json(ds, "/grain/paragraphs.json?_search=grain&_shape=objects")
    assert [r["id"] for r in body["rows"]] == expected_ids(grain)[:50]
    body = await get_json(ds, "/grain/paragraphs.json?_search=grain&_sort_desc=id&_shape=objects")
    newest = expected_ids(grain, order="id desc")
    assert [r["id"] for r in body["rows"]] == newest[:50]
    second = await get_json(ds, local(body["next_url"]))
    assert [r["id"] for r in second["rows"]] == newest[50:100]


@pytest.mark.asyncio
async def test_fewer_matches_than_the_cap_are_counted_exactly(ds, grain):
    body = await get_json(ds, "/grain/paragraphs.json?_search=wheat&_shape=objects")
    assert [r["id"] for r in body["rows"]] == expected_ids(grain, "text like '%wheat%'")
    assert "(5 paragraphs)" in body["human_description_en"]
    body = await get_json(ds, "/grain/paragraphs.json?_search=rye&_shape=objects")
    assert body["rows"] == [] and "(0 paragraphs)" in body["human_description_en"]


@pytest.mark.asyncio
async def test_search_with_a_filter_or_facet_is_datasettes_own_exact_search(ds, grain):
    body = await get_json(ds, "/grain/paragraphs.json?_search=grain&lang=ru&_size=1000")
    assert [r[0] for r in body["rows"]] == expected_ids(
        grain, "lang = 'ru' and text like '%grain%'"
    )[:1000]
    assert body["filtered_table_rows_count"] == 2000
    body = await get_json(ds, "/grain/paragraphs.json?_search=grain&_facet=lang&_shape=objects")
    facet = {v["value"]: v["count"] for v in body["facet_results"]["lang"]["results"]}
    assert facet == {"uk": 4000, "en": 4250, "ru": 2000}  # every match, not one page
    body = await get_json(ds, "/grain/paragraphs.json?_search=grain&_sort=lang&_shape=objects")
    assert body["filtered_table_rows_count"] == 10250


@pytest.mark.asyncio
async def test_html_page_search_box_and_a_new_search_from_it(ds, grain):
    response = await ds.client.get("/grain/paragraphs?_search=grain")
    assert response.status_code == 200
    page = Selector(text=response.text)
    assert "10,000+ paragraphs" in " ".join(page.css("h3 ::text").getall())
    assert page.css("#_search::attr(value)").get() == "grain"
    # the form resubmits its hidden arguments with the new words from the search box
    hidden = [
        (i.attrib["name"], i.attrib["value"]) for i in page.css("form.filters input[type=hidden]")
    ]
    query = "&".join(f"{k}={quote(v)}" for k, v in [*hidden, ("_search", "wheat")])
    again = Selector(text=(await ds.client.get(f"/grain/paragraphs?{query}")).text)
    assert "(5 paragraphs)" in " ".join(again.css("h3 ::text").getall())
    assert again.css("#_search::attr(value)").get() == "wheat"
    # an emptied search box is the whole table again, counted
    query = "&".join(f"{k}={quote(v)}" for k, v in [*hidden, ("_search", "")])
    plain = await get_json(ds, f"/grain/paragraphs.json?{query}")
    assert (
        plain["filtered_table_rows_count"] == 10257
        and "search" not in plain["human_description_en"]
    )


@pytest.mark.asyncio
async def test_a_filter_added_to_a_search_page_keeps_the_search(ds, grain):
    page = await get_json(ds, "/grain/paragraphs.json?_search=grain&_shape=objects")
    next_query = urlsplit(page["next_url"]).query  # carries the rewritten search
    body = await get_json(ds, f"/grain/paragraphs.json?{next_query}&lang=ru&_shape=objects")
    assert body["filtered_table_rows_count"] is not None
    ru = expected_ids(grain, "lang = 'ru' and text like '%grain%'")
    after = int(page["rows"][-1]["id"])
    assert [r["id"] for r in body["rows"]] == [i for i in ru if i > after][:50]


@pytest.mark.asyncio
async def test_raw_search_mode_and_bad_syntax(ds, grain):
    body = await get_json(
        ds, "/grain/paragraphs.json?_search=wheat%20OR%20barley&_searchmode=raw&_shape=objects"
    )
    assert len(body["rows"]) == 7  # 5 wheat, 2 barley
    response = await ds.client.get("/grain/paragraphs.json?_search=%22unclosed&_searchmode=raw")
    assert response.status_code == 400  # Datasette's own message, not a crash


@pytest.mark.asyncio
async def test_search_all_languages_past_a_thousand_matches_is_newest_first(ds, grain):
    rows = await canned_rows(ds, "grain")
    hits = [paragraph_id(grain, r["hit"]) for r in rows]
    assert hits == expected_ids(grain, order="id desc")[:100]


@pytest.mark.asyncio
async def test_search_all_languages_ranks_a_thousand_matches_or_fewer(ds, grain):
    rows = await canned_rows(ds, "barley")
    # BM25: the old, short, thrice-barley paragraph before the newest one saying it once
    assert [r["hit"] for r in rows] == [
        "Barley barley barley harvest.",
        "A note on barley and on the other crops sown in the region this year.",
    ]
    assert {r["hit_lang"] for r in rows} == {"en"}


@pytest.mark.asyncio
async def test_search_all_languages_a_rare_pair_of_a_common_word_is_newest_first(ds, grain):
    # "harvest" is in 10,001 paragraphs: no BM25 (it would read them all), yet the one
    # paragraph with both words is found
    assert [r["hit"] for r in await canned_rows(ds, "barley harvest")] == [
        "Barley barley barley harvest."
    ]


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        ("grain", ['"grain"']),
        ('зерн* "a"b(', ['"зерн"*', '"""a""b("']),
        ("* ", []),
        ("", []),
    ],
)
def test_fts_terms_one_query_per_word(q, terms):
    import json

    from datasette_config.plugins.triglot_pages import fts_terms

    assert json.loads(fts_terms(q)) == terms


async def canned_rows(ds, q: str) -> list[dict]:
    response = await ds.client.get(f"/grain/search_all_languages.json?_shape=objects&q={q}")
    assert response.status_code == 200, response.text[:500]
    return response.json()["rows"]


def paragraph_id(path, text: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select id from paragraphs where text = ?", [text]).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"_search=grain", b"_triglot_search=grain&_nocount=1"),
        (
            b"_search=grain&_sort_desc=id&_next=5",
            b"_sort_desc=id&_next=5&_triglot_search=grain&_nocount=1",
        ),
        (b"_search=grain&lang=ru", b"lang=ru&_search=grain"),
        (b"_search=grain&_sort=lang", b"_sort=lang&_search=grain"),
        (b"_search=grain&_size=nonsense", b"_size=nonsense&_search=grain"),
        # a new search from a search page's form replaces the carried one
        (b"_triglot_search=grain&_nocount=1&_search=wheat", b"_triglot_search=wheat&_nocount=1"),
        (b"_triglot_search=grain&_nocount=1&lang=ru", b"lang=ru&_search=grain"),
        (b"_triglot_search=grain&_nocount=1&_search=", b""),
        (
            b"_search=%D0%B7%D0%B5%D1%80%D0%BD*",
            b"_triglot_search=%D0%B7%D0%B5%D1%80%D0%BD%2A&_nocount=1",
        ),
        (b"_size=10", None),
    ],
)
def test_rewrite_query_string(query, expected):
    meta = {"sort": "id", "fts_pk": "id"}
    assert search.rewrite_query_string(query, meta, 50, 1000) == expected


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 paragraphs"),
        (1, "1 paragraph"),
        (10_000, "10,000 paragraphs"),
        (10_001, "10,000+ paragraphs"),
    ],
)
def test_count_text(count, text):
    assert search.count_text(count) == text
