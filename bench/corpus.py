"""A deterministic synthetic corpus of teaser pages, and the records ticker should find in it.

``python -m bench.corpus --size 50MB --seed 1 --out DIR`` writes ``DIR/corpus.txt`` and
``DIR/corpus.gold.jsonl``. The same seed and size give the same bytes: everything comes from
one ``random.Random(seed)``, never the clock, and nothing iterates a set.

The corpus is a run of pages separated by blank lines, a share of them flat (all whitespace
collapsed to one line), modelled on FORMATS.md §1–3 and the golden samples:

- ``rail``: a standalone France 24 "latest" rail, maybe with a leading ``MM:SS``;
- ``article``: a Daily8 article (title, prose with prose dates, a subhead), the page
  furniture, then "Related Articles" cards;
- ``related``: cards only.

Cards come from many sources; France 24 cards carry a rail teaser (the page's rail, printed
once per card, each card's own title left out) or a prose teaser. Headers come plain, glued
(``France 244 days ago``, ``Axios12-03-2025``), with ``time10 hours ago`` and with ``•``.
Headlines are built from word banks and templates, with the traps of FORMATS.md: colons,
quotes, ``25%``, "killing 6 and injuring 52", ``9/11``, ``24/7``, "part 2/4", headlines that end
with a tag word ("across Europe", "the future of Europe", "southern Europe"), with and without
a real tag after.

Only cases the rules of docs/RECORDS.md decide are generated:

- in flat text (and one-line rail teasers) a headline ends with a tag word only after a
  function word or a place word, or after a plain word when a real tag follows or the page
  prints the same headline as a card title ("deserting Europe");
- a headline that a real tag follows never ends with a function word, a place word, a tag
  word or a kicker word, so the tag boundary is the documented one;
- flat prose cards print their title twice; cards with no teaser are line-broken;
- the parser has no notion of a page, so a page never depends on the one before it: after a
  page whose last card has a prose teaser (or none) comes a page that starts with a card,
  and a page never starts with a video length after a line-broken rail item.

Rail items outside cards are France 24's: the gold gives them source ``France 24``, and the
benchmark parses with that source (``ticker parse --source "France 24"``).

The gold has one JSON object per record, in page order, with the keys ``kind, source, date,
duration, age, headline, region, kicker, summary``, plus where it comes from: ``page``
(index), ``at`` and ``byte`` (the page's first character and byte in the corpus), ``layout``
(``lines``, ``flat`` or ``oneline`` for a one-line rail teaser in a line-broken page) and
``traps`` (the cases the record exercises; a rail item in a card also has its card's, as
``card:title-x3``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import format_size, parse_size

#: the source of rail items printed outside any card (``ticker parse --source``)
RAIL_SOURCE = "France 24"


def _bank(text: str) -> list[str]:
    """The entries of a ``|``-separated word bank written over several lines."""
    return [" ".join(entry.split()) for entry in text.split("|")]


TAGS = (
    *("France", "Europe", "Middle East", "Asia / Pacific", "Asia-Pacific", "Americas"),
    *("Africa", "UK"),
)
KICKERS = ("Analysis", "Watch")
#: the last word of each tag: a flat headline a tag follows never ends with one
TAG_LAST_WORDS = frozenset(t.split()[-1] for t in TAGS)

# The documented vocabulary (ticker/profiles/default.toml, [boundary]) as of this corpus:
# a headline that a tag follows never ends with one of these, so the word before the tag
# is never one that keeps a tag word in the headline.
FUNCTION_WORDS = frozenset(
    """a about above across after against along amid among an around as at before behind below
    beneath beside between beyond by despite down during for from in inside into near of off
    on onto outside over past per since than the through throughout to toward towards under
    until up upon via with within without and or nor but vs versus its their his her our your
    my that which who whose""".split()
)
PLACE_WORDS = frozenset(
    """whole all entire rest north south east west northern southern eastern western central
    northeast northwest southeast southwest northeastern northwestern southeastern southwestern
    continental mainland rural greater wider modern post-brexit hit hits visit visits visited
    leave leaves join joins rejoin rejoins quit quits exit exits enter enters reach reaches
    tour tours invade invades lash lashes sweep sweeps grip grips batter batters rock rocks
    shake shakes divide divides unite unites govern governs backs snub snubs defy defies
    reshape reshapes transform transforms save saves""".split()
)
FURNITURE_BLOCK = (
    "Hashtags",
    "",
    "Try Our AI Features",
    "Explore what Daily8 AI can do for you:",
    "Comments",
    "No comments yet...",
)
RELATED = "Related Articles"
AFTER_TEASER = ("Read the article", "logo", "Read full article on original website")

# --------------------------------------------------------------------------- word banks

CITIES = """Paris Marseille Lyon Toulouse Bordeaux Lille Nantes Berlin Madrid Lisbon Rome Warsaw
Kyiv Gaza Beirut Cairo Nairobi Lagos Dakar Khartoum Tehran Baghdad Ankara Athens Brussels Geneva
Seoul Tokyo Manila Jakarta Delhi Dhaka Karachi Sydney Ottawa Bogotá Lima Santiago Caracas Havana
Washington Kinshasa Tunis Algiers Rabat Bamako Niamey Abidjan Accra Harare Johannesburg Istanbul
Naples Seville Valencia Porto Gdansk Odesa Kharkiv Aleppo Mosul Basra Amman Doha Dubai Riyadh
Mumbai Chennai Lahore Hanoi Bangkok Osaka Busan Auckland Montreal Toronto Chicago Houston""".split()
COUNTRIES = """Kenya Nigeria Senegal Sudan Mali Niger Ghana Ethiopia Egypt Morocco Tunisia Algeria
Lebanon Syria Iraq Iran Turkey Israel Jordan Germany Spain Italy Poland Ukraine Russia Greece
Portugal Belgium Sweden Norway Finland Denmark Hungary Romania Serbia Japan China India Pakistan
Bangladesh Indonesia Vietnam Thailand Australia Canada Mexico Brazil Argentina Chile Colombia
Peru Venezuela Cuba Zimbabwe Angola Cameroon Uganda Tanzania Somalia Libya Qatar Armenia
Georgia Moldova Austria Ireland Croatia Slovakia Bolivia Ecuador Nepal Malaysia""".split()
INSTITUTIONS = _bank("""central bank|top court|parliament|government|army|prime minister|president|
foreign minister|ruling party|opposition leader|electoral commission|health ministry|
national airline|state oil company|football federation|finance minister|navy|
competition watchdog|data regulator|constitutional court|interior ministry|biggest union""")
SINGULARS = _bank("""Central bank|Court|Government|Parliament|Regulator|Ferry operator|Top diplomat|
Prime minister|UN envoy|Army chief|Tech billionaire|Football club|Oil giant|Airline|Union|
City council|Senate|Defence ministry|Energy firm|Car maker|Retail chain|Mining company|
Shipping group|Pension fund|Broadcaster|Election board|Supreme Court|Coalition|Rail operator|
Water utility""")
PLURALS = _bank("""Farmers|Ferry workers|Teachers' unions|Rights groups|Doctors|Students|
Dockworkers|Wine growers|Tech giants|Carmakers|Airlines|Lawmakers|Voters|Rebels|Protesters|
Fishing crews|Nurses|Truck drivers|Miners|Pilots|Mayors of riverside towns|Aid agencies|
Investors|Tenants|Small businesses|Pension funds|Train drivers|Chipmakers|Shipping firms|
Opposition parties|
EU leaders|G7 ministers|Climate activists|Hospital staff|Air traffic controllers|Regulators|
Prosecutors|Oil producers|Port workers|Bus drivers|Taxi drivers|Judges|Bakers|Cocoa farmers|
Fishermen|Garment workers|Postal workers|Border guards|Coffee growers|Vineyard owners""")
VERBS = _bank("""approves/approve|rejects/reject|blocks/block|delays/delay|launches/launch|ends/end|
calls for/call for|pushes for/push for|warns of/warn of|votes on/vote on|agrees on/agree on|
seeks/seek|criticises/criticise|signs/sign|scraps/scrap|unveils/unveil|defends/defend|
suspends/suspend|extends/extend|condemns/condemn|challenges/challenge|demands/demand|
weighs/weigh|prepares/prepare|orders/order|drops/drop|revives/revive|doubles/double|
freezes/freeze|tightens/tighten|eases/ease|probes/probe|opposes/oppose|finalises/finalise""")
OBJECTS = _bank("""joint flood defence plan|snap election|pension reform|new rules on asylum claims|
tariffs on steel imports|ceasefire deal|emergency budget|water rationing|digital services tax|
minimum wage rise|fuel subsidies|mining quotas|nuclear power plans|ban on short-term rentals|
retirement age increase|bank fraud probe|wind farm project|border controls|grain export deal|
debt relief talks|rail privatisation|school meal funding|overnight curfew|strike action|
price caps on energy|arms shipments|refugee quotas|media law|anti-corruption bill|
coal phase-out|rent freeze|plastic bag ban|fishing quotas|gas pipeline deal|
interest rate cut|climate targets|trade barriers|visa rules|drone regulations|housing plan|
security pact|peace plan|export controls|data centre project|airport expansion|
tax on private jets|four-day week trial|speed limits|tobacco ban|vaccine rollout|
budget cuts|hiring freeze|bonus cap|rescue package|sugar tax|water tariffs|
night train service|ferry subsidies|metro extension|teacher pay deal""")
TAILS = _bank("""after overnight talks|amid mass protests|despite warnings from economists|
as inflation cools to 2.3%|ahead of midterm vote|over pay|after budget defeat|for third day|
after weeks of delays|in landmark ruling|as talks stall|before summer recess|
under pressure from allies|after deadly floods|as prices soar|in surprise move|
following court ruling|amid corruption scandal|as deadline looms|despite opposition|
after cyberattack|as tourism rebounds|after record losses|amid budget row|
as unemployment climbs|after months of negotiations|as election nears|
in bid to cut emissions|amid fuel shortages|after deadly crash|as harvest fails|
in first since 2019|as heatwave persists|after mass walkout""")
ATTRIBUTIONS = _bank("""UN agency warns|minister says|officials say|report finds|sources say|
study shows|police say|aid groups warn|watchdog says|court rules|unions say|
economists warn|residents say""")
EVENTS = _bank("""Heatwave|Drought|Storm|Flooding|Power outage|Cholera outbreak|Locust swarm|
Cold snap|Wildfire smoke|Fuel shortage|Dust storm|Measles outbreak|Water shortage|Landslide""")
QUOTES = _bank("""We will not be silenced|It's too late|We are running out of time|This is not over|
Nobody listened to us|We want our jobs back|The money never came|We have nothing left|
They left us alone|Our patience has limits|We are not afraid|This is a turning point""")
LEADERS = _bank("""Macron|Carney|Lula|Modi|Sánchez|Meloni|Tusk|Ramaphosa|Albanese|Sheinbaum|Erdogan|
Starmer|Merz|Milei|Ruto|Tinubu|Zelensky|Guterres|Lagarde|Von der Leyen""")
SERIES = _bank("""The war economy|Europe's water crisis|Inside the gig economy|The new cold war|
Life after the flood|The battle for lithium|Cities on the front line|The price of bread""")
TWENTY_FOUR_SEVEN = _bank("""delivery|nightlife|surveillance|news|call-centre|gig""")
GERUNDS = _bank("""deserting|courting|rethinking|abandoning|funding|remaking|fleeing|doubting|
lecturing|outspending|failing|rebuilding""")
KEEP_ENDS = _bank("""across Europe|across France|across Africa|across the UK|across the Middle East|
across Asia-Pacific|across the Americas|in Africa|in France|in Europe|in the Middle East|
for Africa|for Europe|for the Americas|for the Middle East|to the UK|in the south of France|
on the future of Europe|on the future of Africa|on the future of the UK|around Europe|
throughout Africa|beyond Europe|within the UK|outside France""")
PLACE_ENDS = _bank("""southern Europe|eastern Europe|western Europe|northern Europe|central Europe|
East Africa|West Africa|central Africa|southern Africa|northern France|southern France|
rural France|mainland France|post-Brexit UK|continental Europe|the whole of Africa|
the rest of Europe""")
PLACE_VERBS = _bank("""grips|hits|lashes|sweeps|batters|rocks|shakes""")
NUMBERS_EVENTS = _bank("""Drone strike|Missile attack|Bus crash|Building collapse|Bomb blast|
Train derailment|Ferry accident|Mine explosion""")

WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = """January February March April May June July August September October November
December""".split()
ROLES = _bank("""trawler captain|nurse|shop owner|local official|farmer|teacher|taxi driver|
student|retired miner|union leader|hotel owner|diplomat""")
NOUNS = _bank("""plan|measure|deal|reform|project|law|programme|agreement|decision|proposal""")
PROSE_SUBJECTS = _bank("""Officials|Local authorities|Residents|Union leaders|Analysts|Police|
The ministry|Several crews|Aid workers|Traders|Lawmakers|Doctors""")
PROSE_CLAUSES = _bank("""the first payments would be made within weeks|
talks would resume after the summer|the damage was worse than first thought|
the vote had been postponed again|prices were expected to rise further|
the road would stay closed until further notice|no one had been reported missing|
more than half of the claims were still pending|the project was running behind schedule|
the measure would be reviewed next year|dozens of families had already left|
the agreement still needed parliament's approval""")

SOURCES = _bank("""LeMonde|Reuters|AFP|Euronews|Al Jazeera|The Guardian|BBC|DW|Axios|AP|CNN""")
#: sources whose numeric dates are month-first: no glued date headers for them
MDY_SOURCES = ("AP", "CNN")
FOREIGN = {
    "El País": (
        "es",
        (
            "La sequía obliga a cortar el agua por la noche en {n} municipios andaluces",
            "El Gobierno aprueba una subida del salario mínimo del {p}%",
            "Los agricultores bloquean las carreteras de {city} contra los precios",
            "Miles de personas se manifiestan en {city} por la vivienda",
            "El Banco de España rebaja la previsión de crecimiento para {year}",
        ),
    ),
    "El Mundo": (
        "es",
        (
            "El Congreso aprueba la reforma de las pensiones tras meses de debate",
            "Los controladores aéreos convocan huelga en {n} aeropuertos",
            "La inflación sube al {p}% por el precio de la electricidad",
        ),
    ),
    "Le Figaro": (
        "fr",
        (
            "Le gouvernement présente un budget de rigueur pour {year}",
            "Grève des contrôleurs aériens : des centaines de vols annulés à {city}",
            "Canicule : {n} départements placés en vigilance rouge",
            "La Banque de France abaisse sa prévision de croissance",
        ),
    ),
}
FOREIGN_TEASERS = {
    "es": (
        "Los embalses de la cuenca están al {p}% de su capacidad, el nivel más bajo en décadas.",
        "La medida beneficiará a unos {n} millones de trabajadores, según el Ministerio.",
        "Las organizaciones convocan nuevas protestas para el próximo mes.",
        "El Gobierno aprobó el lunes restricciones que afectarán a medio millón de vecinos.",
    ),
    "fr": (
        "Le texte prévoit {n} milliards d'euros d'économies sur les dépenses de l'État.",
        "Plusieurs syndicats ont déjà appelé à manifester le {d} octobre.",
        "Les voyageurs sont invités à reporter leur déplacement.",
        "La mesure entrera en vigueur au début de l'année prochaine.",
    ),
}
FOREIGN_AGES = {"es": ("hace {h} horas", "1 día", "hace {m} minutos"), "fr": ("il y a {h} h",)}


# --------------------------------------------------------------------------- items


@dataclass(slots=True)
class Item:
    """One rail item: what is printed and what the gold says about it."""

    headline: str
    #: ``regular``; ``keep``/``place`` (ends with a tag word the documented rules keep);
    #: ``plain`` (ends with a tag word after a plain word: flat text needs evidence)
    family: str
    traps: list[str]
    date: dt.date | None = None
    kicker: str | None = None
    region: str | None = None


@dataclass(slots=True)
class Page:
    text: str
    records: list[dict[str, Any]]
    #: the page ends with a card whose teaser is prose or absent: what follows would join it
    open_card: bool
    #: the page ends with a line-broken rail item: a video length after it would be its own
    ends_lines_rail: bool


@dataclass(slots=True)
class Card:
    source: str
    header: list[str]  # header lines (line-broken form)
    title: str
    repeats: int
    age: str | None
    date: dt.date | None
    traps: list[str] = field(default_factory=list)


def _common(subject: str) -> bool:
    """Is the subject a common noun phrase ("Ferry workers", not "EU leaders", "Supreme Court")?"""
    words = subject.split()
    return (
        not words[0][1:2].isupper()
        and not any(w[0].isupper() for w in words[1:])
        and (words[0] not in COUNTRIES and not words[0].endswith("'s"))
    )


def _safe_end(headline: str) -> bool:
    """May a real tag follow this headline in flat text with the documented reading?"""
    last = headline.split()[-1]
    bare = last.strip("'\"‘’“”,;:").casefold()
    if last[-1] in ",;:-–—" or last in TAG_LAST_WORDS or last in KICKERS:
        return False
    return bare not in FUNCTION_WORDS and bare not in PLACE_WORDS


class Generator:
    """Pages from one seeded random source, in order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        #: today's date on the newest page; pages go back in time slowly
        self.today = dt.date(2025, 7, 31)
        self.page_index = 0

    # ------------------------------------------------------------------ small picks

    def pick(self, seq: Sequence[str]) -> str:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def n(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def subject(self) -> tuple[str, bool]:
        """A subject and whether it is plural."""
        r = self.rng.random()
        if r < 0.35:
            return f"{self.pick(COUNTRIES)}'s {self.pick(INSTITUTIONS)}", False
        if r < 0.55:
            return self.pick(SINGULARS), False
        return self.pick(PLURALS), True

    def clause(self, lower: bool = False) -> str:
        """``subject verb object [tail]``."""
        subj, plural = self.subject()
        sing, plur = self.pick(VERBS).split("/")
        text = f"{subj} {plur if plural else sing} {self.pick(OBJECTS)}"
        if self.chance(0.45):
            text += f" {self.pick(TAILS)}"
        if lower and _common(subj):
            text = text[0].lower() + text[1:]
        return text

    # ------------------------------------------------------------------ headlines

    def headline(self, *, allow_plain: bool = True) -> Item:
        r = self.rng.random()
        if r < 0.10:
            return Item(f"{self.clause()} {self.pick(KEEP_ENDS)}", "keep", ["tagword-keep"])
        if r < 0.14:
            ends = self.pick(PLACE_ENDS)
            verb = self.pick(PLACE_VERBS)
            return Item(f"{self.pick(EVENTS)} {verb} {ends}", "place", ["tagword-place"])
        if r < 0.18 and allow_plain:
            return self._plain()
        while True:
            item = self._regular()
            if _safe_end(item.headline):
                return item

    def _plain(self) -> Item:
        where = self.pick(("Europe", "Africa", "France", "Europe", "Africa"))
        r = self.rng.random()
        if r < 0.5:
            group = self.pick(PLURALS).lower()
            text = f"Why {group} are {self.pick(GERUNDS)} {where}"
        elif r < 0.8:
            text = f"How the {self.pick(EVENTS).lower()} is changing {where}"
        else:
            text = f"{self.pick(PLURALS)} say {self.pick(OBJECTS)} is failing {where}"
        return Item(text, "plain", ["tagword-plain"])

    def _regular(self) -> Item:
        r = self.rng.random()
        rng = self.rng
        if r < 0.40:
            return Item(self.clause(), "regular", [])
        if r < 0.50:
            return Item(f"{self.pick(CITIES)}: {self.clause(lower=True)}", "regular", ["colon"])
        if r < 0.56:
            quote = self.pick(QUOTES)
            return Item(f"'{quote}': {self.clause(lower=True)}", "regular", ["quote"])
        if r < 0.59:
            quote = self.pick(QUOTES)
            text = f"'{quote}: {self.clause(lower=True)}'"
            return Item(text, "regular", ["quote-whole"])
        if r < 0.62:
            text = f"{self.pick(LEADERS)}: '{self.pick(QUOTES)}'"
            return Item(text, "regular", ["colon", "quote"])
        if r < 0.70:
            a, b = self.n(2, 40), self.n(3, 250)
            if self.chance(0.5):
                text = (
                    f"{self.pick(COUNTRIES)} hits {self.pick(CITIES)} with missile and drone "
                    f"attack, killing {a} and injuring {b}"
                )
            else:
                place = self.pick(CITIES)
                text = f"{self.pick(NUMBERS_EVENTS)} in {place} kills {a} and injures {b}"
            return Item(text, "regular", ["numbers"])
        if r < 0.77:
            p = self.n(2, 60)
            country = self.pick(COUNTRIES)
            choices = [
                f"{self.pick(LEADERS)} announces {p}% tariff on {country} imports",
                f"{country}'s central bank cuts key rate to {p / 10:.1f}%",
                f"{country} inflation jumps to {p}% as currency slides",
                f"{country}'s currency slides {p % 9 + 1}% ahead of {self.pick(NOUNS)} vote",
            ]
            return Item(choices[rng.randrange(len(choices))], "regular", ["percent"])
        if r < 0.81:
            k = self.n(2, 5)
            choices = [
                f"{self.n(20, 25)} years after 9/11, {self.clause(lower=True)}",
                f"Inside {self.pick(CITIES)}'s 24/7 {self.pick(TWENTY_FOUR_SEVEN)} economy",
                f"{self.pick(SERIES)}, part {self.n(1, k)}/{k}",
            ]
            return Item(choices[rng.randrange(len(choices))], "regular", ["datelike"])
        if r < 0.90:
            return Item(f"{self.clause()}, {self.pick(ATTRIBUTIONS)}", "regular", ["attribution"])
        event = self.pick(EVENTS)
        place = self.pick(CITIES)
        text = f"{event} forces evacuation of {self.n(2, 90)},000 residents near {place}"
        return Item(text, "regular", ["numbers"])

    def tag(self, item: Item, p_tag: float = 0.55) -> None:
        """Maybe give the item a region (and maybe a kicker)."""
        if self.chance(p_tag):
            self.force_tag(item)

    def force_tag(self, item: Item) -> None:
        item.region = self.pick(TAGS)
        if self.chance(0.12):
            item.kicker = self.pick(KICKERS)
        if item.family != "regular":
            item.traps.append("tagword+tag")

    def pool(self, size: int) -> list[Item]:
        """Distinct rail items with dates, newest first."""
        items: list[Item] = []
        seen: set[str] = set()
        day = self.today
        while len(items) < size:
            item = self.headline()
            if item.headline in seen:
                continue
            seen.add(item.headline)
            self.tag(item)
            item.date = day
            if self.chance(0.3):
                day -= dt.timedelta(days=1)
            items.append(item)
        return items

    # ------------------------------------------------------------------ prose

    def sentence(self) -> str:
        """One sentence of prose, sometimes with a prose date ("on July 30", "on 30/07/2025")."""
        r = self.rng.random()
        month, day = self.pick(MONTHS), self.n(1, 28)
        noun, clause = self.pick(NOUNS), self.pick(PROSE_CLAUSES)
        if r < 0.2:
            where, weekday = self.pick(CITIES), self.pick(WEEKDAYS)
            return f"{self.pick(PROSE_SUBJECTS)} in {where} said on {weekday} that {clause}."
        if r < 0.35:
            return f"The {noun} was approved on {month} {day}, but {clause}."
        if r < 0.47:
            d = self.today - dt.timedelta(days=self.n(1, 60))
            who = self.pick(PROSE_SUBJECTS)
            return f"{who} had warned on {d:%d/%m/%Y} that the {noun} would be delayed."
        if r < 0.6:
            quote, role, where = self.pick(QUOTES), self.pick(ROLES), self.pick(CITIES)
            return f'"{quote}," said a {role} in {where}, who asked not to be named.'
        if r < 0.7:
            return f"Analysts say the {noun} could cost up to {self.n(2, 900)} million euros."
        if r < 0.8:
            return f"About {self.n(2, 90)},000 people have been affected since {month} {day}."
        if r < 0.9:
            return f"{self.clause()}, according to {self.pick(SOURCES)}."
        return f"The {noun} will take effect in {self.n(2026, 2029)}, {clause}."

    def teaser(self, sentences: int) -> list[str]:
        """Prose teaser lines (one to three lines of sentences)."""
        text = [self.sentence() for _ in range(sentences)]
        if sentences > 2 and self.chance(0.4):
            cut = self.n(1, sentences - 1)
            return [" ".join(text[:cut]), " ".join(text[cut:])]
        return [" ".join(text)]

    # ------------------------------------------------------------------ cards

    def age(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f"{self.n(2, 23)} hours ago"
        if r < 0.5:
            return self.pick(("an hour ago", "a day ago"))
        if r < 0.65:
            return f"{self.n(2, 59)} minutes ago"
        if r < 0.75:
            return f"1 hour {self.n(1, 59)} min ago"
        return f"{self.n(2, 9)} days ago"

    def card(
        self, source: str, title: str, *, flat: bool, prose: bool, age: str | None = None
    ) -> Card:
        """A card header (plain or glued) for ``source`` and its gold header fields."""
        sep = "•" if self.chance(0.25) else "-"
        traps: list[str] = []
        date = None
        r = self.rng.random()
        if age is None and r < 0.08 and source not in MDY_SOURCES and source not in FOREIGN:
            date = self.today - dt.timedelta(days=self.n(1, 200))
            header = [f"{source}{date:%d-%m-%Y}", f"{sep} {source}"]
            traps.append("glued-date")
        else:
            age = age or self.age()
            glueable = source not in FOREIGN and age[0].isdigit()
            if r < 0.25 and glueable:
                header = [f"{source}{age}", f"{sep} {source}"]
                traps.append("glued-age")
            elif r < 0.35 and glueable:
                header = [source, f"time{age}", f"{sep} {source}"]
                traps.append("time-label")
            else:
                header = [source, age, f"{sep} {source}"]
        if sep == "•":
            traps.append("bullet")
        # flat prose cards print their title twice: that alone settles where the teaser starts
        repeats = 2 if prose and flat else self.rng.choices((1, 2, 3), (70, 20, 10))[0]
        if repeats > 1:
            traps.append(f"title-x{repeats}")
        return Card(source, header, title, repeats, None if date else age, date, traps)

    # ------------------------------------------------------------------ pages

    def next_page(self, *, must_open_with_card: bool, no_leading_length: bool) -> Page:
        flat = self.chance(0.4)
        r = self.rng.random()
        if must_open_with_card:
            page = self.cards_page(flat, article=False)
        elif r < 0.35:
            page = self.rail_page(flat, leading=not no_leading_length and self.chance(0.4))
        else:
            page = self.cards_page(flat, article=r < 0.7)
        if self.chance(0.05):
            self.today -= dt.timedelta(days=1)
        self.page_index += 1
        return page

    def rail_page(self, flat: bool, *, leading: bool) -> Page:
        items = self.pool(self.n(6, 20))
        if flat:  # nothing on the page settles "deserting Europe": a real tag must follow
            for item in items:
                if item.family == "plain" and item.region is None:
                    self.force_tag(item)
        lines: list[str] = []
        if leading:
            lines.append(self.duration())
        records: list[dict[str, Any]] = []
        layout = "flat" if flat else "lines"
        for item in items:
            lines += _item_lines(item)
            traps = list(item.traps) + (["leading-length"] if leading and not records else [])
            records.append(_rail_record(item, RAIL_SOURCE, layout, traps))
        return _page(lines, records, flat, open_card=False, ends_lines_rail=not flat)

    def duration(self) -> str:
        return f"{self.n(0, 4):02d}:{self.n(0, 59):02d}"

    def cards_page(self, flat: bool, *, article: bool) -> Page:
        lines: list[str] = []
        if article:
            lines += self.article()
            lines += FURNITURE_BLOCK
        if article or self.chance(0.6):
            lines.append(RELATED)
        oneline = not flat and self.chance(0.4)
        count = self.n(2, 5)
        kinds = [self.pick(("rail", "rail", "prose", "prose", "prose")) for _ in range(count)]
        if not flat:  # a card with no teaser, never the page's last
            kinds[:-1] = ["empty" if k == "prose" and self.chance(0.08) else k for k in kinds[:-1]]
        pool = self.pool(self.n(6, 12)) if "rail" in kinds else []
        used = {i.headline for i in pool}
        titles = self.rail_titles(pool, kinds.count("rail"), flat or oneline, used)
        records: list[dict[str, Any]] = []
        layout = "flat" if flat else "lines"
        rail_layout = "flat" if flat else "oneline" if oneline else "lines"
        for kind in kinds:
            if kind == "rail":
                lines += self.rail_card(titles.pop(), pool, flat, oneline, records, rail_layout)
            else:
                lines += self.prose_card(kind, used, flat, records, layout)
            if not flat and self.chance(0.5):
                lines += ["", ""]
        ends_lines_rail = kinds[-1] == "rail" and rail_layout == "lines"
        return _page(lines, records, flat, kinds[-1] != "rail", ends_lines_rail)

    def rail_titles(self, pool: list[Item], cards: int, flat: bool, used: set[str]) -> list[str]:
        """Titles of the page's France 24 rail cards.

        In flat text an untagged "deserting Europe" item is settled only by the page printing
        it as a card title, so such items become titles (or get a real tag when there are
        more of them than cards). The other titles are one of the page's rail items (the
        seed's shape) or a headline of their own.
        """
        titles: list[str] = []
        for item in pool:
            if flat and item.family == "plain" and item.region is None:
                if len(titles) < cards:
                    titles.append(item.headline)
                    item.traps.append("evidence")
                else:
                    self.force_tag(item)
        spare = [i.headline for i in pool if i.headline not in titles]
        while len(titles) < cards:
            if spare and self.chance(0.6):
                titles.append(spare.pop(self.rng.randrange(len(spare))))
            else:
                titles.append(self._fresh(used))
        self.rng.shuffle(titles)
        return titles

    def article(self) -> list[str]:
        title = self.headline(allow_plain=False).headline
        paragraphs = [" ".join(self.sentence() for _ in range(self.n(1, 3))) for _ in range(4)]
        sub = self.pick(EVENTS) + " " + self.pick(("worsens", "spreads", "eases", "returns"))
        return ["", title, *paragraphs[:2], sub, *paragraphs[2:]]

    def rail_card(
        self,
        title: str,
        pool: list[Item],
        flat: bool,
        oneline: bool,
        records: list[dict[str, Any]],
        rail_layout: str,
    ) -> list[str]:
        """A France 24 card whose teaser is the page's rail without the card's own title."""
        card = self.card("France 24", title, flat=flat, prose=False)
        length = self.duration() if self.chance(0.7) else None
        traps = card.traps + (["card-length"] if length else [])
        layout = "flat" if flat else "lines"
        records.append(_card_record(card, layout, traps, duration=length, summary=None))
        rail = [i for i in pool if i.headline != title]
        words = ([length] if length else []) + [w for i in rail for w in _item_lines(i)]
        lines = card.header + [title] * card.repeats + ([" ".join(words)] if oneline else words)
        context = [f"card:{t}" for t in traps]  # what the card does to its rail's reading
        for item in rail:
            records.append(_rail_record(item, "France 24", rail_layout, item.traps + context))
        return lines

    def _fresh(self, used: set[str]) -> str:
        while True:
            title = self.headline().headline
            if title not in used:
                used.add(title)
                return title

    def prose_card(
        self, kind: str, used: set[str], flat: bool, records: list[dict[str, Any]], layout: str
    ) -> list[str]:
        source = self.pick((*SOURCES, "France 24", "France 24", *FOREIGN))
        age = None
        if source in FOREIGN:
            lang, titles = FOREIGN[source]
            fmt = {
                "n": self.n(2, 90),
                "p": self.n(2, 40),
                "city": self.pick(CITIES),
                "year": 2026,
                "d": self.n(2, 28),
            }
            title = self.pick(titles).format(**fmt)
            teaser = [self.pick(FOREIGN_TEASERS[lang]).format(**fmt) for _ in range(self.n(1, 2))]
            teaser = [" ".join(teaser)]
            age = self.pick(FOREIGN_AGES[lang]).format(h=self.n(2, 23), m=self.n(2, 59))
        else:
            title = self._fresh(used)
            teaser = self.teaser(self.n(1, 5))
        card = self.card(source, title, flat=flat, prose=True, age=age)
        lines = card.header + [title] * card.repeats
        traps = list(card.traps)
        if source in FOREIGN:
            traps.append("foreign")
        if kind == "empty":
            traps.append("no-teaser")
            records.append(_card_record(card, layout, traps, duration=None, summary=None))
            return lines
        lines += teaser
        if self.chance(0.3):
            lines += AFTER_TEASER[: self.n(1, 3)]
            traps.append("furniture-after")
        if any("/20" in t for t in teaser) or any(m in " ".join(teaser) for m in MONTHS):
            traps.append("prose-date")
        summary = " ".join(" ".join(teaser).split())
        records.append(_card_record(card, layout, traps, duration=None, summary=summary))
        return lines


def _item_lines(item: Item) -> list[str]:
    assert item.date is not None
    out = [f"{item.date:%d/%m/%Y}", item.headline]
    if item.kicker:
        out.append(item.kicker)
    if item.region:
        out.append(item.region)
    return out


def _rail_record(item: Item, source: str, layout: str, traps: list[str]) -> dict[str, Any]:
    return {
        "kind": "rail",
        "source": source,
        "date": item.date.isoformat() if item.date else None,
        "duration": None,
        "age": None,
        "headline": item.headline,
        "region": item.region,
        "kicker": item.kicker,
        "summary": None,
        "layout": layout,
        "traps": traps,
    }


def _card_record(
    card: Card, layout: str, traps: list[str], *, duration: str | None, summary: str | None
) -> dict[str, Any]:
    return {
        "kind": "card",
        "source": card.source,
        "date": card.date.isoformat() if card.date else None,
        "duration": duration,
        "age": card.age,
        "headline": card.title,
        "region": None,
        "kicker": None,
        "summary": summary,
        "layout": layout,
        "traps": traps,
    }


def _page(
    lines: list[str],
    records: list[dict[str, Any]],
    flat: bool,
    open_card: bool,
    ends_lines_rail: bool,
) -> Page:
    text = "\n".join(lines).strip("\n") + "\n"
    if flat:
        text = " ".join(text.split()) + "\n"
    return Page(text, records, open_card, ends_lines_rail)


# --------------------------------------------------------------------------- corpus


def pages(size: int, seed: int) -> Iterator[Page]:
    """Pages until their text reaches ``size`` bytes (the last page crosses it)."""
    gen = Generator(seed)
    total = 0
    open_card = ends_lines_rail = False
    while total < size:
        page = gen.next_page(must_open_with_card=open_card, no_leading_length=ends_lines_rail)
        open_card, ends_lines_rail = page.open_card, page.ends_lines_rail
        total += len(page.text.encode()) + 1
        yield page


GOLD_KEYS = (
    "kind",
    "source",
    "date",
    "duration",
    "age",
    "headline",
    "region",
    "kicker",
    "summary",
)


def write(out: Path, size: int, seed: int) -> tuple[Path, Path]:
    """Write ``corpus.txt`` and ``corpus.gold.jsonl`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    text_path, gold_path = out / "corpus.txt", out / "corpus.gold.jsonl"
    chars = nbytes = 0
    with open(text_path, "wb") as text_file, open(gold_path, "wb") as gold_file:
        for index, page in enumerate(pages(size, seed)):
            data = page.text.encode()
            if index:  # pages are separated by a blank line
                text_file.write(b"\n")
                chars += 1
                nbytes += 1
            for r in page.records:
                row = {k: r[k] for k in GOLD_KEYS}
                row.update(page=index, at=chars, byte=nbytes, layout=r["layout"], traps=r["traps"])
                gold_file.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
            text_file.write(data)
            chars += len(page.text)
            nbytes += len(data)
    return text_path, gold_path


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="50MB", help="approximate size (50MB, 200KB; 1MB = 10^6 B)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="directory to write into")
    args = ap.parse_args(argv)
    size = parse_size(args.size)
    text_path, gold_path = write(args.out, size, args.seed)
    with open(gold_path, "rb") as gold:
        records = sum(1 for _ in gold)
    print(
        f"wrote {text_path} ({text_path.stat().st_size:,} bytes, target {format_size(size)}, "
        f"seed {args.seed}) and {gold_path} ({records:,} records)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
