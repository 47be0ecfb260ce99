"""Triglot's Datasette plugin: the article page, the home page, the weekly chart, links.

Routes (all GET, all server-rendered; JavaScript is never needed to read them):

* ``/-/triglot``                       home: where to start, latest articles, the chart
* ``/-/triglot/article/<id>``          one article: editions side by side, versions
* ``/-/triglot/divergences-per-week.svg``  the chart alone
* ``/-/triglot/capture/<snapshot id>``   a version's raw capture, framed, scripts off
* ``/-/triglot/capture/<snapshot id>/raw``  the stored HTML itself, under a sandbox CSP

It also links every articles/editions/divergences row and every canned-query
``article_page`` cell to the article page, and gives SQL the ``triglot_fts_query(q)``
function that turns what a person types into a safe FTS5 query, and
``triglot_fts_terms(q)``: the same, one query per word, as a JSON array.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from datasette_config.article_page import load_article
from datasette_config.capture_view import CAPTURE_CSP, capture_row, stored_html
from datasette_config.chart import weekly_counts, weekly_svg, weekly_table
from datasette_config.links import ARTICLE_PATH, CAPTURE_PATH, HOME_PATH, article_path

LATEST_ARTICLES = 12


def fts_query(text: str | None) -> str:
    """Every word quoted (so punctuation cannot break the query), a trailing * kept."""
    terms = []
    for word in (text or "").split():
        prefix = word.endswith("*")
        word = word.strip("*").replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms) or '""'


def fts_terms(text: str | None) -> str:
    """Each word's own FTS5 query, as a JSON array: SQL counts the words one by one."""
    return json.dumps([fts_query(word) for word in (text or "").split() if word.strip("*")])


def _archive(datasette):
    """The archive database (make_datasette serves exactly one)."""
    return datasette.get_database()


def _when(value: Any) -> str:
    """ISO timestamps as people read them: 2025-03-05 10:15 UTC."""
    if not value:
        return "—"
    text = str(value)
    if len(text) >= 16 and text[10] == "T":
        zone = text[19:]
        suffix = " UTC" if zone in ("+00:00", "Z", "") else f" {zone}"
        return f"{text[:10]} {text[11:16]}{suffix}"
    return text


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("triglot_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("triglot_fts_terms", 1, fts_terms, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env) -> None:
    env.filters["triglot_when"] = _when


@hookimpl
def extra_css_urls(datasette) -> list[str]:
    return [datasette.urls.path("/triglot-static/triglot.css")]


@hookimpl
def menu_links(datasette) -> list[dict[str, str]]:
    name = _archive(datasette).name
    return [
        {"href": datasette.urls.path(HOME_PATH), "label": "Triglot home"},
        {"href": datasette.urls.query(name, "latest_divergences"), "label": "Latest divergences"},
    ]


def _article_link(datasette, article_id: Any, text: str = "article page") -> Markup:
    href = datasette.urls.path(article_path(article_id))
    return Markup(f'<a class="article-page-link" href="{escape(href)}">{escape(text)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Every article-bearing cell leads to the article page."""
    if column == "article_page" and isinstance(value, str) and value.startswith(ARTICLE_PATH):
        article_id, _, fragment = value[len(ARTICLE_PATH) :].partition("#")
        if not article_id.isdigit():
            return None
        href = datasette.urls.path(f"{ARTICLE_PATH}{article_id}")
        if fragment:
            href += "#" + fragment
        return Markup(
            f'<a class="article-page-link" href="{escape(href)}">article {article_id}</a>'
        )
    if table == "articles" and column == "title":
        try:
            article_id = row["id"]
        except (IndexError, KeyError):
            return None
        return _article_link(datasette, article_id, value or f"article {article_id}")
    if table in ("editions", "divergences") and column == "article_id" and value is not None:
        article_id = value["value"] if isinstance(value, dict) else value
        label = value.get("label") if isinstance(value, dict) else None
        row_href = datasette.urls.row(database, "articles", str(article_id))
        shown = escape(label or article_id)
        return Markup(f'<a href="{escape(row_href)}">{shown}</a> · ') + _article_link(
            datasette, article_id
        )
    return None


def _totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in articles and divergences: kept by triggers (schema v3), else counted."""
    try:
        kept = dict(conn.execute("select name, rows from table_counts").fetchall())
    except sqlite3.OperationalError:  # before migration 3
        kept = {}
    return {
        table: kept[table]
        if table in kept
        else conn.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("articles", "divergences")
    }


async def _home_context(datasette) -> dict[str, Any]:
    db = _archive(datasette)

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        try:
            latest = conn.execute(
                "select a.id, a.title, a.site, count(*) as divergences, "
                "max(r.detected_at) as latest, sum(r.scope = 'language') as between_languages "
                "from (select article_id, detected_at, scope from divergences "
                "      order by detected_at desc limit 1000) r "
                "join articles a on a.id = r.article_id "
                "group by a.id order by latest desc limit ?",
                [LATEST_ARTICLES],
            ).fetchall()
            totals = _totals(conn)
            chart = weekly_counts(conn)
        except sqlite3.OperationalError:  # not a Triglot archive (or not migrated yet)
            return {"triglot_ready": False}
        return {
            "triglot_ready": True,
            "latest_articles": [
                dict(
                    zip(
                        ("id", "title", "site", "divergences", "latest", "languages"),
                        r,
                        strict=True,
                    )
                )
                for r in latest
            ],
            "totals": totals,
            "chart": chart,
        }

    context = await db.execute_fn(read)
    name = db.name
    context.update(
        {
            "triglot_db": name,
            "triglot_links": {
                "latest_divergences": datasette.urls.query(name, "latest_divergences"),
                "by_week": datasette.urls.query(name, "divergences_by_site_and_week"),
                "search": datasette.urls.query(name, "search_all_languages"),
                "missing": datasette.urls.query(name, "missing_editions"),
                "lang_failures": datasette.urls.query(name, "language_check_failures"),
                "figure_history": datasette.urls.query(name, "figure_history"),
                "articles": datasette.urls.table(name, "articles"),
                "divergences": datasette.urls.table(name, "divergences"),
                "chart_svg": datasette.urls.path(f"{HOME_PATH}/divergences-per-week.svg"),
                "article_base": datasette.urls.path(ARTICLE_PATH),
            },
        }
    )
    if context.get("triglot_ready"):
        context["chart_svg"] = weekly_svg(context["chart"])
        context["chart_table"] = weekly_table(context["chart"])
    return context


@hookimpl
def extra_template_vars(template, view_name, datasette):
    if view_name != "index" and template != "index.html":
        return {}

    async def inner():
        return await _home_context(datasette)

    return inner


async def home(datasette, request) -> Response:
    context = await _home_context(datasette)
    return Response.html(
        await datasette.render_template("triglot_home.html", context, request=request)
    )


async def article(datasette, request) -> Response:
    article_id = int(request.url_vars["article_id"])
    db = _archive(datasette)
    try:
        page = await db.execute_fn(lambda conn: load_article(conn, article_id, _page(request)))
    except sqlite3.OperationalError as error:
        raise NotFound(f"No Triglot archive here ({error})") from error
    if page is None:
        raise NotFound(f"Article {article_id} not found")
    name = db.name
    page.update(
        {
            "triglot_db": name,
            "article_row_url": datasette.urls.row(name, "articles", str(article_id)),
            "snapshots_url": datasette.urls.table(name, "snapshots"),
            "divergences_url": datasette.urls.table(name, "divergences")
            + f"?article_id={article_id}",
            "figure_history_url": datasette.urls.query(name, "figure_history")
            + f"?article_id={article_id}&figure=",
            "home_url": datasette.urls.path(HOME_PATH),
            "capture_base": datasette.urls.path(CAPTURE_PATH),
        }
    )
    return Response.html(
        await datasette.render_template("triglot_article.html", page, request=request)
    )


def _page(request) -> int:
    """?page=N of the article's rows (1 when absent or not a small positive number)."""
    raw = request.args.get("page") or "1"
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0 else 1


async def chart_svg(datasette) -> Response:
    data = await _archive(datasette).execute_fn(weekly_counts)
    return Response(
        str(weekly_svg(data)),
        content_type="image/svg+xml; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


async def _capture(datasette, request) -> dict[str, Any]:
    snapshot_id = int(request.url_vars["snapshot_id"])
    row = await _archive(datasette).execute_fn(lambda conn: capture_row(conn, snapshot_id))
    if row is None:
        raise NotFound(f"Snapshot {snapshot_id} not found")
    if not row["file"]:
        raise NotFound(f"Snapshot {snapshot_id} has no raw capture (stored before captures)")
    return row


async def capture_page(datasette, request) -> Response:
    """The capture framed in a sandboxed iframe, under the version's details."""
    row = await _capture(datasette, request)
    raw = datasette.urls.path(f"{CAPTURE_PATH}{row['id']}/raw")
    article = datasette.urls.path(f"{ARTICLE_PATH}{row['article_id']}#snapshot-{row['id']}")
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Raw capture of snapshot {row['id']}</title>"
        "<style>body{margin:0;font-family:sans-serif}header{padding:.5em 1em;background:#eee}"
        "iframe{border:0;width:100%;height:calc(100vh - 5em)}</style></head><body>"
        f"<header><p>The page <code>{escape(row['url'])}</code> as fetched "
        f"{escape(_when(row['fetched_at']))}, shown as stored, scripts disabled "
        f"(payload digest <code>{escape(row['digest'] or '')}</code>). "
        f'<a href="{escape(article)}">Back to the article</a> · '
        f'<a href="{escape(raw)}">the stored HTML alone</a></p></header>'
        f'<iframe sandbox src="{escape(raw)}" title="raw capture of snapshot {row["id"]}" '
        'referrerpolicy="no-referrer"></iframe></body></html>'
    )
    return Response.html(html, headers={"Referrer-Policy": "no-referrer"})


async def capture_raw(datasette, request) -> Response:
    """The stored HTML, byte for byte (content decoding undone), never able to run."""
    row = await _capture(datasette, request)
    try:
        body, content_type = await stored_html(_archive(datasette).path, row)
    except (OSError, ValueError) as error:
        raise NotFound(f"The capture of snapshot {row['id']} cannot be read: {error}") from error
    return Response(
        body,
        content_type=content_type,
        headers={
            "Content-Security-Policy": CAPTURE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "private, max-age=3600",
        },
    )


@hookimpl
def register_routes():
    return [
        (r"^/-/triglot/capture/(?P<snapshot_id>\d{1,18})/?$", capture_page),
        (r"^/-/triglot/capture/(?P<snapshot_id>\d{1,18})/raw$", capture_raw),
        (r"^/-/triglot/?$", home),
        (r"^/-/triglot/article/(?P<article_id>\d{1,18})/?$", article),
        (r"^/-/triglot/divergences-per-week\.svg$", chart_svg),
    ]
