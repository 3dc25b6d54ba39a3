"""Pipeline layer: parameters, the one pass over the documents, its backends, the cache and the written tables.

Importing this package is cheap (no pandas): the report command reads ``analysis.pipeline.cache_location`` and
``analysis.pipeline.params`` before it imports the analysis, to start its kernels first. The analysis itself
(:func:`analyze`, :class:`Analysis`, :func:`write_tables`...) is loaded on first use.
"""
from __future__ import annotations

_LAZY = {"Analysis": "compute", "analyze": "compute", "compute": "compute", "cache_key": "compute",
         "code_hash": "compute", "write_tables": "compute", "package_versions": "compute", "TABLES": "compute",
         "compare_documents": "compute", "require": "compute", "cache_dir": "cache_location",
         "CACHE_ENV": "cache_location", "DEFAULT_CACHE": "cache_location"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"analysis.pipeline.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'analysis.pipeline' has no attribute {name!r}")


__all__ = sorted(_LAZY)
