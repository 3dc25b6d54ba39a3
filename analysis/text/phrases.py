"""Regular expressions for lexicon phrases: whole words, any white space between words, either apostrophe."""
from __future__ import annotations

import re

APOS = "'’ʼ"


def phrase_body(phrase: str) -> str:
    """Regex body for a phrase: any white space between words, either apostrophe (no word boundaries)."""
    parts = []
    for word in phrase.split():
        parts.append("".join(f"[{APOS}]" if ch in APOS else re.escape(ch) for ch in word))
    return r"\s+".join(parts)


def phrase_pattern(phrase: str) -> str:
    """Regex for a phrase as whole words: any white space between words, either apostrophe."""
    return rf"(?<![\w]){phrase_body(phrase)}(?![\w])"
