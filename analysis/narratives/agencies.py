"""Agencies named by pattern: the offices no list can hold, because their name carries a place.

English: "<Place> County District Attorney's Office" (and the title "<Place> County District Attorney", which
names the office), "<Place> County State's Attorney", "<City> Police Department", "<County> Sheriff's Office",
"U.S. Attorney's Office for the <District>" (and "<Southern> District of <State>" in a prosecutor's title),
"<State> State Police" / "Highway Patrol" / "Department of Public Safety", "<Name> Task Force".
French: "police cantonale vaudoise", "police municipale de Nice", "parquet de Lyon", "procureur de la République
de Lons-le-Saunier" (= parquet de Lons-le-Saunier), "préfecture de l'Aude", "gendarmerie vaudoise", "section de
recherches de Besançon", "Police Nyon Région".

Each match gives a normalized name (one office, one name whatever the surface: "Dallas County DA's Office" and
"Dallas County Criminal District Attorney's Office" are "Dallas County District Attorney's Office") and a
deterministic id from it (:func:`agency_id`).
"""
from __future__ import annotations

import re
import unicodedata

_AP = "['’ʼ]"
_SP = r"(?:[ \u00a0]+|[ \u00a0]*\n[ \u00a0]*)"  # a name may run across one line break
# a capitalized word of a place name ("Los", "St.", "Dona", "O'Hare", "Winston-Salem")
_CAP = r"(?:[A-ZÀ-Ý][\w'’.-]*)"
_PLACE_EN = rf"(?:{_CAP}(?:{_SP}{_CAP}){{0,4}})"
_STATE = rf"(?:,{_SP}{_CAP}(?:{_SP}{_CAP})?,)"  # "Las Cruces, New Mexico, Police Department"
# words that begin a headline or a clause rather than a place: cut the place after the last of them
_NOT_PLACE = frozenset("""The A An And Or Of In On At By For From With To As Into Former Retired Veteran Ex
    Says Said Announces Announced Charges Charged Arrests Arrested Thanks Joins Joined Partners Partner Led Leads
    Officer Officers Detective Detectives Deputy Deputies Chief Sheriff Agents Agent Members Member Assisted
    Sentenced Convicted Indicted Pleads Pleaded Guilty Man Woman Men Women Today Yesterday This That These Those
    Our Their His Her Its Press Release News Both Also Local Federal""".split())
_DIRECTION = r"(?:Northern|Southern|Eastern|Western|Middle|Central)"

EN_PATTERNS = [
    # County prosecutors: District Attorney, Criminal District Attorney, DA, State's Attorney; office or title
    ("da", re.compile(rf"(?P<place>{_PLACE_EN}){_SP}County{_SP}(?:Criminal{_SP})?"
                      rf"(?P<kind>District{_SP}Attorney|DA|State{_AP}?s{_SP}Attorney)"
                      rf"(?:{_AP}?s{_SP}Office|{_SP}Office)?(?![\w'’])")),
    ("sheriff", re.compile(rf"(?P<place>{_PLACE_EN}){_STATE}?{_SP}Sheriff{_AP}?s{_SP}(?:Office|Department)"
                           rf"(?![\w'’])")),
    ("police", re.compile(rf"(?P<place>{_PLACE_EN}){_STATE}?{_SP}Police{_SP}(?:Department|Dept\.?)"
                          rf"(?![\w'’])")),
    ("state", re.compile(rf"(?P<place>{_PLACE_EN}){_SP}(?P<kind>State{_SP}Police|State{_SP}Patrol|"
                         rf"Highway{_SP}Patrol|Department{_SP}of{_SP}Public{_SP}Safety|Alcohol(?:ic)?{_SP}(?:and{_SP})?"
                         rf"Beverage{_SP}Commission|Department{_SP}of{_SP}"
                         rf"Corrections|Department{_SP}of{_SP}Criminal{_SP}Justice|Bureau{_SP}of{_SP}Investigation)"
                         rf"(?![\w'’])")),
    ("marshal", re.compile(rf"(?P<place>{_PLACE_EN}|Precinct{_SP}\d+){_SP}(?P<kind>Marshal|Constable)s?{_AP}?s?{_SP}Office"
                           rf"(?![\w'’])")),
    ("county", re.compile(rf"(?P<place>{_PLACE_EN}){_SP}County{_SP}(?P<kind>Health{_SP}and{_SP}Human{_SP}Services"
                          rf"{_SP}Agency|Probation{_SP}Department|Department{_SP}of{_SP}Probation)(?![\w'’])")),
    # New York City's boroughs name their counties' District Attorneys
    ("borough", re.compile(rf"(?P<place>Brooklyn|Manhattan|Bronx|Queens|Staten{_SP}Island){_SP}District{_SP}Attorney"
                           rf"(?:{_AP}s{_SP}Office)?(?![\w'’])")),
    # "the District Attorney's Office", "the Sheriff's Office": the document's office (see _bare)
    ("bare", re.compile(rf"(?<![\w'’])(?P<kind>(?:Criminal{_SP})?District{_SP}Attorney|State{_AP}?s{_SP}Attorney|Sheriff|Marshal)"
                        rf"{_AP}?s{_SP}(?i:office)(?![\w'’])")),
    ("task_force", re.compile(rf"(?P<place>{_PLACE_EN}){_SP}(?P<kind>Task{_SP}Force|Strike{_SP}Force|Gang{_SP}Impact"
                              rf"{_SP}Team)(?!\w)")),
    # "Anaheim police": a city's police written in lower case is its department
    ("city_police", re.compile(rf"(?P<place>{_PLACE_EN}){_SP}police(?![\w'’])")),
    # "the Beaumont, Cathedral City, Hemet, and Riverside Police Departments": one department per place
    ("police_list", re.compile(rf"(?P<places>{_PLACE_EN}(?:,{_SP}{_PLACE_EN})+,?{_SP}and{_SP}{_PLACE_EN}){_SP}Police"
                               rf"{_SP}Departments(?!\w)")),
    ("oig", re.compile(rf"(?:(?P<place>{_PLACE_EN}){_SP})?Office{_SP}of{_SP}(?:the{_SP})?Inspector{_SP}General"
                       rf"(?!\w)")),
    ("usao", re.compile(rf"U\.?S\.?{_SP}Attorney{_AP}?s{_SP}Office(?:{_SP}for{_SP}the{_SP}(?P<district>(?:{_DIRECTION}"
                        rf"{_SP})?District{_SP}of{_SP}{_CAP}(?:{_SP}{_CAP})?))?")),
    ("district", re.compile(rf"(?P<district>(?:{_DIRECTION}{_SP})?District{_SP}of{_SP}(?:{_CAP})(?:{_SP}{_CAP})?)")),
]
_COURT_BEFORE = re.compile(r"(?i)(?:court|judge|bankruptcy|courthouse)[\w\s.,'’]{0,20}$")
_ATTORNEY_BEFORE = re.compile(r"(?i)attorney[\w\s.,'’]{0,60}$")
_US_STATES = frozenset("""Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia
    Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota
    Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont
    Virginia Washington Wisconsin Wyoming Columbia Rico Guam""".split())

_PLACE_FR = (r"(?:(?:de{sp}la|du|des|de{sp}l['’]|de|d['’]){sp0})(?P<place>[A-ZÀ-Ý][\w'’-]*(?:{sp}(?:(?:de|du|des|la|"
             r"le|sur|en|lès)(?:{sp}|-))?[A-ZÀ-Ý][\w'’-]*){{0,3}})").format(sp=_SP, sp0=r"[ \u00a0]*")
_CANTON_ADJ = (r"(?P<adj>vaudoise|genevoise|valaisanne|fribourgeoise|neuchâteloise|jurassienne|bernoise|zurichoise|"
               r"tessinoise|lucernoise|argovienne|bâloise|vaudois|genevois|valaisan|fribourgeois|neuchâtelois|"
               r"jurassien|bernois)")
FR_PATTERNS = [
    ("police_cantonale", re.compile(rf"(?i:police){_SP}cantonale(?:{_SP}{_CANTON_ADJ}|{_SP}{_PLACE_FR})")),
    ("police_municipale", re.compile(rf"(?i:police){_SP}municipale{_SP}(?:{_PLACE_FR}|à{_SP}(?P<at>[A-ZÀ-Ý][\w'’-]*"
                                     rf"(?:-[A-ZÀ-Ý][\w'’-]*)*))")),
    ("police_de", re.compile(rf"(?i:police){_SP}(?:de{_SP}sûreté{_SP})?{_PLACE_FR}")),
    ("police_region", re.compile(rf"Police{_SP}(?P<place>[A-ZÀ-Ý][\w'’-]*(?:{_SP}[A-ZÀ-Ý][\w'’-]*)?){_SP}Région")),
    ("parquet", re.compile(rf"(?i:parquet)(?:{_SP}(?:général|national(?:{_SP}financier|{_SP}antiterroriste)?))?"
                           rf"{_SP}{_PLACE_FR}")),
    ("procureur", re.compile(rf"(?i:procureure?s?)(?:{_SP}(?:générale?|de{_SP}la{_SP}République|adjointe?))?"
                             rf"{_SP}{_PLACE_FR}")),
    ("prefecture", re.compile(rf"(?i:préfecture|préfète|préfet)(?:{_SP}de{_SP}police)?{_SP}{_PLACE_FR}")),
    ("gendarmerie", re.compile(rf"(?i:gendarmerie)(?:{_SP}{_CANTON_ADJ}|{_SP}{_PLACE_FR})")),
    ("recherches", re.compile(rf"(?i:section|brigade)s?{_SP}de{_SP}(?i:recherches?)(?:{_SP}de{_SP}la{_SP}gendarmerie)?"
                              rf"{_SP}{_PLACE_FR}")),
    ("ministere_public", re.compile(rf"(?i:ministère){_SP}public(?:{_SP}{_CANTON_ADJ}|{_SP}de{_SP}la{_SP}"
                                    rf"(?P<conf>Confédération)|{_SP}{_PLACE_FR})")),
]
# a French "place" that is not one: months, days, capitalized common words opening a clause
_NOT_PLACE_FR = frozenset("""Le La Les Un Une Des Du De Et Ou Mais Il Elle Ils Elles On Ce Cette Ces Son Sa Ses
    Leur Leurs Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars Avril Mai Juin Juillet
    Août Septembre Octobre Novembre Décembre France Justice République Police Sûreté Intérieur Paris""".split())
_CANTON_PLACE = {"vaud": "vaudoise", "genève": "genevoise", "valais": "valaisanne", "fribourg": "fribourgeoise",
                 "neuchâtel": "neuchâteloise", "jura": "jurassienne", "berne": "bernoise", "zurich": "zurichoise"}


def _clean_place(place: str) -> str:
    """The trailing words of a capitalized run that form the place: cut after any headline or clause word."""
    words = place.split()
    for i in range(len(words) - 1, -1, -1):
        if words[i].strip(".,") in _NOT_PLACE:
            words = words[i + 1:]
            break
    return " ".join(words)


def agency_id(name: str) -> str:
    """Deterministic id of an agency found by pattern, from its normalized name: ``agency.<slug>``."""
    s = unicodedata.normalize("NFKD", name.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return "agency." + re.sub(r"[^a-z0-9]+", "_", s).strip("_")


_TWO_WORD_STATES = ("New", "North", "South", "West", "Rhode", "Puerto")


def _district(found: str) -> str:
    """"Southern District of Florida" from a match that may run on ("...of Florida. Federal"); empty when
    what follows "District of" is not a state."""
    head, _, rest = found.partition(" of ")
    words = [w.rstrip(".,;:") for w in rest.split()]
    if len(words) >= 2 and words[0] in _TWO_WORD_STATES:
        return f"{head} of {words[0]} {words[1]}"
    return f"{head} of {words[0]}" if words and words[0] in _US_STATES else ""


# the fixed word of each English pattern: the pattern is tried only in a window around it, because a pattern
# that begins with a run of capitalized words is slow to try at every capital of a text
_ANCHORS = {
    "da": re.compile(r"County"), "sheriff": re.compile(r"Sheriff"), "police": re.compile(r"Police\s+Dep"),
    "state": re.compile(r"State\s+(?:Police|Patrol)|Highway\s+Patrol|Department\s+of|Bureau\s+of\s+Investigation|"
                        r"Beverage\s+Commission"),
    "task_force": re.compile(r"(?:Task|Strike)\s+Force|Impact\s+Team"), "oig": re.compile(r"Inspector\s+General"),
    "city_police": re.compile(r"[a-z\s]police\b"), "police_list": re.compile(r"Police\s+Departments"),
    "marshal": re.compile(r"(?:Marshal|Constable)s?['’]?s?\s+Office"), "county": re.compile(r"County\s+(?:Health|Prob|Dep)"),
    "borough": re.compile(r"District\s+Attorney"), "bare": re.compile(r"(?:Attorney|Sheriff|Marshal)['’]?s?\s+[Oo]ffice"),
}
_DEMONYM = re.compile(r"(?:an|ese|ish|ch|i)$|^(?:Federal|State|Local|National|Border|Military|Secret|Capitol)$")
_NOT_CITY = frozenset("""La Le Les L Des Une Un Et District Division Unit Department County State Bureau Office
    Precinct Transit Campus Airport Tribal Park Port Harbor""".split())
_NYC = {"Brooklyn": "Kings", "Manhattan": "New York", "Bronx": "Bronx", "Queens": "Queens", "Staten Island": "Richmond"}
_BARE_KIND = {"District Attorney": "District Attorney's Office", "Criminal District Attorney": "District Attorney's Office",
              "State's Attorney": "State's Attorney's Office", "State’s Attorney": "State's Attorney's Office",
              "States Attorney": "State's Attorney's Office", "Sheriff": "Sheriff's Office", "Marshal": "Marshal's Office"}


def _bare(name: str, named: list[str]) -> str:
    """The office a bare "the District Attorney's Office" means: the one office of that kind the document names
    by place, else the pattern's own name ("District Attorney's Office")."""
    offices = {n for n in named if n.endswith(name)}
    return offices.pop() if len(offices) == 1 else name
_WINDOW = 120


def _matches(kind: str, rx: re.Pattern, text: str):
    """The matches of one English pattern, tried only around the occurrences of its anchor word."""
    anchor = _ANCHORS.get(kind)
    if anchor is None:
        yield from rx.finditer(text)
        return
    done = -1
    for a in anchor.finditer(text):
        ws = max(0, a.start() - _WINDOW)
        while ws > 0 and not text[ws - 1].isspace():
            ws -= 1
        for m in rx.finditer(text, max(ws, done), min(len(text), a.end() + _WINDOW)):
            if m.start() <= a.start() < m.end() and m.end() > done:
                done = m.end()
                yield m


def _en(text: str) -> list[tuple[int, int, str]]:
    out, bare = [], []
    for kind, rx in EN_PATTERNS:
        for m in _matches(kind, rx, text):
            start, end = m.start(), m.end()
            if kind in ("usao", "district"):
                district = m.groupdict().get("district")
                if kind == "district":
                    district = _district(district)
                    before = text[max(0, start - 60):start]
                    if not district or _COURT_BEFORE.search(before) or (
                            not re.match(_DIRECTION, district) and not _ATTORNEY_BEFORE.search(before)):
                        continue
                    end = start + len(district)
                if not district:
                    out.append((start, end, "U.S. Attorney's Office"))
                else:
                    out.append((start, end, "U.S. Attorney's Office for the " + " ".join(district.split())))
                continue
            if kind == "police_list":
                for pm in re.finditer(r"[^,]+", m.group("places")):
                    place = _clean_place(re.sub(r"^\s*and\s+", "", pm.group()).strip())
                    if place:
                        ps = m.start("places") + pm.start() + pm.group().find(place)
                        out.append((ps, ps + len(place) if pm.end() < len(m.group("places")) else m.end(),
                                    f"{place} Police Department"))
                continue
            if kind == "city_police":
                place = _clean_place(m.group("place"))
                if not place or _DEMONYM.search(place) or place in _US_STATES or place.split()[-1] in _NOT_CITY:
                    continue  # "Mexican police", "Texas police": not one city's department
            if kind == "bare":
                prev = re.search(r"([\w'’.-]+)\W*$", text[max(0, start - 40):start])
                if prev and prev.group(1)[:1].isupper() and prev.group(1) not in ("The", "THE"):
                    continue  # part of a longer name ("Dallas County District Attorney's Office")
                bare.append((start, end, _BARE_KIND.get(" ".join(m.group("kind").split()), "District Attorney's Office")))
                continue
            place = " ".join((m.group("place") or "").split()) if kind == "marshal" and m.group("place").startswith(
                "Precinct") else _clean_place(m.group("place") or "")
            if not place and kind != "oig" or re.search(r"['’]s$", place):
                continue  # "DA’s Bureau of Investigation": a unit of the office, not a state bureau
            if place:
                start = m.start("place") + len(m.group("place")) - len(place)
            if kind == "da":
                k = m.group("kind")
                office = "State's Attorney's Office" if k.startswith("State") else "District Attorney's Office"
                name = f"{place} County {office}"
            elif kind == "sheriff":
                name = f"{place} Sheriff's Office"
            elif kind == "marshal":
                name = f"{place} {m.group('kind')}'s Office"
            elif kind == "county":
                name = f"{place} County {' '.join(m.group('kind').split())}"
            elif kind == "city_police":
                name = f"{place} Police Department"
            elif kind == "borough":
                name = f"{_NYC[place]} County District Attorney's Office"
            elif kind == "police":
                name = f"{place} Police Department"
            elif kind in ("state", "task_force"):
                name = f"{place} {' '.join(m.group('kind').split())}"
            else:
                name = f"{place} Office of Inspector General" if place else "Office of Inspector General"
            out.append((start, end, " ".join(name.split())))
    named = [name for _, _, name in out]
    return out + [(s, e, _bare(name, named)) for s, e, name in bare]


def _fr(text: str) -> list[tuple[int, int, str]]:
    out = []
    for kind, rx in FR_PATTERNS:
        for m in rx.finditer(text):
            g = m.groupdict()
            place = (g.get("place") or g.get("at") or "").strip()
            if place and place.split()[0] in _NOT_PLACE_FR and not (kind == "police_municipale" and place == "Paris"):
                continue
            adj = (g.get("adj") or "").lower()
            if kind == "police_cantonale":
                name = "police cantonale " + (adj or _CANTON_PLACE.get(place.lower(), "de " + place))
            elif kind == "police_municipale":
                name = f"police municipale de {place}"
            elif kind == "police_de":
                if "sûreté" in m.group().lower():
                    continue
                name = f"police de {place}"
            elif kind == "police_region":
                name = f"Police {place} Région"
            elif kind in ("parquet", "procureur", "ministere_public"):
                if kind == "ministere_public" and (g.get("conf") or adj):
                    name = "ministère public " + ("de la Confédération" if g.get("conf") else adj)
                else:
                    name = f"parquet de {place}"
            elif kind == "prefecture":
                name = ("préfecture de police de " if "police" in m.group().lower() else "préfecture de ") + place
            elif kind == "gendarmerie":
                name = "gendarmerie " + (adj or "de " + place)
            else:
                name = f"section de recherches de {place}"
            out.append((m.start(), m.end(), name))
    return out


def find_agencies(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalized name) of each agency named by pattern in ``text``, English and French."""
    return _en(text) + _fr(text)
