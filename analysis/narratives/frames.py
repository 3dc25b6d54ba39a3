"""Frames: how the story is told, measured as the share of a document's sentences that evoke each frame.

The frame lexicon is a YAML data file (``analysis/narratives/data/frames.yaml``, format in
``analysis/narratives/data/README.md``): an id, a label, a definition, and what evokes the frame: ``concepts``
(ids of the concept lexicon, :mod:`analysis.narratives.concepts`, matched on lemmas in English and French, so
one definition serves both languages) and/or ``terms`` (whole words, ``*`` for any ending) and ``patterns``
(regular expressions), as written by the user. A sentence evokes a frame when one of the frame's concepts is
found in it or one of its terms or patterns occurs in it; sentences are those of ``analysis.sentences`` so that
ids agree with every other table. Two optional keys narrow a frame where its words are ambiguous: ``requires``
(concept ids: the frame counts only in sentences that also hold one of them, so "death" is health only next to a
drug) and ``exclude`` (phrases written like terms: a match inside one does not count, so "U.S. Attorney" names an
office, not a legal step).

Groups are compared over documents, not sentences: a document is the unit that was sampled, and a group
may hold two documents. ``compare_frames`` gives the difference of mean document shares, a bootstrap
interval (documents resampled within each group) and a permutation p-value over documents (exact when the
number of splits is small). ``supported`` is True only when the interval excludes 0 AND the permutation
p-value is below ``alpha``. With 2 documents against 3 there are only 10 ways to split them, so the smallest
attainable p-value is 0.1 and no difference can be supported: that is the honest answer for the seeds.
"""
from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.narratives.concepts import CONCEPTS, Lexicon, concept_lexicon, concepts_in
from analysis.narratives.entities import DATA
from analysis.text.parse import ParsedDocument, parse_documents
from analysis.text.phrases import phrase_body
from analysis.corpus.datafiles import load_yaml_list
from analysis.errors import AnalysisError, ComparisonError, ParameterError

FRAMES = DATA / "frames.yaml"
SENTENCE_COLUMNS = ["doc_id", "group", "sentence_id", "frame", "term", "sentence"]
SHARE_COLUMNS = ["doc_id", "group", "frame", "n_sentences", "n_frame_sentences", "share"]
COMPARE_COLUMNS = ["frame", "share_a", "share_b", "diff", "ci_low", "ci_high", "p_perm", "p_min", "n_docs_a",
                   "n_docs_b", "supported"]
MATCH_COLUMNS = ["frame", "sentence_id", "start", "end", "term"]
EXACT_LIMIT = 20000  # exact permutation test up to this many splits, Monte Carlo beyond


def _frame_regex(terms: list[str], patterns: list[str]) -> re.Pattern | None:
    """One regex per frame: whole-word terms, prefix terms (trailing *), then the raw patterns (None if none)."""
    plain = sorted({phrase_body(t.strip()) for t in terms if not t.strip().endswith("*")}, key=lambda b: (-len(b), b))
    star = sorted({phrase_body(t.strip().rstrip("*")) for t in terms if t.strip().endswith("*")},
                  key=lambda b: (-len(b), b))
    parts = []
    if plain:
        parts.append(r"(?<!\w)(?:" + "|".join(plain) + r")(?!\w)")
    if star:
        parts.append(r"(?<!\w)(?:" + "|".join(star) + r")\w*")
    parts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def load_frames(path: str | Path | None = None, concepts=None) -> pd.DataFrame:
    """One row per frame: ``frame`` (id), ``label``, ``definition``, ``concepts``, ``terms``, ``patterns``
    (tuples), ``regex`` (compiled terms and patterns, or None), ``requires`` (concept ids, a tuple) and
    ``exclude_regex`` (the compiled ``exclude`` phrases, or None). ``concepts``: the concept lexicon the frames'
    concept ids refer to (None: the kit's; a path; a Lexicon), kept in ``attrs["concepts"]`` when a frame uses
    one. Raises AnalysisError naming the file and frame at fault (an unknown concept id included)."""
    path = Path(path) if path else FRAMES
    data = load_yaml_list(path, "lexicon", "analysis/narratives/data/frames.yaml",
                          "frames (id, label, definition, concepts and/or terms)", allow_empty=False)
    rows, seen, lexicon = [], set(), None
    for i, fr in enumerate(data, start=1):
        where = f"{path}, frame {i}"
        if not isinstance(fr, dict):
            raise AnalysisError(f"{where}: each frame must be a mapping with id, label, definition, concepts or terms")
        fid = fr.get("id")
        if not isinstance(fid, str) or not re.fullmatch(r"[A-Za-z0-9_]+", fid):
            raise AnalysisError(f"{where}: 'id' must be letters, digits or _")
        if fid in seen:
            raise AnalysisError(f"{where}: duplicate id {fid!r}")
        seen.add(fid)
        cids = fr.get("concepts") or []
        terms = fr.get("terms") or []
        patterns = fr.get("patterns") or []
        requires = fr.get("requires") or []
        exclude = fr.get("exclude") or []
        if not all(isinstance(v, list) for v in (cids, terms, patterns)) or not (cids or terms or patterns):
            raise AnalysisError(f"{where} ({fid}): give 'concepts', 'terms' and/or 'patterns' as lists")
        if not isinstance(requires, list) or not isinstance(exclude, list):
            raise AnalysisError(f"{where} ({fid}): 'requires' (concept ids) and 'exclude' (phrases) must be lists")
        for key, values in (("term", terms), ("exclude phrase", exclude)):
            for t in values:
                if not isinstance(t, (str, int)) or not str(t).strip().rstrip("*"):
                    raise AnalysisError(f"{where} ({fid}): empty or non-text {key} {t!r}")
        for p in patterns:
            try:
                re.compile(str(p))
            except re.error as exc:
                raise AnalysisError(f"{where} ({fid}): bad pattern {p!r}: {exc}") from None
        if cids or requires:
            lexicon = lexicon or concept_lexicon(concepts)
            for key, ids in (("concept", cids), ("required concept", requires)):
                unknown = [str(c) for c in ids if c not in set(lexicon.ids)]
                if unknown:
                    raise AnalysisError(f"{where} ({fid}): unknown {key}(s) {', '.join(map(repr, unknown))} "
                                        f"(not in {lexicon.path})")
        rows.append({"frame": fid, "label": str(fr.get("label") or fid), "definition": str(fr.get("definition") or ""),
                     "concepts": tuple(str(c) for c in cids), "terms": tuple(str(t) for t in terms),
                     "patterns": tuple(str(p) for p in patterns),
                     "regex": _frame_regex([str(t) for t in terms], [str(p) for p in patterns]),
                     "requires": tuple(str(c) for c in requires), "exclude": tuple(str(t) for t in exclude),
                     "exclude_regex": _frame_regex([str(t) for t in exclude], [])})
    table = pd.DataFrame(rows, columns=["frame", "label", "definition", "concepts", "terms", "patterns", "regex",
                                        "requires", "exclude", "exclude_regex"])
    if lexicon is not None:
        table.attrs["concepts"] = lexicon
    return table


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float, concepts: str | None, concepts_mtime: float) -> pd.DataFrame:
    return load_frames(path, concepts)


def _lexicon(lexicon, concepts=None) -> pd.DataFrame:
    if isinstance(lexicon, pd.DataFrame):
        if not {"frame", "regex"} <= set(lexicon.columns):
            raise ParameterError("lexicon", "a lexicon table needs the columns of load_frames()")
        return lexicon
    p = Path(lexicon) if lexicon else FRAMES
    if not p.is_file():
        raise ParameterError("lexicon", f"no such file: {p}", "a YAML file like analysis/narratives/data/frames.yaml")
    if isinstance(concepts, Lexicon):
        return load_frames(p, concepts)
    c = Path(concepts) if concepts else CONCEPTS
    c_mtime = c.stat().st_mtime if c.is_file() else 0.0  # an edited concept lexicon is read again
    return _cached(str(p), p.stat().st_mtime, None if concepts is None else str(concepts), c_mtime)


class FrameRule(NamedTuple):
    """One frame's id and the regex of its terms and patterns (None when it has none)."""

    frame: str
    regex: re.Pattern | None


class FrameRules(list):
    """The frames of a lexicon as :func:`frames_in` applies them: a list of :class:`FrameRule` (so
    ``for fid, rx in rules`` still works), ``concept_ids`` (the concept ids evoking each frame, in the same
    order), ``requires`` (the concept ids one of which the sentence must also hold, empty: none),
    ``excludes`` (the regex of the phrases inside which a match does not count, or None) and ``concepts`` (the
    concept lexicon they refer to, None when no frame uses concepts)."""

    def __init__(self, rules=(), concept_ids=None, concepts: Lexicon | None = None, requires=None, excludes=None):
        super().__init__(FrameRule(*r) for r in rules)
        self.concept_ids = [frozenset(c) for c in concept_ids] if concept_ids is not None else \
            [frozenset()] * len(self)
        self.requires = [frozenset(c) for c in requires] if requires is not None else [frozenset()] * len(self)
        self.excludes = list(excludes) if excludes is not None else [None] * len(self)
        self.concepts = concepts


def frame_rules(lexicon=None, concepts=None) -> FrameRules:
    """The frames of a lexicon (None: the kit's frames.yaml; a path; a :func:`load_frames` table), ready for
    :func:`frames_in`. ``concepts``: the concept lexicon the frames refer to (None: the kit's)."""
    lex = _lexicon(lexicon, concepts)
    none = [()] * len(lex)
    cids = list(lex["concepts"]) if "concepts" in lex.columns else none
    requires = list(lex["requires"]) if "requires" in lex.columns else none
    excludes = list(lex["exclude_regex"]) if "exclude_regex" in lex.columns else [None] * len(lex)
    uses = any(cids) or any(requires)
    return FrameRules(zip(lex["frame"], lex["regex"]), cids,
                      (lex.attrs.get("concepts") or concept_lexicon(concepts)) if uses else None, requires, excludes)


def _rules(frames) -> FrameRules:
    """Rules from :func:`frame_rules`, or from a plain list of (frame id, regex) pairs."""
    return frames if isinstance(frames, FrameRules) else FrameRules(frames)


def frame_matches(doc: ParsedDocument, frames, hits: list[dict] | None = None) -> list[dict]:
    """What evokes each frame in one parsed document: rows of ``MATCH_COLUMNS`` (frame, sentence_id, start, end,
    term as written in the text, lower-cased), in text order per frame. ``hits``: the document's concept rows
    (:func:`analysis.narratives.concepts.concepts_in`), found here when None and a frame needs them. A frame's
    ``exclude`` phrases and ``requires`` concepts drop the matches they rule out."""
    rules = _rules(frames)
    text, index = doc.text, doc.index
    by_concept: dict[str, list[dict]] = {}
    if any(rules.concept_ids) or any(rules.requires):
        if hits is None:
            hits = concepts_in(doc, rules.concepts)
        for h in hits:
            by_concept.setdefault(h["concept"], []).append(h)
    out = []
    for (fid, rx), cids, req, ex in zip(rules, rules.concept_ids, rules.requires, rules.excludes):
        found = []
        if rx is not None:
            for m in rx.finditer(text):
                sid = index.locate(m.start())
                s, e = index.spans[sid] if index.spans else (0, 0)
                if s <= m.start() and m.end() <= e:  # within one sentence
                    found.append((m.start(), m.end(), sid))
        for c in cids:
            found += [(h["start"], h["end"], h["sentence_id"]) for h in by_concept.get(c, ())]
        if found and ex is not None:
            spans = [m.span() for m in ex.finditer(text)]
            found = [f for f in found if not any(a <= f[0] and f[1] <= b for a, b in spans)]
        if found and req:
            with_req = {h["sentence_id"] for c in req for h in by_concept.get(c, ())}
            found = [f for f in found if f[2] in with_req]
        for start, end, sid in sorted(set(found)):
            out.append({"frame": fid, "sentence_id": sid, "start": start, "end": end,
                        "term": " ".join(text[start:end].lower().split())})
    return out


def frames_in(doc: ParsedDocument, frames, hits: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """The frame sentences of one parsed document (rows of ``SENTENCE_COLUMNS``) and its share of each frame
    (rows of ``SHARE_COLUMNS``, zeros included). ``frames``: :func:`frame_rules`; ``hits``: the document's
    concept rows if already found (see :func:`frame_matches`)."""
    return frame_rows(doc, frames, frame_matches(doc, frames, hits))


def frame_rows(doc: ParsedDocument, frames, matches: list[dict]) -> tuple[list[dict], list[dict]]:
    """The rows of :func:`frames_in` from the document's :func:`frame_matches`."""
    rules = _rules(frames)
    text, index = doc.text, doc.index
    order = {r.frame: k for k, r in enumerate(rules)}
    found: dict[tuple[int, int], list[str]] = {}
    for m in matches:
        found.setdefault((m["sentence_id"], order[m["frame"]]), []).append(m["term"])
    sentences, per_frame = [], [0] * len(rules)
    for sid, k in sorted(found):
        s, e = index.spans[sid]
        per_frame[k] += 1
        sentences.append({"doc_id": doc.doc_id, "group": doc.group, "sentence_id": sid, "frame": rules[k].frame,
                          "term": "; ".join(dict.fromkeys(found[(sid, k)])), "sentence": text[s:e]})
    n = len(index.spans)
    shares = [{"doc_id": doc.doc_id, "group": doc.group, "frame": r.frame, "n_sentences": n,
               "n_frame_sentences": per_frame[k], "share": per_frame[k] / n if n else 0.0}
              for k, r in enumerate(rules)]
    return sentences, shares


def sentences_frame(rows: list[dict]) -> pd.DataFrame:
    """The frame-sentences table from rows of :func:`frames_in`."""
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype({"sentence_id": "int64"})


def shares_frame(rows: list[dict]) -> pd.DataFrame:
    """The per-document frame shares table from rows of :func:`frames_in`."""
    return pd.DataFrame(rows, columns=SHARE_COLUMNS).astype({"n_sentences": "int64", "n_frame_sentences": "int64",
                                                             "share": "float64"})


def frame_sentences(docs: pd.DataFrame, lexicon=None, group_col: str | None = "group", concepts=None
                    ) -> pd.DataFrame:
    """One row per (sentence, frame) evoked: doc_id, group, sentence_id, frame, term (the matched words as
    written, lower-cased, in order of appearance, joined by "; "), sentence."""
    frames = frame_rules(lexicon, concepts)
    return sentences_frame([r for doc in parse_documents(docs, group_col) for r in frames_in(doc, frames)[0]])


def frame_shares(docs: pd.DataFrame, lexicon=None, group_col: str | None = "group", concepts=None
                 ) -> pd.DataFrame:
    """One row per (document, frame), zeros included: n_sentences, n_frame_sentences, share (their ratio)."""
    frames = frame_rules(lexicon, concepts)
    return shares_frame([r for doc in parse_documents(docs, group_col) for r in frames_in(doc, frames)[1]])


BLOCK_CELLS = 2_000_000  # random draws held at once by the bootstrap and the permutation test


def _blocks(rows: int, width: int) -> list[int]:
    """Row counts of blocks of at most BLOCK_CELLS cells that add up to ``rows``."""
    step = max(1, BLOCK_CELLS // max(width, 1))
    return [min(step, rows - i) for i in range(0, rows, step)]


def _boot_means(x: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Means of ``n_boot`` resamples of ``x`` with replacement, drawn in blocks (the same draws as at once)."""
    return np.concatenate([x[rng.integers(0, len(x), size=(k, len(x)))].mean(axis=1)
                           for k in _blocks(n_boot, len(x))])


def _perm_p(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, n_mc: int = 10000) -> tuple[float, float]:
    """Two-sided permutation p-value of mean(a) - mean(b) over documents, and the smallest p attainable."""
    pooled = np.concatenate([a, b])
    n, na = len(pooled), len(a)
    observed = abs(a.mean() - b.mean())
    n_splits = math.comb(n, na)
    if n_splits <= EXACT_LIMIT:
        idx = np.array(list(itertools.combinations(range(n), na)))
        mask = np.zeros((len(idx), n), dtype=bool)
        mask[np.arange(len(idx))[:, None], idx] = True
        sum_a = (mask * pooled).sum(axis=1)
        diffs = np.abs(sum_a / na - (pooled.sum() - sum_a) / (n - na))
        p = float(np.mean(diffs >= observed - 1e-12))
        # the observed split is one of n_splits; mirrored splits tie only when the groups have equal size
        p_min = (2 if na == n - na else 1) / n_splits
        return p, p_min
    # each row a random relabelling of the documents (Generator.permuted shuffles rows in O(n)), drawn in blocks
    # of rows so that memory stays bounded whatever the corpus (the random stream, hence the p-value, is the same)
    sum_a = np.concatenate([rng.permuted(np.tile(pooled, (k, 1)), axis=1)[:, :na].sum(axis=1)
                            for k in _blocks(n_mc, n)])
    diffs = np.abs(sum_a / na - (pooled.sum() - sum_a) / (n - na))
    return float((np.sum(diffs >= observed - 1e-12) + 1) / (n_mc + 1)), 1 / (n_mc + 1)


def compare_frames(shares: pd.DataFrame, group_a: str, group_b: str = "rest", n_boot: int = 2000, seed: int = 0,
                   alpha: float = 0.05) -> pd.DataFrame:
    """Compare two groups' mean document shares per frame (see module docstring). Columns: frame, share_a,
    share_b, diff (a - b), ci_low, ci_high (bootstrap percentile interval, 1 - alpha), p_perm, p_min (the
    smallest p-value the group sizes allow), n_docs_a, n_docs_b, supported."""
    need = {"doc_id", "group", "frame", "share"}
    if not isinstance(shares, pd.DataFrame) or not need <= set(shares.columns):
        raise ComparisonError(f"compare_frames needs frame_shares() output with columns {', '.join(sorted(need))}")
    if not isinstance(n_boot, int) or n_boot < 1:
        raise ParameterError("n_boot", f"must be a positive integer, got {n_boot!r}")
    if not 0 < alpha < 1:
        raise ParameterError("alpha", f"must be between 0 and 1, got {alpha!r}")
    groups = shares["group"].astype(str)
    if group_a == group_b:
        raise ComparisonError(f"cannot compare group {group_a!r} with itself")
    in_a = groups == str(group_a)
    in_b = ~in_a if group_b == "rest" else groups == str(group_b)
    if not in_a.any():
        raise ComparisonError(f"group {group_a!r} has no documents (groups: {', '.join(sorted(set(groups)))})")
    if not in_b.any():
        raise ComparisonError(f"group {group_b!r} has no documents (groups: {', '.join(sorted(set(groups)))})")
    rng = np.random.default_rng(seed)
    rows = []
    for fid in dict.fromkeys(shares["frame"]):
        f = shares["frame"] == fid
        a = shares.loc[f & in_a].sort_values("doc_id")["share"].to_numpy(float)
        b = shares.loc[f & in_b].sort_values("doc_id")["share"].to_numpy(float)
        diff = a.mean() - b.mean()
        boot_a = _boot_means(a, rng, n_boot)
        boot_b = _boot_means(b, rng, n_boot)
        lo, hi = np.quantile(boot_a - boot_b, [alpha / 2, 1 - alpha / 2])
        p, p_min = _perm_p(a, b, rng)
        supported = bool(len(a) >= 2 and len(b) >= 2 and (lo > 0 or hi < 0) and p < alpha)
        rows.append({"frame": fid, "share_a": a.mean(), "share_b": b.mean(), "diff": diff, "ci_low": float(lo),
                     "ci_high": float(hi), "p_perm": p, "p_min": p_min, "n_docs_a": len(a), "n_docs_b": len(b),
                     "supported": supported})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
