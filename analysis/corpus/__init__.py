"""Corpus layer: reading, validating and hashing corpora (folders with a manifest, CSV, JSONL, Parquet, specs)."""
from analysis.corpus.dates import date_precision, parse_partial_date
from analysis.corpus.hashing import document_hashes, file_sha256
from analysis.corpus.read import (BINARY_SIGNATURES, MANIFEST, CorpusFormat, decode_text, detect_format,
                                  iter_documents, load_corpus, load_metadata, normalize_text, validate_corpus)

__all__ = ["BINARY_SIGNATURES", "CorpusFormat", "MANIFEST", "date_precision", "decode_text", "detect_format",
           "document_hashes", "file_sha256", "iter_documents", "load_corpus", "load_metadata", "normalize_text",
           "parse_partial_date", "validate_corpus"]
