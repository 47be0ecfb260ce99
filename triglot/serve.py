"""Datasette over the archive, configured from datasette_config/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from datasette.app import Datasette

from diffing import langs

if TYPE_CHECKING:
    from triglot.config import Config

from datasette_config.limits import PLUGIN_NAME, Limits
from triglot.ports import bind_port

CONFIG_DIR = Path(__file__).resolve().parent.parent / "datasette_config"


def _language_placeholders(text: str) -> str:
    """metadata.yml names the languages through placeholders filled from the registry."""
    default = langs.DEFAULT_LANGUAGES
    missing = "\n              || ".join(
        f"case when sum(e.lang = '{code}' and e.current_snapshot_id is not null) > 0\n"
        f"                then '' else '{code} ' end"
        for code in default
    )
    every = list(langs.LANGUAGES)
    prose = ", ".join(every[:-1]) + " and " + every[-1] if len(every) > 1 else every[0]
    for placeholder, value in (
        ("@LANGUAGES@", ", ".join(every)),
        ("@LANGUAGES_PROSE@", prose),
        ("@DEFAULT_LANGUAGES@", ", ".join(default)),
        ("@DEFAULT_LANGUAGE_COUNT@", str(len(default))),
        ("@MISSING_DEFAULT_LANGUAGES@", missing),
    ):
        text = text.replace(placeholder, value)
    return text


def load_metadata() -> dict:
    path = CONFIG_DIR / "metadata.yml"
    if not path.exists():
        return {}
    text = _language_placeholders(path.read_text(encoding="utf-8"))
    return yaml.safe_load(text) or {}


def make_datasette(
    db_path: str | Path,
    *,
    sql_time_limit_ms: int = 3000,
    page_size: int = 50,
    limits: Limits | None = None,
    max_returned_rows: int = 1000,
    max_csv_mb: int = 50,
    **settings,
) -> Datasette:
    """The app `triglot serve` runs; tests drive the same object through its test client.

    The archive stays mutable (not --immutable): a crawl may write while researchers read,
    and Datasette's own connections are read-only (mode=ro) for queries. Every connection
    gets SQLite's limits (plugins/triglot_limits.py), so no query can build a value past
    limits.max_value_mb; the process ceiling itself is set by serve (cap_process_memory).
    """
    limits = limits or Limits()
    metadata = load_metadata()
    metadata.setdefault("plugins", {})[PLUGIN_NAME] = {
        "max_value_mb": limits.max_value_mb,
        "max_memory_mb": limits.max_memory_mb,
    }
    db_path = Path(db_path)
    # canned queries and table settings are written for the database name "triglot"
    if db_path.stem != "triglot" and "triglot" in metadata.get("databases", {}):
        metadata.setdefault("databases", {})[db_path.stem] = metadata["databases"].pop("triglot")
    return Datasette(
        [str(db_path)],
        metadata=metadata,
        plugins_dir=str(CONFIG_DIR / "plugins"),
        template_dir=str(CONFIG_DIR / "templates"),
        static_mounts=[("triglot-static", str(CONFIG_DIR / "static"))]
        if (CONFIG_DIR / "static").is_dir()
        else None,
        settings={
            "sql_time_limit_ms": sql_time_limit_ms,
            "default_page_size": page_size,
            "max_returned_rows": max_returned_rows,
            "max_csv_mb": max_csv_mb,
            "facet_time_limit_ms": min(sql_time_limit_ms, 1000),
            # suggested-facet probing scans whole tables: 6-7x slower pages at 100k articles
            "suggest_facets": False,
            **settings,
        },
    )


def serve_datasette(
    db_path: str,
    config: Config,
    *,
    host: str | None = None,
    port: int | None = None,
    echo: Callable[[str], Any] = print,
) -> None:
    """Run the Datasette app under uvicorn until interrupted (`triglot serve`, the demo)."""
    import uvicorn

    from datasette_config.limits import cap_process_memory

    host = host or config.serve.host
    port = port or config.serve.port
    serve = config.serve
    ds = make_datasette(
        db_path,
        sql_time_limit_ms=serve.sql_time_limit_ms,
        page_size=serve.page_size,
        max_returned_rows=serve.max_returned_rows,
        max_csv_mb=serve.max_csv_mb,
        limits=Limits(max_value_mb=serve.max_value_mb, max_memory_mb=serve.max_memory_mb),
    )
    listening = bind_port(host, port)  # a busy port is PortInUse (exit 7), not a traceback
    cap_process_memory(serve.max_memory_mb)  # after start-up: the ceiling is for requests
    echo(f"Datasette on http://{host}:{port}/  (Ctrl-C to stop)")
    server = uvicorn.Server(uvicorn.Config(ds.app(), host=host, port=port, log_level="warning"))
    server.run(sockets=[listening])
