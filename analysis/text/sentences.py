"""Sentence splitting by rule, offline (NLTK's punkt models cannot be downloaded here).

A sentence ends at a line break, or at ``.``, ``!``, ``?`` or ``…`` (possibly followed by closing quotes or
brackets) when the next non-space character opens a new sentence (a capital letter, a digit or an opening
quote). A full stop after a single capital letter ("Alexander N. Mayorkas") or a known abbreviation ("M.",
"Dr.", "etc.") does not end a sentence. Offsets point into the document text, so every sentence can be
shown again exactly as written.
"""
from __future__ import annotations

import re

import pandas as pd

ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr me st ste cf etc ex vol no nº art al av bd chap ch éd p pp ibid op cit env "
    "mr mrs ms jr sr vs inc ltd co corp dept gen gov sen rep lt col sgt capt u.s u.s.a e.g i.e approx fig".split()
)
_END = re.compile(r"""[.!?…]+["”»’')\]]*(?=\s+["«“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9«“"])""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ends(text: str) -> list[int]:
    """Character offsets where sentences end inside one line."""
    ends = []
    for m in _END.finditer(text):
        mark = m.group()
        if mark.startswith(".") and len(mark.rstrip("\"”»’')]")) == 1:
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            word = before.group(1) if before else ""
            if (len(word) == 1 and word.isupper()) or word.lower().rstrip(".") in ABBREVIATIONS:
                continue
        ends.append(m.end())
    return ends


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, blank stretches excluded."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = line_start
        for end in _ends(line) + [len(line)]:
            seg_start, seg_end = cut, line_start + end
            cut = seg_end
            chunk = text[seg_start:seg_end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((seg_start + lead, seg_start + lead + len(stripped)))
    return spans


def split_sentences(docs: pd.DataFrame, group_col: str | None = "group") -> pd.DataFrame:
    """One row per sentence: ``doc_id``, (``group``), ``sentence_id`` (0-based within the document),
    ``start``, ``end`` (character offsets in the text) and ``sentence``."""
    rows = []
    has_group = group_col is not None and group_col in docs.columns
    for rec in docs.itertuples(index=False):
        text = rec.text
        doc_id = rec.doc_id
        group = getattr(rec, group_col) if has_group else None
        for i, (s, e) in enumerate(sentence_spans(text)):
            row = {"doc_id": doc_id, "sentence_id": i, "start": s, "end": e, "sentence": text[s:e]}
            if has_group:
                row["group"] = group
            rows.append(row)
    cols = ["doc_id"] + (["group"] if has_group else []) + ["sentence_id", "start", "end", "sentence"]
    return pd.DataFrame(rows, columns=cols)
