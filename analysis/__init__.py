"""Narratives kit: compare how groups of texts tell a story (tokens, keyness, actors, claims, voices, frames).

Layers, each importing only those below it: ``report`` (the report command) → ``pages`` (what the notebooks
show) → ``pipeline`` (parameters, the one pass over the documents, backends, cache, tables) → ``narratives`` and
``stats`` → ``text`` (sentences, tokens, stop words) → ``corpus`` (reading and validating corpora).

The public verbs are importable from here and loaded on first use, so ``import analysis`` stays cheap.
"""
from __future__ import annotations

import importlib

_VERBS = {
    "load_corpus": "analysis.corpus", "validate_corpus": "analysis.corpus", "iter_documents": "analysis.corpus",
    "tokenize": "analysis.text.tokens", "split_sentences": "analysis.text.sentences",
    "get_stopwords": "analysis.text.stopwords",
    "term_frequencies": "analysis.stats.counts", "count_documents": "analysis.stats.counts",
    "keyness": "analysis.stats.keyness", "collocations": "analysis.stats.collocations",
    "kwic": "analysis.stats.concordance",
    "find_entities": "analysis.narratives.entities", "find_claims": "analysis.narratives.claims",
    "find_quotes": "analysis.narratives.quotes", "frame_shares": "analysis.narratives.frames",
    "frame_sentences": "analysis.narratives.frames", "compare_frames": "analysis.narratives.frames",
    "analyze": "analysis.pipeline.compute", "Analysis": "analysis.pipeline.compute",
    "write_tables": "analysis.pipeline.compute", "run_report": "analysis.report.build",
}


def __getattr__(name: str):
    if name in _VERBS:
        return getattr(importlib.import_module(_VERBS[name]), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_VERBS))


__all__ = sorted(_VERBS)
