"""The text a document is analysed by: its boilerplate removed (:mod:`analysis.text.boilerplate`) and its
paragraphs in another language than its own left out (:mod:`analysis.text.language`), with what was removed, so
that the pipeline can count it, report it, and never empty a document silently.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.text.boilerplate import Boilerplate, Removed
from analysis.text.language import LANGUAGES, Span, foreign_spans, letter_weight, without_spans

FOREIGN_COLUMNS = ["doc_id", "group", "language", "probability", "start", "end", "n_chars", "text"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document ready for analysis.

    ``text``: without boilerplate and without foreign paragraphs. ``removed``: the boilerplate blocks left out
    (offsets in the original text). ``foreign``: the paragraphs in another language (offsets in the text
    after boilerplate removal, ``boilerplate_text``). ``emptied``: nothing but boilerplate, so the original text
    was kept (report it). ``foreign_only``: every paragraph is in another language (a Spanish release
    declared English): ``text`` keeps them, and the pipeline should report the document and leave it out of
    that language's counts. ``foreign_share``: the share of the letters of ``boilerplate_text`` in foreign
    paragraphs (from 0.5 on, the document is mostly in another language than declared: worth reporting).
    ``duplicate_of``: the ``doc_id`` kept in place of this duplicate, else ``""``.
    """

    text: str
    boilerplate_text: str
    removed: tuple[Removed, ...] = ()
    foreign: tuple[Span, ...] = ()
    emptied: bool = False
    foreign_only: bool = False
    duplicate_of: str = ""
    foreign_share: float = 0.0


def prepare_text(doc_id: str, source: str, text: str, language: str, model: Boilerplate | None = None,
                 foreign: bool = True) -> Prepared:
    """``text`` of document ``doc_id`` (of ``source``, in ``language``) as analysed: boilerplate removed when a
    ``model`` is given (parameter ``boilerplate: auto``; None for ``off``), then, if ``foreign``, the paragraphs
    in another language than ``language`` left out."""
    if model is not None:
        cleaned = model.clean(doc_id, source, text)
        base, removed, emptied, dup = cleaned.text, cleaned.removed, cleaned.emptied, cleaned.duplicate_of
    else:
        base, removed, emptied, dup = text, (), False, ""
    spans = tuple(foreign_spans(base, language)) if foreign and language in LANGUAGES else ()
    kept = without_spans(base, spans)
    only = bool(spans) and not kept.strip()
    share = 0.0
    if spans:
        total = letter_weight(base)
        share = sum(letter_weight(base[s.start:s.end]) for s in spans) / total if total else 0.0
    return Prepared(base if only else kept, base, tuple(removed), spans, emptied, only, dup, share)


def foreign_rows(doc_id: str, group: str, prepared: Prepared) -> list[dict]:
    """One row per foreign paragraph of a document (columns :data:`FOREIGN_COLUMNS`)."""
    base = prepared.boilerplate_text
    return [{"doc_id": doc_id, "group": group, "language": s.language, "probability": round(s.probability, 4),
             "start": s.start, "end": s.end, "n_chars": s.end - s.start, "text": base[s.start:s.end]}
            for s in prepared.foreign]


def foreign_table(rows: list[dict]) -> pd.DataFrame:
    """The foreign paragraphs of a corpus (``tables/foreign_paragraphs.csv``), from :func:`foreign_rows`."""
    return pd.DataFrame(rows, columns=FOREIGN_COLUMNS)
