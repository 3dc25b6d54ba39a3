"""The documents of a corpus as (doc_id, group, text) rows, and where in them each sentence lies."""
from __future__ import annotations

import bisect
from collections.abc import Iterator

import pandas as pd

from analysis.errors import AnalysisError, ParameterError
from analysis.text.sentences import sentence_spans


def iter_docs(docs: pd.DataFrame, group_col: str | None = "group") -> Iterator[tuple[str, str, str]]:
    """(doc_id, group, text) of each document; a clear error for a frame that is not a corpus."""
    if not isinstance(docs, pd.DataFrame):
        raise ParameterError("docs", f"expected a DataFrame of documents, got {type(docs).__name__}")
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise ParameterError("docs", f"missing column(s) {', '.join(missing)}; found: {', '.join(map(str, docs.columns))}",
                             "a DataFrame with doc_id and text (load_corpus gives one)")
    has_group = group_col is not None and group_col in docs.columns
    ids = docs["doc_id"].tolist()
    texts = docs["text"].tolist()
    groups = docs[group_col].tolist() if has_group else [""] * len(ids)
    for doc_id, group, text in zip(ids, groups, texts):
        if not isinstance(text, str):
            raise AnalysisError(f"document {doc_id!r}: text is {type(text).__name__}, not a string")
        yield str(doc_id), ("" if group is None else str(group)), text


class SentenceIndex:
    """Which sentence (``analysis.sentences`` numbering) holds a character offset."""

    def __init__(self, text: str):
        self.text = text
        self.spans = sentence_spans(text)
        self.starts = [s for s, _ in self.spans]

    def locate(self, pos: int) -> int:
        i = bisect.bisect_right(self.starts, pos) - 1
        return max(i, 0)

    def sentence(self, i: int) -> str:
        if not self.spans:
            return ""
        s, e = self.spans[i]
        return self.text[s:e]
