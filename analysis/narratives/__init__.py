"""Narratives layer: actors, quantitative claims, quotations and frames, each read from the parsed documents."""
