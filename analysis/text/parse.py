"""One parsed form of a document, made once and read by every extractor (counts, actors, claims, quotes, frames).

A :class:`ParsedDocument` holds the document's identity, side and language, its text as analysed, and its
sentence spans (``index``). The extractors of ``analysis.narratives`` and the counters of ``analysis.stats`` take
it as it is, so that a document is split into sentences once per analysis, whatever reads it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from analysis.text.documents import SentenceIndex, iter_docs


@dataclass(slots=True)
class ParsedDocument:
    """A document as every extractor reads it: ``doc_id``, ``group`` (its side), ``language``, ``text`` and the
    sentence index of that text (``index.spans``, ``index.locate(pos)``, ``index.sentence(i)``)."""

    doc_id: str
    group: str
    text: str
    language: str = ""
    index: SentenceIndex = field(default=None)  # type: ignore[assignment]
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.index is None:
            self.index = SentenceIndex(self.text)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return self.index.spans


def parse_document(doc_id: str, group: str, text: str, language: str = "", meta: dict | None = None
                   ) -> ParsedDocument:
    """Parse one document (sentence split once)."""
    return ParsedDocument(str(doc_id), "" if group is None else str(group), text, language, None, dict(meta or {}))


def parse_documents(docs: pd.DataFrame, group_col: str | None = "group") -> Iterator[ParsedDocument]:
    """The documents of a corpus table (``doc_id``, ``text``, optionally the group column and ``language``),
    parsed one at a time."""
    langs = docs["language"].tolist() if "language" in getattr(docs, "columns", ()) else None
    for i, (doc_id, group, text) in enumerate(iter_docs(docs, group_col)):
        lang = langs[i] if langs is not None else ""
        yield parse_document(doc_id, group, text, "" if lang is None or lang != lang else str(lang))
