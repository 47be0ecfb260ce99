"""The language registry: one module per language, each exporting `RULES` (a LanguageRules).

Everything language-aware is built from here: the figure grammar (diffing.figures), number
words (diffing.numwords), the lexicon (diffing.lexicon), transliteration (diffing.textsig),
the aligner's language pairs, the language check, the crawler's language codes and profile
validation, the CLI's --lang choices and Datasette's language columns. To add a language,
add its module here: every module of this package but `base` and `common` is one language,
found by name and ordered by its `order`.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from itertools import combinations

from diffing.langs.base import LanguageRules

_NOT_LANGUAGES = frozenset({"base", "common"})


def _discover() -> dict[str, LanguageRules]:
    found = [
        import_module(f"{__name__}.{module.name}").RULES
        for module in pkgutil.iter_modules(__path__)
        if module.name not in _NOT_LANGUAGES and not module.name.startswith("_")
    ]
    for rules in found:
        if rules.code not in rules.reads:
            raise ValueError(f"diffing.langs.{rules.code}: `reads` must include its own code")
    return {rules.code: rules for rules in sorted(found, key=lambda r: (r.order, r.code))}


# Registry order is the reading order of editions everywhere (columns, rows, pairs).
REGISTRY: dict[str, LanguageRules] = _discover()
LANGUAGES: tuple[str, ...] = tuple(REGISTRY)
# crawled when a profile names no languages, and always shown as a column
DEFAULT_LANGUAGES: tuple[str, ...] = tuple(code for code, r in REGISTRY.items() if r.default)
FALLBACK = "en"  # the rules a text of an unregistered language is read with

__all__ = [
    "DEFAULT_LANGUAGES",
    "FALLBACK",
    "LANGUAGES",
    "REGISTRY",
    "LanguageRules",
    "aliases",
    "language_order",
    "language_pairs",
    "rules",
    "switcher_labels",
]


def rules(lang: str | None) -> LanguageRules:
    """The rules of `lang`, or the fallback's for a language the registry does not know."""
    return REGISTRY.get(lang or "") or REGISTRY[FALLBACK]


def language_order(langs) -> list[str]:
    """The given languages in registry order, unregistered ones after, as given."""
    given = list(dict.fromkeys(langs))
    return [lang for lang in LANGUAGES if lang in given] + [
        lang for lang in given if lang not in REGISTRY
    ]


def language_pairs(langs) -> list[tuple[str, str]]:
    """Every pair of the given languages, in registry order: (uk, en), (uk, ru), (en, ru)..."""
    return list(combinations(language_order(langs), 2))


def aliases() -> dict[str, str]:
    """Other codes pages write for a registered language ("ua" -> "uk")."""
    return {alias: code for code, rule in REGISTRY.items() for alias in rule.aliases}


def switcher_labels() -> dict[str, str]:
    """Visible language-switcher labels ("укр", "English") -> language code."""
    return {label: code for code, rule in REGISTRY.items() for label in rule.switcher_labels}
