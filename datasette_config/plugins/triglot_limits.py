"""Triglot's Datasette plugin for memory limits: every connection gets SQLite's limits.

The values come from make_datasette (the [serve] config) through the plugin config
``triglot-limits``; see datasette_config/limits.py for why each layer exists.
"""

from __future__ import annotations

import sqlite3
import sys

from datasette import hookimpl
from datasette.utils.asgi import Response

from datasette_config.limits import PLUGIN_NAME, Limits, limit_connection


@hookimpl
def prepare_connection(conn: sqlite3.Connection, datasette) -> None:
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    limit_connection(
        conn,
        Limits(
            max_value_mb=int(config.get("max_value_mb", Limits.max_value_mb)),
            max_memory_mb=int(config.get("max_memory_mb", Limits.max_memory_mb)),
        ),
    )


@hookimpl
def handle_exception(datasette, request, exception):
    """A query that ran into the memory ceiling is answered as an error page, in one line
    of log, not a 500 with an empty message and a traceback."""
    if not isinstance(exception, MemoryError):
        return None

    async def inner() -> Response:
        message = (
            "This query needs more memory than this server allows ([serve] max_memory_mb). "
            "Select fewer rows or smaller values."
        )
        sys.stderr.write(f"triglot serve: query refused, out of memory: {request.path}\n")
        if request.path.endswith(".json") or request.args.get("_format") == "json":
            return Response.json({"ok": False, "error": message, "status": 400}, status=400)
        html = await datasette.render_template(
            ["400.html", "error.html"],
            {"ok": False, "error": message, "status": 400, "title": "Query too large"},
            request=request,
        )
        return Response.html(html, status=400)

    return inner
