"""Statistics layer: counts, keyness, collocations and concordance over tokens and counts."""
