"""Choosing the article body among candidate extractions, compared rather than first-come.

Every strategy proposes a body (a list of segments: paragraphs and headings): the site
profile's selectors, the densest-text container, JSON-LD ``articleBody`` and trafilatura
(precision mode; when that comes out short, its balanced mode too, as "trafilatura-recall").
Each is scored on its length, how much of it is prose (long sentences rather than link
titles), its link density and its agreement with the others (4-token shingle overlap),
and one wins by these rules, in this order:

1. a candidate that is a prefix or a summary of a longer candidate loses to it when the
   longer one's extra text is prose at least as long as the shorter one (a JSON-LD
   ``articleBody`` holding only the first paragraph, trafilatura stopping halfway);
   the winner then ends at its last prose or confirmed paragraph (link titles under the
   article are not its text);
2. a candidate of under 200 characters loses to one at least twice as long;
3. otherwise the first in the order of trust: profile, trafilatura, trafilatura-recall,
   densest, JSON-LD.

The lead (standfirst) often sits in its own container above the body, where a profile
selector or the densest container misses it: prose segments another candidate has before
the first segment it shares with the winner are put back at the top. Likewise a prose
paragraph another candidate has between two paragraphs both share is put in its place.

Scores are recorded on the Page (``extraction_scores``), so a bad page can be explained.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

# Candidate names, in the order of trust used when no rule decides.
PROFILE, TRAFILATURA, DENSEST, JSONLD = "profile", "trafilatura", "generic", "jsonld"
TRAFILATURA_RECALL = "trafilatura-recall"  # its balanced mode, asked when the first is short
TRUST = (PROFILE, TRAFILATURA, TRAFILATURA_RECALL, DENSEST, JSONLD)

MIN_CHARS = 200  # a body shorter than this is a teaser, unless nothing longer agrees
SHORT_BODY_CHARS = 1000  # trafilatura's precision mode this short gets a second opinion
COVERED = 0.8  # share of a candidate's shingles found in another: it is contained there
CONFIRMED = 0.5  # share of a segment's shingles found in another candidate: it agrees
PROSE_CHARS = 150  # a paragraph this long ending like a sentence is prose, not a link title
LEAD_CHARS = 60
GAP_CHARS = 80

_WORD = re.compile(r"\w+")
_SENTENCE_END = tuple(".!?…\"”»)’'")


@dataclass(frozen=True)
class Segment:
    """One paragraph or heading of a candidate body."""

    text: str
    heading: bool = False
    link_chars: int = 0


@dataclass
class Candidate:
    name: str
    segments: list[Segment]
    shingles: Shingles = field(default_factory=frozenset, repr=False)
    score: float = 0.0

    def __post_init__(self) -> None:
        self.shingles = segment_shingles(self.segments)

    @property
    def chars(self) -> int:
        return sum(len(s.text) for s in self.segments)

    @property
    def link_density(self) -> float:
        chars = self.chars
        return sum(s.link_chars for s in self.segments) / chars if chars else 0.0


@dataclass
class Choice:
    name: str | None  # the winning candidate, None when no candidate had text
    segments: list[Segment]
    scores: dict[str, float]


Shingles = frozenset[tuple[str, ...]]


@lru_cache(maxsize=16384)  # the candidates of a page share most of their paragraphs
def shingles(text: str) -> Shingles:
    """The overlapping 4-token shingles of a text (lower-cased \\w+ tokens); a text of
    fewer tokens is one shingle."""
    t = _WORD.findall(text.lower())
    if len(t) < 4:
        return frozenset({tuple(t)}) if t else frozenset()
    return frozenset(zip(t, t[1:], t[2:], t[3:], strict=False))


def segment_shingles(segments: list[Segment]) -> Shingles:
    """The shingles of a body: its segments' together."""
    return frozenset().union(*(shingles(s.text) for s in segments))


def containment(a: Shingles, b: Shingles) -> float:
    """Share of a found in b (0 when a is empty)."""
    return len(a & b) / len(a) if a else 0.0


def is_prose(text: str, min_chars: int = PROSE_CHARS) -> bool:
    return len(text) >= min_chars and text.rstrip().endswith(_SENTENCE_END)


def _prose_share(candidate: Candidate) -> float:
    chars = candidate.chars
    prose = sum(len(s.text) for s in candidate.segments if is_prose(s.text, 80))
    return prose / chars if chars else 0.0


def score_candidates(candidates: list[Candidate]) -> None:
    """Score = chars × prose share × (1 − link density) × agreement, each term in [0.5, 1]:
    what the record shows of each candidate, next to the rules that pick the winner."""
    for c in candidates:
        agreement = max(
            (containment(c.shingles, o.shingles) for o in candidates if o is not c), default=0.0
        )
        c.score = round(
            c.chars
            * (0.5 + 0.5 * _prose_share(c))
            * (1 - 0.5 * min(1.0, c.link_density))
            * (0.5 + 0.5 * agreement),
            1,
        )


def _extra_prose(longer: Candidate, shorter: Candidate) -> int:
    """Characters of prose in longer that shorter does not have."""
    return sum(
        len(s.text)
        for s in longer.segments
        if is_prose(s.text)
        and s.link_chars < 0.2 * len(s.text)  # a teaser's headline is a link
        and containment(shingles(s.text), shorter.shingles) < CONFIRMED
    )


def _extends(longer: Candidate, shorter: Candidate) -> bool:
    """shorter is a prefix or summary of longer: contained in it, and longer adds prose."""
    return (
        longer.chars >= 1.3 * shorter.chars
        and containment(shorter.shingles, longer.shingles) >= COVERED
        and _extra_prose(longer, shorter) >= shorter.chars
    )


def choose(candidates: list[Candidate]) -> Choice:
    """The winning body among the candidates (see the module docstring for the rules)."""
    live = [c for c in candidates if c.segments]
    score_candidates(live)
    scores = {c.name: c.score for c in candidates}
    if not live:
        return Choice(None, [], scores)
    live.sort(key=lambda c: TRUST.index(c.name) if c.name in TRUST else len(TRUST))
    winner = live[0]
    segments = winner.segments
    for longer in live[1:]:
        if _extends(longer, winner):
            segments = _without_tail(longer.segments, winner)
            winner = longer
            break
    else:
        if winner.chars < MIN_CHARS:
            longest = max(live, key=lambda c: c.chars)
            if longest.chars >= 2 * winner.chars:
                winner, segments = longest, longest.segments
    others = [c for c in live if c is not winner]
    segments = _with_lead(segments, others)
    for other in others:
        segments = _fill_gaps(segments, other)
    return Choice(winner.name, segments, scores)


def _without_tail(segments: list[Segment], shorter: Candidate) -> list[Segment]:
    """The body up to its last prose or confirmed paragraph: short lines after it that the
    shorter candidate does not have are a list of links under the article."""
    end = len(segments)
    while end and not (
        (not segments[end - 1].heading and is_prose(segments[end - 1].text, GAP_CHARS))
        or containment(shingles(segments[end - 1].text), shorter.shingles) >= CONFIRMED
    ):
        end -= 1
    return segments[:end]


def _fill_gaps(segments: list[Segment], other: Candidate) -> list[Segment]:
    """Prose another candidate has between two paragraphs both share, put in its place: a
    paragraph the winner skipped inside the body (a teaser list sits after it, not inside)."""
    if len(segments) < 2 or not other.segments:
        return segments
    same = {s.text: i for i, s in enumerate(segments)}
    if all(seg.text in same for seg in other.segments):
        return segments  # nothing the winner lacks (the usual case: they agree)
    keys = [shingles(s.text) for s in segments]
    where: list[int | None] = []  # for each of other's segments, the winner's index, if shared
    for seg in other.segments:
        found = same.get(seg.text)
        if found is None:
            own = shingles(seg.text)
            found = next((i for i, k in enumerate(keys) if containment(own, k) >= CONFIRMED), None)
        where.append(found)
    shared = [i for i, w in enumerate(where) if w is not None]
    if len(shared) < 2:
        return segments
    inserts: dict[int, list[Segment]] = {}
    last = None
    for i in range(shared[0], shared[-1] + 1):
        if where[i] is not None:
            last = where[i]
            continue
        seg = other.segments[i]
        if (
            last is not None
            and not seg.heading
            and is_prose(seg.text, GAP_CHARS)
            and (seg.link_chars < 0.2 * len(seg.text))
        ):
            inserts.setdefault(last, []).append(seg)
    if not inserts:
        return segments
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        out.append(seg)
        out.extend(inserts.get(i, []))
    return out


def _with_lead(segments: list[Segment], others: list[Candidate]) -> list[Segment]:
    """The winner with the lead put back: prose another candidate has right before the
    first segment both share (the standfirst in its own container above the body)."""
    if not segments:
        return segments
    first = shingles(segments[0].text)
    have = segment_shingles(segments)
    for other in others:
        for i, seg in enumerate(other.segments):
            if (
                containment(shingles(seg.text), first) >= CONFIRMED
                or containment(first, shingles(seg.text)) >= CONFIRMED
            ):
                lead = [
                    s
                    for s in other.segments[:i]
                    if not s.heading
                    and is_prose(s.text, LEAD_CHARS)
                    and containment(shingles(s.text), have) < CONFIRMED
                ]
                if lead and i - len(lead) <= 1:  # right above the body, not a teaser list
                    return lead + segments
                break
    return segments


# ---------------------------------------------------------------------------- trafilatura

# Precision mode: the other candidates make up for what it leaves out (see choose()).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": False,
}
_BLOCK_OUTPUT = {"p", "head", "list", "quote", "table"}
_TRAFILATURA_TEXT_TAGS = {"p", "quote", "code", "item", "row"}
logging.getLogger("trafilatura").setLevel(logging.ERROR)  # "discarding data" per short page


def trafilatura_segments(
    tree: etree._Element,
    url: str | None,
    prune: list[str],
    fast: bool = False,
    favor_precision: bool = True,
) -> list[Segment]:
    """trafilatura's body of an already-parsed page (it copies the tree, ours stays intact),
    in precision mode without comments, as paragraphs and headings.

    fast skips trafilatura's own second opinion (readability and jusText), which costs
    half of its time."""
    import trafilatura

    try:
        document: Any = trafilatura.bare_extraction(
            tree,
            url=url,
            prune_xpath=prune or None,
            **{**TRAFILATURA_OPTIONS, "fast": fast, "favor_precision": favor_precision},
        )
    except Exception:  # noqa: BLE001 — a candidate that fails is no candidate
        return []
    body = getattr(document, "body", None) if document is not None else None
    if body is None:
        return []
    for lb in body.iter("lb"):  # a line break inside a paragraph reads as a space
        lb.tail = " " + (lb.tail or "")
    segments: list[Segment] = []
    for el in body:
        _collect(el, segments)
    return segments


def _collect(el: etree._Element, out: list[Segment]) -> None:
    """trafilatura's output elements as segments: a heading, a paragraph, a list item, a
    table row (cells joined by " | " unless they hold paragraphs of their own)."""
    from crawler.extract import norm_space

    tag = el.tag
    if tag == "head":
        text = norm_space("".join(el.itertext()))
        if text:
            out.append(Segment(text, heading=True))
    elif tag in ("list", "table") or (tag in ("row", "cell", "div") and _has_blocks(el)):
        for child in el:
            _collect(child, out)
    elif tag in _TRAFILATURA_TEXT_TAGS or tag in ("div", "cell"):
        if tag == "row":
            text = " | ".join(t for t in (norm_space("".join(c.itertext())) for c in el) if t)
        else:
            text = norm_space("".join(el.itertext()))
        if text:
            out.append(Segment(text))


def _has_blocks(el: etree._Element) -> bool:
    return any(d.tag in _BLOCK_OUTPUT for d in el.iterdescendants())
