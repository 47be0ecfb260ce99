"""The paragraphs table's full-text search, at a cost that does not grow with the matches.

Datasette's own ``?_search=`` turns every match into an IN list and then counts them all:
a word found in 700,000 of 20 million paragraphs costs about a second, twice. Here:

* the page's rows come straight from the FTS5 index in id order, after the page's cursor,
  with a LIMIT of one page (``order by rowid limit N`` stops FTS5 after N hits);
* the count stops at ``COUNT_CAP`` and says "10,000+" beyond it.

The rows are the same, in the same order, page by page, as Datasette's own search gives.
This takes over only a search a page of matches in id order answers exactly: the search
alone, sorted by id either way, paged with ``_next``. A search with a column filter, a
facet or another sort order stays Datasette's own (exact count, cost growing with the
matches).

The ``triglot_search`` plugin wires it in: its ASGI wrapper rewrites such a request's
``_search`` to ``SEARCH_ARG`` and adds ``_nocount=1`` (so Datasette's own search filter and
count do not run), and its ``filters_from_request`` hook calls ``search_filter``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, urlsafe_components

SEARCH_TABLE = "paragraphs"
SEARCH_ARG = "_triglot_search"
COUNT_CAP = 10_000
# Request arguments a page of matches in id order still answers exactly.
_WINDOW_ARGS = {
    SEARCH_ARG,
    "_next",
    "_size",
    "_sort",
    "_sort_desc",
    "_nocount",
    "_nofacet",
    "_nosuggest",
    "_labels",
    "_nolabels",
    "_shape",
    "_json",
    "_col",
    "_nocol",
    "_trace",
    "_timelimit",
    "_searchmode",
}


def searched_paths(datasette) -> set[str]:
    """The paths of the archive's paragraphs table whose search is taken over (HTML, JSON)."""
    table = datasette.urls.table(datasette.get_database().name, SEARCH_TABLE)
    return {table, table + ".json"}


def rewrite_query_string(
    query_string: bytes, meta: dict[str, Any], page_size: int, max_rows: int
) -> bytes | None:
    """The query string Datasette should see; None to leave it as it is.

    A search ``window`` answers becomes ``SEARCH_ARG=w&_nocount=1``. Any other search goes
    back to Datasette's ``_search`` (a filter added from a page whose links carry
    SEARCH_ARG). A new ``_search`` (the search box) replaces the one in the links, and an
    emptied search box ends the search.
    """
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    searched = [value for key, value in pairs if key == "_search"]
    carried = [value for key, value in pairs if key == SEARCH_ARG]
    if not searched and not carried:
        return None
    term = searched[0] if searched else carried[0]
    rest = [(k, v) for k, v in pairs if k not in ("_search", SEARCH_ARG)]
    if carried:  # the _nocount=1 came with it from our own rewrite
        rest = [(k, v) for k, v in rest if k != "_nocount"]
    if not term.strip():
        pairs = rest
    elif window(dict(rest + [(SEARCH_ARG, term)]), meta, page_size, max_rows) is not None:
        pairs = rest + [(SEARCH_ARG, term), ("_nocount", "1")]
    else:
        pairs = rest + [("_search", term)]
    return urlencode(pairs, encoding="utf-8").encode("latin-1")


def count_text(count: int) -> str:
    """What the page says: "1,234 paragraphs", or "10,000+ paragraphs" past the cap."""
    if count > COUNT_CAP:
        return f"{COUNT_CAP:,}+ paragraphs"
    return f"{count:,} paragraph{'' if count == 1 else 's'}"


async def search_filter(request, database: str, table: str, datasette) -> FilterArguments | None:
    """The WHERE clause, the capped count and the search box for SEARCH_ARG on the table."""
    if table != SEARCH_TABLE or database != datasette.get_database().name:
        return None
    search = request.args.get(SEARCH_ARG)
    if search is None:
        return None
    db = datasette.get_database(database)
    meta = datasette.table_metadata(database, table)
    fts_table = meta.get("fts_table") or await db.fts_table(table)
    if not fts_table:
        return None
    fts = escape_sqlite(fts_table)
    raw = request.args.get("_searchmode", meta.get("searchmode")) == "raw"
    match = f"{fts} match " + (":triglot_search" if raw else "escape_fts(:triglot_search)")
    params: dict[str, Any] = {"triglot_search": search}
    args = {key: request.args[key] for key in request.args}
    paging = window(args, meta, datasette.page_size, datasette.max_returned_rows)
    if paging is None:
        inner = f"select rowid from {fts} where {match}"
    else:
        after, descending, size = paging
        bound = ""
        if after is not None:
            bound = f" and rowid {'<' if descending else '>'} :triglot_after"
            params["triglot_after"] = after
        order = "desc" if descending else ""
        inner = f"select rowid from {fts} where {match}{bound} order by rowid {order} limit {size}"
    pk = escape_sqlite(meta.get("fts_pk", "rowid"))
    description = f'search matches "{search}"'
    try:
        counted = await db.execute(
            f"select count(*) from (select 1 from {fts} where {match} limit {COUNT_CAP + 1})",
            {"triglot_search": search},
        )
        description += f" ({count_text(counted.first()[0])})"
    except (sqlite3.DatabaseError, QueryInterrupted):
        pass  # a bad raw query: the page's own query reports it
    return FilterArguments(
        [f"{pk} in ({inner})"],
        params,
        [description],
        {"search": search, "supports_search": True},
    )


def window(
    args: Mapping[str, str], meta: dict[str, Any], page_size: int, max_rows: int
) -> tuple[int | None, bool, int] | None:
    """(cursor, descending, rows) when one page of matches in id order answers the request.

    ``args`` are the request's (first values), ``meta`` the table's metadata; None when
    anything besides the search, the id order and paging shapes the page.
    """
    if any(key not in _WINDOW_ARGS for key in args) or meta.get("facets"):
        return None
    sort, sort_desc = args.get("_sort"), args.get("_sort_desc")
    if not sort and not sort_desc:
        sort, sort_desc = meta.get("sort"), meta.get("sort_desc")
    keys = {None, "", "rowid", meta.get("fts_pk", "rowid")}
    if sort_desc and sort_desc in keys and not sort:
        descending = True
    elif not sort_desc and sort in keys:
        descending = False
    else:
        return None
    after = None
    if args.get("_next"):
        try:
            after = int(urlsafe_components(args["_next"])[-1])
        except (ValueError, IndexError):
            return None
    size: Any = args.get("_size") or meta.get("size") or page_size
    if size == "max":
        size = max_rows
    try:
        size = int(size)
    except (TypeError, ValueError):
        return None  # Datasette answers the bad _size itself
    if not 0 < size <= max_rows:
        return None
    return after, descending, size + 1
