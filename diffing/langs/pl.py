"""Polish: the fourth language (Ukrinform publishes a Polish edition).

Written for the project from the grammar, not copied: cardinals in every case
("pięciu", "dwudziestoma"), months in the nominative, genitive and locative ("luty",
"24 lutego", "w lutym"), "tys." / "mln" / "mld" multipliers (a Polish "bilion" is 10**12),
comma decimals and space grouping ("1,5 mln", "36 000"), złoty as a currency.
"""

from __future__ import annotations

import re

from diffing.langs.base import (
    HALF,
    HUNDREDS,
    MULT,
    MULT_ONE,
    TEEN,
    TEN,
    UNIT,
    LanguageRules,
    NumberWords,
    RangeJoin,
    WordForms,
)

L = "a-ząćęłńóśźż"  # the lowercase letters, as a regex class body

# Polish spelling to the English-style romanisation newsrooms use for Ukrainian and Russian
# names, so "Charków" meets "Kharkiv" and "Zełenski" meets "Zelensky" (longest first).
_SOUNDS = {
    "szcz": "shch", "dż": "dzh", "ch": "kh", "cz": "ch", "sz": "sh", "rz": "zh", "ż": "zh",
    "j": "y", "w": "v", "ą": "a", "ć": "ch", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s",
    "ź": "z",
}  # fmt: skip
_SOUND = re.compile("|".join(sorted(_SOUNDS, key=len, reverse=True)))


def transliterate(text: str) -> str:
    """Romanise Polish spelling the way English writes Slavic names."""
    return _SOUND.sub(lambda match: _SOUNDS[match.group()], text.lower())


def _number_words() -> dict[str, tuple[float, str]]:
    forms = WordForms()
    add = forms.add

    add(1, UNIT, "jeden", "jedna", "jedno", "jednego", "jednej", "jednemu", "jednym", "jedną")
    add(2, UNIT, "dwa", "dwie", "dwóch", "dwu", "dwóm", "dwom", "dwoma", "dwiema", "dwoje")
    add(2, UNIT, "dwojga", "dwojgu")
    add(3, UNIT, "trzy", "trzech", "trzem", "trzema", "troje", "trojga")
    add(4, UNIT, "cztery", "czterech", "czterem", "czterema", "czworo", "czworga")
    for value, nominative, stem in (
        (5, "pięć", "pięci"),
        (6, "sześć", "sześci"),
        (7, "siedem", "siedmi"),
        (8, "osiem", "ośmi"),
        (9, "dziewięć", "dziewięci"),
    ):
        add(value, UNIT, nominative, stem + "u", stem + "oma", stem + "oro", stem + "orga")
    add(10, TEEN, "dziesięć", "dziesięciu", "dziesięcioma", "dziesięcioro", "dziesięciorga")
    for value, nominative, stem in (
        (11, "jedenaście", "jedenast"),
        (12, "dwanaście", "dwunast"),
        (13, "trzynaście", "trzynast"),
        (14, "czternaście", "czternast"),
        (15, "piętnaście", "piętnast"),
        (16, "szesnaście", "szesnast"),
        (17, "siedemnaście", "siedemnast"),
        (18, "osiemnaście", "osiemnast"),
        (19, "dziewiętnaście", "dziewiętnast"),
    ):
        add(value, TEEN, nominative, stem + "u", stem + "oma")
    for value, nominative, stem in (
        (20, "dwadzieścia", "dwudziest"),
        (30, "trzydzieści", "trzydziest"),
        (40, "czterdzieści", "czterdziest"),
    ):
        add(value, TEN, nominative, stem + "u", stem + "oma")
    for value, nominative, stem in (
        (50, "pięćdziesiąt", "pięćdziesięci"),
        (60, "sześćdziesiąt", "sześćdziesięci"),
        (70, "siedemdziesiąt", "siedemdziesięci"),
        (80, "osiemdziesiąt", "osiemdziesięci"),
        (90, "dziewięćdziesiąt", "dziewięćdziesięci"),
    ):
        add(value, TEN, nominative, stem + "u", stem + "oma")
    add(100, HUNDREDS, "sto", "stu", "stoma")
    add(200, HUNDREDS, "dwieście", "dwustu", "dwustoma")
    add(300, HUNDREDS, "trzysta", "trzystu", "trzystoma")
    add(400, HUNDREDS, "czterysta", "czterystu", "czterystoma")
    for value, nominative, oblique in (
        (500, "pięćset", "pięciuset"),
        (600, "sześćset", "sześciuset"),
        (700, "siedemset", "siedmiuset"),
        (800, "osiemset", "ośmiuset"),
        (900, "dziewięćset", "dziewięciuset"),
    ):
        add(value, HUNDREDS, nominative, oblique)
    add(1.5, HALF, "półtora", "półtorej")
    add(1e3, MULT_ONE, "tysiąc")
    add(1e3, MULT, "tysiące", "tysięcy", "tysiąca", "tysiącem", "tysiącom", "tysiącami")
    add(1e3, MULT, "tysiącach")
    for value, stem in ((1e6, "milion"), (1e9, "miliard"), (1e12, "bilion")):
        add(value, MULT_ONE, stem)
        add(value, MULT, *(stem + ending for ending in ("a", "y", "ów", "em", "om", "ami", "ach")))
    return forms


_LEXICON = """
# months and weekdays
january | styczni* styczeń
february | lut*
march | marz* marc*
april | kwietni* kwiecień
may | maj maja maju
june | czerw*
july | lip*
august | sierp*
september | wrze*
october | październik*
november | listopad*
december | grud*
monday | poniedział*
tuesday | wtor*
wednesday | środ*
thursday | czwart*
friday | piąt*
saturday | sobot*
sunday | niedziel*
# time
day | dzień dnia dni dniu
week | tydzień tygodni*
month | miesiąc*
hour | godzin*
today | dziś dzisiaj
yesterday | wczoraj
tomorrow | jutro
night | noc nocy nocą
morning | rano rana
winter | zim*
summer | lat* lecie
# institutions and people
president | prezydent*
government | rząd rządu rządem rządzie
ministry | ministerstw*
parliament | parlament* sejm*
mayor | burmistrz* mer*
governor | gubernator*
police | policj* policjan*
court | sąd sądu sądzie sądem
prosecutor | prokurat*
people | ludzi ludzie osób osoby
children | dziec* dzieci
residents | mieszkań*
city | miast* miejsk*
village | wsi wieś
region | obwod* region*
# war and security
attack | atak*
drone | dron*
missile | rakiet* pocisk*
shelling | ostrzał*
killed | zgin* zabit*
wounded | rann*
army | armi* wojsk*
enemy | wrog* wróg
air | powietrzn*
alert | alarm*
destroyed | zniszcz*
damaged | uszkodz*
rescuers | ratowni*
evacuation | ewakuac*
# economy and money
budget | budżet*
money | pieniądz* środk*
prices | cen* cena
bank | bank*
exports | eksport*
imports | import*
grain | zboż* ziarn*
harvest | zbior* żniw* plon* zebra*
corn | kukurydz*
consumption | zużyci*
contract | kontrakt* umow*
passengers | pasażer*
council | rada rady radzie radę
equipment | sprzęt* maszyn*
vehicles | pojazd*
wheat | pszeni*
farmers | rolni*
tax | podat*
loan | kredyt* pożyczk*
investment | inwestyc*
salary | wynagrodz* pensj*
# energy and infrastructure
electricity | prąd* elektryczn* energi*
energy | energetyk*
gas | gaz*
substation | podstacj*
heating | ogrzewan*
water | wod* woda
bridge | most*
road | drog* droga
railway | kolej*
port | port*
school | szkoł* szkol*
hospital | szpital*
repair | remont* napraw*
# weather and nature
weather | pogod*
temperature | temperatur*
frost | mróz mroz*
snow | śnieg*
rain | deszcz*
# common actions
announced | ogłosi* poinformowa*
opened | otwar* otworz*
signed | podpisa*
"""

RULES = LanguageRules(
    code="pl",
    order=40,
    name="Polish",
    script="Latin",
    letters="aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
    marker_letters="ąćęłńóśźż",
    word_class=L,
    decimal_mark=",",
    group_separator=" ",
    reads=("pl",),
    months=(
        ("styczeń", "stycznia", "styczniu"),
        ("luty", "lutego", "lutym"),
        ("marzec", "marca", "marcu"),
        ("kwiecień", "kwietnia", "kwietniu"),
        ("maj", "maja", "maju"),
        ("czerwiec", "czerwca", "czerwcu"),
        ("lipiec", "lipca", "lipcu"),
        ("sierpień", "sierpnia", "sierpniu"),
        ("wrzesień", "września", "wrześniu"),
        ("październik", "października", "październiku"),
        ("listopad", "listopada", "listopadzie"),
        ("grudzień", "grudnia", "grudniu"),
    ),
    day_span_words=("do",),
    year_words=("roku", "rokiem", "rok", r"r\."),
    year_prepositions=(
        "w",
        "we",
        "od",
        "do",
        "z",
        "po",
        "przed",
        "od",
        "w ciągu",
        "na początku",
        "pod koniec",
        "do końca",
        "na koniec",
        "przez",
    ),  # fmt: skip
    multipliers={
        3: rf"tys(?:i[ąę]c[{L}]*|\.|(?![{L}]))",
        6: rf"mln\.?|milion[{L}]*",
        9: rf"mld\.?|miliard[{L}]*",
        12: rf"bln\.?|bilion[{L}]*",
    },
    units={
        "pp": rf"(?i:punkt[{L}]*\s+procentow[{L}]*|pkt\.?\s+proc\.)|p\.\s?p\.",
        "percent": rf"(?i:procent[{L}]*|proc\.)",
        "UAH": rf"(?i:hrywn[{L}]*|hrywien)",
        "USD": rf"(?i:dolar[{L}]*(?:\s+amerykańsk[{L}]*)?|dol\.)",
        "EUR": r"(?i:euro)",
        "RUB": rf"(?i:rubl[{L}]*|rubli)",
        "GBP": rf"(?i:funt[{L}]*\s+szterling[{L}]*)",
        "PLN": rf"(?i:złot[{L}]*)",
        "km2": rf"(?i:kilometr[{L}]*\s+kwadratow[{L}]*)",
        "km": rf"(?i:kilometr[{L}]*)",
        "m3": rf"(?i:metr[{L}]*\s+sześcienn[{L}]*)",
        "mm": rf"(?i:milimetr[{L}]*)",
        "cm": rf"(?i:centymetr[{L}]*)",
        "m": r"(?i:metr(?:y|ów|a|ach|ami|ze)?)",
        "t": rf"(?i:ton[{L}]*)",
        "kg": rf"(?i:kilogram[{L}]*)",
        "ha": rf"(?i:hektar[{L}]*)",
        "l": rf"(?i:litr[{L}]*)",
        "bbl": rf"(?i:baryłk[{L}]*|baryłek)",
        "C": r"(?i:stop(?:ień|nie|ni|niach|niami)(?:\s+Celsjusza)?)",
    },
    extra_units=(("PLN", "PLN", "money"),),
    si_prefix_words={"T": "tera", "G": "giga", "M": "mega", "k": "kilo"},
    energy_words=rf"{{p}}watogodzin[{L}]*",
    power_words=r"{p}wat(?:y|ów|ach|ami|ów)?",
    unit_symbols={"PLN": "PLN|zł", "km2": r"km\s?kw\."},
    minus_words=("minus",),
    below_zero=("mrozu", r"poniżej\s+zera"),
    factor_units=r"(?i:razy|raza|krotnie)",
    factor_words={
        "dwukrotnie": 2,
        "trzykrotnie": 3,
        "czterokrotnie": 4,
        "pięciokrotnie": 5,
        "dziesięciokrotnie": 10,
    },  # fmt: skip
    factor_comparatives=(
        "więcej",
        "mniej",
        "większ",
        "mniejsz",
        "wyższ",
        "niższ",
        "szybciej",
        "wolniej",
        "taniej",
        "drożej",
        "dłuższ",
        "krótsz",
    ),  # fmt: skip
    qualifiers={
        "over": ("ponad", "powyżej", "więcej niż", "przeszło", "z górą"),
        "under": ("mniej niż", "poniżej"),
        "about": ("około", "ok.", "mniej więcej", "szacunkowo", "rzędu"),
        "almost": ("prawie", "niemal", "niemal że", "blisko"),
        "at least": ("co najmniej", "przynajmniej", "minimum", "nie mniej niż"),
        "at most": ("co najwyżej", "maksymalnie", "maksimum", "nie więcej niż"),
        "up to": ("do", "aż do"),
    },
    range_prefixes=("od", "z", "między", "pomiędzy"),
    range_joins={
        "do": RangeJoin(frozenset({"od", "z"}), may_be_change=True),
        "a": RangeJoin(frozenset({"między", "pomiędzy"})),
    },
    change_verbs=(
        "wzr[oó]s",
        "wzrost",
        "zwiększ",
        "podwyż",
        "podni[oe]s",
        "spad",
        "spadł",
        "zmniejsz",
        "obniż",
        "ogranicz",
        "zmieni",
        "zmian",
        "podroż",
        "potani",
        "skoczy",
    ),  # fmt: skip
    time_prepositions=("o", "od", "do"),
    day_parts={"rano": "morning", "wieczorem": "evening", "nocą": "night"},
    number_words=NumberWords(
        table=_number_words(),
        ordinal_stems=(
            "pierwsz",
            "drug",
            "trzec",
            "czwart",
            "piąt",
            "szóst",
            "siódm",
            "ósm",
            "dziewiąt",
            "dziesiąt",
            "dwudziest",
            "trzydziest",
            "setn",
            "tysięczn",
        ),  # fmt: skip
        ordinal_endings=("ego", "emu", "ej", "ym", "ą", "y", "a", "e"),
    ),
    lexicon=_LEXICON,
    transliterate=transliterate,
    aliases=("pol",),
    switcher_labels=("pl", "pol", "polski", "polska", "po polsku", "польська", "польский"),
)
