"""diffing.language.detect_language: script cues first, langdetect for the rest."""

import pytest

from diffing import language
from diffing.language import LANGDETECT_MAX_CHARS, detect_language

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


# ------------------------------------------------------------------ the fast path
# Article-length texts written for these tests: the same story in six languages, long enough
# that script cues (or English function words) decide without the n-gram model.

UK_ARTICLE = (
    "Київська міська рада затвердила програму ремонту шкіл на наступний рік. "
    "Як повідомили у департаменті освіти, до кінця серпня відремонтують покрівлі та "
    "укриття у сорока двох закладах, а ще в одинадцяти замінять вікна і системи опалення. "
    "Загальна вартість робіт становить 612 мільйонів гривень, з яких третину покриє "
    "державна субвенція. Депутати також доручили підготувати перелік шкіл, де навчання "
    "досі відбувається дистанційно через відсутність укриттів. За словами директорки "
    "департаменту, у вересні всі учні зможуть ходити до класів щонайменше три дні на "
    "тиждень. Батьківські комітети просять оприлюднювати графік робіт на сайті кожної "
    "школи, щоб родини могли планувати своє життя заздалегідь."
)
RU_ARTICLE = (
    "Городской совет Харькова утвердил программу ремонта школьных зданий на следующий год. "
    "Как сообщили в департаменте образования, до конца августа отремонтируют крыши и "
    "укрытия в сорока двух школах, а ещё в одиннадцати заменят окна и системы отопления. "
    "Общая стоимость работ составит 612 миллионов гривен, из которых треть покроет "
    "государственная субвенция. Депутаты также поручили подготовить перечень школ, где "
    "обучение всё ещё проходит дистанционно из-за отсутствия укрытий. По словам директора "
    "департамента, в сентябре все ученики смогут ходить в классы минимум три дня в неделю. "
    "Родительские комитеты просят публиковать график работ на сайте каждой школы, чтобы "
    "семьи могли заранее планировать свою жизнь, а этот вопрос обсудят на отдельном "
    "заседании. Подрядчиков выберут через открытые торги, и объявления о них уже "
    "размещены в системе закупок, сообщили в мэрии."
)
EN_ARTICLE = (
    "The Kyiv city council approved a programme of school repairs for the coming year. "
    "The education department said that roofs and shelters at forty-two schools would be "
    "repaired by the end of August, and windows and heating systems replaced at eleven "
    "more. The works are expected to cost 612 million hryvnias, a third of which will be "
    "covered by a state grant. Deputies also asked the department to draw up a list of the "
    "schools where lessons are still held online because they have no shelter. According "
    "to the head of the department, from September all pupils will be able to attend "
    "classes at least three days a week. Parents' committees asked that the schedule of "
    "works be published on the website of each school, so that families could plan ahead."
)
DE_ARTICLE = (
    "Der Stadtrat von Kyjiw hat ein Programm zur Sanierung von Schulen für das kommende "
    "Jahr beschlossen. Wie die Bildungsbehörde mitteilte, sollen bis Ende August die Dächer "
    "und Schutzräume in zweiundvierzig Schulen repariert und in elf weiteren Fenster und "
    "Heizungen ersetzt werden. Die Arbeiten kosten voraussichtlich 612 Millionen Hrywnja, "
    "ein Drittel davon übernimmt der Staat. Die Abgeordneten beauftragten die Behörde "
    "außerdem, eine Liste der Schulen zu erstellen, in denen der Unterricht wegen fehlender "
    "Schutzräume noch immer online stattfindet."
)
FR_ARTICLE = (
    "Le conseil municipal de Kyiv a adopté un programme de rénovation des écoles pour "
    "l'année prochaine. Selon le département de l'éducation, les toits et les abris de "
    "quarante-deux établissements seront réparés d'ici la fin du mois d'août, et les "
    "fenêtres et le chauffage remplacés dans onze autres. Les travaux devraient coûter 612 "
    "millions de hryvnias, dont un tiers sera couvert par une subvention de l'État."
)
PL_ARTICLE = (
    "Rada miejska Kijowa przyjęła program remontu szkół na przyszły rok. Jak poinformował "
    "wydział edukacji, do końca sierpnia zostaną naprawione dachy i schrony w czterdziestu "
    "dwóch szkołach, a w jedenastu kolejnych wymienione okna i ogrzewanie. Prace mają "
    "kosztować 612 milionów hrywien, z czego jedną trzecią pokryje dotacja państwowa. To "
    "ważne dla rodzin, które chcą wiedzieć, kiedy dzieci wrócą do klas."
)
NL_ARTICLE = (
    "De gemeenteraad van Kyiv heeft een programma voor de renovatie van scholen voor het "
    "komende jaar goedgekeurd. Volgens de onderwijsdienst worden de daken en schuilkelders "
    "van tweeënveertig scholen voor eind augustus hersteld, en in elf andere scholen worden "
    "ramen en verwarming vervangen. De werken kosten naar verwachting 612 miljoen grivna, "
    "waarvan een derde door de staat wordt betaald. Het is nog niet duidelijk of alle "
    "leerlingen in september naar de klas kunnen gaan."
)
BG_ARTICLE = (
    "Общинският съвет на Киев одобри програма за ремонт на училищата през следващата "
    "година. Според отдела по образование до края на август ще бъдат ремонтирани покривите "
    "и убежищата в четиридесет и две училища, а в още единадесет ще бъдат сменени "
    "прозорците и отоплението. Работите ще струват 612 милиона гривни, като една трета от "
    "сумата ще бъде покрита от държавна субсидия. Депутатите възложиха на отдела да "
    "състави списък на училищата, в които обучението все още се провежда дистанционно, "
    "защото нямат убежище. Според ръководителя на отдела от септември всички ученици ще "
    "могат да ходят на училище поне три дни в седмицата. Родителите поискаха графикът на "
    "работите да бъде публикуван на сайта на всяко училище, за да могат семействата да "
    "планират предварително, тъй като това засяга хиляди деца в столицата на страната."
)


UK_WITH_RUSSIAN_WORDS = (
    UK_ARTICLE + " «Это временно, конечно», — сказал один з мешканців, і додав, що чекає."
)
RU_WITH_LATIN_NAMES = (
    RU_ARTICLE + " Об этом пишут Bloomberg и Reuters со ссылкой на Kyiv City Council."
)
UK_WITH_TRANSLITERATIONS = (
    UK_ARTICLE + " Проєкт підтримали Zelenska Foundation та UNICEF (Kyiv, Kharkiv, Odesa)."
)
EN_QUOTING_CYRILLIC = (
    EN_ARTICLE + " A banner on the school read «Ми повернемося до класів» (We will return)."
)
EN_WITH_DIACRITIC_NAMES = (
    EN_ARTICLE + " The report was written by Zoë Müller and Tomáš Dvořák of the city office."
)
EN_WITH_TRANSLITERATED_NAMES = (
    EN_ARTICLE + " Mayor Vitalii Klychko met parents in Sviatoshynskyi and Obolonskyi districts."
)

DECISIVE_CASES = [
    ("Ukrainian article", UK_ARTICLE, "uk"),
    ("Russian article", RU_ARTICLE, "ru"),
    ("English article", EN_ARTICLE, "en"),
    ("Ukrainian with a Russian quote", UK_WITH_RUSSIAN_WORDS, "uk"),
    ("Russian with Latin names", RU_WITH_LATIN_NAMES, "ru"),
    ("Ukrainian with transliterated names", UK_WITH_TRANSLITERATIONS, "uk"),
    ("English quoting Cyrillic", EN_QUOTING_CYRILLIC, "en"),
    ("English with diacritic names", EN_WITH_DIACRITIC_NAMES, "en"),
    ("English with transliterated names", EN_WITH_TRANSLITERATED_NAMES, "en"),
    ("Ukrainian article, long", " ".join([UK_ARTICLE] * 8), "uk"),
    ("Russian article, long", " ".join([RU_ARTICLE] * 8), "ru"),
]


@pytest.mark.parametrize(("name", "text", "lang"), DECISIVE_CASES)
def test_decisive_cues_answer_without_the_model(
    name: str, text: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost contract: an article with clear cues never reaches langdetect."""

    def model_called(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"{name}: langdetect consulted on a decisive text")

    monkeypatch.setattr(language, "_langdetect", model_called)
    detected, confidence = detect_language(text)
    assert detected == lang, name
    assert 0.85 <= confidence <= 1.0, name


@pytest.mark.parametrize(
    ("name", "text", "lang"), [c for c in DECISIVE_CASES if c[0].endswith("article")]
)
def test_decisive_answer_agrees_with_the_model(name: str, text: str, lang: str) -> None:
    assert language._langdetect(text)[0][0] == lang, name
    assert detect_language(text)[0] == lang, name


@pytest.mark.parametrize(
    ("name", "text", "lang"),
    [
        ("German", DE_ARTICLE, "other"),
        ("French", FR_ARTICLE, "other"),
        ("Polish", PL_ARTICLE, "pl"),  # a registered language since Polish was added
        ("Dutch", NL_ARTICLE, "other"),
        ("German, longer than the model's sample", " ".join([DE_ARTICLE] * 10), "other"),
        # 24 ъ and no ы э ё: Russian by the cue count, Bulgarian by the model
        ("Bulgarian", " ".join([BG_ARTICLE] * 2), "other"),
        # no cues at all: the model chooses between uk and ru
        ("Cyrillic without cues", "Москва, Одеса, Харків — ракета, дрон, атака, сирена.", None),
    ],
)
def test_texts_the_cues_cannot_settle_go_to_the_model(
    name: str, text: str, lang: str | None
) -> None:
    detected, confidence = detect_language(text)
    if lang is None:
        assert detected in ("uk", "ru"), name
        assert confidence <= 0.8, name
    else:
        assert detected == lang, name
        assert confidence >= 0.5, name


def test_the_model_reads_a_bounded_sample() -> None:
    long_text = " ".join([DE_ARTICLE] * 10)
    sample = language._sample(long_text)
    assert len(long_text) > LANGDETECT_MAX_CHARS
    assert LANGDETECT_MAX_CHARS // 2 < len(sample) <= LANGDETECT_MAX_CHARS
    assert long_text.startswith(sample) and long_text[len(sample)] == " "  # a word boundary
    assert language._sample(DE_ARTICLE) == DE_ARTICLE


@pytest.mark.parametrize(
    ("mixed", "pure", "lang"),
    [
        (UK_ARTICLE + " " + RU_ARTICLE[:400], UK_ARTICLE, "uk"),
        (RU_ARTICLE + " " + UK_ARTICLE[:300], RU_ARTICLE, "ru"),
        (EN_ARTICLE + " " + UK_ARTICLE[:300], EN_ARTICLE, "en"),
    ],
)
def test_mixed_articles_keep_the_majority_with_less_confidence(
    mixed: str, pure: str, lang: str
) -> None:
    detected, confidence = detect_language(mixed)
    assert detected == lang
    assert confidence < detect_language(pure)[1]


@pytest.mark.parametrize("text", [UK_ARTICLE, RU_ARTICLE, EN_ARTICLE, BG_ARTICLE * 2, DE_ARTICLE])
def test_deterministic_on_articles(text: str) -> None:
    assert len({detect_language(text) for _ in range(5)}) == 1
