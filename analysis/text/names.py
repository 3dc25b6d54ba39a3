"""People's names and the titles written with them, by pattern, in English and French.

A name is a run of capitalized tokens: "Todd Spitzer", "Eileen O’Neill Burke", "Katherine Fernandez Rundle",
"Alexander N. Mayorkas", "Jean-Luc Lennon", "Dominique de Villepin", "P.O Beaudoin" (apostrophes, hyphens,
initials and particles kept inside). English titles are capitalized too, so a run such as "Orange County District
Attorney Todd Spitzer" is split at its last title word: role "Orange County District Attorney", name "Todd
Spitzer". A run that follows a French preposition and has three tokens or more starts with the place or
institution of a role ("de Besançon Pascal Péresse", "de l'Intérieur Gérald Darmanin"): that token is not
part of the name.
"""
from __future__ import annotations

import re
from functools import lru_cache

UP = "A-ZÀ-ÖØ-Þ"
LOW = "a-zà-öø-ÿ"
AP = "['’]"
# Mc/Mac and O'/D' names, hyphenated names (Jean-Luc, Lons-le-Saunier), a possessive 's (State's)
WORD = (rf"(?:[{UP}]{AP}[{UP}][{LOW}]+|(?:Mc|Mac|La|Le|De|Di|Du|Da)[{UP}][{LOW}]+|[{UP}][{LOW}]+(?:-(?:[{LOW}]+-)*[{UP}][{LOW}]+)*"
        rf"|[{UP}]{{2,}}(?![{LOW}]))(?:{AP}s)?")
INITIAL = rf"(?:[{UP}]\.(?:[{UP}](?:\.|(?=\s)))?)"
TOKEN = rf"(?:{WORD}|{INITIAL})"
PARTICLE = r"(?:de|du|des|de\s+la|d['’]|van|von|der|den|da|di|del|dos|la|le|ibn|bin|in)"
SP = r"[ \u00a0\u202f]+"
RUN = rf"(?<![\w'’]){TOKEN}(?:(?:{SP}|(?:{SP}{PARTICLE})+{SP}|{SP}d['’]){TOKEN}){{0,9}}"
RUN_RE = re.compile(RUN)

# capitalized words of English titles; the last of them ends the role
TITLE_WORDS = frozenset("""
Attorney Attorneys General Prosecutor Prosecutors DA DDA ADA AUSA Solicitor Counsel Judge Justice Magistrate
Sheriff Undersheriff Chief Superintendent Commissioner Commander Deputy Inspector Detective Officer Sergeant Sgt
Lieutenant Lt Captain Capt Corporal Trooper Marshal Agent Charge Director Administrator Secretary Minister
Senator Sen Representative Rep Congressman Congresswoman Governor Gov Mayor President Vice Chairman Chairwoman
Chair Councilmember Councilman Councilwoman Supervisor Spokesman Spokeswoman Spokesperson Mr Mrs Ms Dr Dr.
Mr. Mrs. Ms. Sen. Rep. Gov. Lt. Sgt. Capt. M. Mme Mlle Me Maître Docteur Professor Prof Ambassador Premier
Secrétaire Ministre Commissaire Procureur Procureure Préfet Préfète Président Présidente Directeur Directrice
Général Générale Administrateur Administratrice Maire Juge Sénateur Sénatrice Député Députée Colonel Commandant
""".split())
# tokens that begin sentences or phrases and are never a first name
NOT_NAME = frozenset("""
Le La Les Un Une Des Du De Ce Cette Ces Il Elle Ils Elles On Nous Vous Je Mais Et Ou Donc Pour Par Sur Dans Avec
Selon Comme Quand Si Lors Après Avant Depuis Pendant Alors Aussi En Au Aux À Chez Vers The A An In On At Of For
And But Or Today Yesterday He She They We It This That These Those His Her Their Our Its When While After Before
According Said Says During Since Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
April May June July August September October November December Lundi Mardi Mercredi Jeudi Vendredi Samedi
Dimanche Mr Mrs Ms Dr M. Mme Dès Entre Face Outre Malgré Sans Sous Contre Parmi Puis Enfin Ainsi Pourtant
Cependant Là Ici Hier Déjà Car Or Ni Très Plus Moins Toujours Encore Même Tout Tous Toute Toutes Chaque Certains
Plusieurs Dont Où Qui Que Lorsque Puisque Seul Seule Seuls Seules Son Sa Ses Leur Leurs Mon Ma Mes Notre Nos Votre Vos Cet
""".split())
GOVERNED = re.compile(r"(?i)(?:\b(?:sur|à|dans|par|pour|chez|en|vers|avec|auprès\s+de|on|at|in|from|by|to)|[#@])\s*$")
PREPOSITION_BEFORE = re.compile(r"(?i)(?:\b(?:de|du|des|d['’]|l['’]|la|le|au|aux|à)\s*)$")


def tokens(run: str) -> list[str]:
    """The tokens of a capitalized run, particles joined to the token they introduce ("de Villepin")."""
    out: list[str] = []
    for t in run.split():
        if len(out) >= 2 and out[-1].lower().split(" ")[-1] in ("de", "du", "des", "de la", "van", "von", "der", "den", "da", "di", "del",
                                       "dos", "la", "le", "ibn", "bin", "in", "d'", "d’") and t[:1].isupper():
            out[-1] = f"{out[-1]} {t}"
        elif t.lower() == "la" and out and out[-1].lower() == "de":
            out[-1] = "de la"
        else:
            out.append(t)
    return out


def split_title(run: str, before: str = "") -> tuple[str, str]:
    """(name, title) of a capitalized run: "Orange County District Attorney Todd Spitzer" -> ("Todd Spitzer",
    "Orange County District Attorney"); "State's Attorney Burke" -> ("Burke", "State's Attorney");
    "District Attorney" -> ("", "District Attorney"). ``before`` is the text just before the run (a French
    preposition there makes the first of three tokens or more a place, not a name)."""
    toks = tokens(run)
    # "Instagram de P.O Beaudoin", "Fondation de Jean Dupont": a complement, not a particle of one name
    for i in range(len(toks) - 2, 0, -1):
        if toks[i].split(" ")[0] in ("de", "du", "des", "d'", "d’") and " " in toks[i]:
            toks = [toks[i].split(" ", 1)[1]] + toks[i + 1:]
            break
    last = max((i for i, t in enumerate(toks) if t in TITLE_WORDS or t.rstrip(".") in TITLE_WORDS
                or t == "in Charge"), default=-1)
    title, name = toks[:last + 1], toks[last + 1:]
    while len(name) >= 3 and name[0].isupper() and len(name[0]) > 1 and "." not in name[0]:
        title, name = title + name[:1], name[1:]  # "LR François Grosdidier": a party's acronym, not a name
    if not title and len(name) >= 3 and PREPOSITION_BEFORE.search(before):
        title, name = [], name[1:]
    role = " ".join(t for t in title if t not in ("Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "M.", "Mme", "Mlle"))
    return " ".join(name), role


def is_person_name(name: str) -> bool:
    """Two tokens or more, the first not a function word nor a month, none all in capitals but initials."""
    toks = tokens(name)
    if not toks or toks[0] in NOT_NAME:
        return False
    return all(not (t.isupper() and len(t) > 1 and "." not in t) for t in toks)


@lru_cache(maxsize=16)
def people_in(text: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, name, title) of every capitalized run of ``text`` that holds a person's name of two tokens or
    more, the title split off ("Chicago Police Superintendent Larry Snelling" -> "Larry Snelling")."""
    out = []
    for m in RUN_RE.finditer(text):
        if len(m.group().split()) < 2:
            continue  # one token: no name of two tokens in it
        if GOVERNED.search(text[max(0, m.start() - 12):m.start()]):
            continue
        name, title = split_title(m.group(), text[max(0, m.start() - 8):m.start()])
        if len(tokens(name)) >= 2 and is_person_name(name):
            out.append((m.end() - len(name), name, title))
    return tuple(out)


def full_name(surname: str, text: str) -> str:
    """The full name the document gives for a surname alone ("Burke" -> "Eileen O’Neill Burke")."""
    if len(tokens(surname)) != 1:
        return surname
    for _, name, _ in people_in(text):
        if name.split()[-1] == surname or name.endswith(" " + surname):
            return name
    return surname
