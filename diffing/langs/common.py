"""Notation every language shares: symbols, codes and the unit groups' identities.

Currency signs and ISO codes, "%", SI symbols in Latin letters, the degree sign, clock
suffixes: these are read in every language, whatever its `reads`. Script-bound symbols
("км", "грн") belong to their language modules.
"""

from __future__ import annotations

from diffing.langs.base import WS

SI_PREFIXES = ("T", "G", "M", "k")

# (group name, unit, kind), in the order the grammar tries them: longer and more specific
# first ("percentage points" before "percent", "km2" and "km/h" before "km").
UNIT_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("pp", "pp", "percent"),
    ("percent", "percent", "percent"),
    ("UAH", "UAH", "money"),
    ("USD", "USD", "money"),
    ("EUR", "EUR", "money"),
    ("RUB", "RUB", "money"),
    ("GBP", "GBP", "money"),
    *((f"{p}Wh", f"{p}Wh", "measure") for p in SI_PREFIXES),
    *((f"{p}W", f"{p}W", "measure") for p in SI_PREFIXES),
    ("km2", "km2", "measure"),
    ("kmh", "km/h", "measure"),
    ("km", "km", "measure"),
    ("mi", "mi", "measure"),
    ("m3", "m3", "measure"),
    ("mm", "mm", "measure"),
    ("cm", "cm", "measure"),
    ("m", "m", "measure"),
    ("t", "t", "measure"),
    ("kg", "kg", "measure"),
    ("ha", "ha", "measure"),
    ("l", "l", "measure"),
    ("bbl", "bbl", "measure"),
    ("C", "°C", "measure"),
)

UNIT_SYMBOLS: dict[str, str] = {
    "percent": "%",
    "UAH": "UAH|₴",
    "USD": r"USD|US\$|\$",
    "EUR": "EUR|€",
    "RUB": "RUB|₽",
    "GBP": "GBP|£",
    **{f"{p}Wh": rf"{p}W{WS}?[·⋅•]?h" for p in SI_PREFIXES},
    **{f"{p}W": rf"{p}W" for p in SI_PREFIXES},
    "km2": "km²|km2",
    "kmh": "km/h",
    "km": "km",
    "m3": "m³",
    "mm": "mm",
    "cm": "cm",
    "t": "t(?![-‑])",
    "kg": "kg",
    "ha": "ha",
    "C": r"°\s?[CС]|°",
}

# written before the number: "$5", "€ 3", "UAH 40" (each a group named by the ISO code)
CURRENCY_BEFORE: dict[str, str] = {
    "USD": r"US\$|\$|(?<![\w])USD",
    "EUR": r"€|(?<![\w])EUR",
    "GBP": r"£|(?<![\w])GBP",
    "UAH": r"₴|(?<![\w])UAH",
    "RUB": r"₽|(?<![\w])RUB",
}

# symbols written in Cyrillic, shared by the Cyrillic-script languages (uk, ru)
CYRILLIC_UNIT_SYMBOLS: dict[str, str] = {
    "km2": r"км²|км2|кв\.\s?км",
    "km": "км",
    "m3": "м³",
    "mm": "мм",
    "cm": "см",
    "t": "т",
    "kg": "кг",
    "ha": "га",
}
CYRILLIC_SI_PREFIX_SYMBOLS: dict[str, str] = {"T": "Т", "G": "Г", "M": "М", "k": "к"}
