"""Polish, the fourth language: added through its rules module (diffing/langs/pl.py) alone.

The figure table, the language check, and a small dev set written for the project
(tests/devset_pl: uk/en/pl editions with one planted divergence each) run through
`triglot figures` and `triglot align` as a user would. All text here is our own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.extract import SWITCHER_LABELS, normalise_lang
from crawler.profiles import KNOWN_LANGUAGES, ProfileError, load_profile
from diffing.analyse import analyse_editions
from diffing.figures import extract_figures
from diffing.langs import LANGUAGES, language_pairs
from diffing.language import detect_language
from diffing.textsig import skeleton_key
from triglot.cli import main

DEVSET = Path(__file__).parent / "devset_pl"

# (text, [(raw, value, high, unit, qualifier, kind), ...])
FIGURES = [
    ("Do Polski przyjechało 472 tys. osób.", [("472 tys.", 472e3, None, None, None, "count")]),
    ("Budżet wynosi 1,5 mln zł.", [("1,5 mln zł", 1.5e6, None, "PLN", None, "money")]),
    ("Schronienie znalazło ponad 36 tysięcy uchodźców.",
     [("ponad 36 tysięcy", 36e3, None, None, "over", "count")]),
    ("Atak nastąpił 24 lutego 2025 r.",
     [("24 lutego 2025 r.", 20250224, None, None, None, "date")]),
    ("Umowę podpisano 3 marca 2025 roku.",
     [("3 marca 2025 roku", 20250303, None, None, None, "date")]),
    ("Rozmowy wznowiono w lutym 2025 roku.",
     [("lutym 2025 roku", 20250200, None, None, None, "date")]),
    ("Wystawa potrwa do 11 listopada włącznie.",
     [("11 listopada", 1111, None, None, None, "date")]),
    ("Targi odbędą się od 3 do 11 marca w Kijowie.",
     [("3 do 11 marca", 303, 311, None, None, "date")]),
    ("Zginęło pięciu żołnierzy.", [("pięciu", 5, None, None, None, "count")]),
    ("Pomogło dwudziestu pięciu ratowników.",
     [("dwudziestu pięciu", 25, None, None, None, "count")]),
    ("Przyjechało trzy tysiące dwieście osób.",
     [("trzy tysiące dwieście", 3200, None, None, None, "count")]),
    ("Z dwoma tysiącami wolontariuszy.", [("dwoma tysiącami", 2000, None, None, None, "count")]),
    ("Przeznaczono półtora miliona hrywien.",
     [("półtora miliona hrywien", 1.5e6, None, "UAH", None, "money")]),
    ("Koszt to około 2 mld dolarów.",
     [("około 2 mld dolarów", 2e9, None, "USD", "about", "money")]),
    ("Strącono co najmniej 12 dronów.", [("co najmniej 12", 12, None, None, "at least", "count")]),
    ("Frekwencja wyniosła prawie 40%.", [("prawie 40%", 40, None, "percent", "almost", "percent")]),
    ("Inflacja spadła o 3,5 punktu procentowego.",
     [("3,5 punktu procentowego", 3.5, None, "pp", None, "percent")]),
    ("Zatrudni od 30 do 40 tys. osób.", [("od 30 do 40 tys.", 30e3, 40e3, None, None, "count")]),
    ("Zgłosiło się między 30 a 40 tysiącami chętnych.",
     [("między 30 a 40 tysiącami", 30e3, 40e3, None, None, "count")]),
    ("Pozostało ok. 150 km.", [("ok. 150 km", 150, None, "km", "about", "measure")]),
    ("Zakład otwarto w 2024 roku.", [("2024 roku", 2024, None, None, None, "year")]),
    ("Posiedzenie zaczyna się o 17.00.", [("17.00", 1700, None, None, None, "time")]),
    ("Alarm ogłoszono o 8 rano.", [("8 rano", 800, None, None, None, "time")]),
    ("Wyeksportowano 36 000 ton zboża.", [("36 000 ton", 36e3, None, "t", None, "measure")]),
    ("Moc wynosi 12 MW.", [("12 MW", 12, None, "MW", None, "measure")]),
    ("Zużyto 450 MWh.", [("450 MWh", 450, None, "MWh", None, "measure")]),
    ("Dotacja do 5 tys. zł.", [("do 5 tys. zł", 5e3, None, "PLN", "up to", "money")]),
    ("Bezrobocie wynosi mniej niż 10 proc.",
     [("mniej niż 10 proc.", 10, None, "percent", "under", "percent")]),
    ("Dług sięga 2 bln zł.", [("2 bln zł", 2e12, None, "PLN", None, "money")]),  # bilion = 10**12
    ("Liczba wzrosła ponad dwukrotnie.",
     [("ponad dwukrotnie", 2, None, "times", "over", "factor")]),
    ("Ceny są 3,5 raza wyższe.", [("3,5 raza", 3.5, None, "times", None, "factor")]),
    ("W nocy będzie minus 7 stopni.", [("minus 7 stopni", -7, None, "°C", None, "measure")]),
    ("Temperatura spadnie do −12 °C.", [("do −12 °C", -12, None, "°C", "up to", "measure")]),
    ("Zapowiadają 9 stopni mrozu.", [("9 stopni mrozu", -9, None, "°C", None, "measure")]),
    ("Termin minął 24/02/2025.", [("24/02/2025", 20250224, None, None, None, "date")]),
    ("Kosztowało to 1 234 567 zł.", [("1 234 567 zł", 1234567, None, "PLN", None, "money")]),
    ("Dwa tysiące dwudziestego piątego roku.", []),  # an ordinal compound, not a count
    ("Samolot F-16 i telefon 067 123 45 67.", []),
]  # fmt: skip


def _records(text: str, lang: str = "pl") -> list[tuple]:
    return [
        (f.raw, f.value, f.high, f.unit, f.qualifier, f.kind) for f in extract_figures(text, lang)
    ]


@pytest.mark.parametrize(("text", "expected"), FIGURES, ids=[row[0] for row in FIGURES])
def test_polish_figures(text: str, expected: list[tuple]) -> None:
    assert _records(text) == expected


def test_the_polish_table_is_large() -> None:
    assert len(FIGURES) >= 30


@pytest.mark.parametrize(
    ("word", "value"),
    [("jeden", 1), ("jednego", 1), ("dwie", 2), ("dwóch", 2), ("dwoma", 2), ("trzech", 3),
     ("czterema", 4), ("pięć", 5), ("pięciu", 5), ("siedmioma", 7), ("ośmiu", 8),
     ("dziesięciu", 10), ("jedenastu", 11), ("piętnastoma", 15), ("dwudziestu", 20),
     ("czterdziestoma", 40), ("pięćdziesięciu", 50), ("stu", 100), ("dwustu", 200),
     ("pięciuset", 500), ("półtorej", 1.5)],
)  # fmt: skip
def test_polish_number_words_in_every_case(word: str, value: float) -> None:
    [figure] = extract_figures(f"Przyszło {word} osób.", "pl")
    assert figure.value == value


@pytest.mark.parametrize(
    ("month", "number"),
    [("stycznia", 1), ("lutego", 2), ("marca", 3), ("kwietnia", 4), ("maja", 5), ("czerwca", 6),
     ("lipca", 7), ("sierpnia", 8), ("września", 9), ("października", 10), ("listopada", 11),
     ("grudnia", 12)],
)  # fmt: skip
def test_polish_months_genitive(month: str, number: int) -> None:
    [figure] = extract_figures(f"Stało się to 5 {month} 2024 roku.", "pl")
    assert figure.kind == "date" and figure.value == 2024_00_05 + number * 100


@pytest.mark.parametrize("month", ["styczniu", "lutym", "marcu", "maju", "wrześniu", "grudniu"])
def test_polish_months_locative_with_a_year(month: str) -> None:
    [figure] = extract_figures(f"Stało się to w {month} 2024 roku.", "pl")
    assert figure.kind == "date" and figure.value // 100 == 202400 + figure.value // 100 % 100


def test_same_statement_in_four_languages_is_one_record() -> None:
    texts = {
        "uk": "Допомогу отримали понад 36 тисяч людей.",
        "en": "More than 36,000 people received aid.",
        "ru": "Помощь получили более 36 тысяч человек.",
        "pl": "Pomoc otrzymało ponad 36 tysięcy osób.",
    }
    records = {lang: _records(text, lang) for lang, text in texts.items()}
    assert {(r[0][1], r[0][4]) for r in records.values()} == {(36000.0, "over")}


# ---- the registry: Polish reaches every language-aware part ------------------------------


def test_polish_is_registered_everywhere() -> None:
    assert "pl" in LANGUAGES and "pl" in KNOWN_LANGUAGES
    assert normalise_lang("pl-PL") == "pl" and normalise_lang("pol") == "pl"
    assert SWITCHER_LABELS["polski"] == "pl"
    assert ("uk", "pl") in language_pairs(["pl", "uk", "en"])
    assert language_pairs(["pl", "uk", "en"]) == [("uk", "en"), ("uk", "pl"), ("en", "pl")]


def test_profiles_accept_polish_and_name_the_known_languages(tmp_path: Path) -> None:
    (tmp_path / "ok.toml").write_text(
        'name = "t"\nbase_url = "https://example.test/"\nlanguages = ["uk", "pl"]\n',
        encoding="utf-8",
    )
    assert load_profile("ok", [str(tmp_path)]).languages == ("uk", "pl")
    (tmp_path / "bad.toml").write_text(
        'name = "t"\nbase_url = "https://example.test/"\nlanguages = ["uk", "xx"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="known: uk, en, ru, pl"):
        load_profile("bad", [str(tmp_path)])
    # a profile that names no languages crawls the default three, as before
    (tmp_path / "plain.toml").write_text(
        'name = "t"\nbase_url = "https://example.test/"\n', encoding="utf-8"
    )
    assert load_profile("plain", [str(tmp_path)]).languages == ("uk", "en", "ru")


def test_polish_names_meet_their_ukrainian_and_english_spellings() -> None:
    assert skeleton_key("Charków", "pl") == skeleton_key("Харків", "uk")
    assert skeleton_key("Zełenski", "pl") == skeleton_key("Zelensky", "en")


def test_analyse_pairs_uk_and_pl() -> None:
    """The issue's first probe: uk + pl editions used to land in separate rows, unreported."""
    analysis = analyse_editions(
        {
            "uk": ["Аграрії зібрали 427 тисяч тонн зерна у Вінницькій області."],
            "pl": ["Rolnicy zebrali 472 tys. ton zboża w obwodzie winnickim."],
        }
    )
    assert [row.members for row in analysis.rows] == [{"uk": [0], "pl": [0]}]
    [divergence] = analysis.divergences
    assert (divergence.a.lang, divergence.a.figure.value) == ("uk", 427e3)
    assert (divergence.b.lang, divergence.b.figure.value) == ("pl", 472e3)
    assert divergence.figure_kind == "measure"


# ---- the language check -------------------------------------------------------------------

PL_TEXT = (
    "Rada miejska Lwowa zatwierdziła zakup nowych autobusów elektrycznych. Według mera wartość "
    "kontraktu wynosi ponad miliard hrywien, a pierwsze pojazdy trafią do miasta wiosną. Każdy "
    "autobus przewiezie wielu pasażerów i przejedzie bez ładowania długą trasę. Stare autobusy "
    "zostaną przekazane gminom obwodu lwowskiego, które od dawna o nie proszą."
)


def test_polish_text_is_polish() -> None:
    lang, confidence = detect_language(PL_TEXT)
    assert lang == "pl" and confidence >= 0.9


def test_short_polish_text_with_its_letters_is_polish() -> None:
    assert detect_language("Żółć i łąka")[0] == "pl"


def test_english_and_czech_are_not_polish() -> None:
    """Czech has no ą ę ł ś ż: whatever the model says, it is not Polish."""
    assert detect_language("The city council approved the purchase of new electric buses.")[0] == (
        "en"
    )
    czech = (
        "Městská rada schválila nákup nových elektrických autobusů. Podle starosty hodnota "
        "smlouvy přesahuje miliardu a první vozidla dorazí na jaře. Každý autobus poveze mnoho "
        "cestujících a ujede dlouhou trasu bez nabíjení."
    )
    assert detect_language(czech)[0] != "pl"


# ---- the Polish dev set through the command line ------------------------------------------

PLANTED = {
    "01-lviv-electric-buses": (0, 45, 54),
    "02-vinnytsia-harvest": (2, 7.5, 5.7),
    "03-kharkiv-frost": (0, -18, -16),
}


@pytest.mark.parametrize("article", sorted(PLANTED))
def test_polish_devset_through_triglot_align(article: str) -> None:
    folder = DEVSET / article
    sources = [f"{lang}={folder / f'{lang}.txt'}" for lang in ("uk", "en", "pl")]
    result = CliRunner().invoke(main, ["align", "--json", *sources])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert list(document["editions"]) == ["uk", "en", "pl"]
    paragraphs = len(document["editions"]["uk"]["paragraphs"])
    assert [(r["uk"], r["en"], r["pl"]) for r in document["rows"]] == [
        ([i], [i], [i]) for i in range(paragraphs)
    ]
    row, value, planted = PLANTED[article]
    found = {
        (d["row"], d["kind"], d["a"]["lang"], d["a"]["value"], d["b"]["lang"], d["b"]["value"])
        for d in document["divergences"]
    }
    assert found == {
        (row, "changed", "uk", value, "pl", planted),
        (row, "changed", "en", value, "pl", planted),
    }


def test_polish_devset_languages_are_detected_without_names(tmp_path: Path) -> None:
    folder = DEVSET / "01-lviv-electric-buses"
    result = CliRunner().invoke(
        main, ["align", "--json", *(str(folder / f"{lang}.txt") for lang in ("pl", "en", "uk"))]
    )
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.output)["editions"]) == ["uk", "en", "pl"]


def test_triglot_figures_reads_polish() -> None:
    text = (DEVSET / "02-vinnytsia-harvest" / "pl.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["figures", "--json", "--lang", "pl", text])
    assert result.exit_code == 0, result.output
    assert [(f["raw"], f["value"]) for f in json.loads(result.output)] == [
        ("24 września 2025 roku", 20250924),
        ("2,8 mln ton", 2.8e6),
        ("300 tys. ton", 300e3),
        ("5,7 tony", 5.7),
        ("ponad trzy tysiące", 3000.0),
    ]


def test_unknown_language_prefix_names_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Tekst.", encoding="utf-8")
    result = CliRunner().invoke(main, ["align", f"xx={path}"])
    assert result.exit_code != 0
    assert "use uk, en, ru, pl" in result.output


def test_the_registry_finds_its_modules_in_order() -> None:
    from diffing.langs import DEFAULT_LANGUAGES, REGISTRY

    assert LANGUAGES == ("uk", "en", "ru", "pl")  # uk, en, ru first, as every column reads
    assert DEFAULT_LANGUAGES == ("uk", "en", "ru")
    for code, rules in REGISTRY.items():
        assert rules.code == code and code in rules.reads
        assert len(rules.months) == 12 and rules.number_words is not None
        assert rules.lexicon.strip(), code
