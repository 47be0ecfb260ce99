"""Article text is untrusted: what reaches an email is cleaned here first.

Everything bound for a header loses control and line-separator characters (the email
package's policy also refuses CR/LF in headers); body text loses control characters and
bidi overrides, and is shortened around the figure it is quoted for.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

CONTEXT_RADIUS = 90  # characters of paragraph kept on each side of the figure

_BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def clean_text(text: str | None) -> str:
    """Article text for the body: control characters become spaces, bidi overrides go."""
    if not text:
        return ""
    out = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        out.append(" " if category in ("Cc", "Zl", "Zp") else char)
    return " ".join("".join(out).split())


def header_text(text: str | None, limit: int | None = None) -> str:
    """Text safe for a header: one line, no control/format characters, optionally shortened."""
    if not text:
        return ""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category != "Cf":
            kept.append(char)
    line = " ".join("".join(kept).split())
    return shorten(line, limit) if limit else line


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class Excerpt:
    """A paragraph shortened around the figure: ``before`` + ``figure`` + ``after``."""

    before: str
    figure: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.before}{self.figure}{self.after}"


def excerpt(paragraph: str | None, figure: str | None, radius: int = CONTEXT_RADIUS) -> Excerpt:
    """The part of ``paragraph`` around ``figure``, cut at word boundaries."""
    text = clean_text(paragraph)
    figure = clean_text(figure)
    position = text.find(figure) if figure else -1
    if position < 0 and figure:
        position = text.casefold().find(figure.casefold())
    if position < 0:
        return Excerpt(shorten(text, 2 * radius), "", "")
    end = position + len(figure)
    start, stop = max(0, position - radius), min(len(text), end + radius)
    before, after = text[start:position], text[end:stop]
    if start > 0:
        space = before.find(" ")
        before = "…" + (before[space + 1 :] if 0 <= space < len(before) - 1 else before)
    if stop < len(text):
        space = after.rfind(" ")
        after = (after[:space] if space > 0 else after) + "…"
    return Excerpt(before, text[position:end], after)


def plural(count: int, word: str) -> str:
    """ "1 divergence", "2 divergences"."""
    return f"{count} {word}" + ("" if count == 1 else "s")
