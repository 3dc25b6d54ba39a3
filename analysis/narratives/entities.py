"""Actors and entities: gazetteer mentions (platforms, drugs, agencies...) and named operations.

The gazetteer is a YAML data file (``analysis/data/gazetteer.yaml``, format in ``analysis/data/README.md``) that
users edit without touching code. Aliases match as whole words, with any white space between words and either
apostrophe; an entry may be case-sensitive and may require a context word in the same sentence, which is how
aliases that are also common words ("Signal", "Wire", "X") are kept apart from those words.

Named operations are found by pattern ("opération Artemis", "Operation Last Mile", « Place nette XXL »,
"opérations Blue Lotus et Four Horsemen" = two operations), then every other mention of a found name in the
same document is an operation too. A name never introduced as an operation in a document ("Artemis" the
goddess) is not one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.corpus.datafiles import load_yaml_list
from analysis.errors import AnalysisError, ParameterError
from analysis.text.documents import SentenceIndex
from analysis.text.parse import ParsedDocument, parse_documents
from analysis.text.phrases import APOS, phrase_body, phrase_pattern

DATA = Path(__file__).resolve().parent / "data"
GAZETTEER = DATA / "gazetteer.yaml"
ENTITY_COLUMNS = ["doc_id", "group", "category", "canonical", "surface", "start", "end", "sentence_id", "sentence"]


def _norm(surface: str, case_sensitive: bool) -> str:
    s = " ".join(surface.split())
    for a in APOS[1:]:
        s = s.replace(a, "'")
    return s if case_sensitive else s.lower()


# --- gazetteer ------------------------------------------------------------------------------------------------

def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """One row per alias: ``canonical``, ``category``, ``alias``, ``case_sensitive``, ``context`` (tuple of
    word beginnings, empty when none), ``role`` (optional, for people: used by quotes.py), ``entry`` (1-based position in the file). Raises AnalysisError naming
    the file and entry at fault."""
    path = Path(path) if path else GAZETTEER
    data = load_yaml_list(path, "gazetteer", "analysis/data/gazetteer.yaml",
                          "entries (canonical, category, aliases)")
    rows = []
    for i, entry in enumerate(data, start=1):
        where = f"{path}, entry {i}"
        if not isinstance(entry, dict):
            raise AnalysisError(f"{where}: each entry must be a mapping with canonical, category, aliases")
        canonical, category = entry.get("canonical"), entry.get("category")
        aliases = entry.get("aliases", [canonical] if canonical else None)
        if not isinstance(canonical, str) or not canonical.strip():
            raise AnalysisError(f"{where}: 'canonical' must be a non-empty text")
        if not isinstance(category, str) or not category.strip():
            raise AnalysisError(f"{where} ({canonical}): 'category' must be a non-empty text")
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
        unknown = set(entry) - {"canonical", "category", "aliases", "case_sensitive", "context", "role"}
        if unknown:
            raise AnalysisError(f"{where} ({canonical}): unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        cs = bool(entry.get("case_sensitive", False))
        for alias in aliases:
            rows.append({"canonical": canonical.strip(), "category": category.strip(), "alias": str(alias).strip(),
                         "case_sensitive": cs, "context": tuple(str(c) for c in context),
                         "role": str(entry.get("role") or ""), "entry": i})
    return pd.DataFrame(rows, columns=["canonical", "category", "alias", "case_sensitive", "context", "role", "entry"])


class _Matcher:
    """Two alternation regexes (case-sensitive, case-insensitive) over every alias, longest first."""

    def __init__(self, gaz: pd.DataFrame):
        self.lookup: dict[tuple[bool, str], list[tuple[str, str, tuple]]] = {}
        self.regexes = []
        for cs in (True, False):
            sub = gaz[gaz["case_sensitive"] == cs]
            if sub.empty:
                continue
            for rec in sub.itertuples(index=False):
                key = (cs, _norm(rec.alias, cs))
                item = (rec.category, rec.canonical, rec.context)
                if item not in self.lookup.setdefault(key, []):
                    self.lookup[key].append(item)
            aliases = sorted(set(sub["alias"]), key=lambda a: (-len(a), a))
            body = r"(?<!\w)(?:" + "|".join(phrase_body(a) for a in aliases) + r")(?!\w)"
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
                for category, canonical, context in self.lookup.get((cs, _norm(m.group(), cs)), []):
                    if self.context_ok(context, index.sentence(sid)):
                        out.append((m.start(), m.end(), category, canonical))
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
_CAP_NAME = rf"{_NAME_WORD}(?:[ \u00a0]{_NAME_WORD}){{0,3}}"
_TRIGGER = r"(?<![\w])(?:[Oo]p[ée]rations?|OP[ÉE]RATIONS?|[Oo]perations?|OPERATIONS?)"
OPERATION_RE = re.compile(
    _TRIGGER + r"[ \u00a0\u202f]+(?:"
    r"[«“\"][ \u00a0\u202f]*(?P<quoted>[^«»“”\"\n]{1,60}?)[ \u00a0\u202f]*[»”\"]"
    rf"|(?P<names>{_CAP_NAME}(?:\s*(?:,|\bet\b|\band\b)\s*{_CAP_NAME})*)"
    r")"
)
_SPLIT_NAMES = re.compile(r"\s*(?:,|\bet\b|\band\b)\s*")
_NOT_NAMES = frozenset({"Le", "La", "Les", "Un", "Une", "De", "Du", "Des", "The", "A", "An", "En", "Au", "Aux", "Il",
                        "Elle", "Ils", "Elles", "Ce", "Cette", "Ces", "Dans", "Pour", "Par", "Sur", "Avec", "In", "On",
                        "Of", "To", "Et", "And"})


def operation_canonical(name: str) -> str:
    """Display form of an operation name: single spaces, first letter upper-case."""
    name = " ".join(name.split()).strip(" .,;:")
    return name[:1].upper() + name[1:]


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
        names = m.group("names")
        base = m.start("names")
        pos = 0
        for part in _SPLIT_NAMES.split(names):
            idx = names.find(part, pos)
            pos = idx + len(part)
            first = part.split()[0] if part.split() else ""
            if not part or first in _NOT_NAMES:
                continue
            out.append((base + idx, base + idx + len(part), operation_canonical(part)))
    return out


def _propagate(text: str, names: set[str]) -> list[tuple[int, int, str]]:
    out = []
    for name in sorted(names):
        flags = re.IGNORECASE if " " in name else 0
        pattern = phrase_pattern(name)
        if flags == 0 and name[:1].isupper():
            pattern = phrase_pattern(name)
        for m in re.finditer(pattern, text, flags):
            out.append((m.start(), m.end(), name))
    return out


def _resolve(cands: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping matches, longest first (then earliest, then operation before gazetteer)."""
    order = sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0], c[2] != "operation", c[3]))
    taken: list[tuple[int, int]] = []
    kept = []
    for c in order:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        kept.append(c)
    return sorted(kept, key=lambda c: (c[0], c[1]))


def entities_in(doc: ParsedDocument, matcher: "_Matcher") -> list[dict]:
    """The mentions of one parsed document (gazetteer and named operations), as rows of ``ENTITY_COLUMNS``."""
    text, index = doc.text, doc.index
    cands = matcher.find(text, index)
    ops = find_operations(text)
    names = {name for _, _, name in ops}
    cands += [(s, e, "operation", n) for s, e, n in ops]
    cands += [(s, e, "operation", n) for s, e, n in _propagate(text, names)]
    rows = []
    for s, e, category, canonical in _resolve(cands):
        sid = index.locate(s)
        rows.append({"doc_id": doc.doc_id, "group": doc.group, "category": category, "canonical": canonical,
                     "surface": text[s:e], "start": s, "end": e, "sentence_id": sid,
                     "sentence": index.sentence(sid)})
    return rows


def entities_frame(rows: list[dict]) -> pd.DataFrame:
    """The entities table from rows of :func:`entities_in`, with its column types."""
    frame = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})


def matcher_for(gazetteer=None) -> "_Matcher":
    """The compiled gazetteer matcher (None: the kit's file; a path; or a table as :func:`load_gazetteer` gives)."""
    return _matcher(gazetteer)


def find_entities(docs: pd.DataFrame, gazetteer=None, group_col: str | None = "group") -> pd.DataFrame:
    """One row per mention: doc_id, group, category, canonical, surface, start, end, sentence_id, sentence.

    ``gazetteer``: None (the kit's file), a path to a YAML file, or a table as :func:`load_gazetteer` gives."""
    matcher = _matcher(gazetteer)
    return entities_frame([row for doc in parse_documents(docs, group_col) for row in entities_in(doc, matcher)])
