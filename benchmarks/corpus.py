"""Invented parallel news text in Ukrainian, English and Russian for the benchmarks.

Every sentence is a template written for this project in all three languages with the
same slots (a place, an agency, numbers), so the three editions of a generated article
say the same thing with the same figures, as real translated editions do. A planted
divergence changes one number in one edition. Nothing here is copied from a real article.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LANGS = ("uk", "en", "ru")

# (uk locative, en "in X", ru locative)
PLACES = (
    ("у Харкові", "in Kharkiv", "в Харькове"),
    ("у Львові", "in Lviv", "во Львове"),
    ("в Одесі", "in Odesa", "в Одессе"),
    ("у Дніпрі", "in Dnipro", "в Днепре"),
    ("у Києві", "in Kyiv", "в Киеве"),
    ("у Полтаві", "in Poltava", "в Полтаве"),
    ("у Вінниці", "in Vinnytsia", "в Виннице"),
    ("у Черкасах", "in Cherkasy", "в Черкассах"),
    ("у Запоріжжі", "in Zaporizhzhia", "в Запорожье"),
    ("у Житомирі", "in Zhytomyr", "в Житомире"),
    ("у Рівному", "in Rivne", "в Ровно"),
    ("у Сумах", "in Sumy", "в Сумах"),
    ("у Чернігові", "in Chernihiv", "в Чернигове"),
    ("в Ужгороді", "in Uzhhorod", "в Ужгороде"),
)

# feminine agencies, so one verb form fits every template
AGENCIES = (
    (
        "обласна військова адміністрація",
        "the regional military administration",
        "областная военная администрация",
    ),
    ("міська адміністрація", "the city administration", "городская администрация"),
    ("державна податкова служба", "the state tax service", "государственная налоговая служба"),
    ("митна служба", "the customs service", "таможенная служба"),
    ("служба автомобільних доріг", "the road service", "служба автомобильных дорог"),
    (
        "державна служба зайнятості",
        "the state employment service",
        "государственная служба занятости",
    ),
)

MONTHS = (
    ("січня", "January", "января"),
    ("лютого", "February", "февраля"),
    ("березня", "March", "марта"),
    ("квітня", "April", "апреля"),
    ("травня", "May", "мая"),
    ("червня", "June", "июня"),
    ("липня", "July", "июля"),
    ("серпня", "August", "августа"),
    ("вересня", "September", "сентября"),
    ("жовтня", "October", "октября"),
    ("листопада", "November", "ноября"),
    ("грудня", "December", "декабря"),
)

TOPICS = (
    ("Ремонт доріг {place}", "Road repairs {place}", "Ремонт дорог {place}"),
    ("Нові робочі місця {place}", "New jobs {place}", "Новые рабочие места {place}"),
    (
        "Бюджет відновлення {place}",
        "Reconstruction budget {place}",
        "Бюджет восстановления {place}",
    ),
    (
        "Зростання митних надходжень {place}",
        "Customs revenue grows {place}",
        "Рост таможенных поступлений {place}",
    ),
    ("Опалювальний сезон {place}", "Heating season {place}", "Отопительный сезон {place}"),
    ("Урожай зерна {place}", "Grain harvest {place}", "Урожай зерна {place}"),
)

# Sentence templates: slots {place} {agency} {n} {n2} {pct} {money} {small} {km} {date}.
SENTENCES = (
    (
        "За даними, які оприлюднила {agency}, {place} з початку року зареєстрували {n} звернень.",
        "According to figures published by {agency}, {n} applications have been registered "
        "{place} since the start of the year.",
        "По данным, которые обнародовала {agency}, {place} с начала года зарегистрировали "
        "{n} обращений.",
    ),
    (
        "Це на {pct}% більше, ніж за аналогічний період минулого року.",
        "That is {pct}% more than in the same period last year.",
        "Это на {pct}% больше, чем за аналогичный период прошлого года.",
    ),
    (
        "На відновлення інфраструктури {place} спрямують {money}.",
        "{money} will be allocated to restoring infrastructure {place}.",
        "На восстановление инфраструктуры {place} направят {money}.",
    ),
    (
        "Роботи планують завершити до {date} року.",
        "The work is scheduled to be completed by {date}.",
        "Работы планируют завершить до {date} года.",
    ),
    (
        "Представник відомства зазначив, що ситуація залишається під контролем.",
        "A spokesperson for the agency said the situation remained under control.",
        "Представитель ведомства отметил, что ситуация остается под контролем.",
    ),
    (
        "Загалом {place} працюють {n} підприємств галузі, на яких зайнято понад {n2} осіб.",
        "In total, {n} companies in the sector operate {place}, employing more than {n2} people.",
        "Всего {place} работают {n} предприятий отрасли, на которых занято более {n2} человек.",
    ),
    (
        "Експерти очікують, що попит збережеться щонайменше до кінця року.",
        "Experts expect demand to hold up at least until the end of the year.",
        "Эксперты ожидают, что спрос сохранится как минимум до конца года.",
    ),
    (
        "Минулого тижня до місцевих лікарень звернулися {n} мешканців області.",
        "Last week {n} residents of the region sought help at local hospitals.",
        "На прошлой неделе в местные больницы обратились {n} жителей области.",
    ),
    (
        "Частка сільського господарства в економіці регіону становить {pct}%.",
        "Agriculture accounts for {pct}% of the region's economy.",
        "Доля сельского хозяйства в экономике региона составляет {pct}%.",
    ),
    (
        "Рішення ухвалили на засіданні, у якому взяли участь {small} депутатів.",
        "The decision was taken at a meeting attended by {small} deputies.",
        "Решение приняли на заседании, в котором приняли участие {small} депутатов.",
    ),
    (
        "Мешканців просять стежити за офіційними повідомленнями та не поширювати чутки.",
        "Residents are asked to follow official announcements and not to spread rumours.",
        "Жителей просят следить за официальными сообщениями и не распространять слухи.",
    ),
    (
        "Довжина нової ділянки дороги становить {km} кілометрів.",
        "The new section of road is {km} kilometres long.",
        "Длина нового участка дороги составляет {km} километров.",
    ),
    (
        "Вартість проєкту оцінюють у {money}.",
        "The project is estimated to cost {money}.",
        "Стоимость проекта оценивают в {money}.",
    ),
    (
        "Як зазначила {agency}, кількість перевірок зросла до {small} на місяць.",
        "As {agency} noted, the number of inspections rose to {small} a month.",
        "Как отметила {agency}, количество проверок выросло до {small} в месяц.",
    ),
)

WORDS = {  # search terms the Datasette benchmark queries (rare, common, per language)
    "uk": ("інфраструктури", "Харкові", "депутатів"),
    "en": ("infrastructure", "Kharkiv", "deputies"),
    "ru": ("инфраструктуры", "Харькове", "депутатов"),
}


def format_count(value: int, lang: str) -> str:
    """12500 → "12 500" (uk, ru) or "12,500" (en): each edition's own separator."""
    text = f"{value:,}"
    return text if lang == "en" else text.replace(",", " ")


def format_money(millions_tenths: int, lang: str) -> str:
    """15 → "15,0 млн гривень" / "UAH 1.5 million" / "1,5 млн гривен"."""
    whole, tenth = divmod(millions_tenths, 10)
    if lang == "en":
        return f"UAH {whole}.{tenth} million"
    noun = "гривень" if lang == "uk" else "гривен"
    return f"{whole},{tenth} млн {noun}"


@dataclass
class Slots:
    """The facts of one sentence, shared by its three language versions."""

    template: int
    place: int
    agency: int
    n: int
    n2: int
    pct: int
    money: int
    small: int
    km: int
    day: int
    month: int
    year: int

    def render(self, lang: str) -> str:
        li = LANGS.index(lang)
        if lang == "en":
            date = f"{self.day} {MONTHS[self.month][1]} {self.year}"
        else:
            date = f"{self.day} {MONTHS[self.month][li]} {self.year}"
        text = SENTENCES[self.template][li].format(
            place=PLACES[self.place][li],
            agency=AGENCIES[self.agency][li],
            n=format_count(self.n, lang),
            n2=format_count(self.n2, lang),
            pct=self.pct,
            money=format_money(self.money, lang),
            small=self.small,
            km=self.km,
            date=date,
        )
        return text[0].upper() + text[1:]


def random_slots(rng: random.Random, place: int) -> Slots:
    return Slots(
        template=rng.randrange(len(SENTENCES)),
        place=place,
        agency=rng.randrange(len(AGENCIES)),
        n=rng.choice((rng.randrange(20, 999), rng.randrange(1000, 250_000))),
        n2=rng.randrange(1000, 90_000),
        pct=rng.randrange(2, 60),
        money=rng.randrange(12, 4000),
        small=rng.randrange(12, 95),
        km=rng.randrange(3, 180),
        day=rng.randrange(1, 29),
        month=rng.randrange(12),
        year=rng.choice((2025, 2026)),
    )


@dataclass
class Story:
    """One generated article: the same paragraphs in three languages, plus a planted change."""

    article_id: int
    place: int
    topic: int
    paragraphs: list[list[Slots]]  # paragraph → its sentences
    divergent: tuple[int, int] | None  # (paragraph, sentence) where ru states another number

    def title(self, lang: str) -> str:
        li = LANGS.index(lang)
        return f"{TOPICS[self.topic][li].format(place=PLACES[self.place][li])}: №{self.article_id}"

    def texts(self, lang: str) -> list[str]:
        out = []
        for p_index, sentences in enumerate(self.paragraphs):
            parts = []
            for s_index, slots in enumerate(sentences):
                if lang == "ru" and self.divergent == (p_index, s_index):
                    slots = Slots(**{**slots.__dict__, "n": slots.n + 45, "pct": slots.pct + 3})
                parts.append(slots.render(lang))
            out.append(" ".join(parts))
        return out


def make_story(
    article_id: int,
    *,
    seed: int = 1,
    paragraphs: tuple[int, int] = (10, 40),
    sentences: tuple[int, int] = (2, 3),
    divergent_share: float = 0.3,
) -> Story:
    """The article with this id: deterministic for (seed, article_id)."""
    rng = random.Random(seed * 1_000_003 + article_id)
    place = rng.randrange(len(PLACES))
    count = rng.randint(*paragraphs)
    body = [
        [random_slots(rng, place) for _ in range(rng.randint(*sentences))] for _ in range(count)
    ]
    divergent = None
    if rng.random() < divergent_share:
        p_index = rng.randrange(count)
        divergent = (p_index, rng.randrange(len(body[p_index])))
    return Story(article_id, place, rng.randrange(len(TOPICS)), body, divergent)
