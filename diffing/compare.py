"""Compare the figures two editions state in one aligned row of paragraphs.

The figures of each side are paired as "the same quantity", then each pair is compared on
its normalised record — value, high, unit, kind — with DeepDiff. Raw text, qualifier and
position are left out of the record on purpose: "427 тисяч" / "427,000", "seven" / "сімома",
"24 лютого 2025" / "February 24, 2025" and "понад 36 тисяч" / "more than 36,000" are the
same record, so formatting and wording never make a divergence.

Pairing, in this order:

1. figures with an identical record pair first (in order of appearance), then figures with
   an equal value where one side is a bare count (a dropped unit is not a divergence), then
   any equal values of comparable kinds (a changed unit is a divergence);
2. the rest pair within the same kind and unit family (percent and percentage points are one
   family) when their values are within a factor of 1.5 of each other, closest ratio first,
   then the nearest position in each side's list;
3. then, within a family, values that look like a typo of each other whatever their ratio:
   the same digits in another order (12% / 21%, 15 / 51, 18:05 / 18:50) or one digit
   replaced (1,3 млн / 1.2 million);
4. last, when a family has exactly one figure left on each side of the row, those two are
   the same quantity stated differently (an aligned row says the same thing).

A pair whose records differ is a "changed" divergence. A figure left without a partner is
"missing" on the other side, but only when it is a count, money, percent or measure — years,
dates and times are often dropped or rephrased by translators ("this year", "on Monday") —
and not when it is a number up to 10 written as words ("two of them", "троє"), which
translations drop or turn into pronouns all the time. Both choices keep alerts for what a
reader would call a different figure.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from deepdiff import DeepDiff

from diffing.figures import Figure

__all__ = ["FigureDifference", "compare_figures", "normalised_record"]

PAIRING_RATIO = 1.5
MISSING_KINDS = frozenset({"count", "money", "percent", "measure", "factor"})
SMALL_WORD_NUMBER = 10
UNIT_DROPPABLE = frozenset({"money", "measure"})
_UNIT_FAMILY = {"pp": "percent"}


@dataclass(frozen=True, slots=True)
class FigureDifference:
    """One divergence between two sides' figures: `changed` (both) or `missing` (one is None).

    `a_index` / `b_index` say which figure of the list given for that side it is, so the
    caller knows the paragraph it came from (a range compared as its two ends keeps the
    index of the range).
    """

    kind: str
    a: Figure | None
    b: Figure | None
    a_index: int | None
    b_index: int | None
    deepdiff: dict = field(default_factory=dict)


def normalised_record(figure: Figure) -> dict:
    """The part of a figure two editions must agree on."""
    return {"value": figure.value, "high": figure.high, "unit": figure.unit, "kind": figure.kind}


def _family(figure: Figure) -> tuple[str, str | None]:
    if figure.kind == "factor":  # "у 3 рази" / "19 times": one edition may count where
        return "count", None  # another multiplies; they still state the same number
    return figure.kind, _UNIT_FAMILY.get(figure.unit, figure.unit)


def _same(a: Figure, b: Figure) -> bool:
    return (
        a.kind == b.kind
        and a.unit == b.unit
        and math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-12)
        and (a.high is None) == (b.high is None)
        and (a.high is None or math.isclose(a.high, b.high, rel_tol=1e-9, abs_tol=1e-12))
    )


def _same_day(a: Figure, b: Figure) -> bool:
    """ "30.09.2025" and "Sept. 30": a date whose year only one edition states is one date."""
    if a.kind != "date" or b.kind != "date" or a.high is not None or b.high is not None:
        return False
    with_year, without = (a, b) if a.value >= 10_000 else (b, a)
    if without.value >= 10_000 or with_year.value < 10_000:
        return False
    return math.isclose(with_year.value % 10_000, without.value)


def _equivalent(a: Figure, b: Figure) -> bool:
    """The same statement: identical records, or an equal value where one side is a bare count.

    A translator who writes "5 million" for "5 млн гривень" or "the 2025 budget" for
    "бюджет на 2025 рік" drops a unit, not a figure: such pairs are matched and not reported.
    """
    if _same(a, b) or _same_day(a, b):
        return True
    if not (a.kind == "count" and a.unit is None) and not (b.kind == "count" and b.unit is None):
        return False
    return (
        math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-12)
        and (a.high is None) == (b.high is None)
        and (a.high is None or math.isclose(a.high, b.high, rel_tol=1e-9, abs_tol=1e-12))
    )


def _equal_value(a: Figure, b: Figure) -> bool:
    """Equal numbers of comparable kinds: "5 млн гривень" vs "5 million euros" is one figure
    whose unit changed. Dates, times and years only pair with their own kind."""
    comparable = a.kind == b.kind or (a.kind in MISSING_KINDS and b.kind in MISSING_KINDS)
    return comparable and math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-12)


def _ratio(a: float, b: float) -> float:
    """How far apart two values are, as a factor (1.0 when equal, inf when incomparable)."""
    if a == b:
        return 1.0
    if a <= 0 or b <= 0:
        return math.inf
    return max(a, b) / min(a, b)


def _worth_reporting_missing(figure: Figure) -> bool:
    if figure.kind not in MISSING_KINDS:
        return False
    written_as_words = not any(char.isdigit() for char in figure.raw)
    return not (written_as_words and figure.value <= SMALL_WORD_NUMBER)


def _json_safe(diff: DeepDiff) -> dict:
    return json.loads(diff.to_json())


def _pair(a: list[Figure], b: list[Figure]) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """Pairs of indices (a, b) plus the unpaired indices of each side."""
    free_a = set(range(len(a)))
    free_b = set(range(len(b)))
    pairs: list[tuple[int, int]] = []
    for matches in (_same, _equivalent, _equal_value):  # most alike first
        for i in sorted(free_a):
            for j in sorted(free_b):
                if matches(a[i], b[j]):
                    pairs.append((i, j))
                    free_a.discard(i)
                    free_b.discard(j)
                    break

    candidates = []
    for i in free_a:
        for j in free_b:
            if _family(a[i]) != _family(b[j]):
                continue
            ratio = _ratio(a[i].value, b[j].value)
            if ratio <= PAIRING_RATIO:
                candidates.append((ratio, abs(i - j), i, j))
    for _, _, i, j in sorted(candidates):
        if i in free_a and j in free_b:
            pairs.append((i, j))
            free_a.discard(i)
            free_b.discard(j)
    pairs += _pair_leftovers(a, b, free_a, free_b)
    pairs.sort()
    return pairs, free_a, free_b


def _digits(value: float) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", "").replace("-", "").lstrip("0") or "0"


def _compatible(a: Figure, b: Figure) -> bool:
    """Same kind and unit family, or a bare count against a sum or a measure (an edition
    that drops the unit: "178,000" against "187 тис. т", "5 million" against "5 млн грн")."""
    if _family(a) == _family(b):
        return True
    bare_a = a.kind == "count" and a.unit is None
    bare_b = b.kind == "count" and b.unit is None
    return (bare_a and b.kind in UNIT_DROPPABLE) or (bare_b and a.kind in UNIT_DROPPABLE)


def _typo_like(a: Figure, b: Figure) -> bool:
    """Transposed or mistyped digits: the usual way a figure goes wrong in translation."""
    da, db = _digits(a.value), _digits(b.value)
    if len(da) != len(db) or len(da) < 2:
        return False
    if sorted(da) == sorted(db):
        return True
    return sum(x != y for x, y in zip(da, db, strict=True)) == 1


def _pair_leftovers(
    a: list[Figure], b: list[Figure], free_a: set[int], free_b: set[int]
) -> list[tuple[int, int]]:
    pairs = []
    for i in sorted(free_a):
        for j in sorted(free_b):
            if _compatible(a[i], b[j]) and _typo_like(a[i], b[j]):
                pairs.append((i, j))
                free_a.discard(i)
                free_b.discard(j)
                break
    families_a: dict[tuple[str, str | None], list[int]] = {}
    families_b: dict[tuple[str, str | None], list[int]] = {}
    for i in free_a:
        families_a.setdefault(_family(a[i]), []).append(i)
    for j in free_b:
        families_b.setdefault(_family(b[j]), []).append(j)
    for family, left_a in families_a.items():
        left_b = families_b.get(family, [])
        if len(left_a) == 1 and len(left_b) == 1:
            pairs.append((left_a[0], left_b[0]))
            free_a.discard(left_a[0])
            free_b.discard(left_b[0])
    return pairs


def _ends(figure: Figure) -> list[Figure]:
    """A range as its two ends, each a figure of its own."""
    low = Figure(
        figure.raw,
        figure.value,
        None,
        figure.unit,
        figure.qualifier,
        figure.kind,
        figure.start,
        figure.end,
    )
    high = Figure(
        figure.raw, figure.high, None, figure.unit, None, figure.kind, figure.start, figure.end
    )
    return [low, high]


def _split_unmatched_ranges(
    figures: list[Figure], other: list[Figure]
) -> tuple[list[Figure], list[int]]:
    """ "з 2,9 до 3,4 млрд" read as a range on one side and as two values on the other
    states the same two numbers: compare them as two values. Returns the figures to compare
    and, for each, the index of the figure it came from."""
    if not any(f.high is not None for f in figures):
        return figures, list(range(len(figures)))
    out: list[Figure] = []
    origins: list[int] = []
    for index, figure in enumerate(figures):
        if figure.high is None or figure.kind in ("year", "date", "time"):
            out.append(figure)
            origins.append(index)
            continue
        ranged_twin = any(g.high is not None and math.isclose(g.value, figure.value) for g in other)
        singles = [g for g in other if g.high is None]
        ends_stated = any(
            math.isclose(g.value, end) for g in singles for end in (figure.value, figure.high)
        )
        parts = _ends(figure) if ends_stated and not ranged_twin else [figure]
        out.extend(parts)
        origins.extend([index] * len(parts))
    return out, origins


def _divergence(
    kind: str, a: Figure | None, b: Figure | None, a_index: int | None, b_index: int | None
) -> FigureDifference:
    record_a = normalised_record(a) if a is not None else {}
    record_b = normalised_record(b) if b is not None else {}
    deepdiff = _json_safe(DeepDiff(record_a, record_b, ignore_numeric_type_changes=True))
    return FigureDifference(kind, a, b, a_index, b_index, deepdiff)


def compare_figures(a: list[Figure], b: list[Figure]) -> list[FigureDifference]:
    """The divergences between two editions' figures of one aligned row, in reading order.

    Each is a `FigureDifference`: kind "changed" or "missing" (the absent side None), with
    a JSON-safe DeepDiff of the normalised records ({} for the absent side).
    """
    (a, origin_a), (b, origin_b) = _split_unmatched_ranges(a, b), _split_unmatched_ranges(b, a)
    pairs, free_a, free_b = _pair(a, b)
    found: list[tuple[float, float, FigureDifference]] = []
    for i, j in pairs:
        if not _equivalent(a[i], b[j]):
            divergence = _divergence("changed", a[i], b[j], origin_a[i], origin_b[j])
            found.append((a[i].start, b[j].start, divergence))
    for i in free_a:
        if _worth_reporting_missing(a[i]):
            divergence = _divergence("missing", a[i], None, origin_a[i], None)
            found.append((a[i].start, -1, divergence))
    for j in free_b:
        if _worth_reporting_missing(b[j]):
            divergence = _divergence("missing", None, b[j], None, origin_b[j])
            found.append((math.inf, b[j].start, divergence))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [divergence for _, _, divergence in found]
