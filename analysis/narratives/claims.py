"""Quantitative claims: every figure a text puts forward, normalized (French first, English too).

One row per claim: its value (``value_max`` for ranges), unit, counted object, hedge and category.

Conventions (also in analysis/narratives/data/README.md, "Quantitative claims"; the additions for press
releases, furniture and categories are listed there):
- values: thousands separated by a space, U+00A0 or U+202F ("91 000"), by a comma followed by exactly three
  digits ("91,000"); a comma otherwise is the decimal mark ("1,5"). Scale words multiply ("100 millions de
  dollars" = 100000000 USD, "$100 million"). Number words count ("douze ans" = 12); "un"/"une"/"one" only before
  a unit or a count ("pendant un an", "one felony count"): they are articles far more often than counts.
- approximations "une trentaine de" = 30 with hedge "une trentaine"; vague magnitudes "des milliers de",
  "des millions d'" = the lower bound (1000, 1000000) with hedge "vague"; ranges "entre 13 et 14 ans" = value
  13, value_max 14; "9 fois sur 10" = 90 percent; "la moitié" = 50 percent.
- not claims: dates and times ("1er mai 2022", "12 juin", "en 2020", "Jul 13, 2023", "13:14", "2023-05"),
  ordinals ("4e", "1er"), versions ("2.0" after a word), numbers glued to a name ("Covid-19", "Lydia46", "n°1"),
  number words inside a name ("Four Horsemen") or a compound noun ("deux-roues"), and the availability idiom
  "24 heures sur 24 et 7 jours sur 7" ("24/7", "7j/7"): it says "always", not a count.
- "livres" of something are pounds (the kit's domain is drug seizures; a text about books would need care).
"""
from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_left, insort
from itertools import accumulate

import pandas as pd

from analysis.text.documents import SentenceIndex
from analysis.text.parse import ParsedDocument, parse_documents

CLAIM_COLUMNS = ["doc_id", "group", "value", "value_max", "unit", "object", "hedge", "category", "text", "start",
                 "end", "sentence_id"]
CATEGORIES = ("seized", "arrests_cases", "charges", "people", "sentence", "money", "share", "price", "age",
              "staff_means", "duration", "other")

SP = r"[ \u00a0\u202f]"
AP = r"['’]"

# --- numbers ----------------------------------------------------------------------------------------------

WORD_VALUES = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}
# "six" is both French and English; "un"/"une"/"one" are left out on purpose (see module docstring)
_WORDS = sorted(WORD_VALUES, key=len, reverse=True)
_NUMWORD = r"(?:" + "|".join(_WORDS) + r")"
NUMWORD_RE = rf"{_NUMWORD}(?:(?:-|{SP}+)(?:et(?:-|{SP}+))?{_NUMWORD})*"
SCALES = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
          "mille": 1e3, "thousand": 1e3, "thousands": 1e3, "trillion": 1e12, "md": 1e9, "mds": 1e9, "m": 1e6, "bn": 1e9}
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
DIGITS_RE = (r"(?:\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?:[,.]\d+)?(?!\d)"
             r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
             r"|\d*[½¼¾⅓⅔⅛]"
             r"|\d+(?:[.,]\d+)?)")
# "five-day trial", "a 10-year sentence": a number joined to its unit by a hyphen still counts
_HYPHEN_UNIT = r"(?:day|year|month|week|hour|minute|count|pound|kilo|gram|ounce)s?\b"
_CORE = (rf"(?:(?<![\w.,°º/:'’-]){DIGITS_RE}(?![\w°º½¼¾]|[.,:/'’]\d|-\d)"
         rf"|(?<![\w-]){NUMWORD_RE}(?!\w)(?!-(?!{_HYPHEN_UNIT})))")
_SCALE = r"(?:{sp}+(?P<scale>millions?|milliards?|billions?|thousand|mille|trillion|Mds?|bn)(?![\w]))".format(sp=SP)
NUMBER_RE = re.compile(
    rf"(?<![\w-])(?P<cur>(?:US)?[$€]{SP}?)?(?P<num>{_CORE}){_SCALE}?"
    rf"(?:{SP}*(?P<rsep>à|et|and|to|-|–){SP}*(?P<cur2>(?:US)?[$€]{SP}?)?(?P<num2>{_CORE})(?:{SP}+(?P<scale2>millions?|milliards?|billions?|mille|thousand)(?!\w))?)?",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """Value of a written number: digits with any thousands separator (space, U+00A0, U+202F, or a comma
    followed by three digits), a decimal comma or point, number words ("douze", "vingt-cinq", "twelve")
    and a trailing scale word ("44 millions", "$100 million"). None when ``text`` is not a number."""
    if not isinstance(text, str):
        return None
    return _parse_text(text)


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> float | None:
    s = text.strip()
    if not s:
        return None
    s = re.sub(r"^(?:US)?[$€]\s*", "", s)
    m = re.fullmatch(r"(.+?)(?:\s+(millions?|milliards?|billions?|thousand|mille|trillion|mds?|bn))?", s,
                     re.IGNORECASE)
    core, scale = (m.group(1), m.group(2)) if m else (s, None)
    value = _parse_digits(core)
    if value is None:
        value = _parse_words(core)
    if value is None:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    return float(value)


def _parse_digits(s: str) -> float | None:
    s = s.strip()
    if s and s[-1] in VULGAR:
        return (float(s[:-1]) if s[:-1] else 0.0) + VULGAR[s[-1]]
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?:[,.]\d+)?", s):
        return float(re.sub(r"[ \u00a0\u202f'’]", "", s).replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    return None


def _parse_words(s: str) -> float | None:
    words = [w for w in re.split(r"[-\s\u00a0\u202f]+", s.lower()) if w and w not in ("et", "and")]
    if not words or any(w not in WORD_VALUES for w in words):
        return None
    total, current, i = 0, 0, 0
    while i < len(words):
        w = words[i]
        if w == "quatre" and i + 1 < len(words) and words[i + 1] in ("vingt", "vingts"):
            current += 80
            i += 2
            continue
        v = WORD_VALUES[w]
        if v == 100:
            current = max(current, 1) * 100
        elif v == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif w == "dozen":
            current = max(current, 1) * 12
        else:
            current += v
        i += 1
    return float(total + current)


# --- what is not a claim ------------------------------------------------------------------------------------

MONTHS_FR = r"(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\.?|févr\.?|avr\.?|juil\.?|sept\.?|oct\.?|nov\.?|déc\.?)"
MONTHS_EN = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
EXCLUDE_RES = [
    # dates: "1er mai 2022", "12 juin", "01 novembre 2022", "13 July 2023", "mars 2019", "Jul 13, 2023"
    re.compile(rf"(?<!\w)\d{{1,2}}(?:er|e)?{SP}+(?i:{MONTHS_FR})(?!\w)(?:{SP}+\d{{4}})?"),
    re.compile(rf"(?<!\w)\d{{1,2}}(?:st|nd|rd|th)?{SP}+{MONTHS_EN}(?!\w)(?:,?{SP}+\d{{4}})?"),
    re.compile(rf"(?<!\w)(?i:{MONTHS_FR})(?!\w){SP}+\d{{4}}(?!\d)"),
    re.compile(rf"(?<!\w){MONTHS_EN}(?!\w){SP}+\d{{1,2}}(?:st|nd|rd|th)?(?:,{SP}*\d{{4}})?(?!\d)"),
    re.compile(rf"(?<!\w){MONTHS_EN}(?!\w){SP}+\d{{4}}(?!\d)"),
    re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])"),  # ISO dates
    re.compile(r"(?<![\w/])\d{1,2}/\d{1,2}/\d{2,4}(?![\w/])"),
    re.compile(r"(?<![\w:])\d{1,2}[:h]\d{2}(?![\w:])"),  # times 13:14, 13h14
    # the availability idiom: "24 heures sur 24", "7 jours sur 7", "24h/24", "7j/7", "24/7"
    re.compile(rf"(?i)(?<!\w)(?:24{SP}*(?:heures|h){SP}*(?:sur|/){SP}*24|7{SP}*(?:jours|j){SP}*(?:sur|/){SP}*7"
               rf"|24{SP}*/{SP}*7|24{SP}*hours{SP}+a{SP}+day|7{SP}*days{SP}+a{SP}+week)(?!\w)"),
    re.compile(r"(?i)(?<!\w)n[°º]\s*\d+|(?<!\w)no\.\s*\d+"),  # n°1, no. 3
    # phone numbers, street addresses, boxes and routes, emergency numbers
    re.compile(r"(?<![\w(])\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\d)|(?<!\d)0\d(?:[ .]\d{2}){4}(?!\d)"),
    re.compile(r"(?<![\w.])\d+(?:[ \u00a0](?:bis|ter))?,?[ \u00a0]+(?:(?:[NSEW]\.?|North|South|East|West)[ \u00a0]+)?"
               r"(?:(?:[A-Z][\w.'’-]*|\d+(?:st|nd|rd|th))[ \u00a0]+){0,3}(?:Blvd|Boulevard|Street|St|Avenue|Ave|Road|Rd|"
               r"Drive|Dr|Lane|Ln|Way|Parkway|Pkwy|Place|Pl|Court|Ct|Highway|Hwy)(?!\w)"),
    re.compile(r"(?i)(?<![\w.])\d+(?:[ \u00a0](?:bis|ter))?,?[ \u00a0]+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|"
               r"impasse|quai|cours|route)(?!\w)"),
    re.compile(r"(?<!\s)\d+(?:er|ère|re|e|ème|eme|nd|nde|st|rd|th)(?!\w)|(?<!\w)\d+(?:er|ère|re|e|ème|eme|nd|nde|st|rd|th)(?!\w)"),
    # more phone numbers: "(888) 6473258", Swiss "021 333 53 33", "+41 21 333 53 33", "1-800-..."
    re.compile(r"(?<!\w)\(\d{3}\)[ \u00a0]?\d{3}[ .-]?\d{4}(?!\d)|(?<!\d)0\d{2}[ .]\d{3}(?:[ .]\d{2}){2}(?!\d)"
               r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}|(?<!\d)1-\d{3}-\d{3}-\d{4}(?!\d)"),
    # ZIP codes after a state ("Dallas, TX 75207", "CA 92101-3827"), street numbers before a direction ("330 W.")
    re.compile(r"(?<=[A-Z]{2})[ \u00a0]+\d{5}(?:-\d{4})?(?!\d)|(?<=[a-z],)[ \u00a0]+\d{5}(?:-\d{4})?(?!\d)"),
    re.compile(r"(?<![\w.,])\d{1,6}[ \u00a0]+(?:[NSEW]\.|North|South|East|West)[ \u00a0]+[A-Z]"),
    # clock times: "14 h", "16 h 30", "7 heure 30", "10:30 a.m.", "10 a.m.", "à 20 h"
    re.compile(rf"(?i)(?<![\w:])\d{{1,2}}{SP}?h{SP}?\d{{2}}(?!\d)|(?<![\w:])\d{{1,2}}{SP}?heures?{SP}\d{{2}}(?!\d)"
               rf"|(?<![\w:])\d{{1,2}}(?::\d{{2}})?{SP}?[ap]\.?{SP}?m\.?(?!\w)"),
    re.compile(rf"(?i)(?:\b(?:à|vers|dès|jusqu{AP}à|avant|après|entre|et|de|depuis|at|by|until|from){SP}+)"
               rf"\d{{1,2}}{SP}?h(?![\w])"),
    re.compile(rf"(?<![\w:])\d{{1,2}}{SP}?h(?![\w]){SP}*(?:-|à|et){SP}*\d{{1,2}}{SP}?h(?!\w)"),
    # statute, bill and case numbers: "21 U.S.C. 841(a)(1)", "Section 841", "Penal Code 236.1", "SB 1319",
    # "Case No. 23CR001", "§ 2"; read times "8 min read"
    re.compile(r"(?<!\w)\d+[ \u00a0]+U\.?S\.?C\.?(?:[ \u00a0]*(?:§+|Sections?)?[ \u00a0]*[\w.()-]+)?"
               r"|(?:U\.?S\.?C\.?|C\.?F\.?R\.?|§+|Sections?|Penal[ \u00a0]+Code|Code|Title|Article|article|"
               r"Proposition|Prop\.|Bill|SB|AB|HB|[Cc]ase[ \u00a0]+(?:No\.|[Nn]umber)|Docket(?:[ \u00a0]+No\.)?|"
               r"Rule)[ \u00a0]*\d+(?:[\w.()-]*\d)?(?:\([\w]+\))*"),
    re.compile(r"(?i)(?<!\w)\d+[ \u00a0]+min(?:ute)?s?[ \u00a0]+read\b"),
    # Spanish and Vietnamese dates of translated notices ("21 de Mayo de 2026", "21 tháng 5")
    re.compile(r"(?i)(?<!\w)\d{1,2}[ \u00a0]+de[ \u00a0]+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
               r"septiembre|octubre|noviembre|diciembre)(?:[ \u00a0]+de[ \u00a0]+\d{4})?|(?<!\w)\d{1,2}[ \u00a0]+"
               r"tháng[ \u00a0]+\d{1,2}(?:[ ,\u00a0]+(?:năm[ \u00a0]+)?\d{4})?"),
    # numbers inside a name: "Fondation 30 millions d'amis"
    re.compile(r"(?i)(?<!\w)\d+[ \u00a0]+millions?[ \u00a0]+d['’]amis"),
]
# identifiers: "Box 12", "Suite 400", "Route 66", "L.B. 19", "bureau 12"; emergency numbers ("911 call")
ID_BEFORE = re.compile(r"(?i)(?:\b(?:P\.?O\.?[ \u00a0]+Box|Box|Dept\.|Department|Courtroom|Suite|Ste\.|Room|Rm\.|Unit|Apt\.?|Route|Highway|Hwy|"
                       r"Interstate|I-|bureau|salle|porte)|(?<![\w.])(?:[A-Z]\.){2,})[ \u00a0]*$")
EMERGENCY_AFTER = re.compile(r"(?i)^[ \u00a0]+(?:call|calls|dispatcher|operator|emergency|hotline)\b")
EMERGENCY_BEFORE = re.compile(r"(?i)\b(?:call|called|dialed|dialled|appel(?:é|er)?(?:\s+le)?)[ \u00a0]+$")
YEAR_CUES = re.compile(rf"(?i)(?:\b(?:en|in|depuis|since|année|l{AP}an|year|avant|après|before|after|until|jusqu{AP}en|"
                       rf"fin|début|mi|été|hiver|automne|printemps|dès|from|of|de|d|du|au|à){SP}*{AP}?|[(\[-]){SP}*$")
_FUNCTION_BEFORE = frozenset("de d à a au aux du des les le la l en et ou of to than about over by with and the "
                             "environ près plus moins que sur entre from at for jusqu".split())

# --- hedges -------------------------------------------------------------------------------------------------

HEDGES = ["un peu plus de", "un peu moins de", "pas moins de", "pas plus de", "plus de", "plus d'", "près de",
          "près d'", "pres de", "environ", "jusqu'à", "jusqu'a", "presque", "quasiment", "au moins", "au minimum",
          "au maximum", "moins de", "moins d'", "quelque", "autour de", "approximativement", "à peu près",
          "au-delà de", "plus d'une", "more than", "less than", "fewer than", "at least", "up to", "as many as",
          "upwards of", "close to", "nearly", "almost", "about", "around", "approximately", "roughly", "some",
          "over", "an estimated", "estimated", "une estimation de"]
HEDGE_RE = re.compile(r"(?i)(?<!\w)(" + "|".join(re.escape(h).replace("'", AP).replace(r"\ ", SP + "+")
                                                 for h in sorted(HEDGES, key=len, reverse=True))
                      + rf"){SP}*$")

# --- units and objects --------------------------------------------------------------------------------------

UNIT_PATTERNS = [
    ("percent", rf"(?:%|pour{SP}*cents?|per{SP}*cent|percent|pc)(?!\w)"),
    ("EUR", rf"(?:(?:d{AP}|de{SP}+)?euros?|€|EUR)(?!\w)"),
    ("USD", rf"(?:(?:de{SP}+)?dollars?(?:{SP}+américains|{SP}+US)?|\$|USD|US\$)(?!\w)"),
    ("pounds", r"(?:livres?|pounds?|lbs?\.?)(?!\w)"),
    ("kg", r"(?:kilogrammes?|kilos?|kg|kilograms?)(?!\w)"),
    ("g", r"(?:grammes?|grams?|g)(?!\w)"),
    ("mg", r"(?:milligrammes?|milligrams?|mg)(?!\w)"),
    ("t", r"(?:tonnes?|tons?|t)(?!\w)"),
    ("ounces", r"(?:ounces?|onces?|oz\.?)(?!\w)"),
    ("litres", r"(?:litres?|liters?)(?!\w)"),
]
TIME_UNITS = [("years", r"ans|années|année|an|years?"), ("months", r"mois|months?"),
              ("weeks", r"semaines?|weeks?"), ("days", r"jours?|days?"), ("hours", r"heures?|hours?|h"),
              ("minutes", r"minutes?|min")]
_TIME_ADJ = r"(?:(?:dernières|derniers|premières|premiers|prochaines|prochains|last|past|next|first|entières?|entiers?){sp}+)?".format(sp=SP)
_GAP = rf"(?:-|{SP}*\n?{SP}*)"  # "five-day", "20.5\npounds": a unit after a hyphen or on the next line
UNIT_RES = [(u, re.compile(rf"{_GAP}(?:{p})", re.IGNORECASE)) for u, p in UNIT_PATTERNS]
TIME_RES = [(u, re.compile(rf"{_GAP}{_TIME_ADJ}(?:{p})(?!\w)", re.IGNORECASE)) for u, p in TIME_UNITS]
TIMES_RE = re.compile(rf"{SP}*(?:fois|times)(?!\w)", re.IGNORECASE)
OF_RE = re.compile(rf"{SP}*(?:de{SP}+la{SP}+|de{SP}+l{AP}|d{AP}|du{SP}+|des{SP}+|de{SP}+|of{SP}+(?:the{SP}+)?)", re.IGNORECASE)
_STOP = frozenset("et ou ont a est sont été qui que dans pour sur en au aux par avec ne se ce il elle ils elles on "
                  "y le la les un une de des du d l à and or were was have has had is are been that which in on "
                  "at by with for from to the a an of".split())
WORD_RE = re.compile(r"[\w][\w'’-]*")
_SPACES = re.compile(rf"{SP}*")


def _object_after(text: str, pos: int, limit: int = 80) -> tuple[str, int]:
    """Counted object right after ``pos``: up to two words, then "de|d'|à X [Y]" once. Returns (object, end)."""
    words: list[str] = []
    end = pos
    i = pos
    chunk_end = min(len(text), pos + limit)
    connector_used = False
    while i < chunk_end and len(words) < 5:
        m = _SPACES.match(text, i)
        j = m.end()
        if j < len(text) and text[j] == "\n":
            break
        w = WORD_RE.match(text, j)
        if not w:
            break
        word = w.group()
        low = word.lower().replace("’", "'")
        if word[0].isdigit() or low in WORD_VALUES:
            break  # "five of the seven brothers": the next number counts on its own
        if low in ("de", "à", "of") or low.startswith("d'") and len(low) > 2:
            if connector_used or not words:
                break
            connector_used = True
            if low.startswith("d'"):
                words.append(word)
                i = end = w.end()
                continue
            nxt = WORD_RE.match(text, _SPACES.match(text, w.end()).end())
            if not nxt or nxt.group().lower() in _STOP:
                break
            words.append(word)
            i = w.end()
            continue
        if low in _STOP:
            break
        if (words and not connector_used and len(words) >= 2) or (connector_used and len(words) >= 4):
            break
        words.append(word)
        i = end = w.end()
    while words and words[-1].lower() in ("de", "à", "of"):
        words.pop()
    return " ".join(words), end


NUMBER_START = re.compile(rf"\d|{_NUMWORD}(?!\w)", re.IGNORECASE)


def _unit_after(text: str, pos: int) -> tuple[str, str, int, str]:
    """(unit, object, end, kind) for what follows a number at ``pos``; kind is unit|time|object."""
    for unit, rx in UNIT_RES:
        m = rx.match(text, pos)
        if m:
            end = m.end()
            of = OF_RE.match(text, end)
            obj = ""
            if of:
                obj, obj_end = _object_after(text, of.end())
                if obj:
                    end = obj_end
            return unit, obj, end, "unit"
    for unit, rx in TIME_RES:
        m = rx.match(text, pos)
        if m:
            return unit, "", m.end(), "time"
    m = TIMES_RE.match(text, pos)
    if m:
        return "times", "", m.end(), "unit"
    of = OF_RE.match(text, pos)
    start = of.end() if of else pos
    obj, end = _object_after(text, start)
    if obj:
        return "", obj, end, "object"
    if of and NUMBER_START.match(text, start):
        return "", "", pos, "partitive"  # "five of the seven brothers"
    return "", "", pos, "none"


# --- categories -------------------------------------------------------------------------------------------

PRICE_CUES = re.compile(r"(?i)\b(?:prix|co[uû]t|co[uû]te|tarif|achat|minimum|le gramme|la dose|vend|vendu|payé|paye|"
                        r"price|costs?|sold|per gram|a gram|each)")
SEIZE_CUES = re.compile(r"(?i)(?:saisi|saisie|seiz|confisqu|intercept|dérob|retir|arrêté|stopp|seized)")
SEIZED_OBJECTS = re.compile(r"(?i)^(?:comprimés|pilules|doses|armes|saisies|cachets|sachets|plants|pieds|seizures|"
                            r"pills|tablets|firearms|weapons|kilos|cartouches|paquets|véhicules saisis)")
ARREST_OBJECTS = re.compile(r"(?i)^(?:arrestations?|interpellations?|gardes? à vue|inculpations?|enquêtes?|cas|"
                            r"affaires?|dossiers?|procédures?|condamnations?|poursuites|perquisitions?|arrests?|"
                            r"cases?|investigations?|indictments?|prosecutions?|convictions?|raids?)")
PEOPLE_OBJECTS = re.compile(r"(?i)^(?:membres|personnes|individus|suspects|surveillants|trafiquants|dealers|"
                            r"people|members|persons|individuals|défendeurs|prévenus)")
ARREST_CUES = re.compile(r"(?i)(?:inculp|interpell|arrêt|arrest|mis en examen|mises en examen|condamn|indict|charged|"
                         r"garde à vue|écrou|incarcér)")
STAFF_OBJECTS = re.compile(r"(?i)^(?:policiers|enquêteurs|agents|gendarmes|effectifs|combattants|officiers|"
                           r"fonctionnaires|personnel|équipes|brigades|unités|cyberpatrouilleurs|douaniers|"
                           r"magistrats|officers|staff|investigators|agents|teams|troopers|policemen)")
AGE_CUES = re.compile(r"(?i)(?:enfant|jeune|âg|mineur|adolescent|\bado|garçon|fille|gamin|élève|collégien|lycéen|"
                      r"\bold\b|aged|teen|child|boy|girl|kid)")
DURATION_BEFORE = re.compile(rf"(?i)(?:depuis|pendant|il{SP}+y{SP}+a|durant|au{SP}+cours{SP}+de|\bces|\bses|\bfor|"
                             rf"\bover|\bpast|\blast|période|\bago)\b[^.\n]{{0,25}}$")


SENTENCE_BEFORE = re.compile(rf"(?i)(?:sentenced{SP}+to|sentence{SP}+of|faces?{SP}+(?:up{SP}+to|a{SP}+maximum)|"
                             rf"maximum{SP}+(?:penalty|sentence){SP}+of|penalty{SP}+of|prison{SP}+term|serve|faces?|facing|"
                             rf"condamnée?s?{SP}+à|peine{SP}+de|passibles?{SP}+de|écope\w*{SP}+de|requis)"
                             rf"[^.\n]{{0,25}}$")
SENTENCE_AFTER = re.compile(rf"(?i)[^.\n]{{0,30}}?(?:in{SP}+(?:state{SP}+|federal{SP}+)?prison|to{SP}+life|of{SP}+"
                            rf"probation|imprisonment|incarceration|behind{SP}+bars|in{SP}+jail|in{SP}+custody|"
                            rf"d{AP}emprisonnement|de{SP}+prison|de{SP}+réclusion|de{SP}+détention|avec{SP}+sursis|"
                            rf"ferme)")
CHARGE_OBJECTS = re.compile(r"(?i)^(?:(?:felony|misdemeanor|additional|criminal|federal|separate|total)\s+)*"
                            r"(?:counts?|charges?|felon(?:y|ies)|misdemeanors?|offen[cs]es?|crimes?|murders?|"
                            r"homicides?|robber(?:y|ies)|burglar(?:y|ies)|assaults?|shootings?|chefs?|délits?|"
                            r"crimes?|infractions?|meurtres?|homicides?|vols?|agressions?|plaintes?|complaints?)")
PEOPLE_COUNTED = re.compile(r"(?i)^(?:(?:other|more|additional|young|adult|former|alleged|autres|jeunes)\s+)?"
                            r"(?:defendants?|victims?|people|persons?|individuals?|members?|witnesses|suspects?|men|"
                            r"women|children|kids|teens|teenagers|juveniles|minors|inmates|residents|fugitives|"
                            r"brothers|sisters|co-?defendants|co-?conspirators|families|students|survivors|patients|"
                            r"doctors|pharmacists|users|gang|personnes|victimes|morts|blessés|manifestants|"
                            r"habitants|jeunes|mineurs|enfants|hommes|femmes|prévenus|détenus|témoins|élèves|"
                            r"militants|citoyens|salariés|employés|français|gilets|adhérents)")


def categorize(unit: str, obj: str, sentence: str, before: str, kind: str = "", after: str = "") -> str:
    """Category of a claim from its unit, object, sentence and the text around it (rules in the module
    docstring and README); of ``before`` (the text before the claim) only the last 60 characters are read."""
    if unit == "percent":
        return "share"
    if unit in ("EUR", "USD"):
        return "price" if PRICE_CUES.search(sentence) and not SEIZE_CUES.search(sentence) else "money"
    if unit in ("pounds", "kg", "g", "mg", "t", "litres", "ounces"):
        return "seized"
    if unit in ("years", "months", "weeks", "days") and (SENTENCE_BEFORE.search(before[-50:])
                                                         or SENTENCE_AFTER.match(after)):
        return "sentence"
    if unit == "years" and AGE_CUES.search(sentence) and not DURATION_BEFORE.search(before[-60:]):
        return "age"
    if unit in ("years", "months", "weeks", "days", "hours", "minutes"):
        return "duration"
    if obj:
        if CHARGE_OBJECTS.search(obj):
            return "charges"
        if SEIZED_OBJECTS.search(obj) and SEIZE_CUES.search(sentence):
            return "seized"
        if ARREST_OBJECTS.search(obj):
            return "arrests_cases"
        if PEOPLE_OBJECTS.search(obj) and ARREST_CUES.search(sentence):
            return "arrests_cases"
        if STAFF_OBJECTS.search(obj):
            return "staff_means"
        if PEOPLE_COUNTED.search(obj):
            return "people"
        if SEIZED_OBJECTS.search(obj):
            return "seized"
    return "other"


# --- approximations, vague magnitudes, fractions, "N fois sur M" ---------------------------------------------

APPROX = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
          "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
APPROX_RE = re.compile(rf"(?i)(?<!\w)(?P<h>une?{SP}+(?P<w>{'|'.join(APPROX)}))(?:{SP}+(?:de|d{AP})|{SP}*(?=d{AP}))")
VAGUE = {"dizaines": 10, "centaines": 100, "milliers": 1000, "millions": 1e6, "milliards": 1e9, "dozens": 12,
         "hundreds": 100, "thousands": 1000, "billions": 1e9}
VAGUE_RE = re.compile(rf"(?i)(?<!\w)(?:(?:des|de|les|plusieurs|quelques|several){SP}+|d{AP})?(?P<w>"
                      rf"{'|'.join(VAGUE)}){SP}*(?:de{SP}+|d{AP}|of{SP}+)")
VAGUE_SCALE_RE = re.compile(rf"(?i)(millions|billions|milliards|thousands){SP}+(?:of|de|d{AP}){SP}*")
FRACTIONS = {"moitié": 50.0, "half": 50.0, "tiers": 100 / 3, "quart": 25.0, "quarts": 75.0}
FRACTION_RE = re.compile(rf"(?i)(?<!\w)(?:la|une|à|the|one|un|le|les{SP}+deux|les{SP}+trois|trois|deux)"
                         rf"{SP}+(?P<w>moitié|half|tiers|quarts?)(?=(?:{SP}+(?:de|du|des|of)|{SP}*d{AP}))")
_FOLDS = {"s": "ſ", "k": "\u212a", "i": "ıİ"}  # what re's ignore-case also takes for these letters


def _count_first(extra: tuple[str, ...]) -> str:
    """``(?<![\\w-])`` then ``\\d+``, :data:`NUMWORD_RE` or one of the words ``extra``, in that order of
    preference, rewritten to start with the class of their first characters (case-insensitive letters
    spelled out), so that ``re`` skips to where a count can start; each branch checks the character
    consumed with a look-behind (``(?<=t)(?:wo|hree|...)``), and alternatives with different first characters
    never match at the same place, so the first that matches is the same."""
    repeat = NUMWORD_RE[len(_NUMWORD):]
    by: dict[str, list[str]] = {}
    for w in _WORDS:
        by.setdefault(w[0], []).append(w[1:])
    parts = {c: [f"(?:{'|'.join(rest)}){repeat}"] for c, rest in by.items()}
    for w in extra:
        parts.setdefault(w[0], []).append(w[1:])
    letters = "".join(parts)
    chars = letters + letters.upper() + "".join(_FOLDS.get(c, "") for c in letters)
    body = "|".join(f"(?<={c})(?:{'|'.join(alts)})" for c, alts in parts.items())
    return rf"(?-i:[\d{chars}])(?<![\w-].)(?:(?<=\d)\d*|{body})"


SUR_RE = re.compile(rf"(?i)(?P<a>{_count_first(('un', 'une', 'one'))}){SP}+(?:fois{SP}+|times{SP}+)?"
                    rf"(?:sur|out{SP}+of|in){SP}+(?P<b>\d+|{NUMWORD_RE})(?!\w)")


AGE_COMPOUND_RE = re.compile(rf"(?i)(?P<n>{_count_first(('one',))})[- \u00a0](?:years?|months?)[- \u00a0]olds?(?!\w)")
APPOSITION_AGE_BEFORE = re.compile(r"[A-ZÀ-Ö][\w'’-]+,[ \u00a0]*$")
APPOSITION_AGE_AFTER = re.compile(rf"^(?:,|\)|{SP}+(?:and|et|ans|years)\b)")


# "one"/"un"/"une" count only before a unit of time or measure, a count of charges or persons, "seul(e)"
ONE_RE = re.compile(
    rf"(?<![\w'’-])(?P<one>[Oo]ne|ONE)(?={SP}+(?:(?:felony|misdemeanor|additional|pending|more|single|count){SP}+)*"
    rf"(?:counts?|charges?|victims?|bullets?|murders?|defendants?|years?|months?|weeks?|days?|hours?|decades?|"
    rf"kilograms?|kilos?|pounds?|grams?|ounces?|gallons?|dollars?|has{SP}+been|was{SP}+(?:arrested|charged|convicted|"
    rf"killed|shot))\b)"
    rf"|(?<![\w-])(?P<pre>(?:d|qu|jusqu){AP}|(?:pendant|durant|depuis|encore|bientôt|plus{SP}+d|moins{SP}+d|"
    rf"environ|presque|dans|après|avant|de|à|pour){SP}+)?(?P<un>un|une)(?={SP}+(?:an|ans|mois|semaines?|heures?|"
    rf"minutes?|mètres?|centimètres?|kilos?|kilogrammes?|grammes?|litres?|tonnes?|seule?s?)\b)",
)


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, len(text) if le < 0 else le


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _in_title_line(text: str, start: int, end: int) -> bool:
    """The number sits in a Title Case or upper-case headline line ("Eleven Defendants Charged With ...")."""
    ls, le = _line_of(text, start, end)
    words = _TITLE_WORD.findall(text[ls:start] + " " + text[end:le])
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _furniture(text: str, start: int, end: int) -> bool:
    """Page furniture around a number: alone on its line (breadcrumbs, image sizes "1080\n1920"), a list
    marker at a line start ("1." "2)"), a captcha ("3 + 6 ="), a ZIP code after a state, a read time."""
    ls, le = _line_of(text, start, end)
    line = text[ls:le]
    if not re.search(r"[^\W\d_]", line) and not re.match(r"\n[ \u00a0]*[a-zà-ÿ%$€]", text[le:le + 4]):
        return True
    if not text[ls:start].strip() and re.match(r"[.)][ \u00a0]", text[end:end + 2]):
        return True
    if re.match(r"[ \u00a0]*[+x×*][ \u00a0]*\d+[ \u00a0]*=", text[end:end + 12]) or re.search(
            r"\d[ \u00a0]*[+×][ \u00a0]*$", text[max(0, start - 6):start]):
        return True
    return False


def _is_year(text: str, s: int, num: str, value: float, value_max, scale, kind: str, obj: str, hedge: str,
             num2) -> bool:
    """A four-digit number from 1900 to 2100 is a year unless the context says it counts: a hedge ("près de
    2000 interpellations"), a unit, or a lower-case plural object not announced by a year cue ("en", "in")."""
    if not re.fullmatch(r"\d{4}", num) or not 1900 <= value <= 2100 or scale or kind in ("unit",):
        return False
    if num2 and value_max is None and re.fullmatch(r"\d{4}", num2):
        return True  # "entre 2013 et 2019", "2013 and 2019"
    if value_max is not None and value_max <= 2100 and re.fullmatch(r"\d{4}", num2 or ""):
        return True
    first = obj.split()[0] if obj else ""
    counted = first[:1].islower() and re.search(r"(?:s|x)$", first) is not None
    if hedge and counted:
        return False  # "près de 2000 interpellations"
    return bool(YEAR_CUES.search(text[max(0, s - 15):s])) or not counted


def _value_of(word: str) -> float | None:
    return 1.0 if word.lower() in ("un", "une", "one") else parse_number(word)


class _Sorted:
    """Spans sorted by start, asked whether one overlaps (s, e) in O(log n): some span starting before ``e``
    reaches past ``s`` (the running maximum of the ends)."""

    __slots__ = ("starts", "reach")

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))

    def overlaps(self, s: int, e: int) -> bool:
        k = bisect_left(self.starts, e)
        return k > 0 and self.reach[k - 1] > s


class _Growing:
    """Spans added one by one, asked whether one overlaps (s, e): only those starting after ``s`` minus the
    longest span so far can reach past ``s``."""

    __slots__ = ("spans", "longest")

    def __init__(self):
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def add(self, a: int, b: int) -> None:
        insort(self.spans, (a, b))
        self.longest = max(self.longest, b - a)

    def overlaps(self, s: int, e: int) -> bool:
        spans = self.spans
        k = bisect_left(spans, (s - self.longest, -1))
        while k < len(spans) and spans[k][0] < e:
            if spans[k][1] > s:
                return True
            k += 1
        return False


_DIGIT = re.compile(r"\d")


def _digit_segments(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` that can hold a match of :data:`EXCLUDE_RES`: every one of those patterns holds a
    digit and crosses at most one line end, so each line holding a digit, with the lines before and after it,
    merged where they touch. Searching only these finds exactly what a search of the whole text finds (a
    segment ends at a line end, where the patterns' look-aheads see what they would see in the whole text)."""
    segs: list[tuple[int, int]] = []
    for m in _DIGIT.finditer(text):
        if segs and m.start() < segs[-1][1]:
            continue
        ls = text.rfind("\n", 0, m.start())
        ls = text.rfind("\n", 0, ls) + 1 if ls > 0 else 0
        le = text.find("\n", m.start())
        le = len(text) if le < 0 else text.find("\n", le + 1)
        le = len(text) if le < 0 else le
        if segs and ls <= segs[-1][1]:
            segs[-1] = (segs[-1][0], le)
        else:
            segs.append((ls, le))
    return segs


_LEAD = re.compile(r"\(\?<!(\\[wsd]|\[[^\]]*\])\)(\\d(?:\{\d+(?:,\d+)?\}|\+)?|\\\(|[0-9])(?![?*+{])")
_LITERAL_FIRST = re.compile(r"\\[+(.$]|[0-9A-Za-z]")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split at the ``|`` outside groups and classes)."""
    out, depth, cls, i, start = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            cls = c != "]"
        elif c == "[":
            cls = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return out + [pattern[start:]]


def _atom_first(branch: str) -> str | None:
    """``(?<!C)A...`` rewritten ``A(?<!CA)...`` (A a digit, ``\\(`` or a literal digit), which matches the same
    text: the look-behind then tests the character before A together with A. A leading atom lets ``re`` skip
    ahead to the positions where A occurs instead of trying the pattern at every character. None when the
    branch does not start so."""
    m = _LEAD.match(branch)
    if not m:
        return branch if _LITERAL_FIRST.match(branch) else None
    cls, atom = m.groups()
    rest = branch[m.end():]
    if atom.startswith("\\d") and atom != "\\d":
        q = atom[2:]
        if q == "+":
            rest = r"\d*" + rest
        else:
            lo, _, hi = q[1:-1].partition(",")
            rest = (rf"\d{{{int(lo) - 1},{int(hi) - 1}}}" if hi else rf"\d{{{int(lo) - 1}}}") + rest
        atom = "\\d"
    return f"{atom}(?<!{cls}{atom})" + rest


def fast_pattern(rx: re.Pattern) -> re.Pattern:
    """A pattern matching exactly what ``rx`` matches, faster to search (see :func:`_atom_first`): when every
    top-level alternative starts with a look-behind and a digit, the digit is put first and factored out
    (``\\d(?:(?<!C\\d)...|(?<!D\\d)...)``); when each starts with a literal, the literals go first. Otherwise
    ``rx`` itself."""
    p, flags = rx.pattern, ""
    if p.startswith("(?i)"):
        flags, p = "(?i)", p[4:]
    alts = [_atom_first(b) for b in _branches(p)]
    if any(a is None for a in alts):
        return rx
    if len(alts) > 1 and all(a.startswith("\\d") for a in alts):
        new = rf"\d(?:{'|'.join(a[2:] for a in alts)})"
    else:
        new = "|".join(alts)
    fast = re.compile(flags + new)
    return fast if fast.flags == rx.flags else rx


def _initial_first(months: str, ignorecase: bool) -> str:
    """``(?<!\\w)`` and the alternation ``months`` (``(?:January|February|...)``) rewritten to start with the
    class of their first letters: ``[JF...](?<!\\w.)(?:(?<=J)(?:anuary|...)|(?<=F)(?:ebruary|...))``, the
    alternatives of each letter in their order (two alternatives of different first letters never match at
    the same place, so the first that matches is the same). Under ``ignorecase`` the class holds both cases
    and the characters ``re`` folds to them (``ſ`` for ``s``)."""
    alts = _branches(months[3:-1])
    by: dict[str, list[str]] = {}
    for a in alts:
        by.setdefault(a[0].lower() if ignorecase else a[0], []).append(a[1:])
    chars = "".join(by)
    if ignorecase:
        chars += chars.upper() + ("ſ" if "s" in by else "")
    body = "|".join(f"(?<={c})(?:{'|'.join(rest)})" for c, rest in by.items())
    return f"[{chars}](?<!\\w.)" + (f"(?i:{body})" if ignorecase else f"(?:{body})")


def _rewritten(rx: re.Pattern, old: str, new: str) -> re.Pattern:
    assert rx.pattern.count(old) == 1, old
    return re.compile(rx.pattern.replace(old, new))


_FR_FIRST = _initial_first(MONTHS_FR, True)
_EN_FIRST = _initial_first(MONTHS_EN, False)
_FAST_EXCLUDE_RES = [fast_pattern(rx) for rx in EXCLUDE_RES]
_FAST_EXCLUDE_RES[2] = _rewritten(EXCLUDE_RES[2], rf"(?<!\w)(?i:{MONTHS_FR})", _FR_FIRST)
_FAST_EXCLUDE_RES[3] = _rewritten(EXCLUDE_RES[3], rf"(?<!\w){MONTHS_EN}", _EN_FIRST)
_FAST_EXCLUDE_RES[4] = _rewritten(EXCLUDE_RES[4], rf"(?<!\w){MONTHS_EN}", _EN_FIRST)
# phone numbers: "(555) 123-4567" and "555 123-4567" split apart (a "(" and a digit never both start a match)
_FAST_EXCLUDE_RES[10] = _rewritten(
    EXCLUDE_RES[10], r"(?<![\w(])\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\d)|(?<!\d)0\d(?:[ .]\d{2}){4}(?!\d)",
    r"[(\d](?:(?<=\()(?<![\w(]\()\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\d)|(?<=\d)(?<![\w(]\d)\d{2}\)?[ .-]?\d{3}"
    r"[ .-]\d{4}(?!\d)|(?<=0)(?<!\d0)\d(?:[ .]\d{2}){4}(?!\d))")
# ZIP codes: the first space consumed before the look-behinds
_FAST_EXCLUDE_RES[15] = _rewritten(
    EXCLUDE_RES[15], r"(?<=[A-Z]{2})[ \u00a0]+\d{5}(?:-\d{4})?(?!\d)|(?<=[a-z],)[ \u00a0]+\d{5}(?:-\d{4})?(?!\d)",
    r"[ \u00a0](?:(?<=[A-Z]{2}.)[ \u00a0]*\d{5}(?:-\d{4})?(?!\d)|(?<=[a-z],.)[ \u00a0]*\d{5}(?:-\d{4})?(?!\d))")
# patterns searched only when the text holds what every match of them holds
_GATES = {9: lambda text: "°" in text or "º" in text or "no." in text.lower(),
          18: re.compile(r"(?i)\d[ \u00a0\u202f]?h(?!\w)").search}


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Spans of dates, times, identifiers and page furniture (:data:`EXCLUDE_RES`) in ``text``."""
    segs = _digit_segments(text)
    found = set()
    for i, rx in enumerate(_FAST_EXCLUDE_RES):
        gate = _GATES.get(i)
        if gate is None or gate(text):
            found.update((m.start(), m.end()) for s, e in segs for m in rx.finditer(text, s, e))
    return sorted(found)


def _claims_in(text: str, index: SentenceIndex) -> list[dict]:
    excluded = _Sorted(excluded_spans(text))
    claims: list[dict] = []
    taken = _Growing()

    def blocked(s: int, e: int) -> bool:
        return excluded.overlaps(s, e) or taken.overlaps(s, e)

    def add(start, end, value, value_max, unit, obj, hedge, category):
        claims.append({"value": value, "value_max": value_max, "unit": unit, "object": obj, "hedge": hedge,
                       "category": category, "text": text[start:end], "start": start, "end": end,
                       "sentence_id": index.locate(start)})
        taken.add(start, end)

    def hedge_before(pos: int) -> tuple[str, int]:
        m = HEDGE_RE.search(text, max(0, pos - 40), pos)
        if m:
            return " ".join(m.group(1).lower().replace("’", "'").split()), m.start()
        return "", pos

    # "9 fois sur 10" -> 90 percent
    low = text.lower()
    for m in (SUR_RE.finditer(text) if re.search(r"\b(?:sur|out\s+of|in)\s", low) else ()):
        if excluded.overlaps(m.start(), m.end()):
            continue
        a, b = _value_of(m.group("a")), _value_of(m.group("b"))
        if a is None or not b or a > b:
            continue
        hedge, hs = hedge_before(m.start())
        add(hs, m.end(), round(100 * a / b, 6), None, "percent", "", hedge, "share")
    # "four-year-old", "a 17-year-old": ages
    for m in (AGE_COMPOUND_RE.finditer(text) if "old" in low else ()):
        if excluded.overlaps(m.start(), m.end()):
            continue
        v = _value_of(m.group("n"))
        if v is not None:
            unit = "months" if "month" in m.group().lower() else "years"
            add(m.start(), m.end(), v, None, unit, "", "", "age")
    for m in (APPROX_RE.finditer(text) if ("aine" in low or "millier" in low) else ()):
        if blocked(m.start(), m.end()):
            continue
        unit, obj, end, _ = _unit_after(text, m.end())
        sent = index.sentence(index.locate(m.start()))
        add(m.start(), max(end, m.end()), float(APPROX[m.group("w").lower()]), None, unit, obj,
            " ".join(m.group("h").lower().split()), categorize(unit, obj, sent, text[max(0, m.start() - 60):m.start()]))
    for m in (FRACTION_RE.finditer(text) if re.search("moiti|half|tiers|quart", low) else ()):
        if blocked(m.start(), m.end()):
            continue
        of = OF_RE.match(text, m.end())
        obj, end = _object_after(text, of.end()) if of else ("", m.end())
        add(m.start(), max(end, m.end()), FRACTIONS[m.group("w").lower()], None, "percent", obj, "", "share")

    pos = 0
    while True:
        m = NUMBER_RE.search(text, pos)
        if not m:
            break
        pos = m.end()
        s, e = m.start(), m.end()
        num = m.group("num")
        if blocked(m.start("num"), m.end("num")):
            continue
        is_word = not num[0].isdigit() and num[0] not in VULGAR
        ns, ne = m.start("num"), m.end("num")
        if not is_word and (ID_BEFORE.search(text, max(0, ns - 25), ns) or (
                num in ("911", "112") and (EMERGENCY_AFTER.match(text[ne:ne + 20])
                                           or EMERGENCY_BEFORE.search(text, max(0, ns - 12), ns)))):
            continue
        if not is_word and _furniture(text, ns, ne):
            continue
        if is_word:
            if num[0].isupper() and not _in_title_line(text, ns, ne):
                after = re.match(rf"{SP}+([A-ZÀ-Ö])", text[ne:ne + 3])
                at_start = index.spans and any(ss == ns for ss, _ in index.spans)
                if after and not at_start:
                    continue  # "Four Horsemen": a name
                if after and at_start and re.match(rf"{SP}+[A-ZÀ-Ö]\w*{SP}+[A-ZÀ-Ö]", text[ne:ne + 40]):
                    continue
            if num.lower() in ("cent", "cents") and re.search(rf"(?i)pour{SP}*$", text[max(0, s - 6):s]):
                continue
        value = parse_number(num)
        if value is None:
            continue
        scale = m.group("scale")
        if scale:
            value *= SCALES[scale.lower()]
        value_max = None
        if m.group("num2"):
            v2 = parse_number(m.group("num2"))
            sep = m.group("rsep").lower()
            before_word = re.search(r"(\w+)\W*$", text[max(0, s - 12):s])
            bw = before_word.group(1).lower() if before_word else ""
            ok = v2 is not None and (sep in ("à", "to", "-", "–") or bw in ("entre", "between"))
            if ok and m.group("scale2"):
                v2 *= SCALES[m.group("scale2").lower()]
                if not scale:
                    value *= SCALES[m.group("scale2").lower()]
            if ok and v2 is not None and v2 > value:
                value_max = v2
            else:  # "ages 14 and 15": two claims; the second is read on the next turn
                e = pos = m.end("scale") if scale else ne
        if m.group("cur") or m.group("cur2"):
            cur = (m.group("cur") or m.group("cur2")).strip()
            unit = "EUR" if "€" in cur else "USD"
            obj = ""
            kind = "unit"
        else:
            unit, obj, e2, kind = _unit_after(text, e)
            e = max(e, e2)
        # versions ("Blue Lotus 2.0", "deal 2.0"): a point-decimal number right after a content word, counting
        # nothing ("4.7 million people", "20.5 pounds" are figures)
        if not is_word and re.fullmatch(r"\d+\.\d+", num) and not scale and kind in ("none", "object"):
            prev = re.search(r"([\w'’]+)\W{0,2}$", text[max(0, s - 30):s])
            if prev and prev.group(1).lower() not in _FUNCTION_BEFORE and not (obj and obj[:1].islower()):
                continue
        hedge, hs = hedge_before(s)
        if not is_word and _is_year(text, s, num, value, value_max, scale, kind, obj, hedge, m.group("num2")):
            continue
        if is_word and kind == "none":
            continue  # a number word must count something
        if num.lower() in ("mille",) and kind == "none":
            continue
        if (not is_word and (kind == "none" or obj[:1].isupper()) and not hedge and value_max is None
                and re.search(r"(?<![.!?:;,])[ \u00a0][A-Z][\w'’-]*[ \u00a0]$", text[max(0, s - 30):s])):
            continue  # "Top 10 Most Wanted", "Process 101", "Prizm 2": a number in a name
        sent = index.sentence(index.locate(s))
        category = categorize(unit, obj, sent, text[max(0, hs - 60):hs], kind, text[e:e + 60])
        if (kind == "none" and not is_word and value < 120 and APPOSITION_AGE_BEFORE.search(text, max(0, s - 40), s)
                and APPOSITION_AGE_AFTER.match(text[e:e + 8])):
            unit, category = "years", "age"  # "Yitzchok Sklar, 33, and ...": an age in apposition
        add(hs, e, float(value), value_max, unit, obj, hedge, category)

    # "one count of", "un an": "one"/"un"/"une" where it clearly counts
    for m in (ONE_RE.finditer(text) if re.search(r"(?i)\b(?:one|une?)\b", text) else ()):
        if blocked(m.start(), m.end()):
            continue
        g = "one" if m.group("one") else "un"
        unit, obj, end, kind = _unit_after(text, m.end(g))
        sent = index.sentence(index.locate(m.start()))
        add(m.start(g), max(end, m.end()), 1.0, None, unit, obj, "",
            categorize(unit, obj, sent, text[max(0, m.start() - 60):m.start()], kind, text[end:end + 60]))

    for m in (VAGUE_RE.finditer(text) if re.search("aines|milli|hundreds|thousands|dozens|billions", low) else ()):
        if blocked(m.start(), m.end()):
            continue
        if re.search(rf"\d{SP}*$", text[max(0, m.start() - 3):m.start()]):
            continue
        unit, obj, end, _ = _unit_after(text, m.end())
        sent = index.sentence(index.locate(m.start()))
        value = float(VAGUE[m.group("w").lower()])
        more = VAGUE_SCALE_RE.match(text, m.end())  # "hundreds of millions of dollars"
        if more:
            value *= SCALES[more.group(1).lower()]
            unit, obj, end, _ = _unit_after(text, more.end())
        add(m.start(), max(end, m.end()), value, None, unit, obj, "vague",
            categorize(unit, obj, sent, text[max(0, m.start() - 60):m.start()], "", text[end:end + 60]))
    return sorted(claims, key=lambda c: (c["start"], c["end"]))


def claims_in(doc: ParsedDocument) -> list[dict]:
    """The claims of one parsed document, as rows of ``CLAIM_COLUMNS``."""
    return [{"doc_id": doc.doc_id, "group": doc.group, **c} for c in _claims_in(doc.text, doc.index)]


def claims_frame(rows: list[dict]) -> pd.DataFrame:
    """The claims table from rows of :func:`claims_in`, with its column types."""
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["value_max"] = pd.to_numeric(frame["value_max"], errors="coerce").astype("float64")
    return frame.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})


def find_claims(docs: pd.DataFrame, group_col: str | None = "group") -> pd.DataFrame:
    """One row per quantitative claim: doc_id, group, value, value_max, unit, object, hedge, category, text
    (the matched span), start, end, sentence_id. See the module docstring for the conventions."""
    return claims_frame([row for doc in parse_documents(docs, group_col) for row in claims_in(doc)])
