"""diffing.language.detect_language: script cues first, langdetect for the rest."""

import pytest

from diffing.language import detect_language

UK_LONG = (
    "Уряд ухвалив рішення про підвищення мінімальної заробітної плати з першого січня. "
    "Як повідомили у міністерстві, зміни стосуються понад трьох мільйонів працівників, "
    "а додаткові витрати бюджету оцінюють у чотири мільярди гривень."
)
RU_LONG = (
    "Правительство приняло решение о повышении минимальной заработной платы с первого "
    "января. Как сообщили в министерстве, изменения касаются более трёх миллионов "
    "работников, а дополнительные расходы бюджета оценивают в четыре миллиарда гривен."
)
EN_LONG = (
    "The government decided to raise the minimum wage from the first of January. "
    "The ministry said the change affects more than three million workers, and the extra "
    "budget spending is estimated at four billion hryvnias."
)


@pytest.mark.parametrize(
    ("text", "lang", "min_confidence"),
    [
        (UK_LONG, "uk", 0.9),
        (RU_LONG, "ru", 0.9),
        (EN_LONG, "en", 0.9),
        ("Їжак з'їв яблуко.", "uk", 0.5),  # short, with ї
        ("Це є правда", "uk", 0.5),  # є, і-less
        ("Мы это знали.", "ru", 0.5),  # ы, э
        ("Подъезд", "ru", 0.4),  # ъ alone
        ("Ёлка", "ru", 0.4),
        ("Air defence shot down 11 drones.", "en", 0.5),
        ("Kyiv", "en", 0.3),
        (
            "Die Regierung hat beschlossen, den Mindestlohn im nächsten Jahr zu erhöhen.",
            "other",
            0.5,
        ),
        (
            "Правителството реши да повиши минималната работна заплата от следващата година.",
            "other",
            0.5,
        ),
    ],
)
def test_detects_language(text: str, lang: str, min_confidence: float) -> None:
    detected, confidence = detect_language(text)
    assert detected == lang
    assert min_confidence <= confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "12 345,6 — 7%", "…!?", "AB"])
def test_no_text_to_judge(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a Ukrainian page quoting a Russian sentence: the majority script cues win
        (UK_LONG + " «Мы это обсудим», — сказал он.", "uk"),
        (RU_LONG + " Цитата: «Ми це обговоримо».", "ru"),
        # English text with a Ukrainian name in Cyrillic stays English
        (EN_LONG + " (Київ)", "en"),
        # mostly Ukrainian with English terms
        (UK_LONG + " Summit, NATO, IMF.", "uk"),
    ],
)
def test_mixed_text_goes_to_majority(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


def test_mixed_text_is_less_certain_than_pure_text() -> None:
    pure = detect_language(UK_LONG)[1]
    mixed = detect_language(UK_LONG + " " + RU_LONG)[1]
    assert mixed < pure


@pytest.mark.parametrize("text", [UK_LONG, RU_LONG, EN_LONG, "Новини", "Москва", "Kyiv, Ukraine"])
def test_deterministic(text: str) -> None:
    answers = {detect_language(text) for _ in range(20)}
    assert len(answers) == 1


def test_short_cyrillic_without_cues_is_uk_or_ru_with_low_confidence() -> None:
    lang, confidence = detect_language("Новини")
    assert lang in ("uk", "ru")
    assert confidence <= 0.5
