"""Cross-language paragraph alignment of the editions of one article (uk/en/ru, pl...).

The editions are seldom exact translations: the English is often shorter and rewritten, and
any edition may carry a paragraph the others lack. So the aligner trusts what survives
translation — figures, names transliterated between scripts, loanwords, shared uk-ru stems,
common news words through a small bilingual lexicon (diffing.lexicon) and relative length —
and combines them in a band-limited dynamic programme with 1-1, 1-0, 0-1, 2-1, 1-2, 2-2,
3-1 and 1-3 beads (an edition that folds three paragraphs into one). The Cyrillic editions
(the close pair uk-ru) are aligned first; their rows form the pivot that every other edition
is aligned against, so English and Polish meet both Cyrillic spellings of every name.

A figure one edition misstates (swapped digits, млн for млрд) still counts, more weakly, as a
figure both state: the paragraph holding the wrong figure must stay in its row, or the
divergence would be reported as a figure missing rather than changed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from diffing import langs as registry
from diffing.langs import language_order
from diffing.lexicon import concept_of
from diffing.textsig import (
    cyrillic_stem,
    is_cyrillic,
    name_keys,
    opens_sentence,
    skeleton_key,
    words_with_gaps,
)

LANG_ORDER = registry.LANGUAGES  # the registry's order: uk, en, ru, pl
CYRILLIC_LANGS = tuple(
    code for code, rules in registry.REGISTRY.items() if rules.script == "Cyrillic"
)

# Weights of the kinds of evidence (multiplied by the in-article IDF of each key).
FIGURE_WEIGHT = 3.0
# A figure the other side states with a slip (digits swapped or one replaced, млн for млрд)
# is still the same quantity, but the likeness could be chance: weaker than an equal figure.
SLIP_WEIGHT = 2.0
NAME_WEIGHT = 2.0
COGNATE_WEIGHT = 0.7
STEM_WEIGHT = 1.0
LEXICON_WEIGHT = 0.8
# Shared keys that are content, not just a name: figures, lexicon concepts, uk-ru stems. A
# slip alone is not: two paragraphs that share nothing but look-alike digits are unrelated.
CONTENT_KEY_TYPES = frozenset("fls")
# Which figures can be a slip of each other: quantities, and percentages among themselves.
# Years, dates and times are left out: they are dropped and rephrased, not mistyped.
_SLIP_FAMILY = {"count": "q", "money": "q", "measure": "q", "factor": "q", "percent": "p"}
# Digits it takes for a likeness to be more than chance: two digits alike (12 and 21) are
# common, so only a sum or a measure in the same unit may be that short.
SLIP_MIN_DIGITS = 3
SLIP_MIN_DIGITS_SAME_UNIT = 2

MATCH_THRESHOLD = 0.3  # a bead must beat this quality per paragraph to be preferred to a skip
# Merges need real extra evidence; 2-2 (two editions cutting one passage at different
# sentences) is much rarer than a 2-1 merge (Gale-Church priors say about eight times).
MERGE_PENALTY = {(1, 1): 0.0, (2, 1): 0.1, (1, 2): 0.1, (2, 2): 0.4, (3, 1): 0.3, (1, 3): 0.3}
OMISSION_COST = 0.2  # prior against a paragraph having no counterpart (editions mostly agree)
FREE_RIDER_MARGIN = 0.02  # shared weight (in mean paragraph weights) each merged member needs
SPLIT_QUALITY = 0.5  # a merged member matching the other side less than this may be split out
LENGTH_WEIGHT = 0.2  # how much a plausible length ratio alone argues for a match
LENGTH_VARIANCE = 25.0  # Gale-Church s^2, wider than for literal translations
WEAK_SCORE = 0.4
# 3-1 and 1-3: an edition that folds three paragraphs into one (tried last, so that on a
# tie the smaller merges win)
BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))


@dataclass
class Row:
    """One aligned row: for each language the paragraph indices that say the same thing."""

    members: dict[str, list[int]]
    score: float
    weak: bool


@dataclass(frozen=True)
class ParagraphSignals:
    """What one paragraph offers to the aligner, computed once per paragraph."""

    length: int
    figures: tuple[str, ...]  # with repeats: a number stated twice must be matched twice
    names: frozenset[str]
    cognates: frozenset[str]
    stems: frozenset[str]
    concepts: frozenset[str] = frozenset()
    # (figure key, its slip keys) for each figure that a slip of another could be
    slips: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def words(self) -> frozenset[str]:
        """Word keys that meet across scripts."""
        return self.names | self.cognates | self.concepts

    @property
    def anchors(self) -> frozenset[str]:
        """The hard evidence: figures and names."""
        return frozenset(self.figures) | self.names


def figure_keys(figures: Sequence[object]) -> tuple[str, ...]:
    """Normalised values of figures (objects with .value/.high), the same in every language."""
    keys = []
    for figure in figures:
        value = getattr(figure, "value", None)
        if value is None:
            continue
        keys.append("f:" + format(float(value), ".6g"))
        high = getattr(figure, "high", None)
        if high is not None:
            keys.append("f:" + format(float(high), ".6g"))
    return tuple(keys)


@lru_cache(maxsize=1 << 14)
def figure_slip_keys(value: float, kind: str, unit: str | None) -> frozenset[str]:
    """Keys that a figure shares with the figures that look like a slip of it.

    These are the slips the comparison reports as a changed figure (diffing.compare): the
    same significant digits in another order or at another scale by thousands (187,5 /
    178,5 млн, 427 / 472 тисячі, 1,2 млрд / 1,2 млн) share an order-free key; one digit
    replaced (19,4% / 19,7%) shares the key of its digits with that position blank.
    Quantities (counts, sums and measures) meet whatever their unit once they have
    SLIP_MIN_DIGITS significant digits; a shorter sum or measure only meets the same unit.
    An equal figure shares these keys too; the aligner counts them only for figures the other
    side does not state exactly.
    """
    family = _SLIP_FAMILY.get(kind)
    if family is None or not math.isfinite(value) or value <= 0:
        return frozenset()
    mantissa, exponent_text = format(value, ".5e").split("e")  # six digits, as figure keys
    significant = mantissa.replace(".", "").rstrip("0")
    exponent = int(exponent_text)
    if len(significant) < SLIP_MIN_DIGITS:
        if (
            kind not in ("money", "measure")
            or not unit
            or len(significant) < SLIP_MIN_DIGITS_SAME_UNIT
        ):
            return frozenset()
        family = "u" + unit
    prefix = "t:" + family + ":"
    # zeros inside the digits follow the scale, not the order: 2 045 and 2 450 are alike
    keys = {f"{prefix}{''.join(sorted(significant.replace('0', '')))}~{exponent % 3}"}
    for position in range(len(significant)):
        blanked = significant[:position] + "?" + significant[position + 1 :]
        keys.add(f"{prefix}{blanked}e{exponent}")
    return frozenset(keys)


def _figure_slips(figures: Sequence[object]) -> tuple[tuple[str, frozenset[str]], ...]:
    """(figure key, slip keys) for every figure value (a range's ends each) that has some."""
    slips = []
    for figure in figures:
        kind = getattr(figure, "kind", None)
        unit = getattr(figure, "unit", None)
        for value in (getattr(figure, "value", None), getattr(figure, "high", None)):
            if value is None or kind is None:
                continue
            keys = figure_slip_keys(float(value), kind, unit)
            if keys:
                slips.append(("f:" + format(float(value), ".6g"), keys))
    return tuple(slips)


def paragraph_signals(
    text: str, lang: str, figures: Sequence[object] | None = None
) -> ParagraphSignals:
    """Signals of one paragraph; pass figures already extracted to avoid doing it twice."""
    if figures is None:
        figures = _extract_figures(text, lang)
    words = words_with_gaps(text)
    keys = [_word_keys(word, lang) for _, word in words]
    names: set[str] = set()
    for index, (gap, _) in enumerate(words):
        _, word_names, always_a_name, _, _ = keys[index]
        # whether a capital opens a sentence matters only for short words, so ask only then
        if word_names and (always_a_name or not opens_sentence(index, gap)):
            names.update(word_names)
    cognates = {key[3] for key in keys if key[3] is not None}
    stems = {key[4] for key in keys if key[4] is not None}
    concepts = {key[0] for key in keys if key[0] is not None}
    return ParagraphSignals(
        length=len(text),
        figures=figure_keys(figures),
        names=frozenset(names),
        cognates=frozenset(cognates),
        stems=frozenset(stems),
        concepts=frozenset(concepts),
        slips=_figure_slips(figures),
    )


@lru_cache(maxsize=1 << 17)
def _word_keys(
    word: str, lang: str
) -> tuple[str | None, tuple[str, ...], bool, str | None, str | None]:
    """What one word contributes, worked out once per word rather than per occurrence.

    (lexicon concept, name keys if capitalised, whether those count even at a sentence start
    — acronyms and long words —, cognate skeleton, uk-ru stem); absent keys are None.
    """
    concept = concept_of(word, lang)
    word_names: tuple[str, ...] = ()
    if word[0].isupper():
        word_names = tuple("n:" + key for key in name_keys(word, lang))
    acronym = len(word) >= 2 and word.isupper()
    cognate = None
    if len(word) >= 5:
        skeleton = skeleton_key(word.lower(), lang)
        if len(skeleton) >= 3:
            cognate = "c:" + skeleton[:4]
    stem = "s:" + cyrillic_stem(word) if len(word) >= 3 and is_cyrillic(word) else None
    return (
        None if concept is None else "l:" + concept,
        word_names,
        acronym or len(word) >= 5,
        cognate,
        stem,
    )


def _extract_figures(text: str, lang: str) -> list[object]:
    from diffing.figures import extract_figures

    return list(extract_figures(text, lang))


@dataclass
class _Unit:
    """A paragraph, or a pivot row of several paragraphs, as one item of a sequence."""

    members: dict[str, list[int]]
    cross: frozenset[str]
    close: frozenset[str]
    anchors: frozenset[str]
    figures: tuple[str, ...]
    length: float
    scores: list[float] = field(default_factory=list)
    # figure key -> the keys of its slips (figure_slip_keys), for the figures that have some
    slips: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class _Bead:
    a: list[int]
    b: list[int]
    score: float


_TYPE_WEIGHT = {
    "f": FIGURE_WEIGHT,
    "n": NAME_WEIGHT,
    "c": COGNATE_WEIGHT,
    "s": STEM_WEIGHT,
    "l": LEXICON_WEIGHT,
    "t": SLIP_WEIGHT,
}


class _KeyWeights(dict[str, float]):
    """IDF of each key within the article: a key in every paragraph tells nothing.

    A repeated figure (`f:3#2`) weighs what its first occurrence does; it gets its entry
    when first asked for.
    """

    def __missing__(self, key: str) -> float:
        base = key.split("#", 1)[0]
        if base == key:
            raise KeyError(key)  # not a key of these units (or a stem when stems are off)
        weight = self[base] if base in self else 0.0
        self[key] = weight
        return weight


def _weights(units: Sequence[_Unit], use_stems: bool = True) -> _KeyWeights:
    """The in-article IDF weights of the keys of these units; stems only when used.

    Every key counts in the document frequencies, whether weighed or not.
    """
    document_frequency: Counter[str] = Counter()
    for unit in units:
        document_frequency.update(unit.close)  # words and stems never start with "f:"
        document_frequency.update(set(unit.figures))
        if unit.slips:
            slips = unit.slips.values()
            document_frequency.update(
                frozenset().union(*slips) if len(slips) > 1 else next(iter(slips))
            )
    total = max(len(units), 1)
    log = math.log
    return _KeyWeights(
        (key, _TYPE_WEIGHT[key[0]] * log(1.0 + total / count))
        for key, count in document_frequency.items()
        if use_stems or key[0] != "s"
    )


def _length_probability(length_a: float, length_b: float) -> float:
    """Gale-Church: how plausible two lengths are for one content (b already rescaled)."""
    mean = max((length_a + length_b) / 2.0, 1.0)
    delta = abs(length_b - length_a) / math.sqrt(LENGTH_VARIANCE * mean)
    return math.erfc(delta / math.sqrt(2.0))


_SQRT2 = math.sqrt(2.0)
_LENGTH_SLOPE = 2 * LENGTH_WEIGHT
# Head-room on the bound of a gain (_gain_bound): its shared weight is summed in another
# order, which may round differently, and the bound itself keeps a margin on top.
_BOUND_SLACK = 1.0 + 1e-9
_BOUND_MARGIN = 1e-9

# A group of consecutive units: its keys (figures numbered by repeat), their weight, its length.
_Group = tuple[frozenset[str], float, float]
# The same group's figure keys (without repeats) and slip keys by figure key.
_SlipGroup = tuple[frozenset[str], dict[str, frozenset[str]]]


class _PairAligner:
    """Dynamic-programme alignment of two unit sequences.

    The beads only ever group one or two units, and the band asks about every such group a
    dozen times, so those groups are built once up front and every pair's result is cached.
    Most beads of the band pair paragraphs that share little; a cheap upper bound of their
    gain (see _gain_bound) shows they cannot beat simply skipping, and they are never
    evaluated in full. The result is the same as evaluating every bead.
    """

    PRUNE = True  # False evaluates every bead of the band (what the tests compare against)

    def __init__(self, a: list[_Unit], b: list[_Unit], use_stems: bool) -> None:
        self.a = a
        self.b = b
        self.use_stems = use_stems
        self.weights = _weights(a + b, use_stems)
        self._key_weight = self.weights.__getitem__
        total_a = sum(unit.length for unit in a) or 1.0
        total_b = sum(unit.length for unit in b) or 1.0
        self.length_ratio = total_b / total_a
        self._groups: dict[tuple[str, int, int], _Group] = {}  # larger groups, if ever asked
        self._shared: dict[tuple[int, int, int, int], tuple[frozenset[str], float]] = {}
        self._slip_weights: dict[tuple[int, int, int, int], float] = {}  # their part in slips
        self._group_figures: dict[tuple[str, int, int], frozenset[str]] = {}
        self._quality: dict[tuple[int, int, int, int], tuple[float, float]] = {}
        # [count][start] for count 1 and 2 (index 0 unused)
        self._a_groups = self._build_groups("a")
        self._b_groups = self._build_groups("b")
        # the same for slips, (figure keys stated, slip keys by figure key): single units up
        # front, larger groups when asked
        self._a_slips = [(frozenset(unit.figures), unit.slips) for unit in a]
        self._b_slips = [(frozenset(unit.figures), unit.slips) for unit in b]
        self._slip_groups: dict[tuple[str, int, int], _SlipGroup] = {}
        # which units state a name (hard evidence, like figures)
        self._named_a = [any(key[0] == "n" for key in unit.anchors) for unit in a]
        self._named_b = [any(key[0] == "n" for key in unit.anchors) for unit in b]
        # shared weight of single units a[x] and b[y] at x * len(b) + y, filled on demand
        self._single_shared: list[float | None] = [None] * (len(a) * len(b))
        unit_weights = [group[1] for group in self._a_groups[1]] + [
            group[1] for group in self._b_groups[1]
        ]
        self.mean_weight = max(sum(unit_weights) / max(len(unit_weights), 1), 1e-6)
        self.reference = 1.0
        self.reference = self._reference_similarity()
        # the parts of _loose_gain_bound that do not depend on what two groups share
        self._content_scale = 2.0 * _BOUND_SLACK / (self.mean_weight * self.reference)
        self._mass_costs_a = self._mass_costs(self._a_groups)
        self._mass_costs_b = self._mass_costs(self._b_groups)
        self._best_length_terms = {
            bead: _LENGTH_SLOPE * 0.5 - penalty + _BOUND_MARGIN
            for bead, penalty in MERGE_PENALTY.items()
        }

    def _mass_costs(self, groups: list[list[_Group]]) -> list[list[float]]:
        """What a group's mass costs a match that shares nothing, by [count][start]."""
        return [
            [MATCH_THRESHOLD * weight / self.mean_weight for _, weight, _ in by_start]
            for by_start in groups
        ]

    def _build_groups(self, side: str) -> list[list[_Group]]:
        count = len(self.a if side == "a" else self.b)
        singles = [self._compute_group(side, start, 1) for start in range(count)]
        pairs = [self._compute_group(side, start, 2) for start in range(count - 1)]
        triples = [self._compute_group(side, start, 3) for start in range(count - 2)]
        return [[], singles, pairs, triples]

    def _compute_group(self, side: str, start: int, count: int) -> _Group:
        units = (self.a if side == "a" else self.b)[start : start + count]
        keys: frozenset[str] = frozenset()
        for unit in units:
            keys = keys | (unit.close if self.use_stems else unit.cross)
        numbered = _numbered_figures(units)
        if numbered:
            keys = keys | frozenset(numbered)
        length = sum(unit.length for unit in units)
        if side == "b":
            length /= self.length_ratio
        weight = sum(map(self._key_weight, keys))
        return keys, weight, length

    def _slip_group(self, side: str, start: int, count: int) -> _SlipGroup:
        if count == 1:
            return (self._a_slips if side == "a" else self._b_slips)[start]
        cache_key = (side, start, count)
        cached = self._slip_groups.get(cache_key)
        if cached is None:
            singles = (self._a_slips if side == "a" else self._b_slips)[start : start + count]
            figures = frozenset().union(*(single[0] for single in singles))
            slips = _slips_by_figure(entry for single in singles for entry in single[1].items())
            cached = self._slip_groups[cache_key] = (figures, slips)
        return cached

    def _slips_shared(self, i: int, ka: int, j: int, kb: int) -> frozenset[str]:
        """Slip keys of a[i:i+ka] and b[j:j+kb]: figures one side states with a slip."""
        if not _any_slips(self._a_slips, i, ka) or not _any_slips(self._b_slips, j, kb):
            return frozenset()
        figures_a, slips_a = self._slip_group("a", i, ka)
        figures_b, slips_b = self._slip_group("b", j, kb)
        return _shared_slips(slips_a, figures_a, slips_b, figures_b)

    def _group(self, side: str, start: int, count: int) -> _Group:
        groups = self._a_groups if side == "a" else self._b_groups
        if count <= 3 and start < len(groups[count]):
            return groups[count][start]
        cache_key = (side, start, count)
        cached = self._groups.get(cache_key)
        if cached is None:
            cached = self._groups[cache_key] = self._compute_group(side, start, count)
        return cached

    def _shared_keys(self, i: int, ka: int, j: int, kb: int) -> tuple[frozenset[str], float]:
        cache_key = (i, ka, j, kb)
        cached = self._shared.get(cache_key)
        if cached is None:
            shared = self._group("a", i, ka)[0] & self._group("b", j, kb)[0]
            weight = sum(map(self._key_weight, shared))
            slips = self._slips_shared(i, ka, j, kb)
            if slips:
                shared = shared | slips
                slip_weight = self._slip_weights[cache_key] = sum(map(self._key_weight, slips))
                weight += slip_weight
            cached = self._shared[cache_key] = (shared, weight)
        return cached

    def _weight_without_slips(self, i: int, ka: int, j: int, kb: int) -> float:
        """The shared weight of a[i:i+ka] and b[j:j+kb] on everything but slips."""
        weight = self._shared_keys(i, ka, j, kb)[1]
        return weight - self._slip_weights.get((i, ka, j, kb), 0.0)

    def _shared_weight(self, i: int, ka: int, j: int, kb: int) -> float:
        return self._shared_keys(i, ka, j, kb)[1]

    def _single_shared_weight(self, x: int, y: int) -> float:
        index = x * len(self.b) + y
        weight = self._single_shared[index]
        if weight is None:
            shared = self._a_groups[1][x][0] & self._b_groups[1][y][0]
            weight = sum(map(self._key_weight, shared))
            figures_a, slips_a = self._a_slips[x]
            if slips_a:
                figures_b, slips_b = self._b_slips[y]
                slips = _shared_slips(slips_a, figures_a, slips_b, figures_b)
                if slips:
                    shared = shared | slips
                    slip_weight = sum(map(self._key_weight, slips))
                    self._slip_weights[(x, 1, y, 1)] = slip_weight
                    weight += slip_weight
            self._shared[(x, 1, y, 1)] = (shared, weight)
            self._single_shared[index] = weight
        return weight

    def _figures_of_group(self, side: str, start: int, count: int) -> frozenset[str]:
        cache_key = (side, start, count)
        cached = self._group_figures.get(cache_key)
        if cached is None:
            units = (self.a if side == "a" else self.b)[start : start + count]
            cached = self._group_figures[cache_key] = frozenset(_numbered_figures(units))
        return cached

    def _margin(self) -> float:
        """The least shared weight that counts as evidence (a fraction of a paragraph's)."""
        return FREE_RIDER_MARGIN * self.mean_weight

    def _has_free_rider(self, i: int, ka: int, j: int, kb: int) -> bool:
        """True when some member of a merge adds no shared evidence of its own.

        Without this, a paragraph with nothing in common with the other side could ride
        along in a merge more cheaply than standing alone as an omission. What counts is
        what the member adds beyond its sibling: a quote that only repeats the name its
        neighbour already matched on brings no evidence that it belongs to the merge, nor
        does a figure that merely looks like one of the other side's (a slip is evidence
        only about paragraphs that otherwise say the same thing).
        """
        if ka == 3 or kb == 3:
            return self._triple_has_free_rider(i, ka, j, kb)
        margin = self._margin()
        shared_weight = self._weight_without_slips
        merged = shared_weight(i, ka, j, kb)
        # the merge without each member in turn
        if ka == 2 and (
            merged - shared_weight(i + 1, 1, j, kb) <= margin
            or merged - shared_weight(i, 1, j, kb) <= margin
        ):
            return True
        if kb == 2 and (
            merged - shared_weight(i, ka, j + 1, 1) <= margin
            or merged - shared_weight(i, ka, j, 1) <= margin
        ):
            return True
        accounted = self._figures_accounted_without
        if ka == 2 and (
            accounted("a", i, i + 1, ("b", j, kb)) or accounted("a", i + 1, i, ("b", j, kb))
        ):
            return True
        return kb == 2 and (
            accounted("b", j, j + 1, ("a", i, ka)) or accounted("b", j + 1, j, ("a", i, ka))
        )

    def _triple_has_free_rider(self, i: int, ka: int, j: int, kb: int) -> bool:
        """The free-rider test of a 3-1 merge: each of the three must add evidence of its own.

        The end members must add to the pair they leave; the middle one, whose removal
        leaves no contiguous group, must share enough with the other side on its own. Any
        member whose figures its siblings already account for rides free, as in a 2-1.
        """
        margin = self._margin()
        shared_weight = self._weight_without_slips
        merged = shared_weight(i, ka, j, kb)
        side, start, other = ("a", i, ("b", j, kb)) if ka == 3 else ("b", j, ("a", i, ka))
        if ka == 3:
            ends = (shared_weight(i + 1, 2, j, kb), shared_weight(i, 2, j, kb))
            middle = shared_weight(i + 1, 1, j, kb)
        else:
            ends = (shared_weight(i, ka, j + 1, 2), shared_weight(i, ka, j, 2))
            middle = shared_weight(i, ka, j + 1, 1)
        if any(merged - without <= margin for without in ends) or middle <= margin:
            return True
        members = (start, start + 1, start + 2)
        for member in members:
            siblings = [k for k in members if k != member]
            member_figures = self._figures_of_group(side, member, 1)
            other_figures = self._figures_of_group(*other)
            if not member_figures or member_figures & other_figures:
                continue
            if side == "a":
                slips = self._slips_shared(member, 1, other[1], other[2])
            else:
                slips = self._slips_shared(other[1], other[2], member, 1)
            sibling_figures = frozenset().union(
                *(self._figures_of_group(side, k, 1) for k in siblings)
            )
            if not slips and other_figures <= sibling_figures:
                return True
        return False

    def _figures_accounted_without(
        self, side: str, member: int, sibling: int, other: tuple[str, int, int]
    ) -> bool:
        """True when a merge member states figures, none found on the other side, whose
        figures its sibling already accounts for: the member is not what the other says."""
        member_figures = self._figures_of_group(side, member, 1)
        if not member_figures:
            return False
        other_figures = self._figures_of_group(*other)
        if member_figures & other_figures:
            return False
        _, other_start, other_count = other
        slips = (
            self._slips_shared(member, 1, other_start, other_count)
            if side == "a"
            else self._slips_shared(other_start, other_count, member, 1)
        )
        if slips:
            return False  # the other side states one of its figures with a slip
        return other_figures <= self._figures_of_group(side, sibling, 1)

    def _crossing_weight(self, i: int, j: int) -> float:
        """Evidence that a 2-2 passage is cut at different places in the two sequences.

        Two editions that cut one passage differently share content across the diagonal:
        a[i] with b[j+1] (or a[i+1] with b[j]) on keys that neither diagonal partner has.
        Without such keys the passage is two one-to-one pairs, however much the merged
        pair looks like one good match.
        """
        singles_a, singles_b = self._a_groups[1], self._b_groups[1]
        keys_a = (singles_a[i][0], singles_a[i + 1][0])
        keys_b = (singles_b[j][0], singles_b[j + 1][0])
        best = 0.0
        for first, second in ((0, 1), (1, 0)):
            crossing = (keys_a[first] & keys_b[second]) - keys_a[second] - keys_b[first]
            best = max(best, sum(map(self._key_weight, crossing)))
        return best

    def _contradicted(self, i: int, ka: int, j: int, kb: int) -> bool:
        """True when the two sides' hard evidence disagrees and no content word meets.

        Both state figures and none agree, or both state names or figures and none agree,
        and they share no figure, lexicon concept or stem: a name in common is often just the
        place the article is about (a recap of an earlier strike against an en-only note on
        the city). Pairing such paragraphs would report their figures as divergences, so
        they are better left as omissions; paragraphs with no hard evidence on one side
        may still pair by position.
        """
        shared_kinds = {key[0] for key in self._shared_keys(i, ka, j, kb)[0]}
        if not CONTENT_KEY_TYPES.isdisjoint(shared_kinds):
            return False
        figures_a = bool(self._figures_of_group("a", i, ka))
        figures_b = bool(self._figures_of_group("b", j, kb))
        if figures_a and figures_b:
            return True
        if "n" in shared_kinds:
            return False
        hard_a = figures_a or any(self._named_a[i : i + ka])
        return hard_a and (figures_b or any(self._named_b[j : j + kb]))

    def _reference_similarity(self) -> float:
        """The similarity a true match typically reaches in this article (for calibration)."""
        n, m = len(self.a), len(self.b)
        singles_a, singles_b = self._a_groups[1], self._b_groups[1]
        bests = []
        for i in range(n):
            best = 0.0
            weight_a = singles_a[i][1]
            for j in self._band(i, n, m):
                if j < m:
                    total = weight_a + singles_b[j][1]
                    dice = 2.0 * self._single_shared_weight(i, j) / total if total else 0.0
                    best = max(best, dice)
            if best > 0:
                bests.append(best)
        if not bests:
            return 1.0
        bests.sort()
        return max(bests[int(0.7 * (len(bests) - 1))], 0.05)

    def quality(self, i: int, ka: int, j: int, kb: int) -> float:
        """How well a[i:i+ka] and b[j:j+kb] say the same thing (about 1 for a typical match)."""
        return self._evaluate(i, ka, j, kb)[0]

    def gain(self, i: int, ka: int, j: int, kb: int) -> float:
        """What a match bead adds to the alignment: evidence beyond the threshold, by mass.

        Content counts by its weight, not by paragraph count, so absorbing a paragraph whose
        content the other side lacks costs in proportion to what it brings in.
        """
        return self._evaluate(i, ka, j, kb)[1]

    def _evaluate(self, i: int, ka: int, j: int, kb: int) -> tuple[float, float]:
        cache_key = (i, ka, j, kb)
        cached = self._quality.get(cache_key)
        if cached is not None:
            return cached
        _, weight_a, length_a = self._group("a", i, ka)
        _, weight_b, length_b = self._group("b", j, kb)
        shared_weight = self._shared_weight(i, ka, j, kb)
        total = weight_a + weight_b
        dice = 2.0 * shared_weight / total if total else 0.0
        length_probability = _length_probability(length_a, length_b)
        mass = total / self.mean_weight
        if weight_a > 0 and weight_b > 0:
            content = dice / self.reference
            quality = 0.75 * content + 0.25 * length_probability * min(1.0, 2 * content + 0.3)
            gain = mass * (content - MATCH_THRESHOLD)
        else:
            quality = 0.45 * length_probability
            gain = -mass * MATCH_THRESHOLD
        gain += _LENGTH_SLOPE * (length_probability - 0.5) - MERGE_PENALTY[(ka, kb)]
        if gain <= -(ka + kb) * OMISSION_COST:
            pass  # leaving every member out is at least as good: no need for the guards
        elif self._contradicted(i, ka, j, kb):
            gain = float("-inf")  # pairing them would report their figures as divergences
        elif ka == 2 and kb == 2 and self._crossing_weight(i, j) <= self._margin():
            gain = float("-inf")  # (tested before the free rider only because it is cheaper)
        elif (ka >= 2 or kb >= 2) and self._has_free_rider(i, ka, j, kb):
            gain = float("-inf")
        result = (quality, gain)
        self._quality[cache_key] = result
        return result

    def _shared_bound(self, i: int, ka: int, j: int, kb: int) -> float:
        """At least the shared weight of a[i:i+ka] and b[j:j+kb]: their members' sum.

        Every word two groups share is shared by some pair of their members, and a figure
        the groups share k times (f:3, f:3#2, ...) is shared at least k times by those pairs
        together.
        """
        singles, m = self._single_shared, len(self.b)
        if ka == 3 or kb == 3:
            total = 0.0
            for x in range(i, i + ka):
                for y in range(j, j + kb):
                    single = singles[x * m + y]
                    total += self._single_shared_weight(x, y) if single is None else single
            return total
        shared = singles[i * m + j]
        if shared is None:
            shared = self._single_shared_weight(i, j)
        if ka == 2:
            below = singles[(i + 1) * m + j]
            if below is None:
                below = self._single_shared_weight(i + 1, j)
            shared += below
        if kb == 2:
            right = singles[i * m + j + 1]
            if right is None:
                right = self._single_shared_weight(i, j + 1)
            shared += right
            if ka == 2:
                diagonal = singles[(i + 1) * m + j + 1]
                if diagonal is None:
                    diagonal = self._single_shared_weight(i + 1, j + 1)
                shared += diagonal
        return shared

    def _gain_bound(self, i: int, ka: int, j: int, kb: int) -> float:
        """An upper bound of gain(i, ka, j, kb) from the single units' shared weights.

        The shared weight is bounded by _shared_bound, which only raises the gain. The rest
        is _evaluate's arithmetic in the same order, so the bound stays at or above the gain
        after rounding too, and a margin on top covers any rounding the argument missed: a
        looser bound only prunes less.
        """
        _, weight_a, length_a = self._a_groups[ka][i]
        _, weight_b, length_b = self._b_groups[kb][j]
        mean = (length_a + length_b) / 2.0
        if mean < 1.0:
            mean = 1.0
        delta = abs(length_b - length_a) / math.sqrt(LENGTH_VARIANCE * mean)
        length_probability = math.erfc(delta / _SQRT2)
        total = weight_a + weight_b
        mass = total / self.mean_weight
        if weight_a > 0 and weight_b > 0:
            shared = self._shared_bound(i, ka, j, kb)
            content = 2.0 * (shared * _BOUND_SLACK) / total / self.reference
            gain = mass * (content - MATCH_THRESHOLD)
        else:
            gain = -mass * MATCH_THRESHOLD
        gain += _LENGTH_SLOPE * (length_probability - 0.5) - MERGE_PENALTY[(ka, kb)]
        return gain + _BOUND_MARGIN

    def _loose_gain_bound(self, i: int, ka: int, j: int, kb: int) -> float:
        """A cheaper, looser upper bound of gain(i, ka, j, kb) than _gain_bound.

        mass * content is 2 * shared / (mean weight * reference) whatever the groups weigh,
        and the length term is at most LENGTH_WEIGHT; the margin covers the rounding.
        """
        return (
            self._content_scale * self._shared_bound(i, ka, j, kb)
            - self._mass_costs_a[ka][i]
            - self._mass_costs_b[kb][j]
            + self._best_length_terms[(ka, kb)]
        )

    @staticmethod
    def _band(i: int, n: int, m: int) -> range:
        width = max(6, abs(n - m) + 4)
        centre = round(i * m / n) if n else 0
        return range(max(0, centre - width), min(m, centre + width) + 1)

    def align(self) -> list[_Bead]:
        n, m = len(self.a), len(self.b)
        if n == 0 or m == 0:
            beads = [_Bead([i], [], 1.0) for i in range(n)]
            return beads + [_Bead([], [j], 1.0) for j in range(m)]
        minus_infinity = float("-inf")
        skip = -OMISSION_COST
        evaluate, bound = self._evaluate, self._gain_bound
        # _loose_gain_bound, inlined: the band prices every match bead of every cell with it
        shared_bound, singles, single_weight = (
            self._shared_bound,
            self._single_shared,
            self._single_shared_weight,
        )
        scale, prune = self._content_scale, self.PRUNE
        beads_here = [
            (
                ka,
                kb,
                self._mass_costs_a[ka] if ka else None,
                self._mass_costs_b[kb] if kb else None,
                self._best_length_terms.get((ka, kb), 0.0),
            )
            for ka, kb in BEADS
        ]
        # best[i][j]: the best total gain of aligning a[:i] with b[:j]; None where unreached
        best: list[list[float | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(n + 1):
            row = best[i]
            for j in self._band(i, n, m):
                if i == 0 and j == 0:
                    continue
                # Skipping is cheap to price; a match bead whose bound cannot beat it
                # strictly can be neither the best move nor change which move is.
                floor = minus_infinity
                if i and best[i - 1][j] is not None:
                    floor = best[i - 1][j] + skip
                if j and row[j - 1] is not None and row[j - 1] + skip > floor:
                    floor = row[j - 1] + skip
                best_gain = minus_infinity
                best_move = (0, 0)
                for ka, kb, mass_a, mass_b, length_term in beads_here:
                    if ka > i or kb > j:
                        continue
                    previous = best[i - ka][j - kb]
                    if previous is None:
                        continue
                    if ka and kb:
                        x, y = i - ka, j - kb
                        if ka == 1 and kb == 1:
                            shared = singles[x * m + y]
                            if shared is None:
                                shared = single_weight(x, y)
                        else:
                            shared = shared_bound(x, ka, y, kb)
                        loose = scale * shared - mass_a[x] - mass_b[y] + length_term
                        if prune and previous + loose < floor:
                            continue
                        if prune and previous + bound(x, ka, y, kb) < floor:
                            continue
                        gain = evaluate(x, ka, y, kb)[1]
                    else:
                        gain = skip
                    if previous + gain > best_gain:
                        best_gain = previous + gain
                        best_move = (ka, kb)
                if best_gain > minus_infinity:
                    row[j] = best_gain
                    back[i][j] = best_move
        if best[n][m] is None:  # the band missed the corner: fall back to skipping everything
            return [_Bead([i], [], 1.0) for i in range(n)] + [_Bead([], [j], 1.0) for j in range(m)]
        beads: list[_Bead] = []
        i, j = n, m
        while i or j:
            ka, kb = back[i][j]
            i, j = i - ka, j - kb
            score = min(1.0, self.quality(i, ka, j, kb)) if ka and kb else 0.0
            beads.append(_Bead(list(range(i, i + ka)), list(range(j, j + kb)), score))
        beads.reverse()
        beads = self._split_unsupported_members(beads)
        for bead in beads:
            if not (bead.a and bead.b):
                bead.score = self._absence_confidence(bead)
        return beads

    def _split_unsupported_members(self, beads: list[_Bead]) -> list[_Bead]:
        """Pull out of a merge any edge member whose figures the other side does not state.

        A recap paragraph that only one edition carries is easily swallowed by a neighbour's
        2-1 bead, and its figures would then look missing in the other edition. A member is an
        omission, not part of the merge, when it states figures, none of them (nor its names)
        appear on the other side, its content barely matches it, and its sibling does match.
        """
        result: list[_Bead] = []
        for bead in beads:
            if not (bead.a and bead.b) or (len(bead.a) < 2 and len(bead.b) < 2):
                result.append(bead)
                continue
            before: list[_Bead] = []
            after: list[_Bead] = []
            sides = {"a": list(bead.a), "b": list(bead.b)}
            for side, other in (("a", "b"), ("b", "a")):
                members = sides[side]
                if len(members) < 2:
                    continue
                units = self.a if side == "a" else self.b
                other_units = self.b if side == "a" else self.a
                other_anchors = frozenset().union(*(other_units[k].anchors for k in sides[other]))
                other_slips = _slips_by_figure(
                    entry for k in sides[other] for entry in other_units[k].slips.items()
                )
                other_figures = frozenset(k for x in sides[other] for k in other_units[x].figures)
                for position in (0, len(members) - 1):
                    member = members[position]
                    sibling = members[1] if position == 0 else members[-2]
                    unit = units[member]
                    if not unit.figures or unit.anchors & other_anchors:
                        continue
                    figures = frozenset(unit.figures)
                    if _shared_slips(unit.slips, figures, other_slips, other_figures):
                        continue  # the other side states one of its figures with a slip
                    if not units[sibling].anchors & other_anchors:
                        continue
                    if self._member_quality(side, member, sides[other]) >= SPLIT_QUALITY:
                        continue
                    lone = _Bead([member], [], 0.0) if side == "a" else _Bead([], [member], 0.0)
                    (before if position == 0 else after).append(lone)
                lone_members = {k for x in before + after for k in (x.a if side == "a" else x.b)}
                sides[side] = [k for k in members if k not in lone_members]
            if before or after:
                a_members, b_members = sides["a"], sides["b"]
                quality = self.quality(a_members[0], len(a_members), b_members[0], len(b_members))
                bead = _Bead(a_members, b_members, min(1.0, quality))
            result.extend(before)
            result.append(bead)
            result.extend(after)
        return result

    def _member_quality(self, side: str, member: int, others: list[int]) -> float:
        if side == "a":
            return self.quality(member, 1, others[0], len(others))
        return self.quality(others[0], len(others), member, 1)

    def _absence_confidence(self, bead: _Bead) -> float:
        """Confidence that a lone unit has no counterpart: 1 minus its best nearby match."""
        n, m = len(self.a), len(self.b)
        best = 0.0
        if bead.a:
            i = bead.a[0]
            for j in self._band(i, n, m):
                if j < m:
                    best = max(best, self.quality(i, 1, j, 1))
        else:
            j = bead.b[0]
            for i in self._band(j, m, n):
                if i < n:
                    best = max(best, self.quality(i, 1, j, 1))
        return max(0.0, 1.0 - min(1.0, best))


def _numbered_figures(units: Sequence[_Unit]) -> list[str]:
    """The figure keys of a group of units, a repeat numbered (f:3, f:3#2): each must match."""
    seen: dict[str, int] = {}
    numbered = []
    for unit in units:
        for key in unit.figures:
            seen[key] = seen.get(key, 0) + 1
            numbered.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return numbered


def _units_of(lang: str, signals: list[ParagraphSignals]) -> list[_Unit]:
    return [
        _Unit(
            members={lang: [index]},
            cross=signal.words,
            close=signal.words | signal.stems,
            anchors=signal.anchors,
            figures=signal.figures,
            length=float(signal.length),
            slips=_slips_by_figure(signal.slips),
        )
        for index, signal in enumerate(signals)
    ]


def _merge_units(parts: list[_Unit], langs: Sequence[str], score: float) -> _Unit:
    members = {
        lang: sorted(k for part in parts for k in part.members.get(lang, [])) for lang in langs
    }
    cross: frozenset[str] = frozenset().union(*(part.cross for part in parts))
    close: frozenset[str] = frozenset().union(*(part.close for part in parts))
    anchors: frozenset[str] = frozenset().union(*(part.anchors for part in parts))
    figures = _figures_of_row(parts, langs)
    scores = [s for part in parts for s in part.scores] + [score]
    slips = _slips_by_figure(entry for part in parts for entry in part.slips.items())
    return _Unit(members, cross, close, anchors, figures, 0.0, scores, slips)


def _slips_by_figure(
    entries: Iterable[tuple[str, frozenset[str]]],
) -> dict[str, frozenset[str]]:
    """The slip keys of each figure key, from (figure key, slip keys) entries of one or more
    paragraphs: one value may be stated in two kinds (a sum, a bare count) and gets both."""
    merged: dict[str, frozenset[str]] = {}
    for key, slips in entries:
        merged[key] = merged[key] | slips if key in merged else slips
    return merged


def _any_slips(singles: list[_SlipGroup], start: int, count: int) -> bool:
    """Whether any of singles[start:start+count] has slip keys (the common case is no)."""
    if singles[start][1]:
        return True
    if count == 1:
        return False
    return any(single[1] for single in singles[start + 1 : start + count])


def _shared_slips(
    slips_a: dict[str, frozenset[str]],
    figures_a: frozenset[str],
    slips_b: dict[str, frozenset[str]],
    figures_b: frozenset[str],
) -> frozenset[str]:
    """The slip keys two sides share between figures the other side does not state exactly.

    A figure stated on both sides is already evidence (its figure key); its slip keys would
    only count it twice. The test is by value, whatever the repeats, so what two groups
    share here is shared by some pair of their members too (the gain bound relies on it).
    """
    if not slips_a or not slips_b:
        return frozenset()
    left_a = [keys for key, keys in slips_a.items() if key not in figures_b]
    if not left_a:
        return frozenset()
    left_b = [keys for key, keys in slips_b.items() if key not in figures_a]
    if not left_b:
        return frozenset()
    union_a = left_a[0].union(*left_a[1:]) if len(left_a) > 1 else left_a[0]
    union_b = left_b[0].union(*left_b[1:]) if len(left_b) > 1 else left_b[0]
    return union_a & union_b


def _figures_of_row(parts: list[_Unit], langs: Sequence[str]) -> tuple[str, ...]:
    """The figures a row states: each as often as the edition stating it most often.

    The editions of a row say the same thing, so a figure both uk and ru state is one
    figure of the row, which English must match once, not twice. A part counts for the
    first of its languages.
    """
    by_lang: dict[str, dict[str, int]] = {}
    order: dict[str, None] = {}  # keys in the order first seen
    for part in parts:
        if not part.figures:
            continue
        counts: dict[str, int] = {}
        for key in part.figures:
            counts[key] = counts.get(key, 0) + 1
        order.update(dict.fromkeys(counts))
        first_lang = next((lang for lang in langs if part.members.get(lang)), None)
        if first_lang is not None:
            lang_counts = by_lang.setdefault(first_lang, {})
            for key, count in counts.items():
                lang_counts[key] = lang_counts.get(key, 0) + count
    if not order:
        return ()
    if len(by_lang) == 1:
        (only,) = by_lang.values()
        return tuple(key for key in order for _ in range(only.get(key, 0)))
    return tuple(
        key for key in order for _ in range(max(counts.get(key, 0) for counts in by_lang.values()))
    )


def _combine(a: list[_Unit], b: list[_Unit], langs: Sequence[str], use_stems: bool) -> list[_Unit]:
    """Align two unit sequences and merge each bead into one unit of the combined sequence."""
    beads = _PairAligner(a, b, use_stems).align()
    total_a = sum(unit.length for unit in a) or 1.0
    total_b = sum(unit.length for unit in b) or 1.0
    combined = []
    for bead in beads:
        parts_a = [a[k] for k in bead.a]
        parts_b = [b[k] for k in bead.b]
        unit = _merge_units(parts_a + parts_b, langs, bead.score)
        # lengths stay in the scale of the first sequence
        unit.length = (
            sum(p.length for p in parts_a)
            if parts_a
            else sum(p.length for p in parts_b) * total_a / total_b
        )
        combined.append(unit)
    return combined


def align_editions(
    editions: dict[str, list[str]],
    signals: dict[str, list[ParagraphSignals]] | None = None,
) -> list[Row]:
    """Align the paragraphs of the editions into rows in reading order.

    `signals` may carry precomputed `paragraph_signals` per language (the analysis passes
    them so figures are extracted once).
    """
    langs = language_order(editions)
    if signals is None:
        signals = {}
    per_lang = {
        lang: signals.get(lang) or [paragraph_signals(text, lang) for text in editions[lang]]
        for lang in langs
    }
    sequences = {lang: _units_of(lang, per_lang[lang]) for lang in langs}

    # Close Cyrillic pair first, then every other language against the growing pivot.
    order = [lang for lang in CYRILLIC_LANGS if lang in langs] + [
        lang for lang in langs if lang not in CYRILLIC_LANGS
    ]
    pivot: list[_Unit] = []
    pivot_langs: list[str] = []
    for lang in order:
        units = sequences[lang]
        if not units:
            continue  # an empty edition keeps its key in every row, with no members
        if not pivot_langs:
            pivot = [_merge_units([unit], langs, 1.0) for unit in units]
            for unit, original in zip(pivot, units, strict=True):
                unit.length = original.length
                unit.scores = []
            pivot_langs.append(lang)
            continue
        use_stems = all(is_cyrillic_lang(x) for x in pivot_langs + [lang])
        pivot = _combine(pivot, units, langs, use_stems)
        pivot_langs.append(lang)

    rows = []
    for unit in pivot:
        if not any(unit.members[lang] for lang in langs):
            continue
        score = sum(unit.scores) / len(unit.scores) if unit.scores else 1.0
        score = round(min(1.0, max(0.0, score)), 3)
        rows.append(Row({lang: unit.members[lang] for lang in langs}, score, score < WEAK_SCORE))
    return rows


def is_cyrillic_lang(lang: str) -> bool:
    """Languages written in Cyrillic (they share stems as well as names)."""
    return lang in CYRILLIC_LANGS
