"""Text layer: one parsed form of each document (sentences, tokens), stop words, lexicon phrases."""
