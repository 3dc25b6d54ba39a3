"""Pages layer: what the notebooks show (figures, tables, findings, prose) and the list of report pages.

PAGES: notebook name, title and what each shows (the index page lists them in this order)."""
from __future__ import annotations

PAGES = (
    ("01_corpus_overview", "Corpus overview", "documents, groups, sources, dates and lengths"),
    ("02_vocabulary_keyness", "Vocabulary and keyness",
     "frequent and key terms of each side, bigrams, collocations, concordance lines"),
    ("03_frames", "Frames", "frame shares by group with their uncertainty, and the sentences behind them"),
    ("04_actors_claims_voices", "Actors, claims and voices",
     "platforms, drugs, agencies and operations by side; quantitative claims; who speaks"),
    ("05_comparison", "Comparison", "the two narratives compared: findings generated from the tables"),
    ("06_explorer", "Explorer", "every term of the two sides on one scatter: search, hover, click for its lines in "
     "context"),
    ("07_over_time", "Over time", "frames and kinds of actors by month, quarter or year and side, with their "
     "uncertainty"),
    ("08_groups", "Every group", "each group against the rest of the corpus (and each subgroup inside its group): key "
     "words, frames and kinds of actors, one panel per group"),
)
