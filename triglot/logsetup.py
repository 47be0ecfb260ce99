"""Logging for the command line: one handler, one line per record, DEBUG only with -vv.

Scrapy, run inside a triglot command, installs no handler of its own (so no line is
printed twice) and its loggers — which Scrapy sets to DEBUG — are filtered by this
handler's level. Tracebacks attached to log records (Scrapy logs one for every failed
robots.txt download) are shown with -vv only: an operator reads one line per problem.
"""

from __future__ import annotations

import logging
import sys

LEVELS = (logging.WARNING, logging.INFO, logging.DEBUG)
_HANDLER_NAME = "triglot-cli"


class OneLineFormatter(logging.Formatter):
    """The record's message on one line; exception text only when asked for."""

    def __init__(self, with_tracebacks: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.with_tracebacks = with_tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if self.with_tracebacks:
            return super().format(record)
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record).replace("\n", " | ")
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def configure(verbose: int) -> int:
    """Install the one stderr handler at the level -v asks for; returns that level."""
    level = LEVELS[min(max(verbose, 0), len(LEVELS) - 1)]
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setLevel(level)
    handler.setFormatter(OneLineFormatter(with_tracebacks=level <= logging.DEBUG))
    root.addHandler(handler)
    root.setLevel(min(level, root.level) if root.handlers[:-1] else level)
    return level


def cli_logging_active() -> bool:
    """True when a triglot command configured logging (Scrapy must then add no handler)."""
    return any(h.get_name() == _HANDLER_NAME for h in logging.getLogger().handlers)
