"""A small bilingual lexicon of frequent news vocabulary: Ukrainian/Russian stems to English.

Names, figures and loanwords already meet across scripts, but many short paragraphs carry
none of them ("Repair crews are working around the clock."). Those paragraphs still share
ordinary news words whose translations are stable: court, appeal, repair, crew, May. This
module maps such words of each language to one concept, so the aligner can count them as
shared evidence.

The vocabulary is data, one concept a line: `english | ukrainian | russian`, each column a
list of space-separated forms. A form ending in `*` is a stem that takes any ending (the
longest matching stem wins); any other form is a whole word, and an English word also takes
the regular endings -s, -es, -ed, -ing. An English form with a capital letter (May, March,
US) matches only a capitalised word, so the verb "may" and the pronoun "us" stay out.
Apostrophes and letter case are ignored. The first English form names the concept.
"""

from __future__ import annotations

from functools import lru_cache

LEXICON_TEXT = """
# months and weekdays
January | січн* січен* | январ*
February | лют* | феврал*
March | берез* | март марта марте марту
April | квіт* | апрел*
May | травн* травен* | мая мае май маю
June | червн* червен* | июн*
July | липн* липен* | июл*
August | серпн* серпен* | август*
September | вересн* вересен* | сентябр*
October | жовтн* жовтен* | октябр*
November | листопад* | ноябр*
December | грудн* груден* | декабр*
Monday | понеділ* | понедельник*
Tuesday | вівтор* | вторник*
Wednesday | середу | среду
Thursday | четвер четверга четвергу | четверг*
Friday | п'ятниц* | пятниц*
Saturday | субот* | суббот*
Sunday | неділ* | воскресень* воскресенье
weekend | вихідн* | выходн*

# time
day days daily | доба добу доби добі добою день дня дні днів днем | сутк* суток день дня дни дней
day | | днем
night overnight nightly | ніч ночі вночі уночі нічн* ніччю | ночь ночи ночью ночн*
morning | ранок ранку вранці зранку ранков* | утро утра утром утрен*
evening | вечір вечора ввечері вечор* вечірн* | вечер вечера вечером вечерн*
week weekly | тижд* тижн* | недел*
month monthly | місяц* | месяц*
hour hours hourly | годин* погодинн* | час часа часов часам часы почасов*
minute | хвилин* | минут*
season | сезон* | сезон*
spring | весн* | весн* весенн*
summer | літо літа літом влітку літн* | лето летом летн*
autumn | осін* осен* | осен*
winter | зим* | зим*
clock | цілодобов* | круглосуточ*
deadline deadlines | термін* строк* | срок*
schedule schedules timetable | графік* розклад* | график* расписани*
today | сьогодні | сегодня
yesterday | вчора | вчера
tomorrow | завтра | завтра
start beginning began begin | почат* розпоч* початок | начала начале началу начался началась
start | | начались начали начинает* начина*
end | кінц* кінець закінч* заверш* | конц* конец законч* заверш*

# institutions and people
court courts | суд суду суді судом суди судів судов* | суд суда суде судом суды судов*
judge judges | суддя судді суддю суддів | судья судьи судью судей
parliament lawmakers lawmaker MPs | парламент* депутат* верховн* | парламент* депутат* верховн*
government cabinet | уряд* кабмін* | правительств* кабмин*
ministry minister ministers | міністр* | министр*
president presidential | президент* | президент*
governor | губернатор* ова | губернатор* ова
head chief | голова голови голові головою очільник* керівник* | глава главы главе главой
head | | руководител*
mayor | мер мера мером меру мерії мерія | мэр*
city town | місто міста місту місті містом міст містах містам містами міськ* | город*
village villages | село села селі селу селом сіл селах | село села селе селу селом селах
village | | деревн*
agriculture agricultural farming | сільськогосп* | сельскохоз*
region regional regions oblast | област* регіон* | област* регион*
district | район* | район*
police | поліц* | полиц*
prosecutor prosecutors prosecution | прокур* | прокур*
investigators investigation investigate | слідч* слідств* розслідув* | следств* следовател*
investigators | | расследов*
bank banks | банк* | банк*
company companies firm | компан* підприєм* | компани* предприяти*
council | рада ради раді радою | совет*
committee | комітет* | комитет*
agency | агенц* агентств* | агентств*
service | служб* сервіс* | служб* сервис*
office post posts | офіс* посад* | офис* должност*
state | держав* | государств*
public | публічн* громадськ* суспільн* | публичн* обществен*
official officials | посадов* чиновник* | должностн* чиновник*
deputy | заступник* | заместител*
spokesperson spokesman spokeswoman | речник* речниц* | спикер*
expert experts | експерт* | эксперт*
analyst analysts | аналітик* | аналитик*
economist economists | економіст* | экономист*
residents resident inhabitants locals | мешкан* жител* | жител* проживающ*
population | населен* | населен*
citizens citizen | громадян* | граждан*
people person persons | люд* осіб особи особа особу | люд* человек* человеч*
children child kids | діт* дитин* дитяч* | дети детей детям детьми детск* ребен*
woman women | жінк* жінок | женщин*
man men | чоловік* | мужчин*
family families | родин* сім'я сім'ї сім'єю сімей сімейн* | семья семьи семье семью семьей семей
family | | семейн*
pensioners pensioner retirees | пенсіонер* | пенсионер*
students student pupils | студент* учн* школяр* | студент* ученик* школьник*
teachers teacher | вчител* учител* педагог* | учител* педагог*
doctors doctor medics | лікар* медик* | врач* медик*
patients patient | пацієнт* хвор* | пациент* больн*
volunteers volunteer | волонтер* | волонтер*
partners partner allies ally | партнер* союзник* | партнер* союзник*
boys lads | хлопц* | ребят* парн*

# war and security
war wartime | війн* воєн* | войн*
army military | армі* військ* зсу | арми* военн* войск* всу
troops soldiers servicemen soldier | військов* бійц* боєць солдат* | военнослужащ* бойц* боец
troops | | солдат*
brigade brigades crews crew | бригад* | бригад*
front frontline | фронт* | фронт*
attack attacks attacked | атак* напад* | атак* напад*
strike strikes struck | удар* | удар*
missile missiles | ракет* | ракет*
drone drones | дрон* бпла безпілотник* | дрон* бпла беспилотник*
shelling shelled | обстріл* | обстрел*
bomb bombs bombing | бомб* авіабомб* каб | бомб* авиабомб* каб
explosion explosions blast | вибух* | взрыв*
air | повітрян* | воздушн*
alert alerts alarm | тривог* | тревог*
defence defense defences defend defenders lawyers lawyer attorney attorneys | захист* захисник* |
defence | оборон* ппо адвокат* юрист* | защит* защитник* оборон* пво адвокат* юрист*
enemy occupiers invaders | ворог* ворож* окупант* загарбник* | враг* вражеск* оккупант* захватчик*
offensive advance advancing | наступ наступу наступом наступальн* просуну* | наступлени*
offensive | | наступательн* продвину* продвиж*
assault | штурм* | штурм*
clashes clash battles fighting combat | зіткнен* боєзіткнен* бої боїв бойов* | столкновен*
clashes | | боестолкновен* бои боев боевы* боевой боевое
tanks tank | танк* | танк*
artillery | артилер* | артиллер*
aircraft aviation planes plane jets | авіац* літак* | авиац* самолет*
killed dead died death deaths | загин* загибл* вбит* смерт* | погиб* убит* смерт*
wounded injured injuries injury | поранен* травм* постражд* | ранен* травм* пострада*
civilians civilian | цивільн* мирних мирні мирним мирного |
civilians | | мирных мирные мирным мирного гражданск*
losses loss lost lose | втрат* | потер*
destroyed destroy destruction | знищ* зруйн* руйнув* | уничтож* разруш*
damaged damage | пошкодж* пошкод* | поврежд*
prisoners prisoner captivity captive | полон* військовополонен* |
prisoners | | плен плена пленных пленные пленным пленом военнопленн*
exchange swap | обмін* | обмен*
evacuation evacuated evacuate | евакуац* евакуйов* евакую* | эвакуац* эвакуир*
mines mine demining landmines | мін мінув* розмінув* мінн* | мин разминир* минн*
weapons weapon arms | зброя зброї зброю озброєн* | оружи* вооружен*
ammunition shells munitions | боєприпас* снаряд* | боеприпас* снаряд*
shelter shelters | укриття укритті укриттях бомбосховищ* | укрыти* убежищ*
rescuers rescuer rescue | рятувальн* надзвичайник* | спасател* спасательн*
firefighters fire fires blaze | пожеж* вогн* | пожар* огн*
rubble debris ruins | завал* уламк* | завал* облом*
sanctions | санкц* | санкц*
negotiations talks | переговор* | переговор*
peace world | мир миру миром світу світ світі світов* | мир мира миру миром миров*
ceasefire truce | перемир* | перемири*
security | безпек* | безопасност*
border borders | кордон* | границ*
occupied occupation | окупован* окупац* | оккупирован* оккупац*
massive | масован* | массирован*
deployed deploy involved | залуч* | привлек* привлеч*

# economy and money
prices price | ціна ціни ціні ціну ціною цін цінам цінами цінах цінов* | цена цены цене цену ценой
prices | | цен ценам ценами ценах ценов*
inflation | інфляц* | инфляц*
budget budgetary | бюджет* | бюджет*
tax taxes taxation | податк* податок податков* | налог*
revenue revenues income receipts | надходжен* доход* дохід | поступлен* доход*
spending expenditure expenditures expenses | видатк* витрат* | расход* затрат*
debt debts | борг* | долг долга долгу долгом долги долгов*
loan loans credit | кредит* позик* | кредит* займ*
grant grants | грант* | грант*
aid assistance help | допомог* | помощ* помог*
support | підтрим* | поддерж*
funding funds fund financing | фінансув* кошт* фонд* | финансир* средств* фонд*
money cash | грош* готівк* | деньг* денег наличн*
payments payment pay paid payout payouts | виплат* оплат* сплат* | выплат* оплат*
salary salaries wage wages | зарплат* заробітн* | зарплат* заработн*
pension pensions | пенсі* | пенси*
rate rates | ставк* курс курсу курсом | ставк* курс курса курсом
growth grow grew rose rise risen increase increased accelerated | зрост* зріс зросл* підвищ* |
growth | збільш* прискор* пришвидш* | рост* вырос* повыш* увелич* ускор*
decline declined fall fell drop dropped decrease decreased slowed | знизи* зниж* зменш* скороти* |
decline | скороч* сповільн* | сниз* сниж* уменьш* сократ* сокращ* замедл*
exports export exporters | експорт* | экспорт*
imports import | імпорт* | импорт*
grain | зерн* | зерн*
harvest crop crops | врожа* урожа* | урожа*
wheat | пшениц* | пшениц*
corn maize | кукурудз* | кукуруз*
sunflower | соняшник* | подсолнечник* подсолнух*
sowing sown sow | посів* сівб* засія* посія* | посев* засея* посея*
farmers farmer agrarians | аграр* фермер* | аграр* фермер*
fertiliser fertilisers fertilizer fertilizers | добрив* | удобрен*
food | продукт* харчув* їж* продовольч* | продукт* еды еда еду продовольств*
vegetables | овоч* | овощ*
eggs egg | яйц* | яйц*
butter | масл* | масл*
bread | хліб* | хлеб*
milk dairy | молок* молочн* | молок* молочн*
meat | м'яс* | мяс*
sugar | цукр* цукор | сахар*
drinks drink beverages | напої напоїв | напит*
fuel petrol | пальн* бензин* | топлив* бензин*
market markets | ринк* ринок | рынк* рынок
demand | попит* | спрос*
business businesses | бізнес* | бизнес*
investment investments investors investor | інвест* | инвест*
industry industrial | промислов* | промышленн*
production produce produced manufacturing manufacture | виробн* вироб* | производ*
contract contracts | контракт* договор* | контракт* договор*
tender tenders procurement | тендер* закупів* | тендер* закупк*
tranche | транш* | транш*
reserves | резерв* | резерв*
deficit shortage shortages | дефіцит* | дефицит*
tariff tariffs | тариф* | тариф*
cost costs | вартіст* вартост* | стоимост*
estimate estimates estimated | оцін* | оцен*
households | домогосподар* | домохозяйств*
consumers consumer customers subscribers | споживач* абонент* | потребител* абонент*
consumption | споживан* | потреблен*
jobs employment workers | робоч* працівник* зайнят* | рабоч* работник* занятост*
unemployment | безробіт* | безработиц*

# energy and infrastructure
electricity power | світл* електр* електроенерг* живлен* | свет свете света электр* электроэнерг*
energy | енерг* | энерг*
grid | мереж* енергосистем* | сет* энергосистем*
outage outages blackout blackouts | відключен* знеструм* | отключен* обесточ*
queues queue | черг* | очеред*
peak | пік піку піком піков* | пик пика пиком пиков*
substation substations | підстанц* | подстанц*
plant plants station | станц* тес тэс аес аэс | станц* тэс аэс
capacity | потужн* | мощност*
gas | газ* | газ*
storage | сховищ* зберіган* | хранилищ* хранени*
coal | вугіл* вугільн* | уголь угля углем угольн*
nuclear | атомн* ядерн* | атомн* ядерн*
solar | сонячн* | солнечн*
heating heat | тепл* опален* | тепл* отоплен*
water | вода води воді воду водою водопостач* водопровід* водоканал* | вода воды воде воду водой
water | | водоснабж* водопровод* водоканал*
supply supplies deliveries delivered delivery | постачан* подач* постачи* | поставк* снабжен*
supply | | подач*
repair repairs repaired | ремонт* | ремонт*
restore restored restoring restoration | відновл* відновит* віднов* | восстанов*
equipment | обладнан* | оборудован*
generator generators | генератор* | генератор*
road roads | дорога дороги дорозі дорогу доріг дорогах дорожн* | дорога дороги дороге дорогу дорог
road | | дорогах дорожн*
bridge bridges | мосту мостом мости мостів | мост*
railway railways rail trains train | залізниц* потяг* поїзд* | железн* поезд*
tickets ticket | квит* | билет*
passengers passenger | пасажир* | пассажир*
airport airports | аеропорт* | аэропорт*
port ports | порт порту порти портів | порт порта порты портов
ships ship vessels vessel | судн* корабл* | судн* корабл*
construction build built building | будівництв* будівельн* збудува* побудува* будує* будують |
construction | | строит* постро*
buildings house houses homes apartment residential | будин* будівл* житл* багатоповерх* | дом*
buildings | | здани* жиль* жил* многоэтаж*
windows window | вікн* вікон* | окон* окн*
glass | скло скла склом скління | стекл* стекол
sheeting plastic | плівк* | пленк*
vehicles vehicle cars car | автомоб* машин* техніки техніка технікою техніку | автомоб* машин*
vehicles | | техники техника техникой технику
school schools | школ* | школ*
lyceum | ліцей ліцеї ліцею ліцеях | лицей лицея лицее лицеи
kindergarten kindergartens | садк* садок | сад садик*
playground playgrounds | майданчик* | площадк*
hospital hospitals | лікарн* шпитал* | больниц* госпитал*
university universities | університет* | университет*

# law and courts
sentence sentenced verdict | вирок* засуд* | приговор* осуд*
appeal appeals appealed | апеляц* оскарж* | апелляц* обжал*
guilt guilty wrongdoing | вина вини вину провин* винн* | вина вины вину виновн*
admit admitted denies denied | визна* | призна*
bribe bribes bribery kickback | хабар* неправомірн* | взятк* неправомерн*
corruption | корупц* антикоруп* | коррупц* антикоррупц*
suspect suspected suspicion | підозр* | подозр*
charged charges accused | обвинув* звинув* | обвин*
detained arrested detention arrest | затрим* арешт* | задерж* арест*
prison jail imprisonment | в'язниц* позбавлен* ув'язнен* | тюрьм* лишени* заключени*
confiscated confiscation | конфіск* | конфиск*
property assets | майн* | имуществ*
searches search | обшук* | обыск*
hearings hearing trial meeting meetings | засідан* розгляд* | заседани* разбирательств*
law laws legislation bill | закон* | закон*
decree decision ruling ordered | указ указу указом рішен* постанов* | указ указа указом указу
decree | | решени* постанов*
rights | право права праву правом прав правах | право права праву правом прав правах

# health, society, culture
health | здоров* | здоров*
vaccination vaccine | вакцин* щеплен* | вакцин* прививк*
festival | фестивал* | фестивал*
museum | музе* | музе*
exhibition | виставк* | выставк*
book books | книг* | книг*
concert concerts | концерт* | концерт*
theatre theater | театр* | театр*
film films movie | фільм* кіно | фильм* кино
visitors visitor guests guest audience spectators crowd | відвідувач* гість гості гостей гостям |
visitors | гостями глядач* | посетител* гость гости гостей гостям гостями зрител*
dance dancers dancing | танц* | танц*
music musicians | музик* | музык*
writers writer | письменни* | писател*
restorers | реставрат* | реставрат*
church | церкв* храм* | церкв* храм*
history historical | істор* | истор*
app digital online | застосун* цифров* онлайн | приложени* цифров* онлайн
smartphone smartphones phone phones | смартфон* телефон* | смартфон* телефон*
internet | інтернет* | интернет*
users user | користувач* | пользовател*
documents document | документ* | документ*
applications application applicants | заявк* | заявк*
character | характер* | характер*
mourning | жалоб* | траур*

# weather and nature
weather | погода погоди погоді погоду погодн* | погода погоды погоде погоду погодн*
forecast forecasters forecasts | прогноз* синоптик* | прогноз* синоптик*
snow snowfall | сніг* снігопад* | снег* снегопад*
rain rains rainfall | дощ* злив* | дожд* ливн*
frost frosts | мороз* | мороз*
temperature temperatures | температур* | температур*
wind winds | вітер вітр* | ветер ветр*
storm storms | шторм* негод* | шторм* непогод*
flood flooding | повен* паводк* підтопл* | наводнен* паводк* подтопл*
drought | посух* | засух*

# sport
match matches game games | матч* гра гри грі гру грою | матч* игр*
goal goals | гол голи голів голом | гол голы голов голом
team teams squad | команда команди команді команду командою команд командам командах збірн* |
team | | команда команды команде команду командой команд командам командах сборн*
coach coaches | тренер* | тренер*
players player striker | гравц* гравець нападник* | игрок* нападающ*
hosts host | господар* | хозя*
substitute substitution | заміна заміни заміну заміною замінити замінять замінив | замен*
fans | уболівальник* вболівальник* фанат* | болельщик* фанат*
points | очк* очок бали балів | очк* балл балла баллов баллы
league | ліг* | лиг*
table standings | таблиц* | таблиц*
position | місце місця місці місцем | место места месте месту местом
championship championships | чемпіонат* | чемпионат*
tournament | турнір* | турнир*
win won victory beat | перемог* обігра* виграл* | побед* обыгра* выиграл*
defeat defeated | поразк* програл* програв* програш* | поражени* проигра*
draw drew | нічия нічию внічию жеребкуван* | ничья ничью вничью жеребьевк*
medal medals | медал* | медал*
race races | гонк* перегон* | гонк*
olympic olympics | олімпі* | олимпи*
stadium | стадіон* | стадион*
final finals | фінал* | финал*

# common actions
warned warn warning | попереди* попередж* | предупред* предупрежд*
expects expect expected expectations | очіку* | ожида*
plans plan planned | план* | план*
announced announce declared declare | оголос* | объяв*
signed sign | підписа* підпис* | подпис*
approved approve adopted | ухвал* схвал* затверд* | одобр* утверд* принял* принят*
banned ban | заборон* | запрет*
allocate allocated | виділ* | выдел*
received receive | отрима* одержа* | получ*
opened open | відкри* | откры*
closed | закри* | закры*
working work worked | працю* працюва* робот* | работ*
living live lived | мешка* прожива* жив* | прожива* жив*
moved relocate relocated | переїх* переміщ* | переех* перемещ*
returned return | поверн* | верн* возвращ*
launched launch | запуст* випуст* | запуст* выпуст*
downed intercepted | збит* збил* знешкод* | сбит* сбил* обезвред*
showed show shown | показа* | показа*

# places that are translated, not transliterated
Poland Polish | польщ* польськ* | польш* польск*
Germany German | німеччин* німецьк* | германи* немецк*
France French | франці* французьк* | франци* французск*
Britain British UK | британ* | британ* великобритан*
Hungary Hungarian | угорщин* угорськ* | венгри* венгерск*
Slovakia Slovak | словаччин* словацьк* | словаки* словацк*
Moldova | молдов* | молдов* молдав*
Romania | румуні* | румыни*
Turkey Turkish | туреччин* турецьк* | турци* турецк*
China Chinese | кита* | кита*
Japan Japanese | японі* | япони*
Europe European EU | європ* єс | европ* ес
America American US USA | америк* сша | америк* сша
Norway Norwegian | норвег* | норвег*
Denmark Danish | данія данії данію данськ* | дания дании данию датск*
Netherlands Dutch | нідерланд* | нидерланд*
Sweden Swedish | швеці* шведськ* | швеци* шведск*
Italy Italian | італі* | итали*
Spain Spanish | іспані* | испани*
Czech | чехі* чеськ* | чехи* чешск*
Lithuania Lithuanian | литв* | литв*

# recaps
recalled recall previously earlier reminder | нагада* | напомн* напомин*
"""

_PREFIX_MARK = "*"


def normalise(word: str) -> str:
    """Lower case without apostrophes (п’ятниця, п'ятниця and пʼятниця are one word)."""
    return word.lower().translate(_NORMALISE)


_NORMALISE = str.maketrans({"'": None, "’": None, "ʼ": None, "`": None, "ё": "е"})


def _english_forms(word: str) -> list[str]:
    """A word with the regular English endings (repair: repairs, repaired, repairing)."""
    if word.endswith("e"):
        return [word, word + "s", word + "d", word[:-1] + "ing"]
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u", ""):
        return [word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"]
    forms = [word, word + "ed", word + "ing"]
    forms.append(word + "es" if word.endswith(("s", "x", "z", "ch", "sh")) else word + "s")
    return forms


class _Table:
    """Whole words and stems of one language, each pointing to its concept."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}
        self.capitalised: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        self.longest_stem = 0

    def add(self, form: str, concept: str, english: bool) -> None:
        if form.endswith(_PREFIX_MARK):
            stem = normalise(form[:-1])
            self.stems.setdefault(stem, concept)
            self.longest_stem = max(self.longest_stem, len(stem))
            return
        target = self.capitalised if any(char.isupper() for char in form) else self.words
        for variant in _english_forms(normalise(form)) if english else [normalise(form)]:
            target.setdefault(variant, concept)

    def lookup(self, word: str) -> str | None:
        folded = normalise(word)
        found = self.words.get(folded)
        if found is None and word[:1].isupper():
            found = self.capitalised.get(folded)
        if found is not None:
            return found
        for length in range(min(len(folded), self.longest_stem), 1, -1):
            found = self.stems.get(folded[:length])
            if found is not None:
                return found
        return None


def _parse(text: str) -> dict[str, _Table]:
    tables = {lang: _Table() for lang in LEXICON_LANGS}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        columns = [column.split() for column in line.split("|")]
        if len(columns) != len(LEXICON_LANGS) or not columns[0]:
            raise ValueError(f"lexicon line needs {len(LEXICON_LANGS)} columns: {line!r}")
        concept = columns[0][0].lower()
        for lang, forms in zip(LEXICON_LANGS, columns, strict=True):
            for form in forms:
                tables[lang].add(form, concept, english=lang == "en")
    return tables


LEXICON_LANGS = ("en", "uk", "ru")
_TABLES = _parse(LEXICON_TEXT)


@lru_cache(maxsize=65536)
def concept_of(word: str, lang: str) -> str | None:
    """The lexicon concept a word of the given language expresses, or None.

    A language outside the lexicon tries the Cyrillic tables for a Cyrillic word and the
    English one otherwise.
    """
    table = _TABLES.get(lang)
    if table is not None:
        return table.lookup(word)
    if any("\u0400" <= char <= "\u04ff" for char in word):
        return _TABLES["uk"].lookup(word) or _TABLES["ru"].lookup(word)
    return _TABLES["en"].lookup(word)


def concepts() -> frozenset[str]:
    """Every concept the lexicon knows (for reports and tests)."""
    return frozenset(
        concept
        for table in _TABLES.values()
        for mapping in (table.words, table.capitalised, table.stems)
        for concept in mapping.values()
    )
