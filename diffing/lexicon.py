"""A small multilingual lexicon of frequent news vocabulary: words of each language to one concept.

Names, figures and loanwords already meet across scripts, but many short paragraphs carry
none of them ("Repair crews are working around the clock."). Those paragraphs still share
ordinary news words whose translations are stable: court, appeal, repair, crew, May. This
module maps such words of each language to one concept, so the aligner can count them as
shared evidence.

The vocabulary is data: each language module in diffing.langs holds its own column, one
line a concept, `concept | forms`, the forms space-separated. The concept is named by its
first English form, lowercased. A form ending in `*` is a stem that takes any ending (the
longest matching stem wins); any other form is a whole word, which the language's
`lexicon_word_forms` may inflect (English adds -s, -es, -ed, -ing). A form with a capital
letter (May, March, US) matches only a capitalised word, so the verb "may" and the pronoun
"us" stay out. Apostrophes and letter case are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from diffing import langs

_PREFIX_MARK = "*"


def normalise(word: str) -> str:
    """Lower case without apostrophes (п’ятниця, п'ятниця and пʼятниця are one word)."""
    return word.lower().translate(_NORMALISE)


_NORMALISE = str.maketrans({"'": None, "’": None, "ʼ": None, "`": None, "ё": "е"})


class _Table:
    """Whole words and stems of one language, each pointing to its concept."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}
        self.capitalised: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        self.longest_stem = 0

    def add(self, form: str, concept: str, word_forms: Callable[[str], list[str]] | None) -> None:
        if form.endswith(_PREFIX_MARK):
            stem = normalise(form[:-1])
            self.stems.setdefault(stem, concept)
            self.longest_stem = max(self.longest_stem, len(stem))
            return
        target = self.capitalised if any(char.isupper() for char in form) else self.words
        folded = normalise(form)
        for variant in word_forms(folded) if word_forms else [folded]:
            target.setdefault(variant, concept)

    def lookup(self, word: str) -> str | None:
        folded = normalise(word)
        found = self.words.get(folded)
        if found is None and word[:1].isupper():
            found = self.capitalised.get(folded)
        if found is not None:
            return found
        for length in range(min(len(folded), self.longest_stem), 1, -1):
            found = self.stems.get(folded[:length])
            if found is not None:
                return found
        return None


def _parse(column: str, word_forms: Callable[[str], list[str]] | None) -> _Table:
    """One language's lexicon column: `concept | forms` lines, `#` comments."""
    table = _Table()
    for line in column.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        concept, bar, forms = line.partition("|")
        if not bar or not concept.strip():
            raise ValueError(f"lexicon line needs `concept | forms`: {line!r}")
        for form in forms.split():
            table.add(form, concept.strip(), word_forms)
    return table


_TABLES = {
    code: _parse(rules.lexicon, rules.lexicon_word_forms)
    for code, rules in langs.REGISTRY.items()
    if rules.lexicon
}
_CYRILLIC_TABLES = [
    _TABLES[code] for code, rules in langs.REGISTRY.items() if rules.script == "Cyrillic"
]


@lru_cache(maxsize=65536)
def concept_of(word: str, lang: str) -> str | None:
    """The lexicon concept a word of the given language expresses, or None.

    A language outside the lexicon tries the Cyrillic tables for a Cyrillic word and the
    fallback language's table otherwise.
    """
    table = _TABLES.get(lang)
    if table is not None:
        return table.lookup(word)
    if any("\u0400" <= char <= "\u04ff" for char in word):
        for cyrillic in _CYRILLIC_TABLES:
            found = cyrillic.lookup(word)
            if found:
                return found
        return None
    return _TABLES[langs.FALLBACK].lookup(word)
