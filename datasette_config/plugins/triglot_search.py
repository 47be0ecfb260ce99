"""The paragraphs table's full-text search without counting every match (datasette_config.search).

Two hooks: an ASGI wrapper that hands ``?_search=`` on the archive's paragraphs table to
Triglot's search (and turns Datasette's uncapped count off), and the filter that searches.
"""

from __future__ import annotations

from datasette import hookimpl

from datasette_config import search


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def triglot_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path") in search.searched_paths(
                datasette
            ):
                rewritten = search.rewrite_query_string(
                    scope.get("query_string", b""),
                    datasette.table_metadata(datasette.get_database().name, search.SEARCH_TABLE),
                    datasette.page_size,
                    datasette.max_returned_rows,
                )
                if rewritten is not None:
                    scope = {**scope, "query_string": rewritten}
            await app(scope, receive, send)

        return triglot_search

    return wrap


@hookimpl
def filters_from_request(request, database, table, datasette):
    async def inner():
        return await search.search_filter(request, database, table, datasette)

    return inner
