"""Ukrainian: the archive's first language."""

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

# Official Ukrainian transliteration (Cabinet of Ministers resolution 55, 2010):
# (word-initial form, elsewhere form).
_TABLE: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("yu", "iu"), "я": ("ya", "ia"),
}  # fmt: skip


def transliterate(text: str) -> str:
    """Romanise Ukrainian by the official 2010 table (word-initial forms included)."""
    out: list[str] = []
    previous_letter = False
    lowered = text.lower()
    for index, char in enumerate(lowered):
        if char in _APOSTROPHES:
            continue
        entry = _TABLE.get(char)
        if entry is None:
            out.append(char)
            previous_letter = char.isalpha()
            continue
        if char == "г" and index > 0 and lowered[index - 1] == "з":
            out.append("gh")  # зг -> zgh, so it is not read as zh
        else:
            out.append(entry[0] if not previous_letter else entry[1])
        previous_letter = True
    return "".join(out)


def _oblique(nominative: str) -> list[str]:
    """Case forms of a numeral ending in -ть/-сят: п'ять, п'яти, п'ятьох..."""
    if nominative.endswith("ть"):
        stem = nominative[:-1]
        return [nominative, stem + "и", nominative + "ох", nominative + "ом", nominative + "ма"]
    return [
        nominative,
        nominative + "и",
        nominative + "ьох",
        nominative + "ьом",
        nominative + "ьма",
    ]


def _number_words() -> dict[str, tuple[float, str]]:
    forms = WordForms()
    add = forms.add

    add(1, UNIT, "один", "одна", "одне", "одного", "одному", "одним", "одній", "одну", "однієї")
    add(1, UNIT, "одною")
    add(2, UNIT, "два", "дві", "двох", "двом", "двома", "двоє", "двоїх")
    add(3, UNIT, "три", "трьох", "трьом", "трьома", "троє", "трійко")
    add(4, UNIT, "чотири", "чотирьох", "чотирьом", "чотирма", "чотирьома", "четверо")
    add(5, UNIT, *_oblique("п'ять"), "п'ятьма", "п'ятьома", "п'ятеро")
    add(6, UNIT, "шість", "шести", "шістьох", "шістьом", "шістьма", "шістьома", "шестеро")
    add(7, UNIT, "сім", "семи", "сімох", "сімом", "сімома", "семеро")
    add(8, UNIT, "вісім", "восьми", "вісьмох", "вісьмом", "вісьма", "вісьмома", "восьмеро")
    add(9, UNIT, *_oblique("дев'ять"), "дев'ятьма", "дев'ятьома", "дев'ятеро")
    add(10, TEEN, *_oblique("десять"), "десятьма", "десятьома", "десятеро")
    teens = [
        "одинадцять",
        "дванадцять",
        "тринадцять",
        "чотирнадцять",
        "п'ятнадцять",
        "шістнадцять",
        "сімнадцять",
        "вісімнадцять",
        "дев'ятнадцять",
    ]
    for offset, word in enumerate(teens, start=11):
        add(offset, TEEN, *_oblique(word), word + "ома")
    add(20, TEN, *_oblique("двадцять"), "двадцятьома")
    add(30, TEN, *_oblique("тридцять"), "тридцятьома")
    add(40, TEN, "сорок", "сорока")
    for value, word in ((50, "п'ятдесят"), (60, "шістдесят"), (70, "сімдесят"), (80, "вісімдесят")):
        add(value, TEN, *_oblique(word))
    add(90, TEN, "дев'яносто", "дев'яноста")
    add(100, HUNDREDS, "сто", "ста")
    add(200, HUNDREDS, "двісті", "двохсот", "двомстам", "двомастами")
    add(300, HUNDREDS, "триста", "трьохсот", "трьомстам", "трьомастами")
    add(400, HUNDREDS, "чотириста", "чотирьохсот", "чотирьомстам")
    for value, word, oblique in (
        (500, "п'ятсот", "п'ятисот"),
        (600, "шістсот", "шестисот"),
        (700, "сімсот", "семисот"),
        (800, "вісімсот", "восьмисот"),
        (900, "дев'ятсот", "дев'ятисот"),
    ):
        add(value, HUNDREDS, word, oblique)
    add(1.5, HALF, "півтора", "півтори")
    for value, stem in ((1e3, "тисяч"), (1e6, "мільйон"), (1e9, "мільярд"), (1e12, "трильйон")):
        if stem == "тисяч":
            add(value, MULT, "тисячі", "тисяч", "тисячею", "тисячам", "тисячами", "тисячах")
            add(value, MULT_ONE, "тисяча", "тисячу")
        else:
            add(value, MULT, *(stem + ending for ending in ("а", "и", "ів", "ом", "ам", "ами")))
            add(value, MULT_ONE, stem)
    return forms


_LEXICON = """
# months and weekdays
january | січн* січен*
february | лют*
march | берез*
april | квіт*
may | травн* травен*
june | червн* червен*
july | липн* липен*
august | серпн* серпен*
september | вересн* вересен*
october | жовтн* жовтен*
november | листопад*
december | грудн* груден*
monday | понеділ*
tuesday | вівтор*
wednesday | середу
thursday | четвер четверга четвергу
friday | п'ятниц*
saturday | субот*
sunday | неділ*
weekend | вихідн*
# time
day | доба добу доби добі добою день дня дні днів днем
night | ніч ночі вночі уночі нічн* ніччю
morning | ранок ранку вранці зранку ранков*
evening | вечір вечора ввечері вечор* вечірн*
week | тижд* тижн*
month | місяц*
hour | годин* погодинн*
minute | хвилин*
season | сезон*
spring | весн*
summer | літо літа літом влітку літн*
autumn | осін* осен*
winter | зим*
clock | цілодобов*
deadline | термін* строк*
schedule | графік* розклад*
today | сьогодні
yesterday | вчора
tomorrow | завтра
start | почат* розпоч* початок
end | кінц* кінець закінч* заверш*
# institutions and people
court | суд суду суді судом суди судів судов*
judge | суддя судді суддю суддів
parliament | парламент* депутат* верховн*
government | уряд* кабмін*
ministry | міністр*
president | президент*
governor | губернатор* ова
head | голова голови голові головою очільник* керівник*
mayor | мер мера мером меру мерії мерія
city | місто міста місту місті містом міст містах містам містами міськ*
village | село села селі селу селом сіл селах
agriculture | сільськогосп*
region | област* регіон*
district | район*
police | поліц*
prosecutor | прокур*
investigators | слідч* слідств* розслідув*
bank | банк*
company | компан* підприєм*
council | рада ради раді радою
committee | комітет*
agency | агенц* агентств*
service | служб* сервіс*
office | офіс* посад*
state | держав*
public | публічн* громадськ* суспільн*
official | посадов* чиновник*
deputy | заступник*
spokesperson | речник* речниц*
expert | експерт*
analyst | аналітик*
economist | економіст*
residents | мешкан* жител*
population | населен*
citizens | громадян*
people | люд* осіб особи особа особу
children | діт* дитин* дитяч*
woman | жінк* жінок
man | чоловік*
family | родин* сім'я сім'ї сім'єю сімей сімейн*
pensioners | пенсіонер*
students | студент* учн* школяр*
teachers | вчител* учител* педагог*
doctors | лікар* медик*
patients | пацієнт* хвор*
volunteers | волонтер*
partners | партнер* союзник*
boys | хлопц*
# war and security
war | війн* воєн*
army | армі* військ* зсу
troops | військов* бійц* боєць солдат*
brigade | бригад*
front | фронт*
attack | атак* напад*
strike | удар*
missile | ракет*
drone | дрон* бпла безпілотник*
shelling | обстріл*
bomb | бомб* авіабомб* каб
explosion | вибух*
air | повітрян*
alert | тривог*
defence | захист* захисник*
defence | оборон* ппо адвокат* юрист*
enemy | ворог* ворож* окупант* загарбник*
offensive | наступ наступу наступом наступальн* просуну*
assault | штурм*
clashes | зіткнен* боєзіткнен* бої боїв бойов*
tanks | танк*
artillery | артилер*
aircraft | авіац* літак*
killed | загин* загибл* вбит* смерт*
wounded | поранен* травм* постражд*
civilians | цивільн* мирних мирні мирним мирного
losses | втрат*
destroyed | знищ* зруйн* руйнув*
damaged | пошкодж* пошкод*
prisoners | полон* військовополонен*
exchange | обмін*
evacuation | евакуац* евакуйов* евакую*
mines | мін мінув* розмінув* мінн*
weapons | зброя зброї зброю озброєн*
ammunition | боєприпас* снаряд*
shelter | укриття укритті укриттях бомбосховищ*
rescuers | рятувальн* надзвичайник*
firefighters | пожеж* вогн*
rubble | завал* уламк*
sanctions | санкц*
negotiations | переговор*
peace | мир миру миром світу світ світі світов*
ceasefire | перемир*
security | безпек*
border | кордон*
occupied | окупован* окупац*
massive | масован*
deployed | залуч*
# economy and money
prices | ціна ціни ціні ціну ціною цін цінам цінами цінах цінов*
inflation | інфляц*
budget | бюджет*
tax | податк* податок податков*
revenue | надходжен* доход* дохід
spending | видатк* витрат*
debt | борг*
loan | кредит* позик*
grant | грант*
aid | допомог*
support | підтрим*
funding | фінансув* кошт* фонд*
money | грош* готівк*
payments | виплат* оплат* сплат*
salary | зарплат* заробітн*
pension | пенсі*
rate | ставк* курс курсу курсом
growth | зрост* зріс зросл* підвищ*
growth | збільш* прискор* пришвидш*
decline | знизи* зниж* зменш* скороти*
decline | скороч* сповільн*
exports | експорт*
imports | імпорт*
grain | зерн*
harvest | врожа* урожа*
wheat | пшениц*
corn | кукурудз*
sunflower | соняшник*
sowing | посів* сівб* засія* посія*
farmers | аграр* фермер*
fertiliser | добрив*
food | продукт* харчув* їж* продовольч*
vegetables | овоч*
eggs | яйц*
butter | масл*
bread | хліб*
milk | молок* молочн*
meat | м'яс*
sugar | цукр* цукор
drinks | напої напоїв
fuel | пальн* бензин*
market | ринк* ринок
demand | попит*
business | бізнес*
investment | інвест*
industry | промислов*
production | виробн* вироб*
contract | контракт* договор*
tender | тендер* закупів*
tranche | транш*
reserves | резерв*
deficit | дефіцит*
tariff | тариф*
cost | вартіст* вартост*
estimate | оцін*
households | домогосподар*
consumers | споживач* абонент*
consumption | споживан*
jobs | робоч* працівник* зайнят*
unemployment | безробіт*
# energy and infrastructure
electricity | світл* електр* електроенерг* живлен*
energy | енерг*
grid | мереж* енергосистем*
outage | відключен* знеструм*
queues | черг*
peak | пік піку піком піков*
substation | підстанц*
plant | станц* тес тэс аес аэс
capacity | потужн*
gas | газ*
storage | сховищ* зберіган*
coal | вугіл* вугільн*
nuclear | атомн* ядерн*
solar | сонячн*
heating | тепл* опален*
water | вода води воді воду водою водопостач* водопровід* водоканал*
supply | постачан* подач* постачи*
repair | ремонт*
restore | відновл* відновит* віднов*
equipment | обладнан*
generator | генератор*
road | дорога дороги дорозі дорогу доріг дорогах дорожн*
bridge | мосту мостом мости мостів
railway | залізниц* потяг* поїзд*
tickets | квит*
passengers | пасажир*
airport | аеропорт*
port | порт порту порти портів
ships | судн* корабл*
construction | будівництв* будівельн* збудува* побудува* будує* будують
buildings | будин* будівл* житл* багатоповерх*
windows | вікн* вікон*
glass | скло скла склом скління
sheeting | плівк*
vehicles | автомоб* машин* техніки техніка технікою техніку
school | школ*
lyceum | ліцей ліцеї ліцею ліцеях
kindergarten | садк* садок
playground | майданчик*
hospital | лікарн* шпитал*
university | університет*
# law and courts
sentence | вирок* засуд*
appeal | апеляц* оскарж*
guilt | вина вини вину провин* винн*
admit | визна*
bribe | хабар* неправомірн*
corruption | корупц* антикоруп*
suspect | підозр*
charged | обвинув* звинув*
detained | затрим* арешт*
prison | в'язниц* позбавлен* ув'язнен*
confiscated | конфіск*
property | майн*
searches | обшук*
hearings | засідан* розгляд*
law | закон*
decree | указ указу указом рішен* постанов*
rights | право права праву правом прав правах
# health, society, culture
health | здоров*
vaccination | вакцин* щеплен*
festival | фестивал*
museum | музе*
exhibition | виставк*
book | книг*
concert | концерт*
theatre | театр*
film | фільм* кіно
visitors | відвідувач* гість гості гостей гостям
visitors | гостями глядач*
dance | танц*
music | музик*
writers | письменни*
restorers | реставрат*
church | церкв* храм*
history | істор*
app | застосун* цифров* онлайн
smartphone | смартфон* телефон*
internet | інтернет*
users | користувач*
documents | документ*
applications | заявк*
character | характер*
mourning | жалоб*
# weather and nature
weather | погода погоди погоді погоду погодн*
forecast | прогноз* синоптик*
snow | сніг* снігопад*
rain | дощ* злив*
frost | мороз*
temperature | температур*
wind | вітер вітр*
storm | шторм* негод*
flood | повен* паводк* підтопл*
drought | посух*
# sport
match | матч* гра гри грі гру грою
goal | гол голи голів голом
team | команда команди команді команду командою команд командам командах збірн*
coach | тренер*
players | гравц* гравець нападник*
hosts | господар*
substitute | заміна заміни заміну заміною замінити замінять замінив
fans | уболівальник* вболівальник* фанат*
points | очк* очок бали балів
league | ліг*
table | таблиц*
position | місце місця місці місцем
championship | чемпіонат*
tournament | турнір*
win | перемог* обігра* виграл*
defeat | поразк* програл* програв* програш*
draw | нічия нічию внічию жеребкуван*
medal | медал*
race | гонк* перегон*
olympic | олімпі*
stadium | стадіон*
final | фінал*
# common actions
warned | попереди* попередж*
expects | очіку*
plans | план*
announced | оголос*
signed | підписа* підпис*
approved | ухвал* схвал* затверд*
banned | заборон*
allocate | виділ*
received | отрима* одержа*
opened | відкри*
closed | закри*
working | працю* працюва* робот*
living | мешка* прожива* жив*
moved | переїх* переміщ*
returned | поверн*
launched | запуст* випуст*
downed | збит* збил* знешкод*
showed | показа*
# places that are translated, not transliterated
poland | польщ* польськ*
germany | німеччин* німецьк*
france | франці* французьк*
britain | британ*
hungary | угорщин* угорськ*
slovakia | словаччин* словацьк*
moldova | молдов*
romania | румуні*
turkey | туреччин* турецьк*
china | кита*
japan | японі*
europe | європ* єс
america | америк* сша
norway | норвег*
denmark | данія данії данію данськ*
netherlands | нідерланд*
sweden | швеці* шведськ*
italy | італі*
spain | іспані*
czech | чехі* чеськ*
lithuania | литв*
# recaps
recalled | нагада*
"""

RULES = LanguageRules(
    code="uk",
    order=10,
    name="Ukrainian",
    script="Cyrillic",
    letters="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    marker_letters="їєіґ",
    word_class="а-яіїє",
    decimal_mark=",",
    group_separator=" ",
    reads=("uk", "ru", "en"),
    months=(
        ("січень", "січня", "січні"),
        ("лютий", "лютого", "лютому"),
        ("березень", "березня", "березні"),
        ("квітень", "квітня", "квітні"),
        ("травень", "травня", "травні"),
        ("червень", "червня", "червні"),
        ("липень", "липня", "липні"),
        ("серпень", "серпня", "серпні"),
        ("вересень", "вересня", "вересні"),
        ("жовтень", "жовтня", "жовтні"),
        ("листопад", "листопада", "листопаді"),
        ("грудень", "грудня", "грудні"),
    ),
    day_span_words=("по", "до"),
    year_words=("року", "році", "рік", "роком", "роках", "роки", r"рр\.", r"р\."),
    year_suffixes=("го", "му", "й", "ий", "ому", "м"),
    year_prepositions=(
        "у",
        "в",
        "во",
        "з",
        "із",
        "зі",
        "до",
        "від",
        "по",
        "після",
        "перед",
        "протягом",
        "впродовж",
        "наприкінці",
        "на початку",
    ),  # fmt: skip
    multipliers={
        3: r"тис(?:яч[а-яії]*|\.|(?![а-яії]))",
        6: r"млн\.?|мільйон[а-яії]*",
        9: r"млрд\.?|мільярд[а-яії]*",
        12: r"трлн\.?|трильйон[а-яії]*",
    },
    units={
        "pp": r"(?i:відсотков[а-яії]*\s+пункт[а-яії]*)|в\.\s?п\.",
        "percent": r"(?i:відсот[а-яії]*|відс\.)",
        "UAH": r"(?i:грн\.?|гривень|гривн[а-яії]*)",
        "USD": r"(?i:(?:долар[а-яії]*|дол\.)(?:\s+США)?)",
        "EUR": r"(?i:євро)",
        "RUB": r"(?i:рубл[а-яії]*|руб\.?)",
        "GBP": r"(?i:фунт[а-яії]*\s+стерлінг[а-яії]*)",
        "km2": r"(?i:квадратн[а-яії]*\s+кілометр[а-яії]*)",
        "kmh": r"км/год",
        "km": r"(?i:кілометр[а-яії]*)",
        "m3": r"(?i:кубометр[а-яії]*|куб\.\s?м|кубічн[а-яії]*\s+метр[а-яії]*)",
        "mm": r"(?i:міліметр[а-яії]*)",
        "cm": r"(?i:сантиметр[а-яії]*)",
        "m": r"(?i:метр(?:ів|и|а|ах|ами)?)",
        "t": r"(?i:тонн[а-яії]*|тон)",
        "kg": r"(?i:кілограм[а-яії]*)",
        "ha": r"(?i:гектар[а-яії]*)",
        "l": r"(?i:літр[а-яії]*)",
        "bbl": r"(?i:барел[а-яії]*)",
        "C": r"(?i:градус[а-яії]*(?:\s+(?:за\s+)?Цельсі[а-яії]*)?)",
    },
    si_prefix_words={"T": "тера", "G": "гіга", "M": "мега", "k": "кіло"},
    energy_words=r"{p}ват[а-яії]*[- ]?годин[а-яії]*",
    power_words=r"{p}ват[а-яії]*",
    unit_symbols=CYRILLIC_UNIT_SYMBOLS,
    si_prefix_symbols=CYRILLIC_SI_PREFIX_SYMBOLS,
    energy_symbol=rf"{{p}}Вт{WS}?[·⋅•*/\-]?{WS}?год(?![\w])",
    power_symbol=r"{p}Вт",
    minus_words=("мінус",),
    below_zero=("морозу", r"нижче\s+нуля"),
    factor_units=r"(?i:рази|разів|раза)",
    factor_prepositions=("у", "в"),
    factor_words={
        "вдвічі": 2,
        "удвічі": 2,
        "втричі": 3,
        "утричі": 3,
        "вчетверо": 4,
        "учетверо": 4,
        "вп'ятеро": 5,
        "уп'ятеро": 5,
        "вп’ятеро": 5,
        "вдесятеро": 10,
        "удесятеро": 10,
    },  # fmt: skip
    cardinal_suffixes=("х", "ти", "ми", "ох", "ьох"),
    qualifiers={
        "over": (
            "понад",
            "більш ніж",
            "більше ніж",
            "більш як",
            "більше як",
            "більше",
            "трохи більше",
        ),
        "under": ("менш ніж", "менше ніж", "менш як", "менше", "трохи менше"),
        "about": ("близько", "приблизно", "орієнтовно"),
        "almost": ("майже", "ледь не", "мало не"),
        "at least": (
            "щонайменше",
            "принаймні",
            "не менше ніж",
            "не менш ніж",
            "не менш як",
            "не менше як",
            "не менше",
            "мінімум",
        ),
        "at most": ("не більше ніж", "не більш ніж", "не більше як", "не більше", "максимум"),
        "up to": ("до",),
    },  # fmt: skip
    range_prefixes=("від", "з", "із", "між"),
    range_joins={
        "до": RangeJoin(frozenset({"від", "з", "із"}), may_be_change=True),
        "по": RangeJoin(frozenset({"від", "з", "із"}), may_be_change=True),
        "і": RangeJoin(frozenset({"між"})),
        "й": RangeJoin(frozenset({"між"})),
    },
    change_verbs=(
        "зрост",
        "зрос",
        "зріс",
        "виріс",
        "збільш",
        "підвищ",
        "підня",
        "знизи",
        "зниж",
        "зменш",
        "скорот",
        "скороч",
        "подорожч",
        "подешевш",
        "впа[вл]",
        "упа[вл]",
        "зміни",
        "змін",
    ),  # fmt: skip
    time_prepositions=("о", "об", "в", "во", "з", "із", "до", "по"),
    day_parts={
        "ранку": "morning",
        "зранку": "morning",
        "ночі": "night",
        "дня": "afternoon",
        "вечора": "evening",
    },  # fmt: skip
    number_words=NumberWords(
        table=_number_words(),
        ordinal_stems=(
            "перш",
            "друг",
            "трет",
            "четверт",
            "п['ʼ’]ят",
            "шост",
            "сьом",
            "восьм",
            "дев['ʼ’]ят",
            "десят",
            "двадцят",
            "тридцят",
            "сороков",
            "сотн",
            "тисячн",
        ),  # fmt: skip
        ordinal_endings=("ого", "ому", "ий", "ій", "ої", "ою"),
    ),
    lexicon=_LEXICON,
    transliterate=transliterate,
    default=True,
    aliases=("ua", "ukr"),
    switcher_labels=("ua", "укр", "uk", "ukr", "українська", "українською", "укр.", "ua."),
)
