"""Frames: how the story is told, measured as the share of a document's sentences that evoke each frame.

The frame lexicon is a YAML data file (``analysis/data/frames.yaml``, format in ``analysis/data/README.md``):
an id, a label, a definition, terms (whole words, ``*`` for any ending) and optional regular expressions.
A sentence evokes a frame when one of the frame's terms occurs in it; sentences are those of
``analysis.sentences`` so that ids agree with every other table.

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

import numpy as np
import pandas as pd

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
EXACT_LIMIT = 20000  # exact permutation test up to this many splits, Monte Carlo beyond


def _frame_regex(terms: list[str], patterns: list[str]) -> re.Pattern:
    """One regex per frame: whole-word terms, prefix terms (trailing *), then the raw patterns."""
    plain = sorted({phrase_body(t.strip()) for t in terms if not t.strip().endswith("*")}, key=lambda b: (-len(b), b))
    star = sorted({phrase_body(t.strip().rstrip("*")) for t in terms if t.strip().endswith("*")},
                  key=lambda b: (-len(b), b))
    parts = []
    if plain:
        parts.append(r"(?<!\w)(?:" + "|".join(plain) + r")(?!\w)")
    if star:
        parts.append(r"(?<!\w)(?:" + "|".join(star) + r")\w*")
    parts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.IGNORECASE)


def load_frames(path: str | Path | None = None) -> pd.DataFrame:
    """One row per frame: ``frame`` (id), ``label``, ``definition``, ``terms`` (tuple), ``patterns`` (tuple),
    ``regex`` (compiled). Raises AnalysisError naming the file and frame at fault."""
    path = Path(path) if path else FRAMES
    data = load_yaml_list(path, "lexicon", "analysis/data/frames.yaml", "frames (id, label, definition, terms)",
                          allow_empty=False)
    rows, seen = [], set()
    for i, fr in enumerate(data, start=1):
        where = f"{path}, frame {i}"
        if not isinstance(fr, dict):
            raise AnalysisError(f"{where}: each frame must be a mapping with id, label, definition, terms")
        fid = fr.get("id")
        if not isinstance(fid, str) or not re.fullmatch(r"[A-Za-z0-9_]+", fid):
            raise AnalysisError(f"{where}: 'id' must be letters, digits or _")
        if fid in seen:
            raise AnalysisError(f"{where}: duplicate id {fid!r}")
        seen.add(fid)
        terms = fr.get("terms") or []
        patterns = fr.get("patterns") or []
        if not isinstance(terms, list) or not isinstance(patterns, list) or not (terms or patterns):
            raise AnalysisError(f"{where} ({fid}): give 'terms' and/or 'patterns' as lists")
        for t in terms:
            if not isinstance(t, (str, int)) or not str(t).strip().rstrip("*"):
                raise AnalysisError(f"{where} ({fid}): empty or non-text term {t!r}")
        for p in patterns:
            try:
                re.compile(str(p))
            except re.error as exc:
                raise AnalysisError(f"{where} ({fid}): bad pattern {p!r}: {exc}") from None
        rows.append({"frame": fid, "label": str(fr.get("label") or fid), "definition": str(fr.get("definition") or ""),
                     "terms": tuple(str(t) for t in terms), "patterns": tuple(str(p) for p in patterns),
                     "regex": _frame_regex([str(t) for t in terms], [str(p) for p in patterns])})
    return pd.DataFrame(rows, columns=["frame", "label", "definition", "terms", "patterns", "regex"])


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> pd.DataFrame:
    return load_frames(path)


def _lexicon(lexicon) -> pd.DataFrame:
    if isinstance(lexicon, pd.DataFrame):
        if not {"frame", "regex"} <= set(lexicon.columns):
            raise ParameterError("lexicon", "a lexicon table needs the columns of load_frames()")
        return lexicon
    p = Path(lexicon) if lexicon else FRAMES
    if not p.is_file():
        raise ParameterError("lexicon", f"no such file: {p}", "a YAML file like analysis/data/frames.yaml")
    return _cached(str(p), p.stat().st_mtime)


def frame_rules(lexicon=None) -> list[tuple[str, re.Pattern]]:
    """(frame id, compiled regex) of each frame of the lexicon (None: the kit's frames.yaml; a path; a table)."""
    lex = _lexicon(lexicon)
    return list(zip(lex["frame"], lex["regex"]))


def frames_in(doc: ParsedDocument, frames: list[tuple[str, re.Pattern]]) -> tuple[list[dict], list[dict]]:
    """The frame sentences of one parsed document (rows of ``SENTENCE_COLUMNS``) and its share of each frame
    (rows of ``SHARE_COLUMNS``, zeros included)."""
    text, index = doc.text, doc.index
    found: dict[tuple[int, int], list[str]] = {}
    for k, (fid, rx) in enumerate(frames):
        for m in rx.finditer(text):
            sid = index.locate(m.start())
            s, e = index.spans[sid] if index.spans else (0, 0)
            if s <= m.start() and m.end() <= e:  # within one sentence
                found.setdefault((sid, k), []).append(" ".join(m.group().lower().split()))
    sentences, per_frame = [], [0] * len(frames)
    for sid, k in sorted(found):
        s, e = index.spans[sid]
        per_frame[k] += 1
        sentences.append({"doc_id": doc.doc_id, "group": doc.group, "sentence_id": sid, "frame": frames[k][0],
                          "term": "; ".join(dict.fromkeys(found[(sid, k)])), "sentence": text[s:e]})
    n = len(index.spans)
    shares = [{"doc_id": doc.doc_id, "group": doc.group, "frame": fid, "n_sentences": n,
               "n_frame_sentences": per_frame[k], "share": per_frame[k] / n if n else 0.0}
              for k, (fid, _) in enumerate(frames)]
    return sentences, shares


def sentences_frame(rows: list[dict]) -> pd.DataFrame:
    """The frame-sentences table from rows of :func:`frames_in`."""
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype({"sentence_id": "int64"})


def shares_frame(rows: list[dict]) -> pd.DataFrame:
    """The per-document frame shares table from rows of :func:`frames_in`."""
    return pd.DataFrame(rows, columns=SHARE_COLUMNS).astype({"n_sentences": "int64", "n_frame_sentences": "int64",
                                                             "share": "float64"})


def frame_sentences(docs: pd.DataFrame, lexicon=None, group_col: str | None = "group") -> pd.DataFrame:
    """One row per (sentence, frame) evoked: doc_id, group, sentence_id, frame, term (the matched terms as
    written, lower-cased, in order of appearance, joined by "; "), sentence."""
    frames = frame_rules(lexicon)
    return sentences_frame([r for doc in parse_documents(docs, group_col) for r in frames_in(doc, frames)[0]])


def frame_shares(docs: pd.DataFrame, lexicon=None, group_col: str | None = "group") -> pd.DataFrame:
    """One row per (document, frame), zeros included: n_sentences, n_frame_sentences, share (their ratio)."""
    frames = frame_rules(lexicon)
    return shares_frame([r for doc in parse_documents(docs, group_col) for r in frames_in(doc, frames)[1]])


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
    # each row a random relabelling of the documents (Generator.permuted shuffles rows in O(n))
    sum_a = rng.permuted(np.tile(pooled, (n_mc, 1)), axis=1)[:, :na].sum(axis=1)
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
        boot_a = a[rng.integers(0, len(a), size=(n_boot, len(a)))].mean(axis=1)
        boot_b = b[rng.integers(0, len(b), size=(n_boot, len(b)))].mean(axis=1)
        lo, hi = np.quantile(boot_a - boot_b, [alpha / 2, 1 - alpha / 2])
        p, p_min = _perm_p(a, b, rng)
        supported = bool(len(a) >= 2 and len(b) >= 2 and (lo > 0 or hi < 0) and p < alpha)
        rows.append({"frame": fid, "share_a": a.mean(), "share_b": b.mean(), "diff": diff, "ci_low": float(lo),
                     "ci_high": float(hi), "p_perm": p, "p_min": p_min, "n_docs_a": len(a), "n_docs_b": len(b),
                     "supported": supported})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
