"""Divergences per week per site: the numbers (one indexed query) and a server-drawn SVG.

No JavaScript and nothing fetched from elsewhere: the chart is markup built here, with
every label escaped, a <title> per bar for hover, and the same numbers as a table for
screen readers and copy-paste.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

WEEKS = 12
# Colour-blind-safe (Okabe-Ito) palette; sites beyond it reuse colours in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _parse_day(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except (TypeError, ValueError):
        try:
            return date.fromisoformat(text[:10])
        except (TypeError, ValueError):
            return None


def weekly_counts(conn: sqlite3.Connection, weeks: int = WEEKS) -> dict[str, Any]:
    """Counts for the ``weeks`` weeks up to the latest divergence (not up to today).

    Ending at the latest divergence keeps an archive that has not been crawled lately
    readable. The counts come from ``divergence_weeks`` (kept by triggers, schema v3), so
    the chart reads a few dozen rows however many divergences the weeks hold; an archive
    not migrated yet is counted from the divergences themselves.
    """
    latest = conn.execute("select max(detected_at) from divergences").fetchone()[0]
    end = _parse_day(latest) if latest else None
    if end is None:
        return {"weeks": [], "sites": [], "counts": {}, "total": 0}
    first = _monday(end) - timedelta(weeks=weeks - 1)
    try:
        rows = conn.execute(
            "select site, week, divergences from divergence_weeks where week >= ?",
            [first.isoformat()],
        ).fetchall()
    except sqlite3.OperationalError:  # before migration 3
        rows = conn.execute(
            "select a.site, date(d.detected_at, 'weekday 0', '-6 days') as week, count(*) "
            "from divergences d join articles a on a.id = d.article_id "
            "where d.detected_at >= ? group by a.site, week",
            [first.isoformat()],
        ).fetchall()
    counts: dict[tuple[str, str], int] = {}
    for site, week, number in rows:
        if week and number:
            counts[(site, week)] = number
    week_list = [(first + timedelta(weeks=i)).isoformat() for i in range(weeks)]
    sites = sorted({site for site, _ in counts}, key=lambda s: (-_site_total(counts, s), s))
    return {
        "weeks": week_list,
        "sites": sites,
        "counts": counts,
        "total": sum(counts.values()),
    }


def _site_total(counts: dict[tuple[str, str], int], site: str) -> int:
    return sum(n for (s, _), n in counts.items() if s == site)


def _nice_max(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten, times four (ticks), that holds value."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale * 4 >= value:
                return step * scale * 4
        scale *= 10


def weekly_svg(data: dict[str, Any], *, width: int = 720, height: int = 260) -> Markup:
    """A stacked bar per week, one colour per site."""
    weeks, sites, counts = data["weeks"], data["sites"], data["counts"]
    left, right, top, bottom = 44, 12, 16, 46
    legend_height = 20 * ((len(sites) + 3) // 4)
    total_height = height + legend_height
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(counts.get((s, w), 0) for s in sites) for w in weeks]
    y_max = _nice_max(max(totals, default=0))
    colour = {site: PALETTE[i % len(PALETTE)] for i, site in enumerate(sites)}
    parts = [
        f'<svg class="triglot-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {total_height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        '<title id="chart-title">Divergences per week per site</title>',
        f'<desc id="chart-desc">{data["total"]} divergences in the {len(weeks)} weeks '
        f"ending {escape(weeks[-1] if weeks else '')}, stacked by site.</desc>",
    ]
    for tick in range(5):  # gridlines and y labels
        value = y_max * tick // 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value}</text>'
        )
    slot = plot_w / max(1, len(weeks))
    bar = slot * 0.7
    for index, week in enumerate(weeks):
        x = left + index * slot + (slot - bar) / 2
        y = top + plot_h
        for site in sites:
            number = counts.get((site, week), 0)
            if not number:
                continue
            h = plot_h * number / y_max
            y -= h
            label = f"{site}, week of {week}: {number} divergence{'s' if number != 1 else ''}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour[site]}" data-site="{escape(site)}" data-week="{week}" '
                f'data-count="{number}"><title>{escape(label)}</title></rect>'
            )
        if totals[index]:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'class="total">{totals[index]}</text>'
            )
        if len(weeks) <= 12 or index % 2 == 0:
            day = date.fromisoformat(week)
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'class="axis">{day.day} {day.strftime("%b")}</text>'
            )
    parts.append(
        f'<text x="{left}" y="{top + plot_h + 34}" class="axis">weeks starting Monday</text>'
    )
    for index, site in enumerate(sites):
        x = left + (index % 4) * (plot_w / 4)
        y = height + 20 * (index // 4)
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{colour[site]}"/>'
            f'<text x="{x + 18:.1f}" y="{y}" class="legend">{escape(site)} '
            f"({_site_total(counts, site)})</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def weekly_table(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's numbers as rows (week, per-site counts), newest week first."""
    return [
        {"week": week, "counts": [data["counts"].get((s, week), 0) for s in data["sites"]]}
        for week in reversed(data["weeks"])
        if any(data["counts"].get((s, week), 0) for s in data["sites"])
    ]
