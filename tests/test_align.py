"""Cross-language paragraph alignment on small hand-written trilingual articles."""

from __future__ import annotations

import pytest

from diffing.align import Row, align_editions
from diffing.textsig import name_keys, skeleton_key, transliterate_ru, transliterate_uk

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
