"""A deterministic corpus for the benchmarks: the real portal plus N bilingual news items.

    .venv/bin/python bench/corpus.py DEST --items 1000          # write the site to DEST
    .venv/bin/python bench/corpus.py --stats --items 200        # word counts, nothing written

DEST gets the portal's content/, data/, templates/ and static/ (as bigsite.py
copies them) and N news items in the portal's own format, each a Swedish and
an English file: `content/news/<date>-<slug>.sv.md` and `.en.md`, YAML front
matter (title, slug, date, summary, municipalities; some with updated and
source), then 600–900 words of markdown with `##` headings, a bulleted and a
numbered list, a table, emphasis, a link to a content page and, from the second
item on, a link to an earlier item.

The two languages are written from two separate vocabularies and sets of
sentence shapes (Swedish puts time first and inverts the verb, quotes with a
dash; English uses the passive, questions and reported speech), so the texts
differ as real translations do, not word for word. Everything comes from
`random.Random` seeded with a string per item and language: the same
`--items` and `--seed` give byte-identical files on every machine and run.
The text is made for measuring and never published.

peers.py reads the same items through `items()` to write them in Pelican's,
MkDocs' and Hugo's formats.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bigsite  # noqa: E402  (its copy of the real portal)

LAST_DATE = dt.date(2026, 6, 30)  # the newest item; older ones go back from here
MIN_WORDS, MAX_WORDS = 600, 900
MUNICIPALITIES = ("mjolby", "boxholm", "odeshog")


# --- Swedish: its own words and sentence shapes ------------------------------------------

SV = dict(
    ort=[
        "Mjölby",
        "Mantorp",
        "Skänninge",
        "Väderstad",
        "Boxholm",
        "Strålsätter",
        "Malexander",
        "Ödeshög",
        "Rök",
        "Hästholmen",
        "Sya",
        "Hogstad",
        "Spångsholm",
        "Järnevi",
    ],
    aktor=[
        "trygghets- och säkerhetsenheten",
        "räddningstjänsten",
        "lokalpolisområdet",
        "kommunstyrelsen",
        "socialförvaltningen",
        "det kommunala bostadsbolaget",
        "krisledningsnämnden",
        "barn- och utbildningsförvaltningen",
        "föreningslivet",
        "länsstyrelsen i Östergötland",
        "Civilförsvarsförbundet",
        "bygg- och miljökontoret",
        "tekniska kontoret",
        "hemtjänsten",
        "Region Östergötland",
    ],
    amne=[
        "krisberedskapen",
        "det brottsförebyggande arbetet",
        "brandskyddet i flerbostadshus",
        "informationssäkerheten",
        "trygghetsvandringarna",
        "reservkraften på äldreboendena",
        "nödvattenplanen",
        "samverkan med näringslivet",
        "skalskyddet på kommunens fastigheter",
        "belysningen i gångtunnlarna",
        "utbildningen i psykologiskt försvar",
        "kontinuitetsplaneringen",
        "kriskommunikationen",
        "risk- och sårbarhetsanalysen",
        "värmestugorna",
        "de trygghetspunkter som öppnas vid strömavbrott",
        "grannsamverkan",
        "arbetet mot klotter och skadegörelse",
        "föräldravandringarna",
        "säkerhetsskyddet",
    ],
    verb=[
        "förstärker",
        "ser över",
        "utvecklar",
        "följer upp",
        "prioriterar",
        "kartlägger",
        "utvärderar",
        "planerar om",
        "samordnar",
        "dokumenterar",
        "breddar",
        "moderniserar",
    ],
    tid=[
        "Under hösten",
        "I början av året",
        "Sedan förra sommaren",
        "Efter den senaste övningen",
        "Inför vintern",
        "Under våren",
        "I samband med budgetarbetet",
        "Vid årsskiftet",
        "Redan i mars",
        "Efter sommarlovet",
        "Under de kommande två åren",
        "Till att börja med",
    ],
    adj=[
        "tydligare",
        "bättre förankrad",
        "snabbare",
        "mer samordnad",
        "långsiktigare",
        "enklare att förstå",
        "billigare",
        "mer robust",
        "lättare att följa upp",
    ],
    grupp=[
        "äldre som bor ensamma",
        "föräldrar",
        "fastighetsägare",
        "företagare",
        "ungdomar",
        "föreningar",
        "skolpersonal",
        "hemtjänstens medarbetare",
        "lantbrukare",
        "nyinflyttade",
        "pendlare",
        "handlare i centrum",
    ],
    roll=[
        "enhetens säkerhetsstrateg",
        "beredskapssamordnaren",
        "en av kommunens säkerhetssamordnare",
        "chefen för räddningstjänsten",
        "kommunpolisen",
        "förvaltningschefen",
        "ordföranden i krisledningsnämnden",
        "en av de trygghetsvärdar som arbetar kvällstid",
    ],
    plats=[
        "centrum",
        "resecentrum",
        "skolgårdarna",
        "bostadsområdena",
        "idrottsplatsen",
        "parkerna",
        "gång- och cykelvägarna",
        "biblioteket",
    ],
    aktivitet=[
        "trygghetsvandringar",
        "övningar",
        "informationsmöten",
        "utbildningsdagar",
        "workshoppar",
        "besök på skolor",
    ],
    manad=[
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    sasong=["hösten", "våren", "nästa sommar", "vintern", "slutet av året"],
    rubrik=[
        "Bakgrund",
        "Vad händer nu?",
        "Så går det till",
        "Det här gäller för dig som bor i {ort}",
        "Siffror från förra året",
        "Nästa steg",
        "Frågor och svar",
        "Så kan du bidra",
        "Därför behövs det",
        "Tidplan",
        "Vem gör vad?",
        "Kostnader och finansiering",
    ],
    punkt=[
        "kontrollera brandvarnaren en gång i månaden",
        "ha vatten, mat och värme hemma för minst en vecka",
        "lyssna på Sveriges Radio P4 vid störningar",
        "anmäl skadegörelse till polisen",
        "gå med i grannsamverkan i ditt område",
        "se över belysningen vid entrén",
        "spara viktiga telefonnummer på papper",
        "prata med barnen om vad som händer vid en kris",
        "håll dörren till trapphuset stängd",
        "tänk på att tända levande ljus på säkert avstånd",
        "ha kontanter hemma om kortbetalningar slutar fungera",
        "kolla hur grannen mår när det är kallt ute",
    ],
    steg=[
        "Ring 112 om det är akut och någon är i fara.",
        "Ring 114 14 när du vill tipsa polisen och det inte är akut.",
        "Kontakta kommunens växel och be att få prata med enheten.",
        "Beskriv var och när det hände så noga du kan.",
        "Fotografera skadan om det går att göra utan risk.",
        "Spara kvittot om du behöver byta lås eller ruta.",
        "Berätta för din hyresvärd om det gäller ett flerbostadshus.",
        "Följ kommunens webbplats för uppdateringar.",
    ],
)

SV_SENTENCES = [
    "{tid} {verb} {aktor} {amne} i {ort}.",
    "{Aktor} {verb} {amne} tillsammans med {aktor2}.",
    "Arbetet ska göra {amne} {adj} för {grupp} i {ort}.",
    "– Vi har sett att {grupp} vill veta mer om {amne}, säger {roll}.",
    "Det handlar bland annat om {amne} och om {amne2}.",
    "Enligt {roll} är {amne} ett område där kommunerna har mycket att vinna på att samarbeta.",
    "Förra året genomfördes {tal} {aktivitet} i {ort}, och fler planeras till {sasong}.",
    "{Aktor} har fått in {tal} synpunkter från {grupp} om {amne}.",
    "Resultatet redovisas för kommunstyrelsen i {manad}.",
    "Övningen visade att {amne} fungerar väl, men att {amne2} behöver ses över.",
    "Målet är att {grupp} ska känna sig tryggare i {plats}.",
    "Kostnaden beräknas till cirka {tal} 000 kronor, som delas mellan de tre kommunerna.",
    "Eftersom {amne} berör alla förvaltningar samordnas arbetet av {roll}.",
    "– Ingen av oss klarar det här ensam, konstaterar {roll}.",
    "I {ort} har man redan börjat med {amne}, medan {ort2} väntar till {sasong}.",
    "Det är viktigt att {grupp} vet vart de ska vända sig om något händer.",
    "Vid det senaste tillfället deltog {tal} personer från {aktor} och {aktor2}.",
    "{Tid2} kommer {grupp} att bjudas in till {aktivitet} i {plats}.",
    "Den som har frågor om {amne} kan kontakta {aktor} via kommunens växel.",
    "Ändringen gäller från och med {manad} och påverkar inte {amne}.",
    "Förslaget har skickats på remiss till {aktor}, som ska svara senast i {manad}.",
    "Både {grupp} och {grupp2} har varit med och tagit fram underlaget.",
    "– Det är de små sakerna som gör skillnad, som att {punkt}, menar {roll}.",
    "Hittills har {tal} hushåll i {ort} fått information hemskickad.",
]

SV_SUMMARY = [
    "{Aktor} {verb} {amne} i {ort} och vill nå fler {grupp}.",
    "{Tid} {verb} kommunerna {amne}, med {ort} som första ort.",
    "Nu ska {amne} bli {adj} för {grupp} i Mjölby, Boxholm och Ödeshög.",
]

SV_TITLE = [
    "{Ort} {verb} {amne}",
    "Ny satsning på {amne} i {ort}",
    "{Aktor} bjuder in {grupp} till {aktivitet}",
    "{Amne} ska bli {adj}",
    "Så blir {amne} {adj} i {ort}",
]

SV_LINK = [
    "Mer om hur de tre kommunerna delar på arbetet finns på sidan [om samverkan](../pages/om-samverkan.sv.md).",
    "På [kontaktsidan](../pages/kontakt.sv.md) står det hur du når enheten.",
    "Vilka som arbetar på enheten och vad de gör beskrivs på [sidan om enheten](../pages/enheten.sv.md).",
    "Hur webbplatsen fungerar med skärmläsare står i [tillgänglighetsredogörelsen](../pages/tillganglighet.sv.md).",
]
SV_EARLIER = "Vi har tidigare skrivit om [{title}]({stem}.sv.md)."
SV_TABLES = [
    ("| Kommun | {aktivitet_cap} | Deltagare |\n|---|---:|---:|", "| {Ort} | {tal} | {tal2} |"),
    ("| Månad | Ärenden | Varav akuta |\n|---|---:|---:|", "| {Manad} | {tal} | {tal3} |"),
]
SV_TABLE_INTRO = [
    "Tabellen visar hur det har sett ut hittills.",
    "Så här fördelar sig siffrorna:",
    "Siffrorna nedan är preliminära.",
]
SV_LIST_INTRO = ["Det här kan du själv göra:", "Några råd från enheten:", "Tänk särskilt på att"]
SV_STEPS_INTRO = ["Om något har hänt gör du så här:", "Så anmäler du:", "Gör i den här ordningen:"]
SV_EXTRA = "Det här är ett tillägg som bara finns i mätningen."


# --- English: other words, other sentence shapes -------------------------------------------

EN = dict(
    place=["Mjölby", "Boxholm", "Ödeshög", "Mantorp", "Skänninge", "Väderstad", "Malexander", "Hästholmen"],
    body=[
        "the safety and security unit",
        "the fire and rescue service",
        "the local police",
        "the municipal executive board",
        "the social services department",
        "the housing company",
        "the crisis management board",
        "the education department",
        "the sports federation",
        "the county administrative board",
        "the Swedish Civil Defence League",
        "the planning department",
        "the regional health authority",
    ],
    topic=[
        "emergency preparedness",
        "crime prevention",
        "fire safety in blocks of flats",
        "information security",
        "the night-time safety walk programme",
        "back-up power for care homes",
        "the emergency water plan",
        "cooperation with local businesses",
        "street lighting on cycle paths",
        "training in psychological defence",
        "business continuity planning",
        "crisis communication",
        "the risk and vulnerability assessment",
        "the network of warming centres",
        "neighbourhood watch",
        "the fight against graffiti and vandalism",
        "the safety of school routes",
        "protective security",
    ],
    verb_pp=[
        "stepped up",
        "reviewed",
        "rethought",
        "expanded",
        "reorganised",
        "simplified",
        "tested",
        "mapped out",
        "costed",
        "documented",
    ],
    verb_inf=["try out", "roll out", "fund", "evaluate", "publish", "rehearse", "share"],
    event=[
        "last winter's power cut",
        "a national exercise",
        "the storm in October",
        "a series of burglaries",
        "feedback from residents",
        "the annual review",
        "a report from the county",
        "the new national guidance",
    ],
    group=[
        "older people living alone",
        "parents",
        "landlords",
        "small business owners",
        "teenagers",
        "clubs and associations",
        "teachers",
        "home-care staff",
        "farmers",
        "newcomers to the area",
        "commuters",
    ],
    role=[
        "the unit's security strategist",
        "the preparedness coordinator",
        "the head of the fire and rescue service",
        "the community police officer",
        "a department head",
        "the chair of the crisis management board",
        "one of the evening safety wardens",
    ],
    adj=["clearer", "quicker", "more joined-up", "cheaper to run", "easier to check", "more resilient", "fairer"],
    state=["in good shape", "behind schedule", "well understood", "under-used", "better than expected"],
    month=["January", "February", "March", "April", "May", "June", "September", "October", "November", "December"],
    year=["2015", "2017", "2019", "2021", "2023"],
    events=["safety walks", "drills", "open evenings", "training days", "school visits", "residents' meetings"],
    heading=[
        "Why it matters",
        "What happens next",
        "In numbers",
        "Who is involved",
        "How to take part",
        "Key dates",
        "What residents can do",
        "Background",
        "The cost",
        "Lessons learned",
        "A closer look",
    ],
    bullet=[
        "sign up for the municipality's text alerts",
        "check on older neighbours during a cold spell",
        "keep a torch, a battery radio and spare batteries at home",
        "report broken street lights online",
        "store drinking water for at least a week",
        "agree with your family where to meet if phones are down",
        "lock bicycles and sheds, even in daytime",
        "keep some cash in case card payments fail",
        "learn where your nearest warming centre is",
        "tell the landlord about a broken door lock",
    ],
    step=[
        "Make sure everyone is safe; if anyone is in danger, call 112.",
        "Write down what happened, where and when.",
        "Take photos if you can do so safely.",
        "Call the police on 114 14 to report a crime that is over.",
        "Tell the municipality, which passes the report to the unit.",
        "Keep receipts for any repairs.",
        "Ask the unit for a follow-up call if you feel unsafe.",
    ],
)

EN_SENTENCES = [
    "The work on {topic} has been {verb_pp} after {event}.",
    "{Place} will be the first of the three municipalities to {verb_inf} the new approach to {topic}.",
    "According to {role}, {topic} is where small municipalities gain most from sharing staff.",
    "\u201cWe cannot do this alone,\u201d said {role}, adding that {body} had been involved from the start.",
    "Residents who have ideas about {topic} are asked to contact {body}.",
    "What does this mean for {group}? In short, {topic} should become {adj}.",
    "A review in {month} found that {topic} was {state}, while {topic2} was not.",
    "Since {year}, {group} in {place} have been invited to {events} twice a year.",
    "Staff from {body} will take part, as will {body2}.",
    "The plan is to be reviewed every {small} years, or sooner if something changes.",
    "Nothing changes for {group} in the short term.",
    "The cost, about SEK {num},000 a year, is shared between Mjölby, Boxholm and Ödeshög.",
    "Last year {num} people took part in {events} organised by {body}.",
    "It is hoped that {topic} will also help {group2}.",
    "The {events} are free, and no one needs to book in advance.",
    "Both {body} and {body2} say the change was overdue.",
    "{Role} pointed out that {topic} depends on people knowing whom to call.",
    "Work on {topic} was {verb_pp} in {month}, and the results will be published in the spring.",
    "Questions about {topic} can be sent to the unit through the municipal switchboard.",
    "For {group}, the most visible change will be {topic2}.",
    "The board is expected to decide in {month}, once {body} has given its view.",
    "There are {num} households in {place} that have received a leaflet so far.",
]

EN_SUMMARY = [
    "{Body} has {verb_pp} {topic} in {place} and wants to hear from {group}.",
    "Work on {topic} is being {verb_pp} across Mjölby, Boxholm and Ödeshög.",
    "{Place} will {verb_inf} a new approach to {topic} this year.",
]

EN_TITLE = [
    "{Topic} {verb_pp} in {place}",
    "{Place} to {verb_inf} new plan for {topic}",
    "{Body} invites {group} to {events}",
    "Why {topic} matters to {group}",
    "New look at {topic} in {place}",
]

EN_LINK = [
    "The [page about the collaboration](../pages/om-samverkan.en.md) explains how the three municipalities share the work.",
    "To reach the unit, see the [contact page](../pages/kontakt.en.md).",
    "Who works in the unit, and on what, is set out on the [page about the unit](../pages/enheten.en.md).",
    "The [accessibility statement](../pages/tillganglighet.en.md) says how the site works with screen readers.",
]
EN_EARLIER = "This follows our earlier item, [{title}]({stem}.en.md)."
EN_TABLES = [
    (
        "| Quarter | Reports | Dealt with | Still open |\n|---|---:|---:|---:|",
        "| {Quarter} | {num} | {num2} | {num3} |",
    ),
    ("| Measure | Status | Due |\n|---|---|---|", "| {Topic} | {State} | {Month} |"),
]
EN_TABLE_INTRO = ["The figures so far:", "The table below sums up the year.", "Here is where things stand."]
EN_LIST_INTRO = ["There is a lot residents can do themselves:", "The unit's advice is to:", "A few simple steps help:"]
EN_STEPS_INTRO = ["If something has happened:", "To report a problem:", "In order:"]
EN_EXTRA = "This paragraph was added by the benchmark."


@dataclasses.dataclass(frozen=True)
class Text:
    """One language's version of an item."""

    lang: str
    slug: str
    title: str
    summary: str
    body: str

    @property
    def words(self) -> int:
        return count_words(self.body)


@dataclasses.dataclass(frozen=True)
class Item:
    """One news item: a Swedish and an English text sharing a date and a file stem."""

    n: int
    date: dt.date
    stem: str  # <date>-<Swedish slug>
    municipalities: tuple
    source: dict | None
    updated: dt.date | None
    sv: Text
    en: Text

    def front_matter(self, lang: str) -> str:
        text = self.sv if lang == "sv" else self.en
        lines = ["---", f"title: {_q(text.title)}", f"slug: {text.slug}", f"date: {self.date.isoformat()}"]
        if self.updated:
            lines.append(f"updated: {self.updated.isoformat()}")
        lines.append(f"summary: {_q(text.summary)}")
        lines.append(f"municipalities: [{', '.join(self.municipalities)}]")
        if self.source:
            lines += [
                "source:",
                f"  publisher: {_q(self.source['publisher'][lang])}",
                f"  title: {_q(self.source['title'][lang])}",
                f"  date: {self.source['date'].isoformat()}",
            ]
        lines.append("---")
        return "\n".join(lines) + "\n"

    def file_text(self, lang: str) -> str:
        return self.front_matter(lang) + (self.sv if lang == "sv" else self.en).body


def _q(text: str) -> str:
    """A YAML scalar in double quotes (titles may hold ':' or '?')."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def count_words(markdown_text: str) -> int:
    """Words a reader sees: link targets, table rules and markup characters are not words."""
    visible = re.sub(r"\]\([^)]*\)", "]", markdown_text)
    return len(re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", visible))


def slugify(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
    words = re.findall(r"[a-z0-9]+", text.lower().translate(table))
    return "-".join(words[:6])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Filler:
    """Fills `{slot}` in a template from a vocabulary; `{Slot}` capitalises, `{slot2}` draws another."""

    def __init__(self, rng: random.Random, words: dict, numbers: dict):
        self.rng, self.words, self.numbers = rng, words, numbers

    def fill(self, template: str, emphasise: float = 0.0) -> str:
        used = {}

        def one(match):
            name = match.group(1)
            key = name.lower().rstrip("23")
            if name.lower() in self.numbers or key in self.numbers:
                low, high = self.numbers.get(name.lower()) or self.numbers[key]
                value = str(self.rng.randint(low, high))
            else:
                base = key[:-4] if key.endswith("_cap") else key
                choices = self.words[base]
                value = self.rng.choice(choices)
                while name[-1] in "23" and value in used.values() and len(choices) > 2:
                    value = self.rng.choice(choices)
                if "{" in value:
                    value = self.fill(value)
                if key.endswith("_cap"):
                    value = _cap(value)
            used[name] = value
            if name[0].isupper():
                value = _cap(value)
            if emphasise and key not in self.numbers and self.rng.random() < emphasise:
                value = f"**{value}**" if self.rng.random() < 0.4 else f"*{value}*"
            return value

        return re.sub(r"\{(\w+)\}", one, template)


def _text(rng: random.Random, lang: str, earlier: tuple | None) -> Text:
    if lang == "sv":
        words, sentences, summaries, titles = SV, SV_SENTENCES, SV_SUMMARY, SV_TITLE
        links, earlier_t, tables = SV_LINK, SV_EARLIER, SV_TABLES
        table_intro, list_intro, steps_intro = SV_TABLE_INTRO, SV_LIST_INTRO, SV_STEPS_INTRO
        headings, bullets, steps = words["rubrik"], words["punkt"], words["steg"]
        numbers = {"tal": (3, 240), "tal2": (20, 900), "tal3": (0, 12)}
    else:
        words, sentences, summaries, titles = EN, EN_SENTENCES, EN_SUMMARY, EN_TITLE
        links, earlier_t, tables = EN_LINK, EN_EARLIER, EN_TABLES
        table_intro, list_intro, steps_intro = EN_TABLE_INTRO, EN_LIST_INTRO, EN_STEPS_INTRO
        headings, bullets, steps = words["heading"], words["bullet"], words["step"]
        numbers = {"num": (4, 480), "small": (2, 5)}
    f = _Filler(rng, words, numbers)
    title = f.fill(rng.choice(titles))
    summary = f.fill(rng.choice(summaries))

    # The fixed parts: three or four headings, a bulleted list, a numbered list, a table, links.
    heads = rng.sample(headings, rng.randint(3, 4))
    bullet_list = "\n".join(f"- {b}" for b in rng.sample(bullets, rng.randint(4, 6)))
    step_list = "\n".join(f"{i}. {s}" for i, s in enumerate(rng.sample(steps, rng.randint(3, 5)), 1))
    head, row = rng.choice(tables)
    rows = [f.fill(row.replace("{Quarter}", f"Q{i + 1}")) for i in range(rng.randint(3, 4))]
    table = f.fill(head) + "\n" + "\n".join(rows)
    link_sentence = rng.choice(links)
    if earlier:
        link_sentence += " " + earlier_t.format(title=earlier[lang], stem=earlier["stem"])
    fixed = [
        rng.choice(list_intro),
        bullet_list,
        rng.choice(steps_intro),
        step_list,
        rng.choice(table_intro),
        table,
        link_sentence,
        *[h.format(ort="X") for h in heads],
    ]
    used = sum(count_words(part) for part in fixed)

    # Prose up to a word count drawn for this text; a sentence is never more than ~30 words,
    # so the body ends between the target and MAX_WORDS.
    target = rng.randint(MIN_WORDS + 10, MAX_WORDS - 40)
    prose = []
    while used < target:
        sentence = f.fill(rng.choice(sentences), emphasise=0.06)
        prose.append(sentence)
        used += count_words(sentence)
    paragraphs = []
    while prose:
        size = rng.randint(2, 5)
        paragraphs.append(" ".join(prose[:size]))
        prose = prose[size:]
    # Spread the paragraphs over the sections: intro, then one run per heading.
    sections = len(heads) + 1
    runs = [paragraphs[i::sections] for i in range(sections)]
    blocks = []
    for i, run in enumerate(runs):
        if i:
            blocks.append("## " + f.fill(heads[i - 1]))
        blocks += run
        if i == 1:
            blocks += [rng.choice(list_intro), bullet_list]
        elif i == 2:
            blocks += [rng.choice(table_intro), table]
        elif i == sections - 1:
            blocks += [rng.choice(steps_intro), step_list, link_sentence]
    slug = slugify(title)
    return Text(lang, slug, title, summary, "\n\n".join(b for b in blocks if b) + "\n")


def items(count: int, seed: str = "portal-bench") -> list:
    """The corpus: `count` items, oldest first (each links to the one before), the same for the same count and seed."""
    out = []
    earlier = None
    # Oldest first, so each item can link to one written before it.
    for n in range(count):
        rng = random.Random(f"{seed}/{n}")
        date = LAST_DATE - dt.timedelta(days=(count - 1 - n) * 2 // 3)
        municipalities = tuple(m for m in MUNICIPALITIES if rng.random() < 0.5) or (rng.choice(MUNICIPALITIES),)
        source = None
        if rng.random() < 0.3:
            publisher = rng.choice(
                [
                    ("Mjölby kommun", "Mjölby Municipality"),
                    ("Boxholms kommun", "Boxholm Municipality"),
                    ("Ödeshögs kommun", "Ödeshög Municipality"),
                ]
            )
            source = {
                "publisher": dict(zip(("sv", "en"), publisher)),
                "title": {"sv": "Pressmeddelande", "en": "Press release (in Swedish)"},
                "date": date,
            }
        updated = date + dt.timedelta(days=rng.randint(1, 30)) if rng.random() < 0.15 else None
        sv = _text(random.Random(f"{seed}/{n}/sv"), "sv", earlier)
        en = _text(random.Random(f"{seed}/{n}/en"), "en", earlier)
        base = sv.slug or "nyhet"
        sv = dataclasses.replace(sv, slug=f"{base}-{n + 1}")
        en = dataclasses.replace(en, slug=f"{en.slug or 'news'}-{n + 1}")
        stem = f"{date.isoformat()}-{sv.slug}"
        item = Item(n, date, stem, municipalities, source, updated, sv, en)
        out.append(item)
        earlier = {"stem": stem, "sv": sv.title, "en": en.title}
    return out


def make(dest: Path, count: int, seed: str = "portal-bench") -> list:
    """The real portal plus `count` generated items in DEST; returns the items."""
    bigsite.copy_portal(dest)
    news = dest / "content" / "news"
    corpus = items(count, seed)
    for item in corpus:
        for lang in ("sv", "en"):
            (news / f"{item.stem}.{lang}.md").write_text(item.file_text(lang), encoding="utf-8")
    return corpus


def site_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """--items, --site and --seed, for `site`: `what` the script does with the site ("load")."""
    parser.add_argument("--items", type=int, default=5000, help="news items in the generated site (default 5000)")
    parser.add_argument("--site", type=Path, help=f"{what} this site instead of generating one")
    parser.add_argument("--seed", default="portal-bench")


@contextlib.contextmanager
def site(given: Path | None, count: int, seed: str = "portal-bench"):
    """`given` (a site to measure as it is), or one made with `make` in a temporary folder that
    is deleted after the block."""
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        made = Path(tmp) / "site"
        make(made, count, seed)
        yield made


def stats(corpus: list) -> str:
    rows = []
    for lang in ("sv", "en"):
        counts = [getattr(i, lang).words for i in corpus]
        rows.append(
            f"{lang}: {len(counts)} texts, words min {min(counts)}, median {statistics.median(counts):.0f}, "
            f"max {max(counts)}"
        )
    same = sum(1 for i in corpus if i.sv.body == i.en.body)
    rows.append(f"identical sv/en bodies: {same}")
    return "\n".join(rows)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="Same --items and --seed: byte-identical files."
    )
    p.add_argument("dest", type=Path, nargs="?", help="folder to write the site to (made if missing)")
    p.add_argument("--items", type=int, default=1000, help="news items to generate, each in sv and en (default 1000)")
    p.add_argument("--seed", default="portal-bench", help="seed of the text (default: portal-bench)")
    p.add_argument("--stats", action="store_true", help="print word counts of the corpus")
    args = p.parse_args(argv)
    if args.dest is None and not args.stats:
        p.error("give DEST, or --stats")
    corpus = make(args.dest, args.items, args.seed) if args.dest else items(args.items, args.seed)
    if args.dest:
        print(f"Wrote the portal and {len(corpus)} news items ({2 * len(corpus)} files) to {args.dest}")
    if args.stats:
        print(stats(corpus))


if __name__ == "__main__":
    main()
