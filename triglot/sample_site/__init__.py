"""Bundled fictional news outlets (uk/en/ru) and the loopback server that serves them.

Used by ``triglot demo`` and by the crawler and extraction tests; see README.md for what
each outlet and page is meant to exercise.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SampleSite", "expected", "manifest", "pages_dir", "profiles_dir"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``python -m triglot.sample_site.server`` does not import server twice.
    if name in __all__:
        from triglot.sample_site import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
