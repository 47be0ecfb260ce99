"""Cross-language paragraph alignment of the uk/en/ru editions of one article.

The editions are seldom exact translations: the English is often shorter and rewritten, and
any edition may carry a paragraph the others lack. So the aligner trusts what survives
translation — figures, names transliterated between scripts, loanwords, shared uk-ru stems,
common news words through a small bilingual lexicon (diffing.lexicon) and relative length —
and combines them in a band-limited dynamic programme with 1-1, 1-0,
0-1, 2-1, 1-2 and 2-2 beads. The close pair uk-ru is aligned first; its rows form the pivot
that English is aligned against, so English meets both Cyrillic spellings of every name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from diffing.lexicon import concept_of
from diffing.textsig import cyrillic_stem, is_cyrillic, name_keys, skeleton_key, tokenize

LANG_ORDER = ("uk", "en", "ru")
CYRILLIC_LANGS = ("uk", "ru")

# Weights of the kinds of evidence (multiplied by the in-article IDF of each key).
FIGURE_WEIGHT = 3.0
NAME_WEIGHT = 2.0
COGNATE_WEIGHT = 0.7
STEM_WEIGHT = 1.0
LEXICON_WEIGHT = 0.8
# Shared keys that are content, not just a name: figures, lexicon concepts, uk-ru stems.
CONTENT_KEY_TYPES = frozenset("fls")
HARD_KEY_TYPES = frozenset("fn")  # figures and names

MATCH_THRESHOLD = 0.3  # a bead must beat this quality per paragraph to be preferred to a skip
# Merges need real extra evidence; 2-2 (two editions cutting one passage at different
# sentences) is much rarer than a 2-1 merge (Gale-Church priors say about eight times).
MERGE_PENALTY = {(1, 1): 0.0, (2, 1): 0.1, (1, 2): 0.1, (2, 2): 0.4}
OMISSION_COST = 0.2  # prior against a paragraph having no counterpart (editions mostly agree)
FREE_RIDER_MARGIN = 0.02  # shared weight (in mean paragraph weights) each merged member needs
SPLIT_QUALITY = 0.5  # a merged member matching the other side less than this may be split out
LENGTH_WEIGHT = 0.2  # how much a plausible length ratio alone argues for a match
LENGTH_VARIANCE = 25.0  # Gale-Church s^2, wider than for literal translations
WEAK_SCORE = 0.4
BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))


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


def paragraph_signals(
    text: str, lang: str, figures: Sequence[object] | None = None
) -> ParagraphSignals:
    """Signals of one paragraph; pass figures already extracted to avoid doing it twice."""
    if figures is None:
        figures = _extract_figures(text, lang)
    names: set[str] = set()
    cognates: set[str] = set()
    stems: set[str] = set()
    concepts: set[str] = set()
    for word, sentence_start in tokenize(text):
        concept = concept_of(word, lang)
        if concept is not None:
            concepts.add("l:" + concept)
        cyrillic = is_cyrillic(word)
        capitalised = word[0].isupper()
        acronym = len(word) >= 2 and word.isupper()
        if capitalised and (not sentence_start or acronym or len(word) >= 5):
            for key in name_keys(word, lang):
                names.add("n:" + key)
        if len(word) >= 5:
            skeleton = skeleton_key(word.lower(), lang)
            if len(skeleton) >= 3:
                cognates.add("c:" + skeleton[:4])
        if cyrillic and len(word) >= 3:
            stems.add("s:" + cyrillic_stem(word))
    return ParagraphSignals(
        length=len(text),
        figures=figure_keys(figures),
        names=frozenset(names),
        cognates=frozenset(cognates),
        stems=frozenset(stems),
        concepts=frozenset(concepts),
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


@dataclass
class _Bead:
    a: list[int]
    b: list[int]
    score: float


def _weights(units: Sequence[_Unit]) -> dict[str, float]:
    """IDF of each key within the article: a key in every paragraph tells nothing."""
    document_frequency: dict[str, int] = {}
    for unit in units:
        for key in unit.close | frozenset(unit.figures):
            document_frequency[key] = document_frequency.get(key, 0) + 1
    total = max(len(units), 1)
    type_weight = {
        "f": FIGURE_WEIGHT,
        "n": NAME_WEIGHT,
        "c": COGNATE_WEIGHT,
        "s": STEM_WEIGHT,
        "l": LEXICON_WEIGHT,
    }
    return {
        key: type_weight[key[0]] * math.log(1.0 + total / count)
        for key, count in document_frequency.items()
    }


def _length_probability(length_a: float, length_b: float) -> float:
    """Gale-Church: how plausible two lengths are for one content (b already rescaled)."""
    mean = max((length_a + length_b) / 2.0, 1.0)
    delta = abs(length_b - length_a) / math.sqrt(LENGTH_VARIANCE * mean)
    return math.erfc(delta / math.sqrt(2.0))


class _PairAligner:
    """Dynamic-programme alignment of two unit sequences."""

    def __init__(self, a: list[_Unit], b: list[_Unit], use_stems: bool) -> None:
        self.a = a
        self.b = b
        self.use_stems = use_stems
        self.weights = _weights(a + b)
        total_a = sum(unit.length for unit in a) or 1.0
        total_b = sum(unit.length for unit in b) or 1.0
        self.length_ratio = total_b / total_a
        self._groups: dict[tuple[str, int, int], tuple[frozenset[str], float, float]] = {}
        self._shared: dict[tuple[int, int, int, int], tuple[frozenset[str], float]] = {}
        self._group_kinds: dict[tuple[str, int, int], frozenset[str]] = {}
        self._quality: dict[tuple[int, int, int, int], tuple[float, float]] = {}
        unit_weights = [self._group("a", k, 1)[1] for k in range(len(a))] + [
            self._group("b", k, 1)[1] for k in range(len(b))
        ]
        self.mean_weight = max(sum(unit_weights) / max(len(unit_weights), 1), 1e-6)
        self.reference = 1.0
        self.reference = self._reference_similarity()

    def _group(self, side: str, start: int, count: int) -> tuple[frozenset[str], float, float]:
        cache_key = (side, start, count)
        cached = self._groups.get(cache_key)
        if cached is not None:
            return cached
        units = (self.a if side == "a" else self.b)[start : start + count]
        keys: frozenset[str] = frozenset()
        seen: dict[str, int] = {}
        numbered = []
        for unit in units:
            keys = keys | (unit.close if self.use_stems else unit.cross)
            for key in unit.figures:
                seen[key] = seen.get(key, 0) + 1
                numbered.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
        if numbered:
            keys = keys | frozenset(numbered)
        length = sum(unit.length for unit in units)
        if side == "b":
            length /= self.length_ratio
        weight = sum(self._weight(key) for key in keys)  # also caches numbered figures
        result = (keys, weight, length)
        self._groups[cache_key] = result
        return result

    def _shared_keys(self, i: int, ka: int, j: int, kb: int) -> tuple[frozenset[str], float]:
        cache_key = (i, ka, j, kb)
        cached = self._shared.get(cache_key)
        if cached is None:
            shared = self._group("a", i, ka)[0] & self._group("b", j, kb)[0]
            cached = self._shared[cache_key] = (shared, sum(map(self.weights.__getitem__, shared)))
        return cached

    def _shared_weight(self, i: int, ka: int, j: int, kb: int) -> float:
        return self._shared_keys(i, ka, j, kb)[1]

    def _kinds(self, side: str, start: int, count: int) -> frozenset[str]:
        """The kinds of key (figure, name, ...) a group states, by their one-letter prefix."""
        cache_key = (side, start, count)
        cached = self._group_kinds.get(cache_key)
        if cached is None:
            keys = self._group(side, start, count)[0]
            cached = self._group_kinds[cache_key] = frozenset(key[0] for key in keys)
        return cached

    def _margin(self) -> float:
        """The least shared weight that counts as evidence (a fraction of a paragraph's)."""
        return FREE_RIDER_MARGIN * self.mean_weight

    def _has_free_rider(self, i: int, ka: int, j: int, kb: int) -> bool:
        """True when some member of a merge adds no shared evidence of its own.

        Without this, a paragraph with nothing in common with the other side could ride
        along in a merge more cheaply than standing alone as an omission. What counts is
        what the member adds beyond its sibling: a quote that only repeats the name its
        neighbour already matched on brings no evidence that it belongs to the merge.
        """
        margin = self._margin()
        merged = self._shared_weight(i, ka, j, kb)
        siblings = []  # the merge without each member in turn
        if ka == 2:
            siblings += [(i + 1, 1, j, kb), (i, 1, j, kb)]
        if kb == 2:
            siblings += [(i, ka, j + 1, 1), (i, ka, j, 1)]
        if any(merged - self._shared_weight(*sibling) <= margin for sibling in siblings):
            return True
        members = []  # (side, member, sibling, the other side's group)
        if ka == 2:
            members += [("a", i, i + 1, ("b", j, kb)), ("a", i + 1, i, ("b", j, kb))]
        if kb == 2:
            members += [("b", j, j + 1, ("a", i, ka)), ("b", j + 1, j, ("a", i, ka))]
        return any(self._figures_accounted_without(*member) for member in members)

    def _figures_accounted_without(
        self, side: str, member: int, sibling: int, other: tuple[str, int, int]
    ) -> bool:
        """True when a merge member states figures, none found on the other side, whose
        figures its sibling already accounts for: the member is not what the other says."""
        member_figures = _figure_keys_of(self._group(side, member, 1)[0])
        if not member_figures:
            return False
        other_figures = _figure_keys_of(self._group(*other)[0])
        if member_figures & other_figures:
            return False
        return other_figures <= _figure_keys_of(self._group(side, sibling, 1)[0])

    def _crossing_weight(self, i: int, j: int) -> float:
        """Evidence that a 2-2 passage is cut at different places in the two sequences.

        Two editions that cut one passage differently share content across the diagonal:
        a[i] with b[j+1] (or a[i+1] with b[j]) on keys that neither diagonal partner has.
        Without such keys the passage is two one-to-one pairs, however much the merged
        pair looks like one good match.
        """
        keys_a = (self._group("a", i, 1)[0], self._group("a", i + 1, 1)[0])
        keys_b = (self._group("b", j, 1)[0], self._group("b", j + 1, 1)[0])
        best = 0.0
        for first, second in ((0, 1), (1, 0)):
            crossing = (keys_a[first] & keys_b[second]) - keys_a[second] - keys_b[first]
            best = max(best, sum(self._weight(key) for key in crossing))
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
        shared_kinds = frozenset(key[0] for key in self._shared_keys(i, ka, j, kb)[0])
        if shared_kinds & CONTENT_KEY_TYPES:
            return False
        kinds_a = self._kinds("a", i, ka)
        kinds_b = self._kinds("b", j, kb)
        if "f" in kinds_a and "f" in kinds_b:
            return True
        if "n" in shared_kinds:
            return False
        return bool(kinds_a & HARD_KEY_TYPES and kinds_b & HARD_KEY_TYPES)

    def _similarity(self, i: int, ka: int, j: int, kb: int) -> tuple[float, float, float, float]:
        _, weight_a, length_a = self._group("a", i, ka)
        _, weight_b, length_b = self._group("b", j, kb)
        shared_weight = self._shared_weight(i, ka, j, kb)
        total = weight_a + weight_b
        dice = 2.0 * shared_weight / total if total else 0.0
        return dice, weight_a, weight_b, _length_probability(length_a, length_b)

    def _weight(self, key: str) -> float:
        weight = self.weights.get(key)
        if weight is None:  # a repeated figure weighs what its first occurrence does
            weight = self.weights.get(key.split("#", 1)[0], 0.0)
            self.weights[key] = weight
        return weight

    def _reference_similarity(self) -> float:
        """The similarity a true match typically reaches in this article (for calibration)."""
        bests = []
        for i in range(len(self.a)):
            best = 0.0
            for j in self._band(i, len(self.a), len(self.b)):
                if j < len(self.b):
                    best = max(best, self._similarity(i, 1, j, 1)[0])
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
        dice, weight_a, weight_b, length_probability = self._similarity(i, ka, j, kb)
        if weight_a > 0 and weight_b > 0:
            content = dice / self.reference
            quality = 0.75 * content + 0.25 * length_probability * min(1.0, 2 * content + 0.3)
            mass = (weight_a + weight_b) / self.mean_weight
            gain = mass * (content - MATCH_THRESHOLD)
        else:
            quality = 0.45 * length_probability
            mass = (weight_a + weight_b) / self.mean_weight
            gain = -mass * MATCH_THRESHOLD
        gain += 2 * LENGTH_WEIGHT * (length_probability - 0.5) - MERGE_PENALTY[(ka, kb)]
        if gain <= -(ka + kb) * OMISSION_COST:
            pass  # leaving every member out is at least as good: no need for the guards
        elif self._contradicted(i, ka, j, kb):
            gain = float("-inf")  # pairing them would report their figures as divergences
        elif (ka == 2 or kb == 2) and self._has_free_rider(i, ka, j, kb):
            gain = float("-inf")
        elif ka == 2 and kb == 2 and self._crossing_weight(i, j) <= self._margin():
            gain = float("-inf")
        result = (quality, gain)
        self._quality[cache_key] = result
        return result

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
        best: dict[tuple[int, int], float] = {(0, 0): 0.0}
        back: dict[tuple[int, int], tuple[int, int]] = {}
        for i in range(n + 1):
            for j in self._band(i, n, m):
                if i == 0 and j == 0:
                    continue
                best_gain = minus_infinity
                best_move = (0, 0)
                for ka, kb in BEADS:
                    if ka > i or kb > j:
                        continue
                    previous = best.get((i - ka, j - kb))
                    if previous is None:
                        continue
                    if ka and kb:
                        gain = self.gain(i - ka, ka, j - kb, kb)
                    else:
                        gain = -OMISSION_COST
                    if previous + gain > best_gain:
                        best_gain = previous + gain
                        best_move = (ka, kb)
                if best_gain > minus_infinity:
                    best[(i, j)] = best_gain
                    back[(i, j)] = best_move
        if (n, m) not in best:  # the band missed the corner: fall back to skipping everything
            return [_Bead([i], [], 1.0) for i in range(n)] + [_Bead([], [j], 1.0) for j in range(m)]
        beads: list[_Bead] = []
        i, j = n, m
        while i or j:
            ka, kb = back[(i, j)]
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
                for position in (0, len(members) - 1):
                    member = members[position]
                    sibling = members[1] if position == 0 else members[-2]
                    unit = units[member]
                    if not unit.figures or unit.anchors & other_anchors:
                        continue
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


def _figure_keys_of(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(key for key in keys if key[0] == "f")


def _units_of(lang: str, signals: list[ParagraphSignals]) -> list[_Unit]:
    return [
        _Unit(
            members={lang: [index]},
            cross=signal.words,
            close=signal.words | signal.stems,
            anchors=signal.anchors,
            figures=signal.figures,
            length=float(signal.length),
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
    return _Unit(members, cross, close, anchors, figures, 0.0, scores)


def _figures_of_row(parts: list[_Unit], langs: Sequence[str]) -> tuple[str, ...]:
    """The figures a row states: each as often as the edition stating it most often.

    The editions of a row say the same thing, so a figure both uk and ru state is one
    figure of the row, which English must match once, not twice.
    """
    by_lang: dict[str, dict[str, int]] = {}
    order: list[str] = []
    for part in parts:
        part_langs = [lang for lang in langs if part.members.get(lang)]
        counts: dict[str, int] = {}
        for key in part.figures:
            counts[key] = counts.get(key, 0) + 1
            if key not in order:
                order.append(key)
        for lang in part_langs[:1]:
            for key, count in counts.items():
                lang_counts = by_lang.setdefault(lang, {})
                lang_counts[key] = lang_counts.get(key, 0) + count
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
    langs = [lang for lang in LANG_ORDER if lang in editions] + [
        lang for lang in editions if lang not in LANG_ORDER
    ]
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
