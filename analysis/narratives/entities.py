"""Actors and entities: gazetteer mentions (platforms, drugs, agencies...) and named operations.

The gazetteer is a YAML data file (``analysis/narratives/data/gazetteer.yaml``, format in
``analysis/narratives/data/README.md``) that users edit without touching code. Each entry has a stable,
language-neutral ``id`` (``agency.dea``) and ``labels`` per language; the tables carry the id and a label in the
report's language (:func:`label_for`), so an English corpus never shows "forces de l'ordre". Agencies whose name
carries a place are found by pattern (:mod:`analysis.narratives.agencies`), with an id made from their
normalized name. Generic mentions ("law enforcement", "prosecutors", "les autorités") are the category
``generic_agency``, never one institution. Aliases match as whole words, with any white space between words and either
apostrophe; an entry may be case-sensitive and may require a context word in the same sentence, which is how
aliases that are also common words ("Signal", "Wire", "X") are kept apart from those words.

Named operations are found by pattern ("opération Artemis", "Operation Last Mile", « Place nette XXL »,
"opérations Blue Lotus et Four Horsemen" = two operations, "Operation Grease\nMonkey" across a line break), then
every other mention of a found name in the same document is an operation too. A name never introduced as an
operation in a document ("Artemis" the goddess) is not one, and the capitalized words after "Operation" in a
Title Case or upper-case headline ("Illegal Operation Of Gambling Devices In California") are not names.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.corpus.datafiles import load_yaml_list
from analysis.errors import AnalysisError, ParameterError
from analysis.narratives.agencies import agency_id, find_agencies
from analysis.text.documents import SentenceIndex
from analysis.text.parse import ParsedDocument, parse_documents
from analysis.text.phrases import APOS, phrase_body, phrase_pattern

DATA = Path(__file__).resolve().parent / "data"
GAZETTEER = DATA / "gazetteer.yaml"
ENTITY_COLUMNS = ["doc_id", "group", "category", "entity_id", "canonical", "label", "surface", "start", "end",
                  "sentence_id", "sentence"]
LANGUAGES = ("en", "fr")
LABELS = ("auto",) + LANGUAGES
_KEYS = {"id", "labels", "canonical", "category", "aliases", "case_sensitive", "context", "role"}


def _norm(surface: str, case_sensitive: bool) -> str:
    s = " ".join(surface.split())
    for a in APOS[1:]:
        s = s.replace(a, "'")
    return s if case_sensitive else s.lower()


# --- gazetteer ------------------------------------------------------------------------------------------------

def slug_id(category: str, name: str) -> str:
    """Deterministic id ``<category>.<slug of name>`` (accents and punctuation dropped, lower case)."""
    return agency_id(name).replace("agency.", f"{category}.", 1)


def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """One row per alias: ``id``, ``canonical``, ``label_en``, ``label_fr``, ``category``, ``alias``,
    ``case_sensitive``, ``context`` (tuple of word beginnings, empty when none), ``role`` (optional, for people:
    used by quotes.py), ``entry`` (1-based position in the file). ``id`` defaults to ``<category>.<slug of
    canonical>``, ``canonical`` to ``labels.fr`` (else ``labels.en``), each label to ``canonical``. Raises
    AnalysisError naming the file and entry at fault."""
    path = Path(path) if path else GAZETTEER
    data = load_yaml_list(path, "gazetteer", "analysis/narratives/data/gazetteer.yaml",
                          "entries (id, labels or canonical, category, aliases)")
    rows = []
    seen: dict[str, tuple[str, str, str, str]] = {}
    for i, entry in enumerate(data, start=1):
        where = f"{path}, entry {i}"
        if not isinstance(entry, dict):
            raise AnalysisError(f"{where}: each entry must be a mapping with id, labels, category, aliases")
        labels = entry.get("labels") or {}
        if not isinstance(labels, dict) or not all(k in LANGUAGES and isinstance(v, str) and v.strip()
                                                   for k, v in labels.items()):
            raise AnalysisError(f"{where}: 'labels' must map languages ({', '.join(LANGUAGES)}) to non-empty texts")
        canonical = entry.get("canonical", labels.get("fr") or labels.get("en"))
        category = entry.get("category")
        aliases = entry.get("aliases", [canonical] if canonical else None)
        if not isinstance(canonical, str) or not canonical.strip():
            raise AnalysisError(f"{where}: 'canonical' (or 'labels') must be a non-empty text")
        canonical = canonical.strip()
        if not isinstance(category, str) or not category.strip():
            raise AnalysisError(f"{where} ({canonical}): 'category' must be a non-empty text")
        category = category.strip()
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, (str, int)) and str(a).strip()
                                                                  for a in aliases):
            raise AnalysisError(f"{where} ({canonical}): 'aliases' must be a non-empty list of texts")
        context = entry.get("context") or []
        if isinstance(context, str):
            context = [context]
        if not isinstance(context, list):
            raise AnalysisError(f"{where} ({canonical}): 'context' must be a list of words")
        unknown = set(entry) - _KEYS
        if unknown:
            raise AnalysisError(f"{where} ({canonical}): unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        ident = entry.get("id", slug_id(category, canonical))
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", ident):
            raise AnalysisError(f"{where} ({canonical}): 'id' must look like category.name (letters, digits, _)")
        names = (canonical, category, labels.get("en", canonical).strip(), labels.get("fr", canonical).strip())
        if seen.setdefault(ident, names) != names:
            raise AnalysisError(f"{where} ({canonical}): id {ident!r} is used by another entry with another "
                                "canonical name, category or labels")
        cs = bool(entry.get("case_sensitive", False))
        for alias in aliases:
            rows.append({"id": ident, "canonical": canonical, "label_en": names[2], "label_fr": names[3],
                         "category": category, "alias": str(alias).strip(), "case_sensitive": cs,
                         "context": tuple(str(c) for c in context), "role": str(entry.get("role") or ""),
                         "entry": i})
    return pd.DataFrame(rows, columns=["id", "canonical", "label_en", "label_fr", "category", "alias",
                                       "case_sensitive", "context", "role", "entry"])


@lru_cache(maxsize=8)
def _labels_table(path: str, mtime: float) -> dict[str, dict[str, str]]:
    gaz = load_gazetteer(path).drop_duplicates("id")
    return {i: {"en": en, "fr": fr} for i, en, fr in zip(gaz["id"], gaz["label_en"], gaz["label_fr"])}


def label_for(entity_id: str, language: str, default: str | None = None, gazetteer: str | Path | None = None) -> str:
    """The label of ``entity_id`` in ``language`` (``en`` or ``fr``) from the gazetteer (the kit's file unless
    ``gazetteer`` names another). Ids found by pattern (agencies with a place, operations) are not listed: their
    label is their name, given as ``default``; with no default, the id itself."""
    if language not in LANGUAGES:
        raise ParameterError("labels", f"unknown language {language!r}", ", ".join(LANGUAGES))
    p = Path(gazetteer) if gazetteer else GAZETTEER
    labels = _labels_table(str(p), p.stat().st_mtime).get(entity_id)
    if labels:
        return labels[language]
    return entity_id if default is None else default


def resolve_labels(labels: str, languages=()) -> str:
    """The label language for parameter ``labels`` (``auto`` | ``en`` | ``fr``): ``auto`` is the majority of
    ``languages`` (the documents' language codes; "fr-CA" counts as fr), English when none is en or fr."""
    if labels not in LABELS:
        raise ParameterError("labels", f"unknown value {labels!r}", " | ".join(LABELS))
    if labels != "auto":
        return labels
    counts = {lang: 0 for lang in LANGUAGES}
    for code in languages:
        base = str(code or "").lower()[:2]
        if base in counts:
            counts[base] += 1
    return "fr" if counts["fr"] > counts["en"] else "en"


_PERSON_AFTER = re.compile(r"(?i)\s+(?:officers?|chiefs?|commissioners?|superintendents?|detectives?|sergeants?|"
                           r"captains?|lieutenants?|academy)\b")


def _alone_on_line(text: str, start: int, end: int) -> bool:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return not text[ls:start].strip() and not text[end:len(text) if le < 0 else le].strip()


def _trie_regex(aliases: list[str]) -> str:
    """One regex for many aliases, as a character trie (a long alternation is tried alias by alias at every
    position of a text; the trie is tried once). Longer aliases win: each branch is tried before stopping.
    White space between words matches any run of white space, an apostrophe either apostrophe."""
    trie: dict = {}
    for alias in aliases:
        node = trie
        for ch in alias:
            node = node.setdefault(ch, {})
        node[""] = {}

    def piece(ch: str) -> str:
        if ch == " ":
            return r"\s+"
        if ch in APOS:
            return f"[{APOS}]"
        return re.escape(ch)

    def build(node: dict) -> str:
        branches = [piece(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie) or "(?!)"


class _Matcher:
    """Two alternation regexes (case-sensitive, case-insensitive) over every alias, longest first."""

    def __init__(self, gaz: pd.DataFrame):
        self.lookup: dict[tuple[bool, str], list[tuple[str, str, tuple]]] = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.regexes = []
        for cs in (True, False):
            sub = gaz[gaz["case_sensitive"] == cs]
            if sub.empty:
                continue
            for rec in sub.itertuples(index=False):
                key = (cs, _norm(rec.alias, cs))
                item = (rec.category, rec.id, rec.context)
                self.labels.setdefault(rec.id, {"canonical": rec.canonical, "en": rec.label_en,
                                                "fr": rec.label_fr})
                if item not in self.lookup.setdefault(key, []):
                    self.lookup[key].append(item)
            aliases = {_norm(a, cs) for a in sub["alias"]}
            body = r"(?<!\w)" + _trie_regex(sorted(aliases)) + r"(?!\w)"
            self.regexes.append((cs, re.compile(body, 0 if cs else re.IGNORECASE)))
        self.context_res: dict[tuple, re.Pattern] = {}

    def context_ok(self, context: tuple, sentence: str) -> bool:
        if not context:
            return True
        rx = self.context_res.get(context)
        if rx is None:
            rx = re.compile(r"(?<!\w)(?:" + "|".join(phrase_body(c) for c in context) + ")",
                            re.IGNORECASE)
            self.context_res[context] = rx
        return rx.search(sentence) is not None

    def find(self, text: str, index: SentenceIndex) -> list[tuple[int, int, str, str]]:
        out = []
        for cs, rx in self.regexes:
            for m in rx.finditer(text):
                sid = index.locate(m.start())
                for category, ident, context in self.lookup.get((cs, _norm(m.group(), cs)), []):
                    if category == "platform" and _alone_on_line(text, m.start(), m.end()):
                        break  # a footer's "facebook" / "youtube" icon link: page furniture
                    if category == "generic_agency" and _PERSON_AFTER.match(text, m.end()):
                        break  # "a police officer": a person, not the institution
                    if self.context_ok(context, index.sentence(sid)):
                        out.append((m.start(), m.end(), category, ident))
                        break
        return out


@lru_cache(maxsize=8)
def _cached_matcher(path: str, mtime: float) -> _Matcher:
    return _Matcher(load_gazetteer(path))


def _matcher(gazetteer) -> _Matcher:
    if gazetteer is None or isinstance(gazetteer, (str, Path)):
        p = Path(gazetteer) if gazetteer else GAZETTEER
        if not p.is_file():
            raise ParameterError("gazetteer", f"no such file: {p}", "a YAML file like analysis/data/gazetteer.yaml")
        return _cached_matcher(str(p), p.stat().st_mtime)
    if isinstance(gazetteer, pd.DataFrame):
        need = {"canonical", "category", "alias"}
        if not need <= set(gazetteer.columns):
            raise ParameterError("gazetteer", f"a gazetteer table needs columns {', '.join(sorted(need))}")
        gaz = gazetteer.copy()
        if "id" not in gaz:
            gaz["id"] = [slug_id(c, n) for c, n in zip(gaz["category"], gaz["canonical"])]
        for lang in LANGUAGES:
            if f"label_{lang}" not in gaz:
                gaz[f"label_{lang}"] = gaz["canonical"]
        if "case_sensitive" not in gaz:
            gaz["case_sensitive"] = False
        if "context" not in gaz:
            gaz["context"] = [()] * len(gaz)
        gaz["context"] = [tuple(c) if isinstance(c, (list, tuple)) else () for c in gaz["context"]]
        return _Matcher(gaz)
    raise ParameterError("gazetteer", f"expected a path or a DataFrame, got {type(gazetteer).__name__}")


# --- named operations -------------------------------------------------------------------------------------

_OPEN, _CLOSE = "«“\"", "»”\""
_NAME_WORD = r"(?:[A-ZÀ-Ö][\w'’-]*|[A-Z]{2,}|\d+(?:\.\d+)+|II|III|IV|XXL)"
_NAME_SEP = r"(?:[ \u00a0]|\n(?!\s*\n))"
_CAP_NAME = rf"{_NAME_WORD}(?:{_NAME_SEP}{_NAME_WORD}){{0,3}}"
# lower-case English "operation" is a common noun ("a drug trafficking operation"): only a quoted name follows it
_TRIGGER = r"(?<![\w])(?:(?P<lower>operations?)|[Oo]p[ée]rations?|OP[ÉE]RATIONS?|Operations?|OPERATIONS?)"
OPERATION_RE = re.compile(
    _TRIGGER + r"[ \u00a0\u202f]+(?:"
    r"[«“\"][ \u00a0\u202f]*(?P<quoted>[^«»“”\"\n]{1,60}?)[ \u00a0\u202f]*[»”\"]"
    rf"|(?P<names>{_CAP_NAME}(?:[ \u00a0]*(?:,|\bet\b|\band\b)[ \u00a0]*{_CAP_NAME})*)"
    r")"
)
_SPLIT_NAMES = re.compile(r"[ \u00a0]*(?:,|\bet\b|\band\b)[ \u00a0]*")
_NOT_NAMES = frozenset({"Le", "La", "Les", "Un", "Une", "De", "Du", "Des", "The", "A", "An", "En", "Au", "Aux", "Il",
                        "Elle", "Ils", "Elles", "Ce", "Cette", "Ces", "Dans", "Pour", "Par", "Sur", "Avec", "In", "On",
                        "Of", "To", "Et", "And"})
# a name stops at a function word ("Operation Safe Streets In Texas" -> "Safe Streets")
_NAME_STOP = frozenset(w.lower() for w in _NOT_NAMES) | {"at", "by", "for", "from", "with", "as", "into", "after",
                                                         "before", "was", "is", "led", "nets", "results"}
_HEAD_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def operation_canonical(name: str) -> str:
    """Display form of an operation name: single spaces, no surrounding punctuation or quote marks, first
    letter upper-case."""
    name = " ".join(name.split()).strip(" .,;:'’‘\"“”«»")
    return name[:1].upper() + name[1:]


def _in_headline(text: str, start: int, end: int) -> bool:
    """True when the line around [start, end) is a Title Case or upper-case headline: most of its other words
    of four letters or more are capitalized, so the capitals after "Operation" say nothing about a name."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    others = _HEAD_WORD.findall(text[ls:start]) + _HEAD_WORD.findall(text[end:le])
    others = [w for w in others if w.lower() not in ("operation", "operations", "opération", "opérations")]
    if len(others) < 2:
        return False
    return sum(w[0].isupper() for w in others) >= 0.7 * len(others)


def _trim_name(text: str, start: int, part: str) -> str:
    """The name in ``part``: up to its first function word, and not past a line break that starts a new line."""
    words = re.split(r"([ \u00a0\n]+)", part)
    kept = []
    for i in range(0, len(words), 2):
        if words[i].lower() in _NAME_STOP:
            break
        kept.append(words[i])
        if i + 1 < len(words):
            kept.append(words[i + 1])
    name = "".join(kept).rstrip()
    if "\n" in name:
        after = text[start + len(name):start + len(name) + 3]
        if not re.match(r"[ \u00a0]*(?:[a-zà-ÿ]|[,.;:)])", after):
            name = name[:name.index("\n")].rstrip()
    return name


def find_operations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each operation named by pattern in ``text`` (not yet propagated)."""
    out = []
    for m in OPERATION_RE.finditer(text):
        if m.group("quoted"):
            name = m.group("quoted").strip()
            if len(name.split()) <= 6 and not re.search(r"[.!?]", name.rstrip(".")):
                start = m.start("quoted")
                out.append((start, start + len(name), operation_canonical(name)))
            continue
        if m.group("lower") or _in_headline(text, m.start(), m.end()):
            continue
        names = m.group("names")
        base = m.start("names")
        pos = 0
        for part in _SPLIT_NAMES.split(names):
            idx = names.find(part, pos)
            pos = idx + len(part)
            first = part.split()[0] if part.split() else ""
            if not part or first in _NOT_NAMES:
                continue
            name = _trim_name(text, base + idx, part)
            if name:
                out.append((base + idx, base + idx + len(name), operation_canonical(name)))
    return out


def _propagate(text: str, names: set[str]) -> list[tuple[int, int, str]]:
    out = []
    for name in sorted(names):
        flags = re.IGNORECASE if " " in name else 0
        for m in re.finditer(phrase_pattern(name), text, flags):
            out.append((m.start(), m.end(), name))
    return out


# candidate = (start, end, category, entity_id, name); name is empty for gazetteer entries (labels from the file)
_PRIORITY = {"operation": 0, "gazetteer": 1, "pattern": 2}


def _resolve(cands: list[tuple]) -> list[tuple]:
    """Non-overlapping matches, longest first (then earliest, then operation, gazetteer, pattern)."""
    order = sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0], _PRIORITY[c[5]], c[3]))
    taken: list[tuple[int, int]] = []
    kept = []
    for c in order:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        kept.append(c)
    return sorted(kept, key=lambda c: (c[0], c[1]))


# a page's call to follow it on social media (page furniture, not a platform the article speaks of)
_PROMOTION = re.compile(r"(?i)\b(?:suivez(?:-nous|-les)?|abonnez-vous|rejoignez-nous|follow\s+us|like\s+us)\b")
_GENDARMERIE_AFTER = re.compile(r"(?i)[ \u00a0]+et[ \u00a0]+(?:de[ \u00a0]+)?(?:la[ \u00a0]+)?gendarmerie\b")
_GENDARMERIE_BEFORE = re.compile(r"(?i)\bgendarmerie[ \u00a0]+et[ \u00a0]+(?:de[ \u00a0]+)?(?:la[ \u00a0]+)?$")


def _with_gendarmerie(text: str, start: int, end: int) -> bool:
    """"la police et la gendarmerie": the bare word is the national force beside the other one (a French
    national statistic, a national deployment), not the police in general."""
    return text[start:end].lower() == "police" and bool(
        _GENDARMERIE_AFTER.match(text, end) or _GENDARMERIE_BEFORE.search(text[max(0, start - 40):start]))


def _agency_candidates(text: str) -> list[tuple]:
    return [(s, e, "agency", agency_id(name), name, "pattern") for s, e, name in find_agencies(text)]


def document_language(doc: ParsedDocument, labels: str = "auto") -> str:
    """The label language of one document: ``labels`` if en or fr, else the document's own language (en when
    it is neither)."""
    if labels != "auto":
        return resolve_labels(labels)
    lang = (doc.language or "").lower()[:2]
    return lang if lang in LANGUAGES else "en"


def entities_in(doc: ParsedDocument, matcher: "_Matcher", labels: str = "auto") -> list[dict]:
    """The mentions of one parsed document (gazetteer, agencies by pattern, named operations), as rows of
    ``ENTITY_COLUMNS``. ``labels`` (``auto`` | ``en`` | ``fr``) is the language of the ``label`` column; the
    pipeline passes the corpus's language (:func:`resolve_labels`), ``auto`` here is the document's own."""
    lang = document_language(doc, labels)
    text, index = doc.text, doc.index
    cands = [(s, e, c, i, "", "gazetteer") for s, e, c, i in matcher.find(text, index)]
    cands += _agency_candidates(text)
    ops = find_operations(text)
    names = {name for _, _, name in ops}
    cands += [(s, e, "operation", slug_id("operation", n), n, "operation") for s, e, n in ops]
    cands += [(s, e, "operation", slug_id("operation", n), n, "operation") for s, e, n in _propagate(text, names)]
    rows = []
    for s, e, category, ident, name, _ in _resolve(cands):
        if ident == "generic.police" and _with_gendarmerie(text, s, e):
            category, ident = "agency", "agency.police_nationale"
        sid = index.locate(s)
        if category == "platform" and _PROMOTION.search(index.sentence(sid)):
            continue  # "suivez billie jean sur Instagram et Facebook": the site's own call to follow it
        known = matcher.labels.get(ident)
        canonical = known["canonical"] if known else name
        rows.append({"doc_id": doc.doc_id, "group": doc.group, "category": category, "entity_id": ident,
                     "canonical": canonical, "label": known[lang] if known else name, "surface": text[s:e],
                     "start": s, "end": e, "sentence_id": sid, "sentence": index.sentence(sid)})
    return rows


def entities_frame(rows: list[dict]) -> pd.DataFrame:
    """The entities table from rows of :func:`entities_in`, with its column types."""
    frame = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})


def matcher_for(gazetteer=None) -> "_Matcher":
    """The compiled gazetteer matcher (None: the kit's file; a path; or a table as :func:`load_gazetteer` gives)."""
    return _matcher(gazetteer)


def find_entities(docs: pd.DataFrame, gazetteer=None, group_col: str | None = "group",
                  labels: str = "auto") -> pd.DataFrame:
    """One row per mention: doc_id, group, category, entity_id, canonical, label, surface, start, end,
    sentence_id, sentence.

    ``gazetteer``: None (the kit's file), a path to a YAML file, or a table as :func:`load_gazetteer` gives.
    ``labels``: ``auto`` (the majority language of ``docs["language"]``, English without that column) | ``en``
    | ``fr``: the language of the ``label`` column."""
    matcher = _matcher(gazetteer)
    langs = docs["language"].tolist() if "language" in docs.columns else ()
    lang = resolve_labels(labels, langs)
    return entities_frame([row for doc in parse_documents(docs, group_col) for row in entities_in(doc, matcher, lang)])


def relabel(entities: pd.DataFrame, language: str, gazetteer=None) -> pd.DataFrame:
    """The entities table with its ``label`` column in ``language`` (en | fr): for merged tables whose
    documents were labelled one by one. Ids not in the gazetteer keep their label (their found name)."""
    language = resolve_labels(language)
    known = _matcher(gazetteer).labels
    out = entities.copy()
    out["label"] = [known[i][language] if i in known else lab for i, lab in zip(out["entity_id"], out["label"])]
    return out
