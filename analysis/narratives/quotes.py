"""Voices: quotations, their speaker, the speaker's role and the kind of voice.

Quotes are found between « », “ ” and straight double quotes. Guillemets and curly quotes pair by their
direction; straight quotes are paired by a small state machine that reads each mark's neighbours (a mark
followed by a letter opens, one followed by punctuation or white space closes, a short "uber" inside an open
quote is nested). A quote left open ends at the end of its paragraph (line).

Scare quotes and names (« cyberpatrouilles », "menu", «Chapitos», « place nette ») are not quotations: a
quote of three words or fewer counts only when a speech verb attributes it ("sont intelligents", selon X).

The speaker is the subject of the speech verb, read by rule in English and French: an incise inside the quote
("..., dit Florian, ...", "..., dit-il."); an attribution right after it, the verb first (", a déclaré X",
", said District Attorney X", "», affirme-t-il", " selon X", ", according to X") or the subject first (", le
ministre Gérald Darmanin a demandé", ", Burke said", also on the next line when the quote ends its line), or a
signature after a dash; else an attribution before it in the same sentence, where the subject is the name before
the verb, not its object ("X juge Emmanuel Macron « pas convaincant »" -> X), or on the line before when that
line ends with a colon ("X released the following statement:"); else another quote of the same sentence; else
the speaker of a quotation of the three preceding lines. Names are split from their titles by
:mod:`analysis.text.names` ("Orange County District Attorney Todd Spitzer" -> speaker "Todd Spitzer", role
"Orange County District Attorney"). Pronouns ("-t-il", "he said", "selon lui") and definite roles ("le
magistrat", "l'ancienne ministre") resolve to the most recent person of a compatible voice and gender, from the
text, else from the document's title and lead (``title``, ``heading`` metadata); unnamed sources ("une source
policière", "the victim") keep an empty speaker and their role. Headlines and titles (a document's first line,
a short line without a final stop, a Title Case line) are never attributed but by their own words, and no
speaker is carried over to them. The kind of voice comes from ``analysis/narratives/data/voices.yaml`` (ordered
rules).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.narratives.entities import DATA, load_gazetteer
from analysis.text import names
from analysis.text.documents import SentenceIndex
from analysis.text.parse import ParsedDocument, parse_documents
from analysis.corpus.datafiles import load_yaml_list
from analysis.errors import AnalysisError

VOICES = DATA / "voices.yaml"
QUOTE_COLUMNS = ["doc_id", "group", "speaker", "role", "voice_kind", "quote", "attribution", "start", "end",
                 "sentence_id"]
VOICE_KINDS = ("official", "police", "prosecutor", "union", "company/expert", "user/witness", "unknown")
SP = r"[ \u00a0\u202f]"
AP = "['’]"

# --- voices ---------------------------------------------------------------------------------------------------


def load_voices(path: str | Path | None = None) -> list[tuple[str, re.Pattern]]:
    """Ordered (voice_kind, compiled pattern) rules; AnalysisError naming file and rule when malformed."""
    path = Path(path) if path else VOICES
    data = load_yaml_list(path, "voices", "analysis/data/voices.yaml", "rules (voice_kind, patterns)")
    rules = []
    for i, rule in enumerate(data, start=1):
        if not isinstance(rule, dict) or rule.get("voice_kind") not in VOICE_KINDS:
            raise AnalysisError(f"{path}, rule {i}: voice_kind must be one of {', '.join(VOICE_KINDS)}")
        pats = rule.get("patterns")
        if not isinstance(pats, list) or not pats:
            raise AnalysisError(f"{path}, rule {i}: 'patterns' must be a non-empty list of regular expressions")
        try:
            rx = re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)
        except re.error as exc:
            raise AnalysisError(f"{path}, rule {i} ({rule['voice_kind']}): bad pattern: {exc}") from None
        rules.append((rule["voice_kind"], rx))
    return rules


@lru_cache(maxsize=4)
def _voices(path: str, mtime: float):
    return load_voices(path)


def voice_kind(speaker: str, role: str = "", rules=None) -> str:
    """Kind of voice of a speaker from the first voices.yaml rule matching "speaker, role"."""
    rules = rules if rules is not None else _voices(str(VOICES), VOICES.stat().st_mtime)
    text = f"{speaker or ''}, {role or ''}"
    if not text.strip(", "):
        return "unknown"
    return _first_kind(text, tuple(rules))


@lru_cache(maxsize=65536)
def _first_kind(text: str, rules: tuple) -> str:
    """The kind of the first rule matching ``text`` (cached: the same roles recur in every document)."""
    for kind, rx in rules:
        if rx.search(text):
            return kind
    return "unknown"


# --- finding quotes -------------------------------------------------------------------------------------------

@dataclass
class Span:
    open: int  # position of the opening mark
    start: int  # content start
    end: int  # content end
    close: int  # position after the closing mark (== end when unclosed)


def _line_end(text: str, pos: int) -> int:
    i = text.find("\n", pos)
    return len(text) if i < 0 else i


def _paired(text: str, opener: str, closer: str) -> list[Span]:
    """Directional marks (« », “ ”): nesting counted; an open quote is closed at the end of its line, unless the
    line is cut in mid-sentence and the quote's closing mark comes on the next line (a hard-wrapped release)."""
    spans, depth, start = [], 0, None
    if opener not in text and closer not in text:
        return spans
    for mark in re.finditer(f"[{opener}{closer}\n]", text):
        i, ch = mark.start(), mark.group()
        if ch == opener:
            if start is None:
                start, depth = i, 0
            elif not depth and opener == "«" and re.search(r"[.!?…]\s*\S", text[start + 1:i]):
                # « ... left open. « ...: a new quotation, not one nested in it
                spans.append(Span(start, start + 1, i, i))
                start = i
            else:
                depth += 1
        elif ch == closer and start is not None:
            if depth:
                depth -= 1
            else:
                spans.append(Span(start, start + 1, i, i + 1))
                start = None
        elif ch == "\n" and start is not None:
            if _wrapped(text, i, opener, closer):
                continue
            spans.append(Span(start, start + 1, i, i))
            start, depth = None, 0
    if start is not None:
        spans.append(Span(start, start + 1, len(text), len(text)))
    return spans


def _wrapped(text: str, nl: int, opener: str, closer: str) -> bool:
    """Whether the line break at ``nl`` cuts a quote in mid-sentence: the line does not end a sentence, the next
    line is not blank, and the next line holds the closing mark before any opening one."""
    if re.search(r"[.!?:;…]\s*$", text[max(0, nl - 3):nl]):
        return False
    nxt = text[nl + 1:_line_end(text, nl + 1)]
    c, o = nxt.find(closer), nxt.find(opener)
    return bool(nxt.strip()) and c >= 0 and (o < 0 or c < o)


def _straight(text: str) -> list[Span]:
    """Straight double quotes paired from their neighbours (see module docstring)."""
    marks = [i for i, ch in enumerate(text) if ch == '"']

    def prev(i):
        return text[i - 1] if i > 0 else "\n"

    def nxt(i):
        return text[i + 1] if i + 1 < len(text) else "\n"

    def open_like(i):
        return (nxt(i).isalnum() or nxt(i) in "'’[(«") and (prev(i).isspace() or prev(i) in "([:—–-'’")

    def close_like(i):
        n, p = nxt(i), prev(i)
        return n in "\n.,;:!?)]»…" or (not p.isspace() and (n.isspace() or n in "\n"))

    spans: list[Span] = []
    k, start = 0, None
    while k < len(marks):
        i = marks[k]
        if start is None and open_like(i):
            # '"We must ... ballot,” DA Hestrin said': a straight mark closed by a curly one on its line
            curly = re.match(r'(?:[^"“”\n]|\n(?![ \t]*\n)){0,800}?”', text[i + 1:i + 900])
            if curly:
                close = i + 1 + curly.end() - 1
                spans.append(Span(i, i + 1, close, close + 1))
                k += 1
                continue
        if start is None:
            if not open_like(i) and close_like(i) and not prev(i).isspace() and prev(i) not in "?!":
                k += 1  # orphan closing mark
                continue
            start = i
            k += 1
            continue
        if open_like(i):
            later = marks[k + 1:k + 3]
            same_line = [j for j in later if "\n" not in text[i:j]]
            if len(same_line) == 2 and close_like(same_line[0]) and close_like(same_line[1]) \
                    and same_line[0] - i < 40:
                k += 2  # nested short quote ("uber"): skip it, keep the outer one open
                continue
            end = _line_end(text, start)
            spans.append(Span(start, start + 1, end, end))
            start = i
            k += 1
            continue
        spans.append(Span(start, start + 1, i, i + 1))
        start = None
        k += 1
    if start is not None:
        end = _line_end(text, start)
        spans.append(Span(start, start + 1, end, end))
    return spans


# --- speech verbs ---------------------------------------------------------------------------------------------

_FR_ER = ("déclar expliqu affirm ajout précis soulign assur indiqu confirm détaill développ racont estim alert "
          "remarqu not observ insist martel regrett déplor lanc résum tempér rappel relev constat confi témoign "
          "analys dénonc annonc demand jug comment fustig gliss lâch souffl mentionn répliqu rétorqu "
          "ironis plaid tonn clam scand cri hurl avanc nuanc tranch réag révél signal rapport relat justifi "
          "critiqu accus tweet écri rassur résum exhort insist expos énumér cit évoqu prédi pronostiqu détaill "
          "concé argu qualifi réaffirm condamn lament désespér salu appel répét réclam exig prôn").split()
_FR_IRREGULAR = ("dit dire écrit conclu conclut reconnu reconnaît poursuit poursuivi prévient prévenu avertit averti "
                 "soutient soutenu maintient maintenu admet admis répond répondu reprend repris promet promis "
                 "explique lit commence rappelle appelle martèle répète espère suggère considère réagit réagi "
                 "renchérit renchéri avoue avoué abonde abondé enchaîne enchaîné reconnaît sourit souri tempère "
                 "insiste").split()
_FR_REFLEXIVE = ("insurg félicit inquièt inquiét étonn indign emport agac exclam réjou défend désol interrog émeu ému lament "
                 "désespér").split()


def _fr_forms() -> str:
    forms = set(_FR_IRREGULAR)
    for stem in _FR_ER:
        forms |= {stem + "e", stem + "é", stem + "ait", stem + "aient", stem + "ent", stem + "era"}
    for stem in ("répon", "défen", "prévi"):
        forms.add(stem + "d")
    forms -= {"note", "juge", "cite", "cité", "tweete"}  # nouns as well as verbs ("la note", "le juge")
    return "|".join(sorted(forms, key=len, reverse=True)) + r"|mis\s+en\s+garde|fait\s+(?:valoir|savoir)"


_FR = _fr_forms()
_REFL = "|".join(_FR_REFLEXIVE)
FR_VERB = (rf"(?:(?:(?:lui|leur|nous|vous|me|m['’]|l['’])\s*)?(?:a|avait|ont|avaient|aurait)(?:\s+(?:\w+ment|encore|aussi|également|ensuite|alors|pour\s+sa\s+part|"
           rf"quant\s+à\s+(?:lui|elle)|à\s+ce\s+sujet|à\s+cet\s+égard|par\s+ailleurs|d['’]ailleurs|de\s+son\s+côté|"
           rf"lui\s+aussi|elle\s+aussi|plus\s+tard|ainsi|enfin|toutefois|cependant|pourtant|même))?\s+)?(?:{_FR})"
           rf"|s['’](?:est\s+)?(?:{_REFL})\w*|se\s+(?:{_REFL})\w*")
EN_VERB = (r"said|says|added|adds|explained|explains|told|tells|noted|notes|stated|states|warned|wrote|writes|"
           r"continued|remarked|commented|announced|declared|emphasized|stressed|testified|recalled|acknowledged|"
           r"concluded|observed|argued|asserted|urged|shared|echoed|cautioned|reiterated|recounted|"
           r"(?<=by\s)(?:saying|telling|adding|stating|writing|yelling|shouting)")
VERBS = rf"{FR_VERB}|{EN_VERB}|according\s+to"
ADVERBS = (r"(?:d['’]ailleurs|à\s+ce\s+titre|encore|aussi|également|enfin|ainsi|alors|pourtant|toutefois|cependant|"
           r"ensuite|simplement|sobrement|also|then|further|later)")
PRONOUN_SUFFIX = r"-t-(?:il|elle|ils|elles)|-(?:il|elle|ils|elles)"
# after the quote: ", a déclaré X", "», affirme-t-il", ", said X", " selon X", ", according to X"
AFTER_RE = re.compile(
    rf"^[^\w.!?]{{0,3}}?(?:(?:(?:a|avait|aurait)(?P<pron0>{PRONOUN_SUFFIX}){SP}+(?:{ADVERBS}{SP}+)?)?"
    rf"(?P<verb>(?:{VERBS})(?-i:(?![a-zà-ÿ])))(?P<pron>{PRONOUN_SUFFIX})?"
    rf"(?:{SP}+(?:valoir|savoir))?(?:{SP}+{ADVERBS})?{SP}*(?P<who>(?:(?-i:[A-Z])\.|[^.;:«»“”\"\n]){{0,200}})"
    rf"|(?P<selon>selon(?!\s+(?:lequel|laquelle|lesquels|lesquelles)\b)|d['’]après|peut-on\s+lire\s+(?:dans|sur)|"
    rf"lit-on\s+(?:dans|sur)|according\s+to)[ \u00a0\u202f]+"
    rf"(?P<who2>(?:(?-i:[A-Z])\.|[^.;:«»“”\"\n]){{0,200}}))",
    re.IGNORECASE,
)
_CAPS = r"(?-i:(?:[A-ZÀ-Þ][\w’'.-]*[ \u00a0\u202f]+){0,7}[A-ZÀ-Þ][\w’'.-]*)"  # a run of capitalized words
# after the quote, the subject first: ", le ministre Gérald Darmanin a demandé", "," Burke said.", "”\nState’s
# Attorney Burke said"
AFTER_SUBJECT_RE = re.compile(
    rf"^[^\w.!?]{{0,3}}?(?P<who>(?:(?:le|la|l['’]|les|an?|the)[ \u00a0\u202f]*[^.;:«»“”\"\n,]{{3,120}}?|he|she|they|"
    rf"{_CAPS}(?:,[ \u00a0\u202f]+{_CAPS}){{0,2}}))"
    rf"(?:,[ \u00a0\u202f]+(?:who|qui)[ \u00a0\u202f][^,.;:«»“”\"\n]{{2,80}},)?"
    rf"[ \u00a0\u202f]+(?P<verb>{FR_VERB}|{EN_VERB})(?!\w)",
    re.IGNORECASE,
)
INCISE_RE = re.compile(rf",[ \u00a0\u202f]+(?P<verb>{VERBS})[ \u00a0\u202f]+"
                       rf"(?P<who>(?:(?-i:[A-Z])\.|[^.;:«»“”\"\n]){{1,120}})", re.IGNORECASE)
INCISE_PRONOUN_RE = re.compile(rf",[ \u00a0\u202f]+(?:{VERBS})(?P<pron>{PRONOUN_SUFFIX})(?!\w)", re.IGNORECASE)
# any verb inverted with its subject pronoun closing the clause: "..., note-t-il.", "..., fait-il valoir, ..."
INVERTED_RE = re.compile(r"(?i),[ \u00a0\u202f]+(?-i:[a-zà-ÿ])[\w’']{2,}(?P<pron>-t-(?:il|elle)s?|-(?:il|elle)s?)"
                         r"(?:[ \u00a0\u202f]+(?:valoir|savoir))?(?=[ \u00a0\u202f]*(?:[,.;!?]|$))")
# "..., a-t-il dit." closing the sentence the quote opens ("c'est « ... » qui était ciblé, a-t-il dit")
INCISE_AUX_PRONOUN_RE = re.compile(rf",[ \u00a0\u202f]+(?:a|avait)(?P<pron>-t-(?:il|elle)s?)[ \u00a0\u202f]+"
                                   rf"(?:{ADVERBS}[ \u00a0\u202f]+)?(?:{VERBS})(?!\w)", re.IGNORECASE)
_FR_PARTICIPLE = "|".join(stem + end for stem in _FR_ER for end in ("ant", "er"))  # "regrettant", "pour évoquer"
BEFORE_VERB_RE = re.compile(rf"(?i)(?:(?<!\w)(?:{VERBS}|{_FR_PARTICIPLE})(?!\w)|accus\w*|détaillant|expliquant|ajoutant|"
                            rf"précisant|soulignant|affirmant|disant|d['’]être\b|statement|juge|jugé|estime)")
SELON_BEFORE_RE = re.compile(r"(?i)(?:selon(?!\s+(?:lequel|laquelle|lesquels|lesquelles)\b)|d['’]après|"
                             r"according\s+to)\s+((?:(?-i:[A-Z])\.|[^,.;:«»“”\"\n]){2,80})")
# "Pour Jean-Luc Mélenchon, « ... »": the opinion of the person named right before the quote
POUR_RE = re.compile(r"(?:^|[.;!?]\s*|\n)\s*(?:Pour|For)\s+([^,.;:«»“”\"\n]{2,80}),\s*$")
# "Pour le ministre Marc Fesneau, la commission pose « ... »": the sentence opens on whose opinion it is
POUR_START_RE = re.compile(r"^\s*(?:Pour|For)\s+([^,.;:«»“”\"\n]{2,120}),\s")
# a sentence glued to the next without a space ("...de la famille.« Intellectuel engagé »Face au cercueil")
GLUED_END = re.compile(r"(?<=[a-zà-ÿ0-9)]{2})[.!?]+(?=[«“\"]?[A-ZÀ-Þ])")
# '"..." — District Attorney Mike Hestrin': a signature after a dash
DASH_RE = re.compile(r"^[ \u00a0\u202f]*[—–-][ \u00a0\u202f]*(?P<who>[A-ZÀ-Þ][^\n.;«»“”\"]{2,120})")
NAME_BEFORE = re.compile(r"(?i)\b(?:opérations?|operations?|plan|dispositif|programmes?|programs?|baptisée?s?|"
                         r"appelée?s?|nommée?s?|intitulée?s?|surnommée?s?|dubbed|called|named|slogan|hashtag|mot|"
                         r"terme|expression)[ \u00a0\u202f]*$")
TAIL_SELON_RE = re.compile(r"(?i),[ \u00a0\u202f]+(?:selon|d['’]après)[ \u00a0\u202f]+(?P<who>[^.;:«»“”\"\n]{2,120})")
# "on pouvait lire sur une banderole : « ... »": a sign or a text speaks, no person
LIRE_RE = re.compile(r"(?i)\b(?:on\s+(?:peut|pouvait|pourra|pouvaient)\s+lire|lit-on|peut-on\s+lire)\s+(?:sur|dans)\s+"
                     r"(?P<src>[^:«»“”\"\n]{2,80}?)\s*:?\s*$")
RELATIVE_SELON_RE = re.compile(r"(?i)\bselon\s+(?:lequel|laquelle|lesquels|lesquelles)\b")
PRONOUN_RE = re.compile(r"(?i)^(?:-?t?-?(?:il|elle)s?|lui|eux|ce\s+dernier|cette\s+dernière|celui-ci|celle-ci|"
                        r"he|she|they)(?!\w)")
KIN = r"veuve|veuf|épouse|époux|mari|compagne|compagnon|frère|sœur|soeur|oncle|tante|cousine?|wife|husband|widow|brother|sister"
# a role that names a person, not an institution that speaks: "the victim", "la mère", "le juge"
PERSON_NOUN = re.compile(r"(?i)\b(?:victim\w*|témoin|witness|mère|père|mother|father|femme|homme|man|woman|juge|"
                         r"médecin|docteur|doctor|"
                         r"judge|defendant|accusé\w*|prévenu\w*|suspect|avocat\w*|lawyer|son|daughter|fils|fille|"
                         r"girl|boy|jeune|survivor\w*|family|famille|" + KIN + r")\b")
INSTITUTION = re.compile(r"(?i)(?-i:[A-ZÀ-Þ])|\b(?:minist[èe]re|présidence|préfecture|parquet|gouvernement|exécutif|"
                         r"agence|division|direction|office|service|police|gendarmerie|mairie|ville|commission|"
                         r"rapport|communiqué|document|lettre|courrier|note|étude|tribunal|cour|conseil|comité|"
                         r"syndicat|association|fondation|entreprise|société|groupe|journal|chaîne|site|compte|"
                         r"department|agency|office|bureau|report|statement|complaint|indictment|court)\b")
# a role given by a possessive: "a confié sa veuve", "selon son avocat" (the possessor is someone else)
POSSESSIVE = re.compile(r"(?i)^(?:sa|son|ses|leur|leurs|his|her|their)\s+(?=\w)")
FEMININE_PRONOUN = re.compile(r"(?i)(?:elle|cette\s+dernière|celle-ci|she)")
DEFINITE = re.compile(r"(?i)^(?:(?:les|le|la|ce|cette|cet|the|this)(?!\w)|l['’])\s*")
INDEFINITE = re.compile(r"(?i)^(?:(?:l['’]une?(?=\s+d)|une|un|des|certains|certaines|plusieurs|de\s+nombreux|deux|trois|quatre|"
                        r"cinq|a|an|some|several|two|three|"
                        r"one(?!\s+of))(?!\w)|d['’]autres\b)\s*")
ROLE_CUT = re.compile(r"\s*,\s*(?=(?:qui|en|s['’]|se|lors|dans|avant|après|alors|tout|sans|pour|ce|cela|"
                      r"\w+ant)\b)|\s+(?:qui|lors|sur|à\s+propos|alors|sans|lorsque|quand|après|avant|dans\s+une?|"
                      r"devant|face|en\s+\w+ant|au\s+cours|à\s+l['’]issue|who|when|after|in\s+a|at\s+a)\s",
                      re.IGNORECASE)
ROLE_COMPAT = [
    (re.compile(r"(?i)syndica|représentant du personnel|union"), {"union"}),
    (re.compile(r"(?i)agent de police|policier|fonctionnaire de police"), {"police", "union"}),
    (re.compile(r"(?i)procureu?r|magistrat|prosecutor|attorney"), {"prosecutor"}),
    (re.compile(r"(?i)commissaire|chef des stups|enquêteur|gendarme|officier|commandant|capitaine|police|"
                r"superintendent|sheriff|chief"), {"police"}),
    (re.compile(r"(?i)ministre|garde\s+des\s+sceaux|édile|chef\s+de\s+file|chef\s+de\s+l['’]état|chef\s+du\s+gouvernement|"
                r"chef\s+de\s+la\s+diplomatie|dirigeant|leader|opposant|secrétaire|préfet|candidat|administrat|secretary|minister|official|président|president|"
                r"responsable|délégué|patron|porte-parole|spokes|maire|mayor|député|sénat|senator|gouverneur|"
                r"governor|élu"), {"official"}),
    (re.compile(r"(?i)directeur|directrice|expert|chercheu|spécialiste|analyste"), {"company/expert"}),
]
FEMININE_ROLE = re.compile(r"(?i)(?:^|\s)(?:la|une|cette|l['’](?=\w+e\s|ancienne|\w+euse|\w+trice|\w+ienne))\s*|"
                           r"\b\w+(?:trice|euse|ienne|ière|eure|esse|ancienne)\b|\b(?:mme|madame|ms\.?|mrs\.?)\b|"
                           r"\bpatronne|\bcandidate\b|\bélue\b|\bavocate\b|\bpréfète\b|\bdéputée\b")
# a name governed by a possessive or a preposition, with at most two words between: a complement
OBLIQUE = re.compile(r"(?i)(?:^|\s)(?:(?:sa|son|ses|leur|leurs|his|her|their)\s+[\w'’-]+|de|du|des|à|au|aux|avec|"
                     r"par|pour|contre|sur|of|with|to|by)\s+$")
MASCULINE_ROLE = re.compile(r"(?i)(?:^|\s)(?:le|au|du|un|ce|cet)\s|\b(?:m\.|monsieur|mr\.?)\s")


@dataclass
class Person:
    pos: int
    name: str
    role: str
    kind: str
    gender: str = ""  # "f", "m" or unknown
    spoke: bool = False  # the speaker of a quotation
    oblique: bool = False  # named as a complement ("sa mère Nathalie Baye", "à Jean Dupont"), not as a subject
    end: int = -1  # for the speaker of a quotation: where the quotation ends


def _clean(s: str) -> str:
    return " ".join(s.split()).strip(" ,.;:")


def _strip_determiner(s: str) -> str:
    s = _clean(s)
    return _clean(DEFINITE.sub("", s, count=1)) if DEFINITE.match(s) else _clean(INDEFINITE.sub("", s, count=1))


def _gender(phrase: str) -> str:
    """"f", "m" or "" from the determiner and first words of a role phrase ("la maire", "l'ancienne
    ministre", "le magistrat", "Mme Hidalgo")."""
    phrase = _clean(phrase or "")
    words = _clean(_role_phrase(phrase, "au")).lower().replace("’", "'").split()
    if not words:
        return ""
    first = words[0]
    if first in ("la", "une", "cette", "mme", "madame", "ms.", "mrs.", "she") or first.startswith("elle"):
        return "f"
    if first in ("le", "un", "ce", "cet", "au", "du", "m.", "monsieur", "mr.", "he") or first.startswith("il"):
        return "m"
    head = " ".join(words[:2])
    if re.search(r"^l'|^\w", head) and re.search(r"(?:trice|euse|ienne|ière|eure|esse|ancienne|ée|onne)\b", head):
        return "f"
    return ""


def _role_phrase(text: str, extra: str = "") -> str:
    """The role noun phrase of an attribution ("à l'AFP le général à la retraite" -> "le général à la
    retraite"): from its last determiner that no preposition governs."""
    text = _clean(text)
    best = 0
    for m in re.finditer(r"(?i)(?:^|(?<=[\s,]))(?:le|la|les|l['’]|une?|the"
                         rf"{'|' + extra if extra else ''})(?=[\s\w])", text):
        prev = text[:m.start()].rstrip(" ,").split(" ")[-1].lower() if text[:m.start()].strip() else ""
        if prev not in ("de", "à", "du", "des", "sur", "dans", "par", "pour", "auprès", "chez", "avec", "of", "to",
                        "at", "in", "on", "for", "with", "et", "ou", "contre", "vers", "entre", "sous"):
            best = m.start()
    return text[best:]


_ROLE_NOUN = re.compile(r"(?i)(?!(?:pendant|avant|durant|cependant|maintenant|devant|suivant|notamment|hier|faire|"
                        r"dernier|premier|rien|bien|lors)\b)(?:ancien|ancienne|ex-|former|"
                        r"\w+(?:eur|euse|rice|ien|ienne|iste|logue|aire|ier|ière|ophe|vain|vaine|aste|ète))\b")


# what an apposition says of a person that is not a role: "accusée par le gouvernement de ..."
_NOT_ROLE = re.compile(r"(?i)(?:accus|soupçonn|suspect|vis|condamn|interpell|poursuivi|mis\s+en|mise\s+en|placée?|"
                       r"arrêté|incarcér|blessé|tué|critiqu|contest)\w*\b")


def _role_of(phrase: str, rules, strict: bool = True) -> str:
    """A role from words around a name, determiner stripped; with ``strict``, only words that name a voice."""
    role = _strip_determiner(ROLE_CUT.split(_clean(phrase), maxsplit=1)[0])
    if not role or len(role.split()) > 14:
        return ""
    if strict and voice_kind("", " ".join(role.split()[:4]), rules) == "unknown" and not _ROLE_NOUN.match(role) \
            and (voice_kind("", role, rules) == "unknown" or _NOT_ROLE.match(role)):
        return ""
    return role


_VERB_CUT = re.compile(rf"(?i)\s+(?:{VERBS})(?![\w-])")


def _before_verb(apposition: str) -> str:
    """An apposition up to its speech verb ("President of BRIC said" -> "President of BRIC")."""
    return _VERB_CUT.split(apposition, maxsplit=1)[0]


def _parse_who(who: str, rules, gaz_roles: dict[str, str]) -> tuple[str, str, str]:
    """(name, role, kind) of an attribution phrase. kind: "" (a name, with its role), "role" (a definite role to
    resolve: "le magistrat"), "anonymous" (an unnamed source: "une source policière"), "pronoun"."""
    w = re.sub(r"(?i)^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui|ainsi|"
               r"alors|encore)[ \u00a0\u202f]+)+", "", who.strip())
    if PRONOUN_RE.match(w.lstrip("-")):
        return "", "", "pronoun"
    for m in names.RUN_RE.finditer(w[:160]):
        before = w[:m.start()]
        of_title = re.search(r"(?-i:((?:[A-Z][\w’'.-]*\s+)*[A-Z][\w’'.-]*)\s+of)\s+$", before)
        ntok = names.tokens(m.group())
        lead = re.search(r"(?i)(?:\b(?:de|du|sur|à|au)|\bd['’])\s*$", before)
        if len(ntok) >= 3 and (lead or any(t.startswith(("de ", "d'", "d’", "du ")) for t in ntok[1:-2])):
            # "un membre de l'UFAP de Valence Sylvain Royère", "a estimé sur LCI M. Larcher": a place or a medium
            # governed by the preposition, then the speaker
            for k in range(1, len(ntok) - 1):
                rest = ntok[k:]
                if rest[0] in HONORIFICS and len(rest) == 2 or len(rest) == 2 and names.is_person_name(" ".join(rest)) \
                        and rest[0] not in names.NOT_NAME and not rest[0].isupper():
                    name = rest[-1] if rest[0] in HONORIFICS else " ".join(rest)
                    phrase = _role_phrase(before + " ".join(ntok[:k]))
                    role = _role_of(phrase, rules, strict=False) if DEFINITE.match(phrase) or INDEFINITE.match(phrase) else ""
                    return name, role, ""
        if of_title and len(ntok) >= 3:
            # "said Huntington Beach Chief of Police Eric Parra": a title with "of", then the name
            k = 3 if len(ntok) >= 4 and re.fullmatch(r"[A-Z]\.", ntok[-2]) else 2
            name = " ".join(ntok[-k:])
            if names.is_person_name(name) and ntok[-k] not in names.NOT_NAME:
                return name, f"{of_title.group(1)} of {' '.join(ntok[:-k])}", ""
        if re.search(r"(?i)(?:\b(?:sur|à|au|aux|dans|par|pour|chez|auprès\s+de|avec|en|on|to|at|in|from|of|by)|"
                     r"[#@\d])\s*$", before):
            continue
        name, title = names.split_title(m.group(), w[max(0, m.start() - 8):m.start()])
        ntok = names.tokens(name)
        while len(ntok) > 2 and ntok[0] in names.NOT_NAME and not title:
            ntok = ntok[1:]  # "Comme Nicole Belloubet": the word that opens the clause is no part of the name
            name = " ".join(ntok)
        if not ntok or ntok[0] in names.NOT_NAME:
            continue
        if len(names.tokens(m.group())) == 2 and re.search(r"(?i)(?:\b(?:de|du|des)|\bd['’])\s*$", before) \
                and not title:
            continue  # "la porte-parole du Quai d'Orsay": a complement, not the speaker
        if len(ntok) == 1 and (re.search(r"(?i)(?:\b(?:de|du|des|le|la|les|un|une)|\b[dl]['’])\s*$", before)
                               or ntok[0].isupper() and len(ntok[0]) > 1 and not title):
            continue  # "le chef des stups de Lyon", "la Direction départementale", "l'AFP"
        if len(ntok) >= 2 and not names.is_person_name(name):
            continue
        name_start = m.start() + m.group().rfind(name)
        role = ""
        if title and title not in HONORIFICS:  # "In a statement, Brooklyn District Attorney Eric Gonzalez"
            role = _role_of(title, rules, strict=False)
        elif title and before.strip():  # "l'avocat des gendarmes Me Rodolphe Bosselut"
            role = _role_of(_role_phrase(ROLE_CUT.split(w[:m.start()])[-1]), rules, strict=False) or title
        elif before.strip():
            role = _role_of(_role_phrase(ROLE_CUT.split(w[:name_start])[-1]), rules)
        after = w[name_start + len(name):]
        am = re.match(r"\s*,\s*([^«»“”\"\n]{2,160})", after)
        if am:
            apposition = _role_of(_before_verb(am.group(1).split(",")[0]), rules)
            if apposition and apposition.lower() not in role.lower():
                role = f"{role}, {apposition}" if role else apposition
        return name, role, ""
    if INDEFINITE.match(w):
        phrase = _role_of(w.split(",")[0], rules, strict=False)
        if re.match(r"(?i)(?:rapport|communiqué|document|note|courrier|lettre|message|texte|étude|report|"
                    r"statement|press\s+release)\b", phrase):
            return "", phrase, "role"  # a document speaks: "un rapport de la DEA"
        return "", phrase, "anonymous" if phrase else ""
    phrase = _role_phrase(ROLE_CUT.split(w.split(",")[0], maxsplit=1)[0])
    if POSSESSIVE.match(phrase) and len(phrase.split()) <= 6:
        role = _role_of(POSSESSIVE.sub("", phrase, count=1), rules, strict=False)
        return "", role, "role" if role else ""
    if not DEFINITE.match(phrase):
        return "", "", ""
    phrase = _role_of(phrase, rules, strict=False)
    if re.search(r"(?i)\bsources?\b", phrase):
        return "", phrase, "anonymous"  # "cette même source", "la source policière": never one named person
    return "", phrase, "role" if phrase else ""


HONORIFICS = {"Me", "Maître", "M.", "Mme", "Mlle", "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms."}


def _compatible(role: str) -> set[str] | None:
    for rx, kinds in ROLE_COMPAT:
        if rx.search(role):
            return kinds
    return None


def _lines_between(text: str, a: int, b: int) -> int:
    """Paragraph breaks between two offsets (blank lines do not count)."""
    return sum(1 for line in text[a:b].split("\n")[1:] if line.strip()) if "\n" in text[a:b] else 0


def is_headline(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` is a headline or a title: the document's first line, or a short line
    (twelve words or fewer) that does not end as a sentence ends, or a line in Title Case."""
    start = text.rfind("\n", 0, pos) + 1
    end = _line_end(text, pos)
    line = text[start:end].strip()
    if not text[:start].strip():
        return "\n" in text[start:] and len(line.split()) <= 25
    words = re.findall(r"[A-Za-zÀ-ÿ’']+", line)
    nxt = text[end + 1:_line_end(text, end + 1)].strip() if end < len(text) else ""
    wrapped = bool(re.search(r"[a-zà-ÿ][.!?]\s+\S", line)) or nxt[:1].islower()  # a line of a wrapped paragraph
    if len(words) <= 12 and not re.search(r"[.!?…]\W*$", line) and not wrapped:
        return True
    caps = [w for w in words if len(w) > 3]
    return len(caps) >= 4 and sum(w[0].isupper() for w in caps) / len(caps) >= 0.8


def _last_mention(p: Person, text: str, pos: int) -> int:
    """Where a speaker was last named before ``pos`` (full name or surname): a later mention of an earlier
    speaker makes them the topic again ("Daud, l'avocat de Lahore, s'en est remis ... sourit-il")."""
    if not p.spoke or p.pos < 0 or not p.name:
        return p.pos
    last = p.name.split()[-1]
    own = set(p.name.split())
    hits = [m.start() for m in re.finditer(rf"(?<!\w)(?:(?P<first>[A-ZÀ-Þ][\w’'-]*)[ \u00a0]+)?{re.escape(last)}(?!\w)",
                                           text[p.pos:pos])
            if not m.group("first") or m.group("first") in own or m.group("first") in HONORIFICS]
    # "Assa Traoré ... considère qu'Adama Traoré est mort": another first name is another person
    return p.pos + hits[-1] if hits else p.pos


def _resolve(people: list[Person], pos: int, compat: set[str] | None, text: str, max_lines: int | None,
             gender: str = "", spoke: bool = False, subject: bool = False) -> Person | None:
    """Most recent person before ``pos`` with a compatible voice and gender, within ``max_lines`` lines; with
    ``spoke``, only speakers of earlier quotations; with ``subject`` (a pronoun's antecedent), persons named as a
    complement are passed over and speakers count from their last mention. A speaker of unknown voice is
    compatible with any role."""
    cands = [(_last_mention(p, text, pos) if subject else p.pos, p) for p in people if p.pos < pos]
    for at, p in sorted(cands, key=lambda c: c[0], reverse=True):
        if max_lines is not None and at >= 0 and _lines_between(text, at, pos) > max_lines:
            return None
        if spoke and not p.spoke or subject and p.oblique and not p.spoke:
            continue
        if gender and p.gender and p.gender != gender:
            continue
        if compat is None or p.kind in compat or p.spoke and p.kind == "unknown" and at >= 0 and p.name:
            return p
    return None


PLURAL_ROLE = re.compile(r"(?i)^(?:les|des|ces|the\s+\w+s)\b|^[^,]{0,60}?\s(?:et|and)\s+(?:les|des|ses|the)\b")
_ROLE_STOP = {"de", "du", "des", "d", "l", "la", "le", "les", "à", "au", "aux", "of", "the", "for", "in", "en"}
_ROLE_ADVERBS = {"plus", "tard", "ensuite", "encore", "aussi", "également", "alors", "enfin", "lundi", "mardi",
                 "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "devant", "dans", "lors", "pic"}


def _same_role(people: list[Person], role: str, pos: int) -> Person | None:
    """The most recent person the text named with the role's head words ("le premier ministre français aux
    Invalides" -> the person introduced as "le premier ministre français, Edouard Philippe")."""
    words = [w for w in re.split(r"[\s'’]+", role.lower()) if w]
    if not words or len(words[0]) < 4:
        return None
    head = words[:2] if len(words) > 1 and words[1] not in _ROLE_STOP | _ROLE_ADVERBS else words[:1]
    # "l'avocat" is the person introduced as "un de ses avocats"
    rx = re.compile(r"(?i)(?<!\w)" + r"\s+".join(re.escape(w) + "[sx]?" for w in head) + r"(?!\w)")
    for p in sorted((p for p in people if 0 <= p.pos < pos and p.role), key=lambda p: p.pos, reverse=True):
        if rx.search(p.role):
            return p
    return None


def _known_role(people: list[Person], name: str, pos: int) -> str:
    """The latest role the document gave a person before ``pos`` (the text's before the title's)."""
    roles = [p for p in people if p.name == name and p.role and p.pos < pos]
    body = [p for p in roles if p.pos >= 0]
    return (body or roles)[-1].role if roles else ""


def _mentions(text: str, lead: str, rules, gaz_roles, upto: int | None = None) -> list[Person]:
    """Named people of the document with their role where the text gives one ("Chicago Police Superintendent
    Larry Snelling", "le procureur de Lons-le-Saunier, Jean-Luc Lennon", "Rachida Dati, maire du VIIe"); those
    of the title and lead paragraph (``lead``) are placed before the text (negative offsets). With ``upto`` (the
    offset of a quotation mark, which no name holds), only those named before it, read in ``text[:upto]``: the
    names of the whole text cut there (one reading of the text, shared with :func:`names.full_name`)."""
    out = []
    body = names.people_in(text)
    if upto is not None:
        text = text[:upto]
        body = tuple(p for p in body if p[0] < upto)
    for source, offset, found in ((lead, -len(lead) - 1, names.people_in(lead)), (text, 0, body)):
        for pos, name, title in found:
            run_start = source.rfind(title, 0, pos) if title else pos
            before = source[max(0, run_start - 90):run_start].split("\n")[-1]
            before = re.split(r"[.;:!?«»“”\"]", before)[-1]
            after = source[pos + len(name):pos + len(name) + 160].split("\n")[0]
            before = ROLE_CUT.split(before)[-1] if before.strip() else before
            # "le philosophe Jean Dupont et le ministre Paul Martin": the role of the second is its own
            before = re.split(r"(?i)\s(?:et|and)\s+(?=(?:le|la|l['’]|the)\b)", before)[-1]
            if title:
                role = _role_of(title, rules, strict=False)
            else:
                phrase = _role_phrase(before) if before.strip() else ""
                agent = re.search(r"(?i)\spar\s+((?:le|la|l['’]|les)\s*[^,]*)$", before.rstrip(" ,"))
                if agent or not (DEFINITE.match(phrase) or INDEFINITE.match(phrase)) and " par " in before:
                    # "détaillées par la ministre X", "le message envoyé par la maire du XXe, X": the agent
                    phrase = _role_phrase(agent.group(1) if agent else before.rsplit(" par ", 1)[1])
                role = _role_of(phrase, rules) if DEFINITE.match(phrase) or INDEFINITE.match(phrase) else ""
                pm = re.search(rf"(?i)(?:^|\s)(?:sa|son|his|her)\s+({KIN})\s*$", before)
                if not role and pm:  # "sa veuve Dominique": the kin a later "a confié sa veuve" means
                    role = pm.group(1).lower()
            if not role:
                am = re.match(r"\s*(,?)\s*([^«»“”\".]{2,140})", after)
                if am and (am.group(1) or voice_kind("", " ".join(am.group(2).split()[:2]), rules) != "unknown"):
                    role = _role_of(_before_verb(am.group(2).split(",")[0]), rules)
            if not role:
                role = gaz_roles.get(name, "")
            gender = _gender((_role_phrase(agent.group(1)) if not title and agent else _role_phrase(before)) + " " + title)
            oblique = bool(OBLIQUE.search(source[max(0, run_start - 40):run_start]))
            out.append(Person(pos + offset, name, role, voice_kind(name, role, rules) if role else "unknown",
                              gender, oblique=oblique))
    return out


def _gazetteer_roles(gazetteer=None) -> dict[str, str]:
    """alias -> role of the gazetteer's people that have one (the voice of a person the text gives no role)."""
    if isinstance(gazetteer, pd.DataFrame):
        gaz = gazetteer
        if not {"category", "alias", "role"} <= set(gaz.columns):
            return {}
    else:
        gaz = load_gazetteer(gazetteer)
    people = gaz[(gaz["category"] == "person") & (gaz["role"] != "")]
    return {str(a): str(r) for a, r in zip(people["alias"], people["role"])}


@dataclass(frozen=True)
class QuoteRules:
    """What quote attribution reads besides the text: the voice rules and the roles of the gazetteer's people."""

    voices: list
    gaz_roles: dict


def quote_rules(voices=None, gazetteer=None) -> QuoteRules:
    """The rules of :func:`quotes_in` (``voices``: None for the kit's voices.yaml, or a path; ``gazetteer``: None,
    a path or a table, for the roles of known people)."""
    rules = load_voices(voices) if voices else _voices(str(VOICES), VOICES.stat().st_mtime)
    return QuoteRules(rules, _gazetteer_roles(gazetteer))


def lead_of(doc: ParsedDocument) -> str:
    """The title and lead paragraph of a document (its ``title`` and ``heading`` metadata), where the people the
    text later calls "l'ancienne ministre" are often named."""
    return "\n".join(str(doc.meta.get(k) or "") for k in ("title", "heading") if doc.meta.get(k)).strip()


def quotes_in(doc: ParsedDocument, qr: QuoteRules) -> list[dict]:
    """The quotations of one parsed document, as rows of ``QUOTE_COLUMNS`` (``doc.meta`` may hold its ``title``
    and ``heading``, read to resolve roles and pronouns)."""
    text, index, rules, gaz_roles = doc.text, doc.index, qr.voices, qr.gaz_roles
    spans = sorted(_paired(text, "«", "»") + _paired(text, "“", "”") + _straight(text), key=lambda s: s.open)
    # a quote inside another (e.g. « ... "x" ... ») is part of it
    outer: list[Span] = []
    for sp in spans:
        if outer and sp.open < outer[-1].close:
            continue
        outer.append(sp)
    if not outer:
        return []
    people = _mentions(text, lead_of(doc), rules, gaz_roles, outer[-1].open)  # who is named before a quote
    found = []
    for sp in outer:
        q = _attribute(text, sp, index, people, rules, gaz_roles)
        if q is None:
            continue
        # a quote of one sentence without its own attribution shares that of a neighbour in the sentence
        found.append(q)
    for q in found:
        if q["speaker"] or q["role"] or q["headline"]:
            continue
        mates = [o for o in found if o is not q and o["sentence_id"] == q["sentence_id"]
                 and (o["speaker"] or o["role"]) and o["direct"] and not _sentence_end_between(text, o, q)]
        if mates:
            mate = min(mates, key=lambda o: abs(o["start"] - q["start"]))
            q.update(speaker=mate["speaker"], role=mate["role"], voice_kind=mate["voice_kind"],
                     attribution=q["attribution"] or "(same sentence)",
                     direct=len(q["quote"].split()) > 1 and not q["name"])
    rows = []
    prose = _prose(text, outer)
    for q in found:
        if not q["speaker"] and not q["role"] and not q["scare"] and not q["headline"] and not q["anonymous"]:
            p = _resolve(people, q["start"], None, text, 3, spoke=True)
            if p and p.pos >= 0 and "\n" not in text[max(p.pos, p.end):q["start"]] \
                    and _sentences_between(prose, max(p.pos, p.end), q["start"]) > 4:
                p = None  # in one long paragraph, a speaker quoted five sentences or more before
            if p:
                p = _carried(p, q, text, prose, index, people, qr)
            if p:
                q.update(speaker=p.name, role=p.role, voice_kind=p.kind, attribution="(context)")
        if q["scare"] and not q["direct"]:
            continue
        rows.append({"doc_id": doc.doc_id, "group": doc.group, **{k: q[k] for k in QUOTE_COLUMNS[2:]}})
    return rows


PLURAL_SUBJECT = re.compile(r"(?i)(?:^|[,;.]\s*)(?:des|les|plusieurs|certains|certaines|de\s+nombreux|de\s+nombreuses|"
                            r"d['’]autres|quelques)\s+[\w-]{3,}")
SUBJECT_PRONOUN = re.compile(r"(?i)(?<![\w'’-])(il|elle|he|she)(?![\w'’-])")


def _carried(p: Person, q: dict, text: str, prose: str, index: SentenceIndex, people: list[Person],
             qr: QuoteRules) -> Person | None:
    """Who speaks a quotation with no attribution of its own, given ``p``, the speaker of a quotation of the lines
    before: ``p`` when the quotation shares p's sentence, opens its own sentence (after a connective or a
    colon at most), or its sentence names p, holds a
    speech verb or a pronoun whose antecedent is p; a person the sentence names as a subject ("Dans cette
    majorité, Ruth Bader Ginsburg, défenseure du droit à « ... »") or the antecedent of its pronoun ("Ami de
    Sartre, il a été ..., voyant dans l'antisionisme « ... »"); else no one ("Une information judiciaire a été
    ouverte pour « ... »": the writer's words, whoever spoke before)."""
    sid = q["sentence_id"]
    if p.pos >= 0 and index.spans and index.locate(p.pos) == sid \
            and not _sentences_between(prose, max(p.pos, p.end), q["start"]):
        return p
    s_start = index.spans[sid][0] if index.spans else 0
    glued = list(GLUED_END.finditer(prose, s_start, q["start"]))
    s_start = glued[-1].end() if glued else s_start  # "...vénézuéliennes.Dès samedi, le Brésil ..."
    pre = prose[s_start:q["start"]]
    surname = p.name.split()[-1] if p.name else ""
    named = [x for x in people if s_start <= x.pos < q["start"] and not x.spoke and x.name and not x.oblique
             and len(names.tokens(x.name)) > 1]
    if named and not (surname and surname in named[-1].name.split()):
        return named[-1]
    if len(re.findall(r"\w+", pre)) <= 3 or pre.rstrip().endswith(":"):
        return p  # the quote opens its sentence, after a connective ("Ensuite, « ... »") or a colon
    if surname and re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", pre):
        return p
    if p.pos >= 0 and _sentences_between(prose, max(p.pos, p.end), s_start + 1) <= 1 \
            and not re.search(r"[a-zà-ÿ][A-ZÀ-Þ][a-zà-ÿ]", prose[max(p.pos, p.end):s_start]) \
            and not PLURAL_SUBJECT.search(pre) and not SUBJECT_PRONOUN.search(pre):
        return p  # p spoke in the sentence just before (no intertitle glued between: "...l’aide».Aide
        # disponible au BrésilPlusieurs ..."): "L'Ofpra devra organiser « ... »" goes on with p
    pron = SUBJECT_PRONOUN.search(pre)
    if pron:
        gender = "f" if pron.group(1).lower() in ("elle", "she") else "m"
        a = _resolve(people, q["start"], None, text, 3, gender, subject=True)
        return a if a and a.name else None
    if not BEFORE_VERB_RE.search(pre):
        return None
    if PLURAL_SUBJECT.search(pre[:BEFORE_VERB_RE.search(pre).start()]):
        return None  # "des manifestants, jeunes et de toutes origines, scandaient « ... » ou « ... »"
    name, _, kind = _subject_before(pre, qr.voices, qr.gaz_roles)
    if kind in ("role", "anonymous") or name and surname not in name.split():
        return None  # "des manifestants scandaient « ... » ou « ... »": the verb has a subject of its own
    return p


def _prose(text: str, spans: list[Span]) -> str:
    """The text with the words of its quotations blanked (same offsets): what the writer says in their own voice."""
    chars = list(text)
    for sp in spans:
        chars[sp.start:sp.end] = " " * (sp.end - sp.start)
    return "".join(chars)


def _sentences_between(text: str, a: int, b: int) -> int:
    """Sentence ends between two offsets (glued ones too: "...États-Unis».Des aliments")."""
    between = text[max(0, a - 2):b]
    return len(re.findall(r"(?:(?<=[a-zà-ÿ0-9)]{2})|(?<=[»”\"]))[.!?](?:\s+|(?=[A-ZÀ-Þ]))[A-ZÀ-Þ«“\"]", between))


def _sentence_end_between(text: str, a: dict, b: dict) -> bool:
    """Whether a sentence ends between two quotations (a glued one too: "...États-Unis».Des aliments")."""
    first, second = (a, b) if a["start"] < b["start"] else (b, a)
    return _sentences_between(text, first["end"], second["start"]) > 0


def quotes_frame(rows: list[dict]) -> pd.DataFrame:
    """The quotes table from rows of :func:`quotes_in`, with its column types."""
    frame = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})


def find_quotes(docs: pd.DataFrame, group_col: str | None = "group", voices=None, gazetteer=None) -> pd.DataFrame:
    """One row per quotation: doc_id, group, speaker, role, voice_kind, quote, attribution, start, end (the
    quote with its marks), sentence_id. ``voices``: None (the kit's voices.yaml) or a path to another file;
    ``gazetteer``: None (the kit's), a path or a table, for the roles of known people. Optional ``title`` and
    ``heading`` columns are read to resolve roles and pronouns to people named there."""
    qr = quote_rules(voices, gazetteer)
    meta_cols = [c for c in ("title", "heading") if c in docs.columns]
    metas = docs[meta_cols].to_dict("records") if meta_cols else None
    rows = []
    for i, doc in enumerate(parse_documents(docs, group_col)):
        if metas:
            doc.meta.update({k: v for k, v in metas[i].items() if isinstance(v, str)})
        rows.extend(quotes_in(doc, qr))
    return quotes_frame(rows)


def _after_text(text: str, sp: Span) -> str:
    """What follows a quote, up to the end of its line; when the quote ends its line, the next line too
    (an attribution printed after a line break: '...,”\\nState’s Attorney Burke said'); a line cut in the middle
    of a sentence (a hard-wrapped release: "said lead prosecutor Leighton\\nD’Antoni.") goes on on the next."""
    end = _line_end(text, sp.close)
    after = text[sp.close:end]
    if not after.strip() and end < len(text):
        nxt = _line_end(text, end + 1)
        line = text[end + 1:nxt]
        if re.search(r"[.!?]\W*$", text[sp.start:sp.end]) or re.search(r"\w[\s,:]*[«“\"]", line[:120]):
            return ""  # the quote ends a sentence, or the next line introduces a quote of its own
        after, end = " " + line, nxt
    while len(after) < 260 and end < len(text) and after.strip() and not re.search(r"[.!?:;\"”»]\s*$", after):
        nxt = _line_end(text, end + 1)
        line = text[end + 1:nxt]
        if not line.strip() or not re.match(r"\s*[A-Za-zÀ-ÿ’']", line):
            break
        after, end = after + " " + line, nxt
    return after[:260]


def _before_text(text: str, sp: Span, index: SentenceIndex, sid: int) -> str:
    """The words before a quote in its sentence (after any earlier quote of that sentence); when the quote
    opens its line, the previous line if it ends with a colon ("X released the following statement:")."""
    s_start = index.spans[sid][0] if index.spans else 0
    while sid > 0 and re.search(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Sgt|Lt|Det|No|Jr|Sr)\.)\s*$", text[:s_start]):
        sid -= 1
        s_start = index.spans[sid][0]
    pre = text[s_start:sp.open]
    glued = list(GLUED_END.finditer(pre))
    if glued:
        pre = pre[glued[-1].end():]
    cut = max(pre.rfind("»"), pre.rfind("”"), pre.rfind('"'))
    pre = pre[cut + 1:] if cut >= 0 else pre
    if re.search(r"(?<=[a-zà-ÿ)]{2})[.!?]\s*$", pre):
        pre = ""  # '...Planned Parenthood."Ruth Bader Ginsburg était une icône"': the sentence before ended
    if not pre.strip():
        line_start = text.rfind("\n", 0, sp.open)
        prev = text[text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)]
        if line_start > 0 and prev.rstrip().endswith(":"):
            pre = prev
    return pre


def _subject_before(pre: str, rules, gaz_roles) -> tuple[str, str, str]:
    """The speaker of an attribution written before the quote: the subject of its speech verb (the name before
    the verb: "X juge Emmanuel Macron « pas convaincant »" -> X), else the name after an inverted verb."""
    verbs = list(BEFORE_VERB_RE.finditer(pre))
    head = pre[:verbs[-1].start()] if verbs else pre
    clauses = re.split(r"(?i)[,;]\s*(?=(?:et|mais|puis|and|but|alors|qui|que)\b)|(?<=[a-zà-ÿ)]{2}\.)\s|;\s*", head)
    subject = clauses[-1] if clauses else head
    if len(clauses) > 1 and re.match(r"(?i)\s*(?:qui|who)\b", subject):
        subject = clauses[-2]  # "Comme Nicole Belloubet, qui a jugé « ... »": the antecedent speaks
    subject = subject.rstrip(" :\n")
    if verbs and re.match(r"(?i)by\s", pre[verbs[-1].start() - 3:verbs[-1].start()]):
        first = re.match(r"(?i)\s*((?:the|a|an)\s+[\w-]+)\s+\w+", subject)
        if first:  # "The defendant threatened the victim by saying, “...”": the clause's subject, not its object
            subject = first.group(1)
    last = subject.split(":")[-1]
    if "," in last and (DEFINITE.match(last.rsplit(",", 1)[1].strip()) or POSSESSIVE.match(last.rsplit(",", 1)[1].strip())):
        subject = last = last.rsplit(",", 1)[1]  # "Dans son éloge funèbre, le philosophe a salué « ... »"
    name, role, kind = _parse_who(last, rules, gaz_roles) if subject.strip() else ("", "", "")
    if name and len(names.tokens(name)) == 1 and names.full_name(name, pre) == name and not re.search(
            rf"(?<!\w){re.escape(name)}(?:\s+\S+){{0,2}}\s*$", head):
        name, role, kind = "", "", ""  # a capitalized word far from the verb ("Outre", "Fruit") is no subject
        if "," in subject:  # "Ancien président du comité, Didier Sicard a pris la parole pour évoquer"
            name, role, kind = _parse_who(subject.rsplit(",", 1)[1], rules, gaz_roles)
            if not (name and len(names.tokens(name)) > 1):
                name, role, kind = "", "", ""
    if verbs and not (name or role) and re.search(r"(?i)(?:^|[\s,])(?:il|elle|ils|elles|he|she)\s*$", head):
        return "", "", "pronoun"  # "Sur le plan régalien, elle considère qu'Emmanuel Macron « ... »"
    if not verbs and (kind == "role" or name and len(names.tokens(name)) == 1 and names.full_name(name, pre) == name):
        name, role, kind = "", "", ""  # "La version courte est la suivante :", "Savoir :": no speech verb
    if name or role or kind == "pronoun":
        return name, role, kind
    if verbs:
        tail = pre[verbs[-1].end():]
        name, role, kind = _parse_who(tail, rules, gaz_roles)
        if name:
            return name, role, kind
    pron = re.search(r"(?i)(?:^|[.;,]\s*|\s)(il|elle|he|she)\s+\w+", subject or pre)
    return ("", "", "pronoun") if pron else ("", "", "")


def _attribute(text, sp: Span, index: SentenceIndex, people: list[Person], rules, gaz_roles):
    content = text[sp.start:sp.end]
    quote = _clean(content)
    if not quote:
        return None
    sid = index.locate(sp.open)
    speaker = role = attribution = ""
    kind = ""
    direct = False
    headline = is_headline(text, sp.open)
    # 1. incise inside the quote: "C'est facile, dit Florian, qui ..." / "..., a déclaré X. Suite"
    inc = INCISE_RE.search(content)
    if inc and inc.start() > 5:
        name, r, k = _parse_who(inc.group("who"), rules, gaz_roles)
        if name:
            speaker, role, attribution, direct = name, r, _clean(inc.group()), True
            head = content[:inc.start()]
            tail = content[inc.end():]
            quote = _clean(head if tail.lstrip().startswith(("qui", "Qui")) or re.match(r"^\s*,\s*qui", tail)
                           or not tail.strip() else head + " " + tail)
    pron_gender = who_text = ""
    incp = INCISE_PRONOUN_RE.search(content) if not speaker else None
    if incp and incp.start() > 5:  # "..., dit-il. Aujourd'hui ..."
        kind, direct, attribution = "pronoun", True, _clean(incp.group())
        pron_gender = "f" if "elle" in incp.group("pron") else "m"
        quote = _clean(content[:incp.start()] + " " + content[incp.end():].lstrip(" ,."))
    after = _after_text(text, sp)
    if not speaker and not kind:
        m = AFTER_RE.match(after)
        if m and m.group("verb") and m.group("verb").endswith("ent") and not re.match(r"\W*[,.]", after) \
                and not re.search(r"[,!?]\W*$", content):
            m = None  # "les « gilets jaunes » accusent les médias": the quote is the subject of the clause
        ms = AFTER_SUBJECT_RE.match(after) if not m else None
        if ms:
            who, attribution = ms.group("who"), _clean(ms.group())
            who_text = who
            speaker, role, kind = _parse_who(who, rules, gaz_roles)
            if kind == "pronoun":
                pron_gender = "f" if FEMININE_PRONOUN.match(_clean(who)) else "m"
            direct = bool(speaker or role or kind)
        elif not m and DASH_RE.match(after):
            who_text = DASH_RE.match(after).group("who")
            name, r, k = _parse_who(who_text, rules, gaz_roles)
            if name:
                speaker, role, direct, attribution = name, r, True, _clean(DASH_RE.match(after).group())
        elif m and (m.group("verb") or m.group("selon")):
            attribution = _clean(m.group())
            direct = True
            if m.group("pron") or m.group("pron0"):
                kind = "pronoun"
                pron_gender = "f" if "elle" in (m.group("pron") or m.group("pron0")) else "m"
            else:
                who = m.group("who") if m.group("verb") else m.group("who2")
                speaker, role, kind = _parse_who(who or "", rules, gaz_roles)
                who_text = who or ""
                if kind == "pronoun":
                    pron_gender = "f" if FEMININE_PRONOUN.match(_clean(who)) else "m"
                if m.group("selon") and not speaker and role and kind == "role" and not PERSON_NOUN.search(role):
                    speaker, role, kind = role, "", ""  # an institution speaks ("selon la DEA")
    if not speaker and not role and kind != "pronoun" and not attribution:
        # the attribution closes the sentence the quote opens: "« ... », soit ..., s'émeut-elle."
        tail = re.split(r"(?<=[.!?])\s|[«»“”\"\n]", after, maxsplit=1)[0]
        ti = INCISE_RE.search(tail) or TAIL_SELON_RE.search(tail)
        tp = INCISE_PRONOUN_RE.search(tail) or INCISE_AUX_PRONOUN_RE.search(tail) or INVERTED_RE.search(tail)
        if tp and re.match(r"\W*$|\s*,\s", tail[tp.end():]):  # "..., fait-il valoir, rappelant que"
            kind, direct, attribution = "pronoun", True, _clean(tp.group())
            pron_gender = "f" if "elle" in tp.group("pron") else "m"
        elif ti:
            name, r, k = _parse_who(ti.group("who"), rules, gaz_roles)
            if name or k in ("role", "anonymous"):  # ", a précisé le procureur lors d'une conférence de presse."
                speaker, role, kind, direct, attribution = name, r, k, True, _clean(ti.group())
                who_text = ti.group("who")
    if not speaker and not role and kind != "pronoun":
        # 2. before the quote, in the same sentence (after any earlier quote of that sentence)
        pre = _before_text(text, sp, index, sid)
        sel = list(SELON_BEFORE_RE.finditer(pre))
        if sel and BEFORE_VERB_RE.search(pre, sel[-1].end()):
            sel = []  # "According to the complaint, the defendant said": the subject of the verb speaks
        pour = POUR_RE.search(pre)
        has_verb = BEFORE_VERB_RE.search(pre) is not None
        lire = LIRE_RE.search(pre)
        if lire:
            role, kind, direct = _strip_determiner(lire.group("src")), "anonymous", True
            attribution = _clean(lire.group())
        if not pour and not has_verb:
            pour = POUR_START_RE.search(pre)
        rel = RELATIVE_SELON_RE.search(pre)
        rel_names = [p for p in names.people_in(pre[:rel.start()])] if rel else []
        if lire:
            pass
        elif rel_names:  # "le message de Charlie Kirk, ..., selon lequel ... « ... »"
            speaker, attribution, direct = rel_names[-1][1], _clean(pre[rel_names[-1][0]:]), True
        elif pour and _parse_who(pour.group(1), rules, gaz_roles)[0]:
            speaker, role, kind = _parse_who(pour.group(1), rules, gaz_roles)
            attribution, direct = _clean(pour.group()), True
        elif sel:
            speaker, role, kind = _parse_who(sel[-1].group(1), rules, gaz_roles)
            if not speaker and kind == "role":
                speaker, role, kind = role, "", ""
            attribution, direct = _clean(sel[-1].group()), True
        elif pre.rstrip().endswith(":") or has_verb:
            speaker, role, kind = _subject_before(pre, rules, gaz_roles)
            attribution = _clean(pre)
            direct = bool(speaker or role or kind)
    if speaker and len(names.tokens(speaker)) == 1:
        speaker = names.full_name(speaker, text)
    if speaker:
        known = [p for p in people if p.name == speaker and p.role and p.pos < sp.open]
        if known and (not role or len(known[-1].role) > len(role) and role.lower() in known[-1].role.lower()):
            role = known[-1].role
        elif not role and speaker in gaz_roles:
            role = gaz_roles[speaker]
    # 3. pronouns and definite roles resolve to the most recent compatible person
    gender = ""
    if kind == "pronoun":
        gender = pron_gender
        p = _resolve(people, sp.open, None, text, 3, gender, subject=True)
        if p:
            speaker, role = p.name, p.role or _known_role(people, p.name, sp.open)
    elif kind == "role" and not speaker and PLURAL_ROLE.search(_clean(who_text) or role):
        pass  # "le président et les corapporteurs de la commission", "les rapporteurs": no one person
    elif kind == "role" and not speaker:
        compat = _compatible(role)
        gender = _gender(ROLE_CUT.split(who_text.split(",")[0], maxsplit=1)[0]) if who_text else ""
        p = _same_role(people, role, sp.open)  # the person the text introduced with that role, if any
        if p is None and compat:
            p = _resolve([q for q in people if q.pos >= 0], sp.open, compat, text, None, gender)
        if p is None and compat and gender:  # a person the text gave no voice, of the role's gender
            p = next((q for q in sorted(people, key=lambda q: q.pos, reverse=True)
                      if 0 <= q.pos < sp.open and q.kind == "unknown" and q.gender == gender and q.name), None)
        if p is None and (compat or _ROLE_NOUN.match(role)):
            lead = [q for q in people if q.pos < 0 and (not gender or not q.gender or q.gender == gender)]
            p = lead[0] if lead else None  # the protagonist of the title
        if p is None and re.match(r"(?i)\s*(?:ce|cet|cette|this)\s", who_text or "") and (
                compat or PERSON_NOUN.search(role) or _ROLE_NOUN.match(role)):
            # "a justifié ce médecin neurologue": the person just named (not as a complement), of that gender
            p = next((q for q in sorted(people, key=lambda q: q.pos, reverse=True)
                      if 0 <= q.pos < sp.open and q.name and not q.oblique and (not gender or q.gender in (gender, ""))
                      and sid - index.locate(q.pos) <= 1), None)
        if p:
            known = _known_role(people, p.name, sp.open)
            speaker, role = p.name, known if known and p.pos >= 0 else role or known
        elif compat is None and INSTITUTION.search(" ".join(role.split()[:3])) and not PERSON_NOUN.search(role):
            speaker, role = role, ""  # an institution speaks ("la division antidrogue américaine")
        elif compat is None:
            p = _resolve(people, sp.open, None, text, 3, gender, spoke=True) if gender else None
            if p and _gender(role) == gender:  # "estime l'actrice": the speaker just quoted, of that gender
                speaker, role = p.name, role
    if headline and not direct:
        speaker = role = ""
    vk = voice_kind(speaker, role, rules) if (speaker or role) else "unknown"
    if speaker and names.RUN_RE.fullmatch(speaker):
        g = gender or next((p.gender for p in reversed(people) if p.name == speaker and p.gender), "")
        people.append(Person(sp.open, speaker, role, vk, g, spoke=True, end=sp.close))
        people.sort(key=lambda p: p.pos)
    elif kind == "anonymous" and role:  # "selon un responsable policier": "ajoute-t-il" goes on with that source
        people.append(Person(sp.open, "", role, vk, _gender(who_text), spoke=True, end=sp.close))
        people.sort(key=lambda p: p.pos)
    words = len(quote.split())
    scare = words <= 3
    name = scare and bool(NAME_BEFORE.search(text[max(0, sp.open - 40):sp.open]))
    if name:
        direct = False  # "dans le cadre des opérations « place nette »": a name, whoever speaks around it
    if words == 1:
        direct = False  # a single word is a term, even after a speech verb ("un « mensonge »")
    return {"speaker": speaker, "role": role, "voice_kind": vk, "quote": quote, "attribution": attribution,
            "start": sp.open, "end": sp.close, "sentence_id": sid, "direct": direct and bool(speaker or role),
            "scare": scare, "headline": headline, "anonymous": kind == "anonymous", "name": name}
