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
    db_path: str | Path, *, sql_time_limit_ms: int = 3000, page_size: int = 50, **settings
) -> Datasette:
    """The app `triglot serve` runs; tests drive the same object through its test client.

    The archive stays mutable (not --immutable): a crawl may write while researchers read,
    and Datasette's own connections are read-only (mode=ro) for queries.
    """
    metadata = load_metadata()
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

    host = host or config.serve.host
    port = port or config.serve.port
    ds = make_datasette(
        db_path, sql_time_limit_ms=config.serve.sql_time_limit_ms, page_size=config.serve.page_size
    )
    echo(f"Datasette on http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
