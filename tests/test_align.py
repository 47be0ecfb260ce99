"""Cross-language paragraph alignment on small hand-written trilingual articles."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from diffing.align import (
    BEADS,
    Row,
    _PairAligner,
    _units_of,
    align_editions,
    figure_slip_keys,
    paragraph_signals,
)
from diffing.analyse import analyse_editions
from diffing.lexicon import concept_of
from diffing.textsig import (
    name_keys,
    skeleton_key,
    tokenize,
    transliterate_ru,
    transliterate_uk,
)
from triglot.offline import alignment_document

# Invented news paragraphs, one dict per passage: the same content in the three languages.
STRIKE = {
    "uk": "Унаслідок нічної атаки на Харків пошкоджено три підстанції, без світла залишилися "
    "понад 120 тисяч абонентів, повідомив мер міста Ігор Терехов.",
    "en": "A night attack on Kharkiv damaged three substations and left more than 120,000 "
    "customers without power, Mayor Ihor Terekhov said.",
    "ru": "В результате ночной атаки на Харьков повреждены три подстанции, без света остались "
    "более 120 тысяч абонентов, сообщил мэр города Игорь Терехов.",
}
REPAIRS = {
    "uk": "За даними Укренерго, ремонтні бригади працюють цілодобово, а відновлення живлення "
    "може тривати до 48 годин.",
    "en": "Ukrenergo said repair crews were working around the clock and restoring supply could "
    "take up to 48 hours.",
    "ru": "По данным Укрэнерго, ремонтные бригады работают круглосуточно, а восстановление "
    "питания может занять до 48 часов.",
}
INJURED = {
    "uk": "Голова Харківської ОВА Олег Синєгубов уточнив, що поранено 7 людей, серед них двоє "
    "дітей віком 9 та 14 років.",
    "en": "Regional governor Oleh Syniehubov said 7 people were injured, including two children "
    "aged 9 and 14.",
    "ru": "Глава Харьковской ОВА Олег Синегубов уточнил, что ранены 7 человек, среди них двое "
    "детей в возрасте 9 и 14 лет.",
}
FUNDS = {
    "uk": "Прем'єр-міністр Денис Шмигаль заявив, що уряд виділить 1,5 млрд гривень на "
    "відновлення енергетичної інфраструктури регіону.",
    "en": "Prime Minister Denys Shmyhal said the government would allocate UAH 1.5 billion to "
    "rebuild the region's energy infrastructure.",
    "ru": "Премьер-министр Денис Шмыгаль заявил, что правительство выделит 1,5 млрд гривен на "
    "восстановление энергетической инфраструктуры региона.",
}
RECAP = {
    "uk": "Нагадаємо, у березні 2024 року російські удари знищили Зміївську ТЕС, а загалом "
    "енергосистема втратила близько 8 ГВт потужностей.",
    "en": "As previously reported, in March 2024 Russian strikes destroyed the Zmiiv power "
    "plant, and the grid lost about 8 GW of capacity overall.",
    "ru": "Напомним, в марте 2024 года российские удары уничтожили Змиевскую ТЭС, а в целом "
    "энергосистема потеряла около 8 ГВт мощностей.",
}
AIR_DEFENCE = {
    "uk": "Президент Володимир Зеленський закликав партнерів пришвидшити постачання систем ППО "
    "Patriot та IRIS-T.",
    "en": "President Volodymyr Zelensky urged partners to speed up deliveries of Patriot and "
    "IRIS-T air defence systems.",
    "ru": "Президент Владимир Зеленский призвал партнеров ускорить поставки систем ПВО Patriot "
    "и IRIS-T.",
}
ALERTS = {
    "uk": "У Львові та Києві також оголошували повітряну тривогу, яка тривала близько 2 годин.",
    "en": "Air raid alerts were also declared in Lviv and Kyiv, lasting about 2 hours.",
    "ru": "Во Львове и Киеве также объявляли воздушную тревогу, которая длилась около 2 часов.",
}
ZAPORIZHZHIA = {
    "uk": "У Запоріжжі внаслідок обстрілу загинула одна людина, ще 4 отримали поранення, "
    "повідомив Іван Федоров.",
    "en": "In Zaporizhzhia, one person was killed and 4 others were wounded in the shelling, "
    "Ivan Fedorov said.",
    "ru": "В Запорожье в результате обстрела погиб один человек, еще 4 получили ранения, "
    "сообщил Иван Федоров.",
}
SUBSCRIBE = {
    "uk": "Підписуйтесь на наш канал у Telegram, щоб першими дізнаватися головні новини.",
    "ru": "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости.",
}
# English halves of passages that the English edition splits or merges differently.
STRIKE_AND_REPAIRS_EN = STRIKE["en"] + " " + REPAIRS["en"]
FUNDS_EN_FIRST = "Prime Minister Denys Shmyhal said the government would allocate UAH 1.5 billion."
FUNDS_EN_SECOND = "The money will go to rebuilding the region's energy infrastructure."
# For a 2-2: uk/ru cut after the names, en cuts after the alert.
CUT_UK = [
    AIR_DEFENCE["uk"] + " " + ALERTS["uk"],
    ZAPORIZHZHIA["uk"],
]
CUT_RU = [
    AIR_DEFENCE["ru"] + " " + ALERTS["ru"],
    ZAPORIZHZHIA["ru"],
]
CUT_EN = [
    AIR_DEFENCE["en"],
    ALERTS["en"] + " " + ZAPORIZHZHIA["en"],
]


def editions_of(*passages: dict[str, str], langs: tuple[str, ...] = ("uk", "en", "ru")):
    """Editions made of whole passages, each language keeping the passages it has."""
    return {lang: [p[lang] for p in passages if lang in p] for lang in langs}


def shape(rows: list[Row], langs: tuple[str, ...] = ("uk", "en", "ru")) -> list[tuple]:
    return [tuple(row.members[lang] for lang in langs) for row in rows]


CASES = [
    (
        "one-to-one",
        editions_of(STRIKE, REPAIRS, INJURED, FUNDS),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], [2]), ([3], [3], [3])],
    ),
    (
        "english omits a middle paragraph",
        {
            "uk": [STRIKE["uk"], REPAIRS["uk"], INJURED["uk"], FUNDS["uk"]],
            "en": [STRIKE["en"], INJURED["en"], FUNDS["en"]],
            "ru": [STRIKE["ru"], REPAIRS["ru"], INJURED["ru"], FUNDS["ru"]],
        },
        [([0], [0], [0]), ([1], [], [1]), ([2], [1], [2]), ([3], [2], [3])],
    ),
    (
        "english merges two paragraphs (2-1)",
        {
            "uk": [STRIKE["uk"], REPAIRS["uk"], INJURED["uk"], FUNDS["uk"]],
            "en": [STRIKE_AND_REPAIRS_EN, INJURED["en"], FUNDS["en"]],
            "ru": [STRIKE["ru"], REPAIRS["ru"], INJURED["ru"], FUNDS["ru"]],
        },
        [([0, 1], [0], [0, 1]), ([2], [1], [2]), ([3], [2], [3])],
    ),
    (
        "english splits a paragraph (1-2)",
        {
            "uk": [STRIKE["uk"], FUNDS["uk"], AIR_DEFENCE["uk"]],
            "en": [STRIKE["en"], FUNDS_EN_FIRST, FUNDS_EN_SECOND, AIR_DEFENCE["en"]],
            "ru": [STRIKE["ru"], FUNDS["ru"], AIR_DEFENCE["ru"]],
        },
        [([0], [0], [0]), ([1], [1, 2], [1]), ([2], [3], [2])],
    ),
    (
        "editions cut one passage at different sentences (2-2)",
        {
            "uk": [STRIKE["uk"], *CUT_UK, FUNDS["uk"]],
            "en": [STRIKE["en"], *CUT_EN, FUNDS["en"]],
            "ru": [STRIKE["ru"], *CUT_RU, FUNDS["ru"]],
        },
        [([0], [0], [0]), ([1, 2], [1, 2], [1, 2]), ([3], [3], [3])],
    ),
    (
        "recap next to a merge stays its own row",
        {
            "uk": [STRIKE["uk"], REPAIRS["uk"], RECAP["uk"], FUNDS["uk"]],
            "en": [STRIKE_AND_REPAIRS_EN, FUNDS["en"]],
            "ru": [STRIKE["ru"], REPAIRS["ru"], RECAP["ru"], FUNDS["ru"]],
        },
        [([0, 1], [0], [0, 1]), ([2], [], [2]), ([3], [1], [3])],
    ),
    (
        "recap before the merge stays its own row",
        {
            "uk": [INJURED["uk"], RECAP["uk"], STRIKE["uk"], REPAIRS["uk"]],
            "en": [INJURED["en"], STRIKE_AND_REPAIRS_EN],
            "ru": [INJURED["ru"], RECAP["ru"], STRIKE["ru"], REPAIRS["ru"]],
        },
        [([0], [0], [0]), ([1], [], [1]), ([2, 3], [1], [2, 3])],
    ),
    (
        "russian omits a paragraph the others keep",
        {
            "uk": [STRIKE["uk"], INJURED["uk"], ZAPORIZHZHIA["uk"], FUNDS["uk"]],
            "en": [STRIKE["en"], INJURED["en"], ZAPORIZHZHIA["en"], FUNDS["en"]],
            "ru": [STRIKE["ru"], INJURED["ru"], FUNDS["ru"]],
        },
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], []), ([3], [3], [2])],
    ),
    (
        "only english carries an extra paragraph",
        {
            "uk": [STRIKE["uk"], FUNDS["uk"], AIR_DEFENCE["uk"]],
            "en": [STRIKE["en"], FUNDS["en"], RECAP["en"], AIR_DEFENCE["en"]],
            "ru": [STRIKE["ru"], FUNDS["ru"], AIR_DEFENCE["ru"]],
        },
        [([0], [0], [0]), ([1], [1], [1]), ([], [2], []), ([2], [3], [2])],
    ),
    (
        "subscription boilerplate only in the cyrillic editions",
        editions_of(STRIKE, INJURED, ZAPORIZHZHIA, SUBSCRIBE),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], [2]), ([3], [], [3])],
    ),
    (
        "one empty edition",
        {
            "uk": [STRIKE["uk"], REPAIRS["uk"], FUNDS["uk"]],
            "en": [STRIKE["en"], REPAIRS["en"], FUNDS["en"]],
            "ru": [],
        },
        [([0], [0], []), ([1], [1], []), ([2], [2], [])],
    ),
    (
        "long article, english drops two and keeps the rest in order",
        {
            "uk": [p["uk"] for p in (STRIKE, REPAIRS, INJURED, ZAPORIZHZHIA, ALERTS, FUNDS,
                                     AIR_DEFENCE, RECAP)],
            "en": [p["en"] for p in (STRIKE, INJURED, ZAPORIZHZHIA, FUNDS, AIR_DEFENCE, RECAP)],
            "ru": [p["ru"] for p in (STRIKE, REPAIRS, INJURED, ZAPORIZHZHIA, ALERTS, FUNDS,
                                     AIR_DEFENCE, RECAP)],
        },
        [([0], [0], [0]), ([1], [], [1]), ([2], [1], [2]), ([3], [2], [3]), ([4], [], [4]),
         ([5], [3], [5]), ([6], [4], [6]), ([7], [5], [7])],
    ),
]  # fmt: skip


# Short paragraphs with few figures and names: what the lexicon and the merge guards are for.
CLASHES = {
    "uk": "За добу на фронті відбулося 140 бойових зіткнень, найзапекліші бої тривали на "
    "Куп'янському напрямку, повідомив Генштаб.",
    "en": "The General Staff reported 140 clashes along the front over the past day, with the "
    "fiercest fighting in the Kupiansk sector.",
    "ru": "За сутки на фронте произошло 140 боевых столкновений, самые ожесточенные бои шли на "
    "Купянском направлении, сообщил Генштаб.",
}
ATTEMPTS = {
    "uk": "На Куп'янському напрямку окупанти 37 разів намагалися прорвати оборону біля "
    "Петропавлівки. Захисники відбили 31 атаку.",
    "en": "Russian troops tried 37 times to break through near Petropavlivka in the Kupiansk "
    "sector. Defenders repelled 31 attacks.",
    "ru": "На Купянском направлении оккупанты 37 раз пытались прорвать оборону возле "
    "Петропавловки. Защитники отбили 31 атаку.",
}
LOSSES = {
    "uk": "Загальні втрати ворога за добу становлять 1 180 осіб, 7 танків і 26 артилерійських "
    "систем.",
    "en": "Russia lost 1,180 troops, 7 tanks and 26 artillery systems over the past day.",
    "ru": "Общие потери врага за сутки составляют 1180 человек, 7 танков и 26 артиллерийских "
    "систем.",
}
SHELLING = {
    "uk": "Унаслідок обстрілу Миколаєва пошкоджено 12 будинків і школу, поранено 5 людей, "
    "повідомив мер Олександр Сєнкевич.",
    "en": "Shelling of Mykolaiv damaged 12 houses and a school and wounded 5 people, Mayor "
    "Oleksandr Senkevych said.",
    "ru": "В результате обстрела Николаева повреждены 12 домов и школа, ранены 5 человек, "
    "сообщил мэр Александр Сенкевич.",
}
AID = {
    "uk": "Міська рада виплатить постраждалим родинам по 50 тис. грн допомоги.",
    "en": "The city council will pay UAH 50,000 in aid to each affected family.",
    "ru": "Городской совет выплатит пострадавшим семьям по 50 тыс. гривен помощи.",
}
MYKOLAIV_RECAP = {
    "uk": "Нагадаємо, 14 травня внаслідок удару по Миколаєву загинули 3 людини.",
    "ru": "Напомним, 14 мая в результате удара по Николаеву погибли 3 человека.",
}
MYKOLAIV_BACKGROUND_EN = (
    "Mykolaiv, a shipbuilding port on the Southern Bug, had about 470,000 residents before "
    "the full-scale invasion."
)
FORECAST = {
    "uk": "Нацбанк прогнозує, що інфляція сягне піку в липні–серпні, після чого почне "
    "сповільнюватися. Наступне засідання щодо облікової ставки відбудеться 24 липня.",
    "ru": "Нацбанк прогнозирует, что инфляция достигнет пика в июле–августе, после чего начнет "
    "замедляться. Следующее заседание по учетной ставке состоится 24 июля.",
}
FORECAST_EN = [
    "The central bank expects inflation to peak in July or August.",
    "Its next rate meeting is on July 24.",
]
PRICES = {
    "uk": "За рік ціни на овочі зросли на 31,2%, а на хліб — на 17,5%.",
    "en": "Vegetable prices rose 31.2% year on year and bread 17.5%.",
    "ru": "За год цены на овощи выросли на 31,2%, а на хлеб — на 17,5%.",
}
WAGES = {
    "uk": "Середня зарплата у квітні становила 19 850 грн.",
    "en": "The average wage in April was UAH 19,850.",
    "ru": "Средняя зарплата в апреле составила 19 850 гривен.",
}
OUTAGES = {
    "uk": "Через атаку 16 березня без світла залишалися 210 тисяч абонентів у Сумській області.",
    "en": "The attack on March 16 left 210,000 customers in the Sumy region without power.",
    "ru": "Из-за атаки 16 марта без света оставались 210 тысяч абонентов в Сумской области.",
}
CLOSING = {
    "uk": "Ремонтні бригади працюють цілодобово. Енергетики розраховують повністю відновити "
    "живлення до кінця тижня, якщо погода дозволить.",
    "ru": "Ремонтные бригады работают круглосуточно. Энергетики рассчитывают полностью "
    "восстановить питание до конца недели, если позволит погода.",
}
CLOSING_EN = [
    "Repair crews are working around the clock.",
    "Engineers hope to restore supply fully by the end of the week, weather permitting.",
]
GOAL = {
    "uk": "Єдиний гол на 64-й хвилині забив нападник Артем Довбенко після подачі з кутового.",
    "en": "Striker Artem Dovbenko scored the only goal in the 64th minute from a corner.",
    "ru": "Единственный гол на 64-й минуте забил нападающий Артем Довбенко после подачи с "
    "углового.",
}
COACH_QUOTE = {
    "uk": "«Хлопці віддали на полі все. Після такої важкої серії ця перемога особливо цінна», — "
    "сказав після гри головний тренер львів'ян.",
    "en": '"The boys gave everything," the head coach said.',
    "ru": "«Ребята отдали на поле все. После такой тяжелой серии эта победа особенно ценна», — "
    "сказал после игры главный тренер львовян.",
}
ATTENDANCE = {
    "uk": "Матч відвідали 6 240 уболівальників.",
    "en": "The match was watched by 6,240 fans.",
    "ru": "Матч посетили 6 240 болельщиков.",
}
VERDICT = {
    "uk": "Вищий антикорупційний суд засудив колишнього голову митниці до 6 років позбавлення "
    "волі за хабар у 90 тис. доларів.",
    "en": "The High Anti-Corruption Court sentenced a former customs chief to 6 years in prison "
    "for a $90,000 bribe.",
    "ru": "Высший антикоррупционный суд приговорил бывшего главу таможни к 6 годам лишения "
    "свободы за взятку в 90 тыс. долларов.",
}
BAN = {
    "uk": "Суд також заборонив йому обіймати посади на державній службі.",
    "ru": "Суд также запретил ему занимать должности на государственной службе.",
}
APPEAL = {
    "uk": "Обвинувачений провини не визнав. Захист оскаржить вирок в апеляційній палаті.",
    "ru": "Обвиняемый вину не признал. Защита обжалует приговор в апелляционной палате.",
}
BAN_AND_APPEAL_EN = (
    "The court also barred him from public service. He denies wrongdoing, and his lawyers "
    "will appeal the verdict."
)
SEARCHES = {
    "uk": "Під час обшуків слідчі вилучили 2,1 млн грн готівкою.",
    "en": "Investigators seized UAH 2.1 million in cash during searches.",
    "ru": "Во время обысков следователи изъяли 2,1 млн гривен наличными.",
}
SEASON_RECAP = {
    "uk": "Нагадаємо, минулого сезону «Карпати» посіли в чемпіонаті восьме місце.",
    "ru": "Напомним, в прошлом сезоне «Карпаты» заняли в чемпионате восьмое место.",
}


def with_english(passages: list[dict[str, str]], english: list[str]) -> dict[str, list[str]]:
    """Editions of whole passages in uk/ru, with an English edition cut its own way."""
    editions = editions_of(*passages)
    editions["en"] = english
    return editions


SHORT_PARAGRAPH_CASES = [
    (
        "two one-to-one passages with their own figures are not fused into a 2-2",
        editions_of(CLASHES, ATTEMPTS, LOSSES),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], [2])],
    ),
    (
        "an english-only background paragraph is not paired with a recap",
        with_english([SHELLING, AID, MYKOLAIV_RECAP], [SHELLING["en"], AID["en"],
                                                       MYKOLAIV_BACKGROUND_EN]),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [], [2]), ([], [2], [])],
    ),
    (
        "english splits a paragraph and one half has no figures (1-2)",
        with_english([PRICES, FORECAST, WAGES], [PRICES["en"], *FORECAST_EN, WAGES["en"]]),
        [([0], [0], [0]), ([1], [1, 2], [1]), ([2], [3], [2])],
    ),
    (
        "english keeps only the short first sentence of the closing paragraph",
        with_english([OUTAGES, WAGES, CLOSING], [OUTAGES["en"], WAGES["en"], CLOSING_EN[0]]),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], [2])],
    ),
    (
        "a one-sentence english quote pairs with the full quote, the recap stays alone",
        editions_of(GOAL, ATTENDANCE, COACH_QUOTE, SEASON_RECAP),
        [([0], [0], [0]), ([1], [1], [1]), ([2], [2], [2]), ([3], [], [3])],
    ),
    (
        "english merges the ban and the appeal paragraphs (2-1)",
        with_english([VERDICT, BAN, APPEAL, SEARCHES],
                     [VERDICT["en"], BAN_AND_APPEAL_EN, SEARCHES["en"]]),
        [([0], [0], [0]), ([1, 2], [1], [1, 2]), ([3], [2], [3])],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "editions", "expected"),
    SHORT_PARAGRAPH_CASES,
    ids=[c[0] for c in SHORT_PARAGRAPH_CASES],
)
def test_short_paragraphs(name: str, editions: dict[str, list[str]], expected: list[tuple]):
    """Rows as a set: a lone paragraph of one edition may sit before or after another's."""
    assert sorted(shape(align_editions(editions))) == sorted(expected)


LEXICON_TABLE = [
    ("Ремонтні", "uk", "repair"), ("ремонтные", "ru", "repair"), ("repairs", "en", "repair"),
    ("бригади", "uk", "brigade"), ("crews", "en", "brigade"),
    ("цілодобово", "uk", "clock"), ("круглосуточно", "ru", "clock"), ("clock", "en", "clock"),
    ("травня", "uk", "may"), ("мая", "ru", "may"), ("May", "en", "may"),
    ("червень", "uk", "june"), ("июня", "ru", "june"), ("June", "en", "june"),
    ("апеляційній", "uk", "appeal"), ("обжалует", "ru", "appeal"), ("appeal", "en", "appeal"),
    ("вирок", "uk", "sentence"), ("приговор", "ru", "sentence"), ("verdict", "en", "sentence"),
    ("п’ятниці", "uk", "friday"), ("п'ятницю", "uk", "friday"), ("Friday", "en", "friday"),
    ("Польщі", "uk", "poland"), ("Польше", "ru", "poland"), ("Poland", "en", "poland"),
]  # fmt: skip


@pytest.mark.parametrize(("word", "lang", "concept"), LEXICON_TABLE)
def test_lexicon_maps_translations_to_one_concept(word: str, lang: str, concept: str):
    assert concept_of(word, lang) == concept


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("may", "en"),  # the verb, not the month
        ("us", "en"),  # the pronoun, not the country
        ("Denys", "en"),  # a name, not "deny"
        ("card", "en"),  # not "car" + d
        ("будуть", "uk"),  # "will be", not construction
        ("наступного", "uk"),  # "next", not an offensive
        ("використовувати", "uk"),  # "to use", not windows
        ("центр", "ru"),  # not prices
        ("він", "uk"),  # "he", not guilt
    ],
)
def test_lexicon_leaves_lookalikes_alone(word: str, lang: str):
    assert concept_of(word, lang) is None


@pytest.mark.parametrize(("name", "editions", "expected"), CASES, ids=[c[0] for c in CASES])
def test_trilingual_alignment(name: str, editions: dict[str, list[str]], expected: list[tuple]):
    rows = align_editions(editions)
    assert shape(rows) == expected
    for row in rows:
        assert 0.0 <= row.score <= 1.0
        assert set(row.members) == {"uk", "en", "ru"}


TWO_LANGUAGE_CASES = [
    (
        ("uk", "en"),
        {"uk": [STRIKE["uk"], REPAIRS["uk"], FUNDS["uk"]], "en": [STRIKE["en"], FUNDS["en"]]},
        [([0], [0]), ([1], []), ([2], [1])],
    ),
    (
        ("en", "ru"),
        {"en": [STRIKE_AND_REPAIRS_EN, FUNDS["en"]],
         "ru": [STRIKE["ru"], REPAIRS["ru"], FUNDS["ru"]]},
        [([0], [0, 1]), ([1], [2])],
    ),
    (
        ("uk", "ru"),
        {"uk": [STRIKE["uk"], INJURED["uk"], SUBSCRIBE["uk"]], "ru": [STRIKE["ru"], INJURED["ru"]]},
        [([0], [0]), ([1], [1]), ([2], [])],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("langs", "editions", "expected"), TWO_LANGUAGE_CASES)
def test_two_languages(langs: tuple[str, ...], editions: dict, expected: list[tuple]):
    rows = align_editions(editions)
    assert shape(rows, langs) == expected
    assert all(set(row.members) == set(langs) for row in rows)


def test_one_language_gives_one_row_per_paragraph():
    rows = align_editions({"uk": [STRIKE["uk"], FUNDS["uk"]]})
    assert shape(rows, ("uk",)) == [([0],), ([1],)]


def test_no_paragraphs_gives_no_rows():
    assert align_editions({"uk": [], "en": [], "ru": []}) == []


def test_paragraph_matching_nothing_is_not_glued_and_flags_weak_matches():
    """A paragraph about something else entirely stays alone; real matches are strong."""
    unrelated_en = "Weather forecasters expect heavy snowfall across the Carpathians this weekend."
    rows = align_editions(
        {
            "uk": [STRIKE["uk"], FUNDS["uk"]],
            "en": [STRIKE["en"], unrelated_en, FUNDS["en"]],
            "ru": [STRIKE["ru"], FUNDS["ru"]],
        }
    )
    assert shape(rows) == [([0], [0], [0]), ([], [1], []), ([1], [2], [1])]
    assert not rows[0].weak and not rows[2].weak


NAME_TABLE = [
    (("Харків", "uk"), ("Kharkiv", "en"), ("Харьков", "ru"), ("Kharkov", "en")),
    (("Запоріжжя", "uk"), ("Zaporizhzhia", "en"), ("Запорожье", "ru"), ("Zaporozhye", "en")),
    (("Гаврилюк", "uk"), ("Havryliuk", "en"), ("Гаврилюк", "ru"), ("Gavrilyuk", "en")),
    (("Київ", "uk"), ("Kyiv", "en"), ("Киев", "ru"), ("Kiev", "en")),
    (("Львів", "uk"), ("Lviv", "en"), ("Львов", "ru"), ("Lvov", "en")),
    (("Зеленський", "uk"), ("Zelensky", "en"), ("Zelenskyy", "en"), ("Зеленский", "ru")),
    (("Шмигаль", "uk"), ("Shmyhal", "en"), ("Шмыгаль", "ru"), ("Shmygal", "en")),
    (("Одеса", "uk"), ("Odesa", "en"), ("Одесса", "ru"), ("Odessa", "en")),
    (("Чернігів", "uk"), ("Chernihiv", "en"), ("Чернигов", "ru"), ("Chernigov", "en")),
    (("Дніпро", "uk"), ("Dnipro", "en"), ("Днепр", "ru"), ("Dnepr", "en")),
    (("Укренерго", "uk"), ("Ukrenergo", "en"), ("Укрэнерго", "ru"), ("Ukrenergo", "en")),
]


@pytest.mark.parametrize("spellings", NAME_TABLE, ids=[row[1][0] for row in NAME_TABLE])
def test_names_meet_on_the_fuzzy_key(spellings):
    keys = {skeleton_key(word, lang) for word, lang in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("word", "lang", "other", "other_lang"),
    [
        ("Зеленського", "uk", "Zelensky", "en"),
        ("Харкові", "uk", "Kharkiv", "en"),
        ("Сумах", "uk", "Sumy", "en"),
        ("Шмыгалем", "ru", "Shmyhal", "en"),
    ],
)
def test_declined_names_share_a_name_key(word, lang, other, other_lang):
    assert set(name_keys(word, lang)) & set(name_keys(other, other_lang))


@pytest.mark.parametrize(
    ("word", "official"),
    [
        ("Згурський", "zghurskyi"),
        ("Юрій", "yurii"),
        ("Їжакевич", "yizhakevych"),
        ("Яготин", "yahotyn"),
        ("Розалія", "rozaliia"),
        ("Щастя", "shchastia"),
        ("Знам'янка", "znamianka"),
        ("Гаврилюк", "havryliuk"),
    ],
)
def test_official_ukrainian_transliteration(word, official):
    assert transliterate_uk(word) == official


@pytest.mark.parametrize(
    ("word", "latin"),
    [("Харьков", "kharkov"), ("Шмыгаль", "shmygal"), ("Щёкино", "shchekino"), ("Юрий", "yuriy")],
)
def test_russian_transliteration(word, latin):
    assert transliterate_ru(word) == latin


def test_distinct_places_keep_distinct_keys():
    assert skeleton_key("Харків", "uk") != skeleton_key("Херсон", "uk")
    assert skeleton_key("Lviv", "en") != skeleton_key("Kyiv", "en")


# ---- a figure stated with a slip is still evidence of the merge -----------------------------

# Invented passages where one edition merges two paragraphs and misstates the figure of the
# merged-in one. Split out, that paragraph's figure would look "missing" in the merging
# edition and the wrong figure would never be reported: the slip must hold the merge.
HARVEST = {
    "uk": [
        "Аграрії Полтавщини завершили збирання ранніх зернових, повідомили в обласній "
        "військовій адміністрації.",
        "Загалом намолочено 427 тисяч тонн зерна, це на десяту частину більше, ніж торік.",
        "Найбільше зерна зібрали господарства Лубенського та Миргородського районів.",
    ],
    "en": [
        "Farmers in the Poltava region have finished harvesting early grain crops, the regional "
        "military administration said.",
        "They threshed 427,000 tonnes of grain in total, a tenth more than last year.",
        "Farms in the Lubny and Myrhorod districts harvested the most.",
    ],
    "ru": [  # merges uk 0-1, and swaps two digits
        "Аграрии Полтавщины завершили уборку ранних зерновых, сообщили в областной военной "
        "администрации. Всего намолочено 472 тысячи тонн зерна, это на десятую часть больше, "
        "чем в прошлом году.",
        "Больше всего зерна собрали хозяйства Лубенского и Миргородского районов.",
    ],
}
ROADS = {
    "uk": [
        "Уряд затвердив програму ремонту доріг на 2026 рік: відновлять 640 км трас державного "
        "значення.",
        "Окремо Світовий банк виділить $1,2 млрд на ремонт мостів.",
        "Роботи почнуться навесні, підрядників оберуть через систему Prozorro.",
    ],
    "en": [
        "The government approved a road repair programme for 2026 that will restore 640 km of "
        "national highways.",
        "Separately, the World Bank will provide USD 1.2 billion for bridge repairs.",
        "Work will start in spring, and contractors will be chosen through the Prozorro system.",
    ],
    "ru": [  # merges uk 0-1, and writes millions for billions
        "Правительство утвердило программу ремонта дорог на 2026 год: восстановят 640 км трасс "
        "государственного значения. Отдельно Всемирный банк выделит 1,2 млн долларов на ремонт "
        "мостов.",
        "Работы начнутся весной, подрядчиков выберут через систему Prozorro.",
    ],
}
LYCEUM = {
    "uk": [
        "У Житомирі після реконструкції відкрили ліцей №25, який постраждав від ракетного удару "
        "навесні 2022 року.",
        "Площа будівлі — 4 800 кв. м, у ній навчатимуться 960 учнів.",
        "Вартість реконструкції склала 236,4 млн грн. Кошти виділили з державного бюджету та "
        "бюджету громади.",
        "Міський голова Сергій Сухомлин подякував будівельникам, які завершили роботи за 14 "
        "місяців.",
    ],
    "en": [  # merges uk 1-2 (so against a uk-ru pivot row), and swaps two digits
        "A lyceum in Zhytomyr hit by a missile strike in spring 2022 has reopened after "
        "reconstruction.",
        "The 4,800 sq m building will teach 960 students. The reconstruction cost UAH 263.4 "
        "million from the state and city budgets.",
        "Mayor Serhiy Sukhomlyn thanked the builders, who finished the work in 14 months.",
    ],
    "ru": [
        "В Житомире после реконструкции открыли лицей №25, пострадавший от ракетного удара "
        "весной 2022 года.",
        "Площадь здания — 4 800 кв. м, в нем будут учиться 960 учеников.",
        "Стоимость реконструкции составила 236,4 млн гривен. Средства выделили из "
        "государственного бюджета и бюджета громады.",
        "Городской голова Сергей Сухомлин поблагодарил строителей, которые завершили работы за "
        "14 месяцев.",
    ],
}

SLIP_MERGE_CASES = [
    (
        "russian merges, 427 тисяч vs 472 тысячи",
        HARVEST,
        [([0, 1], [0, 1], [0]), ([2], [2], [1])],
        {("uk", 427_000, "ru", 472_000), ("en", 427_000, "ru", 472_000)},
    ),
    (
        "russian merges, $1,2 млрд vs 1,2 млн долларов",
        ROADS,
        [([0, 1], [0, 1], [0]), ([2], [2], [1])],
        {("uk", 1.2e9, "ru", 1.2e6), ("en", 1.2e9, "ru", 1.2e6)},
    ),
    (
        "english merges against the pivot, 236,4 млн vs 263.4 million",
        LYCEUM,
        [([0], [0], [0]), ([1, 2], [1], [1, 2]), ([3], [2], [3])],
        {("uk", 236.4e6, "en", 263.4e6), ("en", 263.4e6, "ru", 236.4e6)},
    ),
]


@pytest.mark.parametrize(
    ("name", "editions", "expected", "changed"),
    SLIP_MERGE_CASES,
    ids=[c[0] for c in SLIP_MERGE_CASES],
)
def test_merge_is_kept_when_the_merged_figure_is_a_slip(
    name: str, editions: dict[str, list[str]], expected: list[tuple], changed: set[tuple]
):
    assert shape(align_editions(editions)) == expected
    found = alignment_document(analyse_editions(editions))["divergences"]
    assert {
        (d["a"]["lang"], d["a"]["value"], d["b"]["lang"], d["b"]["value"])
        for d in found
        if d["kind"] == "changed"
    } == changed
    assert not [d for d in found if d["kind"] == "missing"]


# Paragraphs only some editions carry, side by side, whose figures only look alike: they
# share nothing else, so they are neither paired nor merged into their neighbours' rows.
FAMILIES_RECAP = {
    "uk": "Нагадаємо, торік після атаки на енергосистему без світла залишалися 152 тисячі родин "
    "в області.",
    "ru": "Напомним, в прошлом году после атаки на энергосистему без света оставались 152 тысячи "
    "семей в области.",
}
WATER_UTILITY_EN = (
    "The city water utility, which serves about 215,000 households, switched its pumps to "
    "generators."
)

SLIP_LOOKALIKE_CASES = [
    (
        "152 тисячі and 215,000 in unrelated paragraphs",
        with_english([STRIKE, FAMILIES_RECAP, FUNDS], [STRIKE["en"], WATER_UTILITY_EN,
                                                       FUNDS["en"]]),
        [([0], [0], [0]), ([1], [], [1]), ([], [1], []), ([2], [2], [2])],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "editions", "expected"),
    SLIP_LOOKALIKE_CASES,
    ids=[c[0] for c in SLIP_LOOKALIKE_CASES],
)
def test_lookalike_figures_alone_do_not_glue_paragraphs(
    name: str, editions: dict[str, list[str]], expected: list[tuple]
):
    assert sorted(shape(align_editions(editions))) == sorted(expected)


# (value, kind, unit) pairs, and whether they look like a slip of each other.
SLIP_KEY_CASES = [
    ((427_000, "count", None), (472_000, "count", None), True),  # swapped digits
    ((187.5e6, "money", "UAH"), (178.5e6, "money", "UAH"), True),
    ((2_045, "count", None), (2_450, "count", None), True),  # a zero moves with the digits
    ((1.2e9, "money", "USD"), (1.2e6, "money", "USD"), True),  # millions for billions
    ((19.4, "percent", "percent"), (19.7, "percent", "percent"), True),  # one digit replaced
    ((19.4, "percent", "percent"), (19.7, "percent", "pp"), True),
    ((187.5e6, "money", "UAH"), (178_500_000, "count", None), True),  # the unit dropped
    ((2_400, "measure", "m2"), (2_500, "measure", "m2"), True),
    ((12, "count", None), (21, "count", None), False),  # two digits alike: chance
    ((12, "percent", "percent"), (21, "percent", "percent"), False),
    ((1.2e9, "money", "USD"), (1.2e6, "money", "EUR"), False),  # short, and another unit
    ((120_000, "count", None), (12_000, "count", None), False),  # ×10 is not a scale slip
    ((427_000, "count", None), (428_000, "count", None), True),
    ((427_000, "count", None), (438_000, "count", None), False),  # two digits replaced
    ((4_270, "count", None), (42_700, "count", None), False),
    ((2_024, "year", None), (2_042, "year", None), False),  # years are not mistyped
    ((1_830, "time", None), (1_803, "time", None), False),
    ((5e6, "money", "UAH"), (5e9, "money", "UAH"), False),  # a single digit: too common
]


@pytest.mark.parametrize(("first", "second", "alike"), SLIP_KEY_CASES)
def test_slip_keys_meet_only_for_lookalike_quantities(first: tuple, second: tuple, alike: bool):
    shared = figure_slip_keys(*first) & figure_slip_keys(*second)
    assert bool(shared) is alike
    assert len(shared) <= 1  # one slip is one piece of evidence, not several


# ---- the fast paths give what the plain definitions give ------------------------------------

DEVSET = Path(__file__).parent / "devset"


def devset_editions(slug_prefix: str) -> dict[str, list[str]]:
    folder = next(DEVSET.glob(f"{slug_prefix}-*"))
    return {
        lang: [
            " ".join(block.split())
            for block in (folder / f"{lang}.txt").read_text(encoding="utf-8").split("\n\n")
            if block.strip()
        ]
        for lang in ("uk", "en", "ru")
    }


# Figures repeated within and across neighbouring paragraphs number as f:86, f:86#2, so a
# merge of two paragraphs has keys neither member has alone.
REPEATS = {
    "uk": ["Загинули 3 людини, ще 3 поранені.", "Рятувальники врятували 3 людей і 86 тварин.",
           "Ще 86 тварин евакуювали 3 червня."],
    "en": ["Three people were killed and 3 injured. Rescuers saved 3 people and 86 animals.",
           "Another 86 animals were evacuated on June 3."],
    "ru": ["Погибли 3 человека, еще 3 ранены.", "Спасатели спасли 3 человек и 86 животных.",
           "Еще 86 животных эвакуировали 3 июня."],
}  # fmt: skip
PAIR_ALIGNER_CASES = [
    ("repeated figures", REPEATS),
    ("strike article", editions_of(STRIKE, REPAIRS, INJURED, FUNDS, RECAP, AIR_DEFENCE)),
    ("dev set 01", devset_editions("01")),
    ("dev set 16", devset_editions("16")),
    ("dev set 25", devset_editions("25")),
    ("slipped figures, russian merges", HARVEST),
    ("slipped figures, english merges", LYCEUM),
]


def pair_aligners(editions: dict[str, list[str]]) -> list[_PairAligner]:
    """The pair aligners of every language pair, with and without uk-ru stems."""
    units = {
        lang: _units_of(lang, [paragraph_signals(text, lang) for text in texts])
        for lang, texts in editions.items()
    }
    pairs = [("uk", "ru", True), ("uk", "ru", False), ("uk", "en", False), ("ru", "en", False)]
    return [_PairAligner(units[a], units[b], use_stems) for a, b, use_stems in pairs]


class _UnprunedAligner(_PairAligner):
    """Evaluates every bead of the band: what the pruning must not change."""

    PRUNE = False

    def _gain_bound(self, i: int, ka: int, j: int, kb: int) -> float:
        return math.inf

    def _loose_gain_bound(self, i: int, ka: int, j: int, kb: int) -> float:
        return math.inf


@pytest.mark.parametrize(
    ("name", "editions"), PAIR_ALIGNER_CASES, ids=[c[0] for c in PAIR_ALIGNER_CASES]
)
def test_gain_bound_is_never_below_the_gain(name: str, editions: dict[str, list[str]]):
    checked = 0
    for aligner in pair_aligners(editions):
        n, m = len(aligner.a), len(aligner.b)
        for i in range(n):
            for j in aligner._band(i, n, m):
                for ka, kb in BEADS:
                    if ka and kb and i + ka <= n and j + kb <= m:
                        gain = aligner.gain(i, ka, j, kb)
                        assert gain <= aligner._gain_bound(i, ka, j, kb)
                        assert gain <= aligner._loose_gain_bound(i, ka, j, kb)
                        checked += 1
    assert checked > 20


@pytest.mark.parametrize(
    ("name", "editions"), PAIR_ALIGNER_CASES, ids=[c[0] for c in PAIR_ALIGNER_CASES]
)
def test_pruned_programme_gives_the_unpruned_beads(name: str, editions: dict[str, list[str]]):
    for aligner in pair_aligners(editions):
        unpruned = _UnprunedAligner(aligner.a, aligner.b, aligner.use_stems)
        assert aligner.align() == unpruned.align()


TOKEN_CASES = [
    ("Харків. Київ", [("Харків", True), ("Київ", True)]),
    ("У Харкові, як і в Києві", [("У", True), ("Харкові", False), ("як", False), ("і", False),
                                 ("в", False), ("Києві", False)]),
    ("said: «The grid", [("said", True), ("The", True), ("grid", False)]),
    ("120 тисяч абонентів", [("тисяч", True), ("абонентів", False)]),
    ("п’ятниця, д'Артаньян", [("п’ятниця", True), ("д'Артаньян", False)]),
    ("end… — Next 3 a", [("end", True), ("Next", True), ("a", False)]),
    ("x'", [("x", True)]),
    ("", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "tokens"), TOKEN_CASES)
def test_tokenize_marks_sentence_starts(text: str, tokens: list[tuple[str, bool]]):
    assert tokenize(text) == tokens


NAME_AT_SENTENCE_START_CASES = [
    ("Харків знову атакували дрони.", "uk", True),  # five letters or more: still a name
    ("Київ знову атакували дрони.", "uk", False),  # a short capital word could be anything
    ("НАТО знову збили дрони.", "uk", True),  # an acronym is a name anywhere
    ("Знову атакували Київ.", "uk", True),  # mid-sentence capital: a name
]


@pytest.mark.parametrize(("text", "lang", "named"), NAME_AT_SENTENCE_START_CASES)
def test_capitals_at_a_sentence_start_are_names_only_when_long_or_acronyms(
    text: str, lang: str, named: bool
):
    first_word = tokenize(text)[0][0] if named and not text.startswith("Знову") else "Київ"
    keys = {"n:" + key for key in name_keys(first_word, lang)}
    assert bool(keys & paragraph_signals(text, lang).names) is named


# English folds three Ukrainian/Russian paragraphs (injured, outage, crews) into one.
THREE_INTO_ONE = {
    "uk": [
        "Унаслідок нічної атаки на Запоріжжя пошкоджено 14 багатоповерхівок, повідомив "
        "начальник обласної військової адміністрації Іван Федоров.",
        "Постраждали 9 людей, серед них двоє дітей; усіх доправили до лікарні.",
        "Без світла залишилися 27 тисяч родин у Шевченківському районі.",
        "Енергетики обіцяють відновити живлення до вечора, на місці працюють 12 бригад.",
        "Місто виділить 40 млн гривень на ремонт пошкоджених будинків.",
    ],
    "en": [
        "A night attack on Zaporizhzhia damaged 14 apartment blocks, regional governor Ivan "
        "Fedorov said.",
        "Nine people were injured, two of them children, and 27,000 households in the "
        "Shevchenkivskyi district lost power; 12 repair crews are working to restore it by "
        "evening.",
        "The city will allocate UAH 40 million to repair the damaged buildings.",
    ],
    "ru": [
        "В результате ночной атаки на Запорожье повреждены 14 многоэтажек, сообщил начальник "
        "областной военной администрации Иван Федоров.",
        "Пострадали 9 человек, среди них двое детей; всех доставили в больницу.",
        "Без света остались 27 тысяч семей в Шевченковском районе.",
        "Энергетики обещают восстановить питание до вечера, на месте работают 12 бригад.",
        "Город выделит 40 млн гривен на ремонт поврежденных домов.",
    ],
}


def test_three_paragraphs_folded_into_one_make_one_row():
    rows = align_editions(THREE_INTO_ONE)
    assert shape(rows) == [([0], [0], [0]), ([1, 2, 3], [1], [1, 2, 3]), ([4], [2], [4])]
    found = alignment_document(analyse_editions(THREE_INTO_ONE))["divergences"]
    assert found == []  # the 12 crews are not "missing" from the English edition


def test_a_third_paragraph_with_nothing_in_common_is_not_merged():
    editions = {
        "uk": [*THREE_INTO_ONE["uk"][:3], "Нагадаємо, торік у місті відкрили 5 нових шкіл."],
        "en": [THREE_INTO_ONE["en"][0], THREE_INTO_ONE["en"][1].split(";")[0] + "."],
    }
    rows = align_editions(editions)
    assert shape(rows, ("uk", "en")) == [([0], [0]), ([1, 2], [1]), ([3], [])]
