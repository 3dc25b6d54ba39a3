"""NLTK, imported without its optional SciPy and scikit-learn integrations.

``import nltk`` imports nearly every NLTK subpackage, and two of them import SciPy (``nltk.metrics.association``,
for Fisher's exact test) and scikit-learn (``nltk.classify.scikitlearn``) when these are installed; NLTK guards
both with ``try/except ImportError``. Here (the tests use SciPy as an oracle, the benchmark scikit-learn as a
baseline) those two imports are about 1.8 s of a 2.5 s ``import nltk``, paid by every process that stems or finds
collocations. The kit uses neither integration, so :func:`load` imports NLTK while SciPy and scikit-learn look
absent to it. They stay importable afterwards, by anyone; only what NLTK binds at import time (its Fisher
association measure, its scikit-learn classifier wrapper) is unavailable in a process that loaded NLTK this way.
"""
from __future__ import annotations

import importlib.abc
import sys
import threading

HIDDEN = ("scipy", "sklearn")
_LOCK = threading.Lock()


class _Absent(importlib.abc.MetaPathFinder):
    """A finder that makes ``packages`` (and their submodules) fail to import."""

    def __init__(self, packages: set[str]):
        self.packages = packages

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.packages:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden while NLTK loads)", name=fullname)
        return None


def load():
    """The ``nltk`` module, imported as the module docstring says (or as it already is)."""
    if "nltk" in sys.modules:
        return sys.modules["nltk"]
    with _LOCK:
        hidden = {name for name in HIDDEN if name not in sys.modules}
        finder = _Absent(hidden)
        sys.meta_path.insert(0, finder)
        try:
            import nltk
        finally:
            sys.meta_path.remove(finder)
    return nltk
