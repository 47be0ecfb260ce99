"""Russian."""

from __future__ import annotations

from diffing.langs.base import (
    HALF,
    HUNDREDS,
    MULT,
    MULT_ONE,
    TEEN,
    TEN,
    UNIT,
    WS,
    LanguageRules,
    NumberWords,
    RangeJoin,
    WordForms,
)
from diffing.langs.common import CYRILLIC_SI_PREFIX_SYMBOLS, CYRILLIC_UNIT_SYMBOLS

_APOSTROPHES = "'’ʼ`"

# A BGN/PCGN-like scheme, the one English newsrooms mostly follow.
_TABLE: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # letters of the other alphabet, so mixed or mislabelled text still transliterates
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip


def transliterate(text: str) -> str:
    """Romanise Russian by a BGN/PCGN-like table."""
    return "".join(_TABLE.get(char, char) for char in text.lower() if char not in _APOSTROPHES)


def _oblique(nominative: str) -> list[str]:
    """Case forms of a numeral ending in -ть: пять, пяти, пятью."""
    stem = nominative[:-1]
    return [nominative, stem + "и", stem + "ью"]


def _number_words() -> dict[str, tuple[float, str]]:
    forms = WordForms()
    add = forms.add

    add(1, UNIT, "один", "одна", "одно", "одного", "одному", "одним", "одной", "одну", "одною")
    add(2, UNIT, "два", "две", "двух", "двум", "двумя", "двое", "двоих")
    add(3, UNIT, "три", "трёх", "трех", "трём", "трем", "тремя", "трое", "троих")
    add(4, UNIT, "четыре", "четырёх", "четырех", "четырём", "четырем", "четырьмя", "четверо")
    add(4, UNIT, "четверых")
    add(5, UNIT, *_oblique("пять"), "пятеро", "пятерых")
    add(6, UNIT, *_oblique("шесть"), "шестеро", "шестерых")
    # "семью" is also "family" (accusative); it counts only before an instrumental noun,
    # see `contextual` below, so it is not in the plain table.
    add(7, UNIT, "семь", "семи", "семеро", "семерых")
    add(8, UNIT, "восемь", "восьми", "восемью", "восьмью", "восьмеро", "восьмерых")
    add(9, UNIT, *_oblique("девять"), "девятеро", "девятерых")
    add(10, TEEN, *_oblique("десять"), "десятеро", "десятерых")
    teens = [
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ]
    for offset, word in enumerate(teens, start=11):
        add(offset, TEEN, *_oblique(word))
    add(20, TEN, *_oblique("двадцать"))
    add(30, TEN, *_oblique("тридцать"))
    add(40, TEN, "сорок", "сорока")
    add(50, TEN, "пятьдесят", "пятидесяти", "пятьюдесятью")
    add(60, TEN, "шестьдесят", "шестидесяти", "шестьюдесятью")
    add(70, TEN, "семьдесят", "семидесяти", "семьюдесятью")
    add(80, TEN, "восемьдесят", "восьмидесяти", "восемьюдесятью")
    add(90, TEN, "девяносто", "девяноста")
    add(100, HUNDREDS, "сто", "ста")
    add(200, HUNDREDS, "двести", "двухсот", "двумстам", "двумястами")
    add(300, HUNDREDS, "триста", "трёхсот", "трехсот", "трёмстам", "тремястами")
    add(400, HUNDREDS, "четыреста", "четырёхсот", "четырехсот", "четырьмястами")
    for value, word, oblique in (
        (500, "пятьсот", "пятисот"),
        (600, "шестьсот", "шестисот"),
        (700, "семьсот", "семисот"),
        (800, "восемьсот", "восьмисот"),
        (900, "девятьсот", "девятисот"),
    ):
        add(value, HUNDREDS, word, oblique)
    add(1.5, HALF, "полтора", "полторы", "полутора")
    for value, stem in ((1e3, "тысяч"), (1e6, "миллион"), (1e9, "миллиард"), (1e12, "триллион")):
        if stem == "тысяч":
            add(value, MULT, "тысячи", "тысяч", "тысячей", "тысячам", "тысячами", "тысячах")
            add(value, MULT_ONE, "тысяча", "тысячу")
        else:
            add(value, MULT, *(stem + ending for ending in ("а", "ы", "ов", "ом", "ам", "ами")))
            add(value, MULT_ONE, stem)
    return forms


_LEXICON = """
# months and weekdays
january | январ*
february | феврал*
march | март марта марте марту
april | апрел*
may | мая мае май маю
june | июн*
july | июл*
august | август*
september | сентябр*
october | октябр*
november | ноябр*
december | декабр*
monday | понедельник*
tuesday | вторник*
wednesday | среду
thursday | четверг*
friday | пятниц*
saturday | суббот*
sunday | воскресень* воскресенье
weekend | выходн*
# time
day | сутк* суток день дня дни дней
day | днем
night | ночь ночи ночью ночн*
morning | утро утра утром утрен*
evening | вечер вечера вечером вечерн*
week | недел*
month | месяц*
hour | час часа часов часам часы почасов*
minute | минут*
season | сезон*
spring | весн* весенн*
summer | лето летом летн*
autumn | осен*
winter | зим*
clock | круглосуточ*
deadline | срок*
schedule | график* расписани*
today | сегодня
yesterday | вчера
tomorrow | завтра
start | начала начале началу начался началась
start | начались начали начинает* начина*
end | конц* конец законч* заверш*
# institutions and people
court | суд суда суде судом суды судов*
judge | судья судьи судью судей
parliament | парламент* депутат* верховн*
government | правительств* кабмин*
ministry | министр*
president | президент*
governor | губернатор* ова
head | глава главы главе главой
head | руководител*
mayor | мэр*
city | город*
village | село села селе селу селом селах
village | деревн*
agriculture | сельскохоз*
region | област* регион*
district | район*
police | полиц*
prosecutor | прокур*
investigators | следств* следовател*
investigators | расследов*
bank | банк*
company | компани* предприяти*
council | совет*
committee | комитет*
agency | агентств*
service | служб* сервис*
office | офис* должност*
state | государств*
public | публичн* обществен*
official | должностн* чиновник*
deputy | заместител*
spokesperson | спикер*
expert | эксперт*
analyst | аналитик*
economist | экономист*
residents | жител* проживающ*
population | населен*
citizens | граждан*
people | люд* человек* человеч*
children | дети детей детям детьми детск* ребен*
woman | женщин*
man | мужчин*
family | семья семьи семье семью семьей семей
family | семейн*
pensioners | пенсионер*
students | студент* ученик* школьник*
teachers | учител* педагог*
doctors | врач* медик*
patients | пациент* больн*
volunteers | волонтер*
partners | партнер* союзник*
boys | ребят* парн*
# war and security
war | войн*
army | арми* военн* войск* всу
troops | военнослужащ* бойц* боец
troops | солдат*
brigade | бригад*
front | фронт*
attack | атак* напад*
strike | удар*
missile | ракет*
drone | дрон* бпла беспилотник*
shelling | обстрел*
bomb | бомб* авиабомб* каб
explosion | взрыв*
air | воздушн*
alert | тревог*
defence | защит* защитник* оборон* пво адвокат* юрист*
enemy | враг* вражеск* оккупант* захватчик*
offensive | наступлени*
offensive | наступательн* продвину* продвиж*
assault | штурм*
clashes | столкновен*
clashes | боестолкновен* бои боев боевы* боевой боевое
tanks | танк*
artillery | артиллер*
aircraft | авиац* самолет*
killed | погиб* убит* смерт*
wounded | ранен* травм* пострада*
civilians | мирных мирные мирным мирного гражданск*
losses | потер*
destroyed | уничтож* разруш*
damaged | поврежд*
prisoners | плен плена пленных пленные пленным пленом военнопленн*
exchange | обмен*
evacuation | эвакуац* эвакуир*
mines | мин разминир* минн*
weapons | оружи* вооружен*
ammunition | боеприпас* снаряд*
shelter | укрыти* убежищ*
rescuers | спасател* спасательн*
firefighters | пожар* огн*
rubble | завал* облом*
sanctions | санкц*
negotiations | переговор*
peace | мир мира миру миром миров*
ceasefire | перемири*
security | безопасност*
border | границ*
occupied | оккупирован* оккупац*
massive | массирован*
deployed | привлек* привлеч*
# economy and money
prices | цена цены цене цену ценой
prices | цен ценам ценами ценах ценов*
inflation | инфляц*
budget | бюджет*
tax | налог*
revenue | поступлен* доход*
spending | расход* затрат*
debt | долг долга долгу долгом долги долгов*
loan | кредит* займ*
grant | грант*
aid | помощ* помог*
support | поддерж*
funding | финансир* средств* фонд*
money | деньг* денег наличн*
payments | выплат* оплат*
salary | зарплат* заработн*
pension | пенси*
rate | ставк* курс курса курсом
growth | рост* вырос* повыш* увелич* ускор*
decline | сниз* сниж* уменьш* сократ* сокращ* замедл*
exports | экспорт*
imports | импорт*
grain | зерн*
harvest | урожа*
wheat | пшениц*
corn | кукуруз*
sunflower | подсолнечник* подсолнух*
sowing | посев* засея* посея*
farmers | аграр* фермер*
fertiliser | удобрен*
food | продукт* еды еда еду продовольств*
vegetables | овощ*
eggs | яйц*
butter | масл*
bread | хлеб*
milk | молок* молочн*
meat | мяс*
sugar | сахар*
drinks | напит*
fuel | топлив* бензин*
market | рынк* рынок
demand | спрос*
business | бизнес*
investment | инвест*
industry | промышленн*
production | производ*
contract | контракт* договор*
tender | тендер* закупк*
tranche | транш*
reserves | резерв*
deficit | дефицит*
tariff | тариф*
cost | стоимост*
estimate | оцен*
households | домохозяйств*
consumers | потребител* абонент*
consumption | потреблен*
jobs | рабоч* работник* занятост*
unemployment | безработиц*
# energy and infrastructure
electricity | свет свете света электр* электроэнерг*
energy | энерг*
grid | сет* энергосистем*
outage | отключен* обесточ*
queues | очеред*
peak | пик пика пиком пиков*
substation | подстанц*
plant | станц* тэс аэс
capacity | мощност*
gas | газ*
storage | хранилищ* хранени*
coal | уголь угля углем угольн*
nuclear | атомн* ядерн*
solar | солнечн*
heating | тепл* отоплен*
water | вода воды воде воду водой
water | водоснабж* водопровод* водоканал*
supply | поставк* снабжен*
supply | подач*
repair | ремонт*
restore | восстанов*
equipment | оборудован*
generator | генератор*
road | дорога дороги дороге дорогу дорог
road | дорогах дорожн*
bridge | мост*
railway | железн* поезд*
tickets | билет*
passengers | пассажир*
airport | аэропорт*
port | порт порта порты портов
ships | судн* корабл*
construction | строит* постро*
buildings | дом*
buildings | здани* жиль* жил* многоэтаж*
windows | окон* окн*
glass | стекл* стекол
sheeting | пленк*
vehicles | автомоб* машин*
vehicles | техники техника техникой технику
school | школ*
lyceum | лицей лицея лицее лицеи
kindergarten | сад садик*
playground | площадк*
hospital | больниц* госпитал*
university | университет*
# law and courts
sentence | приговор* осуд*
appeal | апелляц* обжал*
guilt | вина вины вину виновн*
admit | призна*
bribe | взятк* неправомерн*
corruption | коррупц* антикоррупц*
suspect | подозр*
charged | обвин*
detained | задерж* арест*
prison | тюрьм* лишени* заключени*
confiscated | конфиск*
property | имуществ*
searches | обыск*
hearings | заседани* разбирательств*
law | закон*
decree | указ указа указом указу
decree | решени* постанов*
rights | право права праву правом прав правах
# health, society, culture
health | здоров*
vaccination | вакцин* прививк*
festival | фестивал*
museum | музе*
exhibition | выставк*
book | книг*
concert | концерт*
theatre | театр*
film | фильм* кино
visitors | посетител* гость гости гостей гостям гостями зрител*
dance | танц*
music | музык*
writers | писател*
restorers | реставрат*
church | церкв* храм*
history | истор*
app | приложени* цифров* онлайн
smartphone | смартфон* телефон*
internet | интернет*
users | пользовател*
documents | документ*
applications | заявк*
character | характер*
mourning | траур*
# weather and nature
weather | погода погоды погоде погоду погодн*
forecast | прогноз* синоптик*
snow | снег* снегопад*
rain | дожд* ливн*
frost | мороз*
temperature | температур*
wind | ветер ветр*
storm | шторм* непогод*
flood | наводнен* паводк* подтопл*
drought | засух*
# sport
match | матч* игр*
goal | гол голы голов голом
team | команда команды команде команду командой команд командам командах сборн*
coach | тренер*
players | игрок* нападающ*
hosts | хозя*
substitute | замен*
fans | болельщик* фанат*
points | очк* балл балла баллов баллы
league | лиг*
table | таблиц*
position | место места месте месту местом
championship | чемпионат*
tournament | турнир*
win | побед* обыгра* выиграл*
defeat | поражени* проигра*
draw | ничья ничью вничью жеребьевк*
medal | медал*
race | гонк*
olympic | олимпи*
stadium | стадион*
final | финал*
# common actions
warned | предупред* предупрежд*
expects | ожида*
plans | план*
announced | объяв*
signed | подпис*
approved | одобр* утверд* принял* принят*
banned | запрет*
allocate | выдел*
received | получ*
opened | откры*
closed | закры*
working | работ*
living | прожива* жив*
moved | переех* перемещ*
returned | верн* возвращ*
launched | запуст* выпуст*
downed | сбит* сбил* обезвред*
showed | показа*
# places that are translated, not transliterated
poland | польш* польск*
germany | германи* немецк*
france | франци* французск*
britain | британ* великобритан*
hungary | венгри* венгерск*
slovakia | словаки* словацк*
moldova | молдов* молдав*
romania | румыни*
turkey | турци* турецк*
china | кита*
japan | япони*
europe | европ* ес
america | америк* сша
norway | норвег*
denmark | дания дании данию датск*
netherlands | нидерланд*
sweden | швеци* шведск*
italy | итали*
spain | испани*
czech | чехи* чешск*
lithuania | литв*
# recaps
recalled | напомн* напомин*
"""

RULES = LanguageRules(
    code="ru",
    order=30,
    name="Russian",
    script="Cyrillic",
    letters="абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    marker_letters="ыэъё",
    word_class="а-яё",
    decimal_mark=",",
    group_separator=" ",
    reads=("uk", "ru", "en"),
    months=(
        ("январь", "января", "январе"),
        ("февраль", "февраля", "феврале"),
        ("март", "марта", "марте"),
        ("апрель", "апреля", "апреле"),
        ("май", "мая", "мае"),
        ("июнь", "июня", "июне"),
        ("июль", "июля", "июле"),
        ("август", "августа", "августе"),
        ("сентябрь", "сентября", "сентябре"),
        ("октябрь", "октября", "октябре"),
        ("ноябрь", "ноября", "ноябре"),
        ("декабрь", "декабря", "декабре"),
    ),
    day_span_words=("по", "до"),
    year_words=("года", "году", "годом", "годах", "годы", "год", r"гг\.", r"г\."),
    year_suffixes=("го", "му", "й", "ий", "ому", "м"),
    year_prepositions=(
        "в",
        "во",
        "с",
        "со",
        "до",
        "от",
        "по",
        "после",
        "перед",
        "к",
        "в течение",
    ),  # fmt: skip
    multipliers={
        3: r"тыс(?:яч[а-я]*|\.|(?![а-я]))",
        6: r"млн\.?|миллион[а-я]*",
        9: r"млрд\.?|миллиард[а-я]*",
        12: r"трлн\.?|триллион[а-я]*",
    },
    units={
        "pp": r"(?i:процентн[а-я]*\s+пункт[а-я]*)|п\.\s?п\.",
        "percent": r"(?i:процент[а-я]*)",
        "UAH": r"(?i:грн\.?|гривен|гривн[а-яії]*)",
        "USD": r"(?i:(?:доллар[а-я]*|долл\.)(?:\s+США)?)",
        "EUR": r"(?i:евро)",
        "RUB": r"(?i:рубл[а-яії]*|руб\.?)",
        "GBP": r"(?i:фунт[а-я]*\s+стерлинг[а-я]*)",
        "km2": r"(?i:квадратн[а-я]*\s+километр[а-я]*)",
        "kmh": r"км/ч",
        "km": r"(?i:километр[а-я]*)",
        "m3": r"(?i:кубометр[а-яії]*|куб\.\s?м|кубическ[а-я]*\s+метр[а-я]*)",
        "mm": r"(?i:миллиметр[а-я]*)",
        "cm": r"(?i:сантиметр[а-яії]*)",
        "m": r"(?i:метр(?:ів|и|а|ах|ами)?|метров)",
        "t": r"(?i:тонн[а-яії]*|тон)",
        "kg": r"(?i:килограмм[а-я]*)",
        "ha": r"(?i:гектар[а-яії]*)",
        "l": r"(?i:литр[а-я]*)",
        "bbl": r"(?i:баррел[а-я]*)",
        "C": r"(?i:градус[а-яії]*(?:\s+(?:за\s+)?Цельсі[а-яії]*)?)",
    },
    si_prefix_words={"T": "тера", "G": "гига", "M": "мега", "k": "кило"},
    energy_words=r"{p}ватт?[а-я]*[- ]?час[а-я]*",
    power_words=r"{p}ватт?[а-я]*",
    unit_symbols=CYRILLIC_UNIT_SYMBOLS,
    si_prefix_symbols=CYRILLIC_SI_PREFIX_SYMBOLS,
    energy_symbol=rf"{{p}}Вт{WS}?[·⋅•*/\-]?{WS}?ч(?![\w])",
    power_symbol=r"{p}Вт",
    minus_words=("минус",),
    below_zero=("мороза", r"ниже\s+нуля"),
    factor_units=r"(?i:раза|раз)",
    factor_prepositions=("в", "во"),
    factor_words={
        "вдвое": 2,
        "втрое": 3,
        "вчетверо": 4,
        "впятеро": 5,
        "вшестеро": 6,
        "вдесятеро": 10,
    },  # fmt: skip
    cardinal_suffixes=("х", "ти", "ми"),
    qualifiers={
        "over": ("свыше", "более чем", "больше чем", "более", "больше", "немногим более"),
        "under": ("менее чем", "меньше чем", "менее", "меньше"),
        "about": ("около", "примерно", "порядка", "приблизительно", "ориентировочно"),
        "almost": ("почти",),
        "at least": (
            "как минимум",
            "не менее чем",
            "не менее",
            "по меньшей мере",
            "по крайней мере",
            "минимум",
        ),
        "at most": ("не более чем", "не более", "не больше", "максимум"),
        "up to": ("до",),
    },  # fmt: skip
    range_prefixes=("от", "с", "между"),
    range_joins={
        "до": RangeJoin(frozenset({"от", "с"}), may_be_change=True),
        "по": RangeJoin(frozenset({"от", "с"}), may_be_change=True),
        "и": RangeJoin(frozenset({"между"})),
    },
    change_verbs=(
        "вырос",
        "вырас",
        "рост",
        "увелич",
        "повыс",
        "подня",
        "снизи",
        "сниж",
        "уменьш",
        "сократ",
        "сокращ",
        "подорож",
        "подешев",
        "упа[лв]",
        "измен",
    ),  # fmt: skip
    time_prepositions=("в", "во", "с", "со", "до", "по"),
    day_parts={"утра": "morning", "ночи": "night", "дня": "afternoon", "вечера": "evening"},
    number_words=NumberWords(
        table=_number_words(),
        contextual={"семью": (r"\s+[а-яё]+(?:ами|ями|ьми|ми)(?!\w)", (7, UNIT))},
        ordinal_stems=(
            "друг",
            "трет",
            "четверт",
            "седьм",
            "восьм",
            "девят",
            "десят",
            "тридцат",
            "сороков",
            "пятидесят",
            "сотн",
            "тысячн",
        ),  # fmt: skip
        ordinal_endings=("ого", "ому", "ий", "ая", "ое", "ей", "ом", "ым", "ый"),
    ),
    lexicon=_LEXICON,
    transliterate=transliterate,
    default=True,
    aliases=("rus",),
    switcher_labels=(
        "ru",
        "рус",
        "rus",
        "русский",
        "російська",
        "рус.",
        "на русском",
        "русском",
        "ру",
    ),  # fmt: skip
    langdetect_neighbours=("bg", "mk"),
    neighbour_letters="ъ",
)
