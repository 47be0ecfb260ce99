"""Gale & Church (1993) length-based alignment: the baseline the Triglot aligner must beat.

Paragraphs are aligned by character length alone, as in "A Program for Aligning Sentences
in Bilingual Corpora": each bead (1-1, 1-0, 0-1, 2-1, 1-2, 2-2) costs
-100 * log(prior * P(|delta| >= |z|)), where z compares the two sides' lengths under a
normal model (c = 1 target character per source character, variance s2 = 6.8 per
character), and dynamic programming finds the cheapest path. Deliberately plain: no
anchors, no figures, no lexical clues — it is the yardstick, not a competitor.
"""

from __future__ import annotations

import math

# The classic bead priors (as in the paper's Table 5 and NLTK's implementation).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099,
    (0, 1): 0.0099,
    (2, 1): 0.089,
    (1, 2): 0.089,
    (2, 2): 0.011,
}
CHARS_RATIO = 1.0  # c: expected target characters per source character
VARIANCE = 6.8  # s2: variance of that ratio per character


def _normal_two_tailed(z: float) -> float:
    """P(|Z| >= z) for a standard normal Z."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def bead_cost(source_chars: int, target_chars: int, prior: float) -> float:
    """The Gale–Church distance of one bead with the given side lengths."""
    mean = (source_chars + target_chars / CHARS_RATIO) / 2.0
    if mean == 0:
        z = 0.0
    else:
        z = (CHARS_RATIO * source_chars - target_chars) / math.sqrt(VARIANCE * mean)
    probability = max(_normal_two_tailed(z), 1e-300)
    return -100.0 * math.log(prior * probability)


def gale_church(src: list[str], tgt: list[str]) -> list[tuple[list[int], list[int]]]:
    """Align two paragraph lists by length; return beads of (source indices, target indices).

    Every paragraph of both sides appears in exactly one bead, beads in reading order.
    """
    source_lengths = [len(text) for text in src]
    target_lengths = [len(text) for text in tgt]
    n, m = len(src), len(tgt)
    infinity = float("inf")
    cost = [[infinity] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, best_move = infinity, None
            for (di, dj), prior in BEAD_PRIORS.items():
                if di > i or dj > j or cost[i - di][j - dj] == infinity:
                    continue
                length_a = sum(source_lengths[i - di : i])
                length_b = sum(target_lengths[j - dj : j])
                candidate = cost[i - di][j - dj] + bead_cost(length_a, length_b, prior)
                if candidate < best:
                    best, best_move = candidate, (di, dj)
            cost[i][j], back[i][j] = best, best_move
    beads: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        move = back[i][j]
        assert move is not None, "every cell is reachable through 1-0 and 0-1 beads"
        di, dj = move
        beads.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
