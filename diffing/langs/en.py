"""English."""

from __future__ import annotations

from diffing.langs.base import (
    ARTICLE,
    HUNDRED,
    MULT,
    TEEN,
    TEN,
    UNIT,
    LanguageRules,
    NumberWords,
    RangeJoin,
)


def _number_words() -> dict[str, tuple[float, str]]:
    forms: dict[str, tuple[float, str]] = {}
    units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    for value, word in enumerate(units, start=1):
        forms[word] = (value, UNIT)
    teens = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    for value, word in enumerate(teens, start=10):
        forms[word] = (value, TEEN)
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    for value, word in zip(range(20, 100, 10), tens, strict=True):
        forms[word] = (value, TEN)
    forms["hundred"] = (100, HUNDRED)
    for value, word in ((1e3, "thousand"), (1e6, "million"), (1e9, "billion"), (1e12, "trillion")):
        forms[word] = (value, MULT)
    forms["dozen"] = (12, MULT)  # "two dozen" = 24, "a dozen" = 12 ("dozens of" is no number)
    return forms


def _lexicon_forms(word: str) -> list[str]:
    """A word with the regular English endings (repair: repairs, repaired, repairing)."""
    if word.endswith("e"):
        return [word, word + "s", word + "d", word[:-1] + "ing"]
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u", ""):
        return [word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"]
    forms = [word, word + "ed", word + "ing"]
    forms.append(word + "es" if word.endswith(("s", "x", "z", "ch", "sh")) else word + "s")
    return forms


_LEXICON = """
# months and weekdays
january | January
february | February
march | March
april | April
may | May
june | June
july | July
august | August
september | September
october | October
november | November
december | December
monday | Monday
tuesday | Tuesday
wednesday | Wednesday
thursday | Thursday
friday | Friday
saturday | Saturday
sunday | Sunday
weekend | weekend
# time
day | day days daily
day | day
night | night overnight nightly
morning | morning
evening | evening
week | week weekly
month | month monthly
hour | hour hours hourly
minute | minute
season | season
spring | spring
summer | summer
autumn | autumn
winter | winter
clock | clock
deadline | deadline deadlines
schedule | schedule schedules timetable
today | today
yesterday | yesterday
tomorrow | tomorrow
start | start beginning began begin
start | start
end | end
# institutions and people
court | court courts
judge | judge judges
parliament | parliament lawmakers lawmaker MPs
government | government cabinet
ministry | ministry minister ministers
president | president presidential
governor | governor
head | head chief
head | head
mayor | mayor
city | city town
village | village villages
village | village
agriculture | agriculture agricultural farming
region | region regional regions oblast
district | district
police | police
prosecutor | prosecutor prosecutors prosecution
investigators | investigators investigation investigate
investigators | investigators
bank | bank banks
company | company companies firm
council | council
committee | committee
agency | agency
service | service
office | office post posts
state | state
public | public
official | official officials
deputy | deputy
spokesperson | spokesperson spokesman spokeswoman
expert | expert experts
analyst | analyst analysts
economist | economist economists
residents | residents resident inhabitants locals
population | population
citizens | citizens citizen
people | people person persons
children | children child kids
woman | woman women
man | man men
family | family families
family | family
pensioners | pensioners pensioner retirees
students | students student pupils
teachers | teachers teacher
doctors | doctors doctor medics
patients | patients patient
volunteers | volunteers volunteer
partners | partners partner allies ally
boys | boys lads
# war and security
war | war wartime
army | army military
troops | troops soldiers servicemen soldier
troops | troops
brigade | brigade brigades crews crew
front | front frontline
attack | attack attacks attacked
strike | strike strikes struck
missile | missile missiles
drone | drone drones
shelling | shelling shelled
bomb | bomb bombs bombing
explosion | explosion explosions blast
air | air
alert | alert alerts alarm
defence | defence defense defences defend defenders lawyers lawyer attorney attorneys
defence | defence
enemy | enemy occupiers invaders
offensive | offensive advance advancing
offensive | offensive
assault | assault
clashes | clashes clash battles fighting combat
clashes | clashes
tanks | tanks tank
artillery | artillery
aircraft | aircraft aviation planes plane jets
killed | killed dead died death deaths
wounded | wounded injured injuries injury
civilians | civilians civilian
civilians | civilians
losses | losses loss lost lose
destroyed | destroyed destroy destruction
damaged | damaged damage
prisoners | prisoners prisoner captivity captive
prisoners | prisoners
exchange | exchange swap
evacuation | evacuation evacuated evacuate
mines | mines mine demining landmines
weapons | weapons weapon arms
ammunition | ammunition shells munitions
shelter | shelter shelters
rescuers | rescuers rescuer rescue
firefighters | firefighters fire fires blaze
rubble | rubble debris ruins
sanctions | sanctions
negotiations | negotiations talks
peace | peace world
ceasefire | ceasefire truce
security | security
border | border borders
occupied | occupied occupation
massive | massive
deployed | deployed deploy involved
# economy and money
prices | prices price
prices | prices
inflation | inflation
budget | budget budgetary
tax | tax taxes taxation
revenue | revenue revenues income receipts
spending | spending expenditure expenditures expenses
debt | debt debts
loan | loan loans credit
grant | grant grants
aid | aid assistance help
support | support
funding | funding funds fund financing
money | money cash
payments | payments payment pay paid payout payouts
salary | salary salaries wage wages
pension | pension pensions
rate | rate rates
growth | growth grow grew rose rise risen increase increased accelerated
growth | growth
decline | decline declined fall fell drop dropped decrease decreased slowed
decline | decline
exports | exports export exporters
imports | imports import
grain | grain
harvest | harvest crop crops
wheat | wheat
corn | corn maize
sunflower | sunflower
sowing | sowing sown sow
farmers | farmers farmer agrarians
fertiliser | fertiliser fertilisers fertilizer fertilizers
food | food
vegetables | vegetables
eggs | eggs egg
butter | butter
bread | bread
milk | milk dairy
meat | meat
sugar | sugar
drinks | drinks drink beverages
fuel | fuel petrol
market | market markets
demand | demand
business | business businesses
investment | investment investments investors investor
industry | industry industrial
production | production produce produced manufacturing manufacture
contract | contract contracts
tender | tender tenders procurement
tranche | tranche
reserves | reserves
deficit | deficit shortage shortages
tariff | tariff tariffs
cost | cost costs
estimate | estimate estimates estimated
households | households
consumers | consumers consumer customers subscribers
consumption | consumption
jobs | jobs employment workers
unemployment | unemployment
# energy and infrastructure
electricity | electricity power
energy | energy
grid | grid
outage | outage outages blackout blackouts
queues | queues queue
peak | peak
substation | substation substations
plant | plant plants station
capacity | capacity
gas | gas
storage | storage
coal | coal
nuclear | nuclear
solar | solar
heating | heating heat
water | water
water | water
supply | supply supplies deliveries delivered delivery
supply | supply
repair | repair repairs repaired
restore | restore restored restoring restoration
equipment | equipment
generator | generator generators
road | road roads
road | road
bridge | bridge bridges
railway | railway railways rail trains train
tickets | tickets ticket
passengers | passengers passenger
airport | airport airports
port | port ports
ships | ships ship vessels vessel
construction | construction build built building
construction | construction
buildings | buildings house houses homes apartment residential
buildings | buildings
windows | windows window
glass | glass
sheeting | sheeting plastic
vehicles | vehicles vehicle cars car
vehicles | vehicles
school | school schools
lyceum | lyceum
kindergarten | kindergarten kindergartens
playground | playground playgrounds
hospital | hospital hospitals
university | university universities
# law and courts
sentence | sentence sentenced verdict
appeal | appeal appeals appealed
guilt | guilt guilty wrongdoing
admit | admit admitted denies denied
bribe | bribe bribes bribery kickback
corruption | corruption
suspect | suspect suspected suspicion
charged | charged charges accused
detained | detained arrested detention arrest
prison | prison jail imprisonment
confiscated | confiscated confiscation
property | property assets
searches | searches search
hearings | hearings hearing trial meeting meetings
law | law laws legislation bill
decree | decree decision ruling ordered
decree | decree
rights | rights
# health, society, culture
health | health
vaccination | vaccination vaccine
festival | festival
museum | museum
exhibition | exhibition
book | book books
concert | concert concerts
theatre | theatre theater
film | film films movie
visitors | visitors visitor guests guest audience spectators crowd
visitors | visitors
dance | dance dancers dancing
music | music musicians
writers | writers writer
restorers | restorers
church | church
history | history historical
app | app digital online
smartphone | smartphone smartphones phone phones
internet | internet
users | users user
documents | documents document
applications | applications application applicants
character | character
mourning | mourning
# weather and nature
weather | weather
forecast | forecast forecasters forecasts
snow | snow snowfall
rain | rain rains rainfall
frost | frost frosts
temperature | temperature temperatures
wind | wind winds
storm | storm storms
flood | flood flooding
drought | drought
# sport
match | match matches game games
goal | goal goals
team | team teams squad
team | team
coach | coach coaches
players | players player striker
hosts | hosts host
substitute | substitute substitution
fans | fans
points | points
league | league
table | table standings
position | position
championship | championship championships
tournament | tournament
win | win won victory beat
defeat | defeat defeated
draw | draw drew
medal | medal medals
race | race races
olympic | olympic olympics
stadium | stadium
final | final finals
# common actions
warned | warned warn warning
expects | expects expect expected expectations
plans | plans plan planned
announced | announced announce declared declare
signed | signed sign
approved | approved approve adopted
banned | banned ban
allocate | allocate allocated
received | received receive
opened | opened open
closed | closed
working | working work worked
living | living live lived
moved | moved relocate relocated
returned | returned return
launched | launched launch
downed | downed intercepted
showed | showed show shown
# places that are translated, not transliterated
poland | Poland Polish
germany | Germany German
france | France French
britain | Britain British UK
hungary | Hungary Hungarian
slovakia | Slovakia Slovak
moldova | Moldova
romania | Romania
turkey | Turkey Turkish
china | China Chinese
japan | Japan Japanese
europe | Europe European EU
america | America American US USA
norway | Norway Norwegian
denmark | Denmark Danish
netherlands | Netherlands Dutch
sweden | Sweden Swedish
italy | Italy Italian
spain | Spain Spanish
czech | Czech
lithuania | Lithuania Lithuanian
# recaps
recalled | recalled recall previously earlier reminder
"""

RULES = LanguageRules(
    code="en",
    order=20,
    name="English",
    script="Latin",
    letters="abcdefghijklmnopqrstuvwxyz",
    marker_letters="",
    word_class="a-z",
    decimal_mark=".",
    group_separator=",",
    reads=("uk", "ru", "en"),
    months=(
        ("January", "Jan"),
        ("February", "Feb"),
        ("March", "Mar"),
        ("April", "Apr"),
        ("May",),
        ("June", "Jun"),
        ("July", "Jul"),
        ("August", "Aug"),
        ("September", "Sept", "Sep"),
        ("October", "Oct"),
        ("November", "Nov"),
        ("December", "Dec"),
    ),
    months_case_sensitive=True,
    month_before_day=True,
    month_first_stopwords=(
        "in",
        "at",
        "on",
        "and",
        "of",
        "the",
        "for",
        "with",
        "when",
        "while",
        "as",
        "this",
        "last",
        "next",
    ),  # fmt: skip
    day_span_words=("to", "through", "till", "until"),
    year_nouns=("(?i:year)",),
    year_prefixes=("mid", "pre", "post"),
    year_prepositions=(
        "in",
        "since",
        "from",
        "by",
        "until",
        "till",
        "before",
        "after",
        "during",
        "early",
        "late",
        *(
            f"{part} of"
            for part in "end start beginning middle half spring summer autumn fall winter".split()
        ),
    ),  # fmt: skip
    multipliers={
        3: r"(?i:thousand)",
        6: r"(?i:million)|mln|mn",
        9: r"(?i:billion)|bn|bln",
        12: r"(?i:trillion)|tn",
    },
    glued_multipliers={3: "[kK]", 6: "m"},
    units={
        "pp": r"(?i:percentage\s+points?)|pp",
        "percent": r"(?i:per\s?cent|pct)",
        "UAH": r"(?i:hryvn[a-z]*)",
        "USD": r"(?i:(?:US\s+)?dollars?)",
        "EUR": r"(?i:euros?)",
        "RUB": r"(?i:roubles?|rubles?)",
        "GBP": r"(?i:pounds?\s+sterling)",
        "km2": r"(?i:square\s+kilomet[a-z]+)",
        "kmh": r"(?i:kilomet(?:re|er)s?\s+per\s+hour)",
        "km": r"(?i:kilomet(?:re|er)s?)",
        "mi": r"(?i:miles?)",
        "m3": r"(?i:cubic\s+met(?:re|er)s?)",
        "mm": r"(?i:millimet(?:re|er)s?)",
        "cm": r"(?i:centimet(?:re|er)s?)",
        "m": r"(?i:metres?|meters?)",
        "t": r"(?i:tonnes?|tons?)",
        "kg": r"(?i:kilograms?|kilos?)",
        "ha": r"(?i:hectares?)",
        "l": r"(?i:litres?|liters?)",
        "bbl": r"(?i:barrels?)",
        "C": r"(?i:degrees?(?:\s+Celsius)?)",
    },
    si_prefix_words={"T": "tera", "G": "giga", "M": "mega", "k": "kilo"},
    unit_symbols={"km2": r"sq\.?\s?km", "kmh": "kph"},
    energy_words=r"{p}watt[- ]hours?",
    power_words=r"{p}watts?",
    minus_words=("minus",),
    below_zero=(r"below\s+zero", r"below\s+freezing"),
    factor_units=r"(?i:times|fold)",
    factor_words={"twice": 2, "thrice": 3},
    factor_comparatives=(
        "more",
        "less",
        "fewer",
        "higher",
        "lower",
        "larger",
        "smaller",
        "bigger",
        "greater",
        "faster",
        "slower",
        "cheaper",
        "longer",
        "as",
        "the",
    ),  # fmt: skip
    qualifiers={
        "over": (
            "more than",
            "over",
            "just over",
            "well over",
            "upwards of",
            "in excess of",
            "above",
        ),
        "under": ("fewer than", "less than", "under", "just under", "below"),
        "about": (
            "about",
            "around",
            "approximately",
            "approx.",
            "roughly",
            "some",
            "an estimated",
            "estimated",
        ),
        "almost": ("nearly", "almost", "close to"),
        "at least": ("at least", "no fewer than", "no less than", "not less than", "a minimum of"),
        "at most": ("at most", "no more than", "not more than", "a maximum of"),
        "up to": ("up to", "as many as", "as much as"),
    },  # fmt: skip
    range_prefixes=("from", "between"),
    range_joins={
        "to": RangeJoin(frozenset({"from"}), required=False, may_be_change=True),
        "and": RangeJoin(frozenset({"between"})),
        "through": RangeJoin(frozenset({"from"})),
    },
    change_verbs=(
        r"\brose\b",
        r"\brise[ns]?\b",
        r"\brising\b",
        "increas",
        r"\braised?\b",
        r"\bgrew\b",
        r"\bgrow",
        r"\bfell\b",
        r"\bfall",
        r"\bdrop",
        "decreas",
        r"\bcut\b",
        "reduc",
        "went up",
        "went down",
        "climb",
        "jump",
        "doubl",
        "lower",
        "hike",
        "expand",
        "shrink",
        "slump",
        "soar",
        "surge",
        "plung",
        "declin",
        r"\bchang",
        "revis",
    ),  # fmt: skip
    time_prepositions=("at", "from", "until", "till", "by"),
    number_words=NumberWords(
        table=_number_words(),
        contextual={
            "a": (r"\s+(?:hundred|thousand|million|billion|trillion|dozen)\b", (1, ARTICLE))
        },
        gap=r"(?:[ \u00a0]+|[ \u00a0]*-[ \u00a0]*|[ \u00a0]+and[ \u00a0]+)\Z",
        and_a_half=(
            r"(?<![\w'])(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|a)[ \u00a0]+and"
            r"[ \u00a0]+a[ \u00a0]+half[ \u00a0]+(?P<scale>thousand|million|billion|trillion)"
            r"(?![\w'])"
        ),
    ),
    lexicon=_LEXICON,
    lexicon_word_forms=_lexicon_forms,
    transliterate=str.lower,
    default=True,
    aliases=("eng",),
    switcher_labels=("en", "eng", "english", "англ", "англійська", "in english"),
)
