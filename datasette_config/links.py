"""Where things live in Triglot's Datasette: every link to it is built here.

The plugin's routes, the alert emails and anything else that points a reader at the
archive use these paths, so a route moves in one place. Database names are encoded the
way Datasette encodes them (tilde encoding).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datasette.utils import tilde_encode

HOME_PATH = "/-/triglot"
ARTICLE_PATH = "/-/triglot/article/"
CAPTURE_PATH = "/-/triglot/capture/"  # + snapshot id: a version's raw capture, scripts off


def database_name(path: str | Path | None) -> str:
    """The name Datasette gives an archive: its file's stem ("triglot" when unnamed)."""
    return Path(path).stem if path else "triglot"


def article_path(article_id: int) -> str:
    return f"{ARTICLE_PATH}{int(article_id)}"


def table_path(db_name: str, table: str, row_id: int | None = None) -> str:
    path = f"/{tilde_encode(db_name)}/{tilde_encode(table)}"
    return path if row_id is None else f"{path}/{int(row_id)}"


@dataclass(frozen=True)
class DatasetteLinks:
    """Absolute links into one archive served at ``base_url`` (for emails)."""

    base_url: str
    db_name: str

    def _absolute(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"

    def article(self, article_id: int) -> str:
        return self._absolute(article_path(article_id))

    def table(self, table: str, row_id: int | None = None) -> str:
        return self._absolute(table_path(self.db_name, table, row_id))
