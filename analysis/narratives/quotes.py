"""Voices: quotations, their speaker, the speaker's role and the kind of voice.

Quotes are found between « », “ ” and straight double quotes. Guillemets and curly quotes pair by their
direction; straight quotes are paired by a small state machine that reads each mark's neighbours (a mark
followed by a letter opens, one followed by punctuation or white space closes, a short "uber" inside an open
quote is nested). A quote left open ends at the end of its paragraph (line).

Scare quotes and names (« cyberpatrouilles », "menu", «Chapitos», « place nette ») are not quotations: a
quote of three words or fewer counts only when a speech verb attributes it ("sont intelligents", selon X).

The speaker comes, in this order, from: an incise inside the quote ("..., dit Florian, ..."); an attribution
right after it (", a déclaré X", "a déclaréX", ", explique X, procureur", " selon X", "», affirme-t-il",
", le ministre de l'Intérieur Gérald Darmanin a demandé"); an attribution before it in the same sentence
("Le commissaire a dit :", "X accusait ... d'être", "selon la DEA, et permet"); another quote of the same
sentence; else the last named speaker of the three preceding lines. Pronouns ("-t-il", "ce dernier") and
roles ("le commissaire", "le ministre", "le représentant syndical") resolve to the most recent named person
whose voice is compatible. The kind of voice comes from ``analysis/data/voices.yaml`` (ordered rules).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.narratives.entities import DATA, load_gazetteer
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
    """Directional marks (« », “ ”): nesting counted, an open quote closed at the end of its line."""
    spans, depth, start = [], 0, None
    for i, ch in enumerate(text):
        if ch == opener:
            if start is None:
                start, depth = i, 0
            else:
                depth += 1
        elif ch == closer and start is not None:
            if depth:
                depth -= 1
            else:
                spans.append(Span(start, start + 1, i, i + 1))
                start = None
        elif ch == "\n" and start is not None:
            spans.append(Span(start, start + 1, i, i))
            start, depth = None, 0
    if start is not None:
        spans.append(Span(start, start + 1, len(text), len(text)))
    return spans


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


# --- attribution ----------------------------------------------------------------------------------------------

VERBS = (r"(?:a|avait|ont|aurait)?\s*(?:déclaré|dit|expliqué|affirmé|ajouté|précisé|souligné|assuré|indiqué|"
         r"confirmé|détaillé|développé|raconté|poursuivi|conclu|estimé|alerté|remarqué|écrit|noté|observé|insisté|"
         r"martelé|reconnu|regretté|déploré|lancé|résumé|prévenu|averti|rappelé|relevé|constaté|confié|"
         r"témoigné|analysé|dénoncé|annoncé|demandé|jugé|répondu|commenté)"
         r"|déclare|dit|explique|affirme|ajoute|précise|souligne|assure|indique|confirme|détaille|développe|raconte|"
         r"poursuit|commence|conclut|estime|alerte|remarque|écrit|note|observe|insiste|martèle|reconnaît|regrette|"
         r"déplore|lance|résume|tempère|prévient|avertit|rappelle|relève|constate|s['’]inquiète|confie|témoigne|"
         r"analyse|dénonce|annonce|interroge|répond|commente|glisse|lâche|souffle|"
         r"said|says|added|explained|told|noted|stated|warned|wrote|according\s+to")
ADVERBS = r"(?:d['’]ailleurs|à\s+ce\s+titre|encore|aussi|également|enfin|ainsi|alors|pourtant|toutefois|cependant|" \
          r"ensuite|simplement|sobrement|also|then)"
AFTER_RE = re.compile(
    rf"^[ \u00a0\u202f]*[,.]?[ \u00a0\u202f]*(?:(?P<verb>(?:{VERBS})(?-i:(?![a-zà-ÿ]))|fait)(?P<pron>-t-(?:il|elle)|-(?:il|elle))?"
    rf"(?:[ \u00a0\u202f]+valoir)?"
    rf"(?:[ \u00a0\u202f]+{ADVERBS})?[ \u00a0\u202f]*(?P<who>(?:(?-i:[A-Z])\.|[^.;:«»\"\n]){{0,200}})"
    rf"|(?P<selon>selon(?!\s+(?:lequel|laquelle|lesquels|lesquelles)\b)|d['’]après|peut-on\s+lire\s+dans|lit-on\s+dans|"
    rf"according\s+to)[ \u00a0\u202f]+"
    rf"(?P<who2>(?:(?-i:[A-Z])\.|[^.;:«»\"\n]){{0,200}}))",
    re.IGNORECASE,
)
# ", le ministre de l'Intérieur Gérald Darmanin a demandé ..." (speaker, then a verb)
AFTER_SUBJECT_RE = re.compile(
    rf"^[ \u00a0\u202f]*,[ \u00a0\u202f]*(?P<who>(?:le|la|l['’]|les)[ \u00a0\u202f]*[^.;:«»\"\n,]{{3,120}}?)"
    rf"[ \u00a0\u202f]+(?P<verb>{VERBS})\b",
    re.IGNORECASE,
)
INCISE_RE = re.compile(rf",[ \u00a0\u202f]+(?P<verb>{VERBS})[ \u00a0\u202f]+(?P<who>(?:(?-i:[A-Z])\.|[^.;:«»\"\n]){{1,120}})",
                       re.IGNORECASE)
BEFORE_VERB_RE = re.compile(rf"(?i)(?:\b(?:{VERBS})\b|accus\w*|détaillant|expliquant|ajoutant|précisant|"
                            rf"soulignant|affirmant|d['’]être\b)")
SELON_BEFORE_RE = re.compile(r"(?i)(?:selon(?!\s+(?:lequel|laquelle|lesquels|lesquelles)\b)|d['’]après|according\s+to)"
                             r"\s+([^,.;:«»\"\n]{2,80})")
NAME_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?|[A-Z]\.)"
NAME_RE = re.compile(rf"(?<![\w'’]){NAME_TOKEN}(?:[ \u00a0\u202f]+{NAME_TOKEN}){{1,3}}")
SINGLE_NAME_RE = re.compile(rf"^{NAME_TOKEN}(?![\w])")
PRONOUN_RE = re.compile(r"(?i)^(?:-?t?-?il|-?t?-?elle|ce\s+dernier|cette\s+dernière|celui-ci|celle-ci|he|she)\b")
RELATIVE_SELON_RE = re.compile(r"(?i)\bselon\s+(?:lequel|laquelle|lesquels|lesquelles)\b")
ROLE_COMPAT = [
    (re.compile(r"(?i)syndica|représentant du personnel|union"), {"union"}),
    (re.compile(r"(?i)agent de police|policier|fonctionnaire de police"), {"police", "union"}),
    (re.compile(r"(?i)procureu?r|magistrat|prosecutor"), {"prosecutor"}),
    (re.compile(r"(?i)commissaire|chef des stups|enquêteur|gendarme|officier|commandant|capitaine|police"),
     {"police"}),
    (re.compile(r"(?i)ministre|secrétaire|préfet|administrat|secretary|minister|official|président|president|"
                r"responsable|délégué|patron|porte-parole|spokes|maire|mayor|député|sénateur|gouverneur|governor"),
     {"official"}),
    (re.compile(r"(?i)directeur|directrice|expert|chercheu|spécialiste|analyste"), {"company/expert"}),
]
TITLE_RE = re.compile(r"^(?:(?:Acting|Deputy|Special|Chief|Senior|Assistant)\s+)*(?:Administrator|Secretary|"
                      r"Commissioner|Director|Minister|President|Senator|Governor|Mayor|Sheriff|Officer|Detective|"
                      r"Sergeant|Lieutenant|Captain|General|Agent|Attorney|Prosecutor|Judge|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|"
                      r"Ministre|Secrétaire|Commissaire|Procureure?|Préfète?|Président|Présidente|Directeur|"
                      r"Directrice|Général|Maître|Me|Docteur|M\.|Mme|Mlle|MM\.)\s+")
_DETERMINER = re.compile(r"(?i)^(?:le|la|les|l['’]|un|une|the)\s*")
_NOT_PERSON = frozenset("Le La Les Un Une Des Du De Ce Cette Ces Il Elle Ils Elles On Nous Vous Je Mais Et Ou Donc "
                        "Pour Par Sur Dans Avec Selon Comme Quand Si The A An In On At".split())
_PREP_BEFORE = re.compile(r"(?i)(?:\b(?:sur|à|au|aux|de|du|des|en|dans|par|pour|chez|vers|d['’]|l['’]))\s*$")


@dataclass
class Person:
    pos: int
    name: str
    role: str
    kind: str


def _clean(s: str) -> str:
    return " ".join(s.split()).strip(" ,.;:")


def _parse_who(who: str, rules, gaz_roles: dict[str, str]) -> tuple[str, str, str]:
    """(name, role, kind) of an attribution phrase: a name (with role before or after it), or a role only,
    or a pronoun (name "", role "<pronoun>", kind "pronoun")."""
    w = who.strip()
    if PRONOUN_RE.match(w):
        return "", "", "pronoun"
    m = NAME_RE.search(w[:120])
    if m and m.group().split()[0] not in _NOT_PERSON:
        name = _clean(m.group())
        tm = TITLE_RE.match(name)
        title = ""
        if tm and len(name[tm.end():].split()) >= 1:
            title, name = _clean(tm.group()), name[tm.end():].strip()
        before = _DETERMINER.sub("", _clean(w[:m.start()] + " " + title))
        after = w[m.end():]
        role = before
        am = re.match(r"\s*,\s*([^«»\"\n]{2,160}?)(?:,\s*(?:qui|stupéfait|stupéfaite)\b|\s*$|\.)", after)
        if am and not role:
            role = _DETERMINER.sub("", _clean(am.group(1)))
        elif not role:
            rm = re.match(r"\s*,?\s*((?:qui|haut|directeur|directrice|procureu?r)[^«»\"\n]{0,160})", after)
            role = _clean(rm.group(1)) if rm else ""
        if role and voice_kind("", role, rules) == "unknown":
            role = ""  # ", stupéfait": not a role
        return name, role, ""
    sm = SINGLE_NAME_RE.match(w)
    if sm and sm.group() not in _NOT_PERSON:
        name = sm.group()
        rest = w[sm.end():]
        rm = re.match(r"\s*,\s*([^«»\"\n]{2,160})", rest)
        role = _clean(rm.group(1)) if rm else ""
        if role and voice_kind("", role, rules) == "unknown":
            role = ""
        return name, role, ""
    if not _DETERMINER.match(w):
        dm = re.search(r"(?i)(?:^|\s)((?:le|la|les|l['’])\s*\w.*)$", w)
        if dm and dm.start() < 60:
            w = dm.group(1)
    phrase = re.split(r"\s*,\s*|\s+(?:dans|en|qui|lors|sur|à propos|alors|sans|pour|lorsque|quand|après|avant)\s+",
                      w, maxsplit=1)[0]
    phrase = _DETERMINER.sub("", _clean(phrase))
    return "", phrase, "role" if phrase else ""


def _compatible(role: str) -> set[str] | None:
    for rx, kinds in ROLE_COMPAT:
        if rx.search(role):
            return kinds
    return None


def _lines_between(text: str, a: int, b: int) -> int:
    """Paragraph breaks between two offsets (blank lines do not count)."""
    return sum(1 for line in text[a:b].split("\n")[1:] if line.strip()) if "\n" in text[a:b] else 0


def _resolve(people: list[Person], pos: int, compat: set[str] | None, text: str, max_lines: int | None):
    """Most recent named person before ``pos`` with a compatible voice, within ``max_lines`` lines. A later
    mention of a known person's name ("selon Thibaut Fontaine") counts as that person's latest appearance."""
    known = {p.name: p for p in people if p.pos < pos}
    seen = [Person(m.start(), _clean(m.group()), known[_clean(m.group())].role, known[_clean(m.group())].kind)
            for m in NAME_RE.finditer(text, 0, pos) if _clean(m.group()) in known]
    for p in reversed(sorted(people + seen, key=lambda p: p.pos)):
        if p.pos >= pos:
            continue
        if max_lines is not None and _lines_between(text, p.pos, pos) > max_lines:
            return None
        if compat is None or p.kind in compat:
            return p
    return None


def _last_named(text: str, pos: int) -> Person | None:
    """The last full name (two capitalized words or more, not after a preposition) written before ``pos``:
    the fallback for a role ("le président américain") when no named person of a compatible voice is known."""
    last = None
    for m in NAME_RE.finditer(text, 0, pos):
        if m.group().split()[0] in _NOT_PERSON or _PREP_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        last = m
    return Person(last.start(), _clean(last.group()), "", "unknown") if last else None


def _full_name(name: str, text: str) -> str:
    """A surname alone ("Castaner") becomes the full name the document gives ("Christophe Castaner")."""
    if len(name.split()) != 1:
        return name
    for m in NAME_RE.finditer(text):
        full = _clean(m.group())
        if full.split()[-1] == name and full.split()[0] not in _NOT_PERSON and not TITLE_RE.match(full + " "):
            return full
    return name


def _mentions(text: str, rules, gaz_roles) -> list[Person]:
    """Named people introduced with a role in narration ("Thibaut Fontaine commissaire divisionnaire, ...",
    "selon le commissaire Thibaut Fontaine")."""
    out = []
    for m in NAME_RE.finditer(text):
        name = _clean(m.group())
        if name.split()[0] in _NOT_PERSON:
            continue
        after = text[m.end():m.end() + 160].split("\n")[0]
        before = text[max(0, m.start() - 60):m.start()].split("\n")[-1]
        role = ""
        am = re.match(r"[ ,]*((?:le |la |l['’])?(?:commissaire|procureu?r|ministre|secrétaire|directeur|directrice|"
                      r"chef|préfet|administrat|porte-parole|représentant|président|délégué|responsable|maire|"
                      r"député|sénateur)[^.«»\"]{0,140})", after)
        bm = re.search(r"(?i)((?:commissaire|procureu?r|ministre(?: de l['’]Intérieur)?|secrétaire|administratrice|"
                       r"administrateur|préfet|président|directeur|directrice)[^.,«»\"]{0,40})\s*$", before)
        if am:
            role = re.split(r",?\s+(?:il|elle|qui|le confirme|la confirme|a|est|avait|et|invite)\s", _clean(am.group(1)))[0]
        elif bm:
            role = _clean(bm.group(1))
        elif name in gaz_roles:
            role = gaz_roles[name]
        if role:
            out.append(Person(m.start(), name, role, voice_kind(name, role, rules)))
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


def quotes_in(doc: ParsedDocument, qr: QuoteRules) -> list[dict]:
    """The quotations of one parsed document, as rows of ``QUOTE_COLUMNS``."""
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
    people = _mentions(text, rules, gaz_roles)
    found = [_attribute(text, sp, index, people, rules, gaz_roles) for sp in outer]
    # quotes of one sentence without their own attribution share that of a neighbour
    for q in found:
        if q is None or q["speaker"] or q["role"]:
            continue
        mates = [o for o in found if o is not None and o is not q and o["sentence_id"] == q["sentence_id"]
                 and (o["speaker"] or o["role"]) and o["direct"]]
        if mates:
            mate = min(mates, key=lambda o: abs(o["start"] - q["start"]))
            q.update(speaker=mate["speaker"], role=mate["role"], voice_kind=mate["voice_kind"],
                     attribution=q["attribution"] or "(same sentence)")
    rows = []
    for q in found:
        if q is None:
            continue
        if not q["speaker"] and not q["role"] and not q["scare"]:
            p = _resolve(people, q["start"], None, text, 3)
            if p:
                q.update(speaker=p.name, role=p.role, voice_kind=p.kind, attribution="(context)")
        if q["scare"] and not q["direct"]:
            continue
        rows.append({"doc_id": doc.doc_id, "group": doc.group, **{k: q[k] for k in QUOTE_COLUMNS[2:]}})
    return rows


def quotes_frame(rows: list[dict]) -> pd.DataFrame:
    """The quotes table from rows of :func:`quotes_in`, with its column types."""
    frame = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})


def find_quotes(docs: pd.DataFrame, group_col: str | None = "group", voices=None, gazetteer=None) -> pd.DataFrame:
    """One row per quotation: doc_id, group, speaker, role, voice_kind, quote, attribution, start, end (the
    quote with its marks), sentence_id. ``voices``: None (the kit's voices.yaml) or a path to another file;
    ``gazetteer``: None (the kit's), a path or a table, for the roles of known people."""
    qr = quote_rules(voices, gazetteer)
    return quotes_frame([row for doc in parse_documents(docs, group_col) for row in quotes_in(doc, qr)])


def _attribute(text, sp: Span, index: SentenceIndex, people: list[Person], rules, gaz_roles):
    content = text[sp.start:sp.end]
    quote = _clean(content)
    if not quote:
        return None
    sid = index.locate(sp.open)
    speaker = role = attribution = ""
    kind = ""
    direct = False
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
            if not role:
                rm = re.match(r"\s*,?\s*(qui[^.«»\"]{0,120})", content[inc.end():])
                role = _clean(rm.group(1)) if rm else ""
    after = text[sp.close:sp.close + 260]
    after = after.split("\n")[0]
    if not speaker:
        m = AFTER_SUBJECT_RE.match(after)
        if m:
            who, attribution = m.group("who"), _clean(m.group())
            name, r, k = _parse_who(who, rules, gaz_roles)
            speaker, role, kind, direct = name, r, k, True
        else:
            m = AFTER_RE.match(after)
            if m and (m.group("verb") or m.group("selon")):
                attribution = _clean(m.group())
                direct = True
                if m.group("pron"):
                    kind = "pronoun"
                else:
                    who = m.group("who") if m.group("verb") else m.group("who2")
                    speaker, role, kind = _parse_who(who or "", rules, gaz_roles)
                    if m.group("selon") and not speaker and role:
                        speaker, role, kind = role, "", ""
    if not speaker and not role and kind != "pronoun":
        # 2. before the quote, in the same sentence (after any earlier quote of that sentence)
        s_start = index.spans[sid][0] if index.spans else 0
        pre = text[s_start:sp.open]
        cut = max(pre.rfind("»"), pre.rfind("”"), pre.rfind('"'))
        pre = pre[cut + 1:] if cut >= 0 else pre
        sel = list(SELON_BEFORE_RE.finditer(pre))
        rel = RELATIVE_SELON_RE.search(pre)
        rel_names = [m for m in NAME_RE.finditer(pre, 0, rel.start()) if m.group().split()[0] not in _NOT_PERSON] \
            if rel else []
        if rel_names:  # "le message de Charlie Kirk, ..., selon lequel ... « ... »"
            speaker, attribution, direct = _clean(rel_names[-1].group()), _clean(pre[rel_names[-1].start():]), True
        elif sel:
            name, r, k = _parse_who(sel[-1].group(1), rules, gaz_roles)
            speaker, role, kind = (name, r, k) if name else (r, "", "")
            attribution, direct = _clean(sel[-1].group()), True
        elif pre.rstrip().endswith(":") or BEFORE_VERB_RE.search(pre):
            cands = [m for m in NAME_RE.finditer(pre) if m.group().split()[0] not in _NOT_PERSON
                     and not _PREP_BEFORE.search(pre[:m.start()])]
            single = [m for m in re.finditer(rf"(?<![\w.])({NAME_TOKEN})\s+(?:est|a|avait|accus\w*|{VERBS})(?!\w)", pre)
                      if m.group(1) not in _NOT_PERSON and m.start() > 0]
            rolem = list(re.finditer(r"(?i)\b(?:le|la|l['’])\s*(commissaire|ministre|procureu?r|préfet|"
                                     r"représentant syndical|chef des stups[\w ]*|secrétaire|agent de police)", pre))
            pron = re.search(r"(?i)(?:^|[.;]\s*|\s)(il|elle)\s+\w+", pre)
            if cands:
                name, r, k = _parse_who(pre[cands[-1].start():], rules, gaz_roles)
                speaker, role, kind = name, r, k
                attribution = _clean(pre)
            elif single:
                speaker = single[-1].group(1)
                attribution = _clean(pre)
            elif rolem:
                role, kind, attribution = _clean(rolem[-1].group(1)), "role", _clean(pre)
            elif pron:
                kind, attribution = "pronoun", _clean(pre)
            direct = bool(speaker or role or kind)
    if speaker and (NAME_RE.fullmatch(speaker) or SINGLE_NAME_RE.fullmatch(speaker)):
        speaker = _full_name(speaker, text)
    if speaker and not role:
        known = [p for p in people if p.name == speaker and p.role and p.pos < sp.open]
        if known:
            role = known[-1].role
        elif speaker in gaz_roles:
            role = gaz_roles[speaker]
    # 3. pronouns and roles resolve to the most recent compatible named person
    if kind == "pronoun":
        p = _resolve(people, sp.open, None, text, 3)
        if p:
            speaker, role = p.name, p.role
    elif kind == "role" and not speaker:
        compat = _compatible(role)
        p = _resolve(people, sp.open, compat, text, None) if compat else None
        if p is None and compat:
            p = _last_named(text, sp.open)
        if p:
            speaker, role = p.name, p.role or role
        elif compat is None:
            speaker, role = role, ""  # an institution speaks ("la division antidrogue américaine")
    vk = voice_kind(speaker, role, rules) if (speaker or role) else "unknown"
    if speaker and (NAME_RE.fullmatch(speaker) or SINGLE_NAME_RE.fullmatch(speaker)):
        people.append(Person(sp.open, speaker, role, vk))  # a named speaker can be referred to later
        people.sort(key=lambda p: p.pos)
    words = len(quote.split())
    scare = words <= 3
    return {"speaker": speaker, "role": role, "voice_kind": vk, "quote": quote, "attribution": attribution,
            "start": sp.open, "end": sp.close, "sentence_id": sid, "direct": direct and bool(speaker or role),
            "scare": scare}
