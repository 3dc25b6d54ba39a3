"""Where analyses are cached (a module of its own, without pandas: the report command reads it before it
imports the analysis, to start its kernels first)."""
from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "NARRATIVES_CACHE_DIR"
DEFAULT_CACHE = Path(".cache") / "analysis"


def cache_dir() -> Path:
    """Where analyses are cached: $NARRATIVES_CACHE_DIR, else .cache/analysis under the current folder."""
    env = os.environ.get(CACHE_ENV, "").strip()
    return Path(env) if env else DEFAULT_CACHE
