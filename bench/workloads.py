"""The measured work: read the corpus, tokenize, count per group, build the keyness table.

One function per tool, each run in its own child process by :mod:`bench.measure`. Every tool reads the same
documents through :func:`analysis.corpus.iter_documents` (same texts, same normalization), counts the same
token pattern where the tool allows it (:func:`token_pattern`), and hands its counts to the same
:func:`analysis.keyness.keyness`, so the tools differ only in how they tokenize and count.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

SUFFIX = "#x"  # replicate k > 0 of a document gets doc_id + "#x<k>"


def prepare(func_name: str) -> None:
    """Import what a workload needs before the clock starts (imports are not what we compare)."""
    import pandas  # noqa: F401

    import analysis.corpus  # noqa: F401
    import analysis.stats.keyness  # noqa: F401

    if func_name in ("run_ours", "run_ours_processes"):
        import analysis.stats.counts  # noqa: F401
        import analysis.pipeline.backends  # noqa: F401
    elif func_name == "run_countvectorizer":
        import sklearn.feature_extraction.text  # noqa: F401
    elif func_name == "run_nltk":
        import nltk.probability  # noqa: F401
        import nltk.tokenize  # noqa: F401
    elif func_name == "run_scattertext":
        import scattertext  # noqa: F401
        return
    token_pattern("re" if func_name == "run_countvectorizer" else "regex" if func_name == "run_nltk" else None)


# --- the documents -----------------------------------------------------------------------------------------

def documents(path: str, group_col: str = "group", scale: int = 1, step: int = 1,
              limit: int | None = None) -> Iterator[dict]:
    """Stream the corpus ``scale`` times over (a generator over the file, nothing held in memory).

    ``step`` > 1 keeps every ``step``-th document (a systematic sample: groups keep their proportions in a
    file sorted by group), ``limit`` stops after that many documents of one pass. Replicate k > 0 of a document
    has ``doc_id`` suffixed with ``#x<k>`` so that ids stay unique.
    """
    from analysis.corpus import iter_documents

    for k in range(scale):
        kept = 0
        for i, rec in enumerate(iter_documents(path)):
            if i % step:
                continue
            if limit is not None and kept >= limit:
                break
            kept += 1
            out = {"doc_id": rec["doc_id"] + (f"{SUFFIX}{k}" if k else ""), "group": rec.get(group_col, ""),
                   "text": rec["text"]}
            if "language" in rec:
                out["language"] = rec["language"]
            yield out


# --- the token pattern -------------------------------------------------------------------------------------

def _non_capturing(pattern: str) -> str:
    """The same regex with every group made non-capturing (``re.findall`` then returns whole matches, as
    CountVectorizer and NLTK's RegexpTokenizer need)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                out.append("]")
                i += 1
            continue
        elif c == "(":
            if pattern.startswith("(?P<", i):
                out.append("(?:")
                i = pattern.index(">", i) + 1
                continue
            if not pattern.startswith("(?", i):
                out.append("(?:")
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


ESCAPES = ("w", "W", "s", "S", "d", "D")


@lru_cache(maxsize=None)
def _engine_differences(src: str, dst: str) -> str:
    """Every character that one of the class escapes (\\w \\s \\d) matches in one engine and not the other."""
    engines = {"re": re, "regex": _regex()}
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    diff: set[str] = set()
    for esc in ("w", "s", "d"):
        a = set(engines[src].findall("\\" + esc, every))
        b = set(engines[dst].findall("\\" + esc, every))
        diff |= a ^ b
    return "".join(sorted(diff))


def _regex():
    import regex

    return regex


def _class_of(chars) -> str:
    """A character class matching exactly ``chars`` (ranges of consecutive code points)."""
    cps = sorted(ord(c) for c in chars)
    parts, i = [], 0
    esc = lambda cp: f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(esc(cps[i]) if i == j else f"{esc(cps[i])}-{esc(cps[j])}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def _atoms(pattern: str):
    """Split a regex into (text, is_class_atom) pieces: character classes and class escapes are atoms."""
    i, start = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1:i + 2] in ESCAPES:
                if start < i:
                    yield pattern[start:i], False
                yield pattern[i:i + 2], True
                start = i + 2
            i += 2
            continue
        if c == "[":
            j = i + 1
            if pattern[j:j + 1] == "^":
                j += 1
            if pattern[j:j + 1] == "]":
                j += 1
            while pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            if start < i:
                yield pattern[start:i], False
            yield pattern[i:j + 1], True
            start = i = j + 1
            continue
        i += 1
    if start < len(pattern):
        yield pattern[start:], False


# re's classes written as regex-module properties: re's \\w is str.isalnum() or "_" (letters and every kind of
# number, so "½" is a word character), re's \\s is str.isspace() (which adds the separators U+001C-U+001F)
RE_IN_REGEX = {"w": r"\p{L}\p{N}_", "s": r"\s\x1c-\x1f", "d": r"\p{Nd}"}


def _re_atom_for_regex(atom: str) -> str:
    """One class atom of an ``re`` pattern, written for the regex module with the same meaning."""
    if atom.startswith("\\"):
        esc = atom[1]
        inner = RE_IN_REGEX[esc.lower()]
        return f"[{inner}]" if esc.islower() else f"[^{inner}]"
    negated = atom.startswith("[^")
    body = atom[2:-1] if negated else atom[1:-1]
    positives = [RE_IN_REGEX[e.lower()] for e in ESCAPES if "\\" + e in body and e.isupper()]
    for e in ESCAPES:
        if e.islower():
            body = body.replace("\\" + e, RE_IN_REGEX[e])
    if not positives:
        return ("[^" if negated else "[") + body + "]"
    # a negated class holding \\W (or \\S, \\D): "a word character that is none of the rest"
    for e in ESCAPES:
        body = body.replace("\\" + e, "")
    if not negated or len(positives) > 1:
        raise ValueError(f"cannot translate the class {atom!r} for the regex module")
    simple = {(RE_IN_REGEX["w"], "_"): r"[\p{L}\p{N}]", (RE_IN_REGEX["w"], RE_IN_REGEX["d"] + "_"): r"[\p{L}\p{Nl}\p{No}]"}
    if (positives[0], body) in simple:
        return simple[positives[0], body]
    return (f"(?:(?![{body}])[{positives[0]}])" if body else f"[{positives[0]}]")


def translate_pattern(pattern: str, src: str, dst: str) -> str:
    """``pattern`` as engine ``dst`` ("re" or "regex") must be written to match what it matches in ``src``.

    The engines disagree on some characters for \\w, \\s and \\d: for ``re``, "½" and "²" are word characters,
    for the regex module combining marks are. re -> regex rewrites each class with Unicode properties (\\w as
    [\\p{L}\\p{N}_]...); regex -> re lists the characters on which each class atom differs (found by trying every
    code point) as ``(?:(?!REMOVED)ATOM|ADDED)``. Either way the baselines find exactly our tokens (tested).
    """
    if src == dst:
        return pattern
    if src == "re":
        return "".join(_re_atom_for_regex(text) if atom else text for text, atom in _atoms(pattern))
    engines = {"re": re, "regex": _regex()}
    candidates = _engine_differences(src, dst)
    out = []
    for text, atom in _atoms(pattern):
        if not atom:
            out.append(text)
            continue
        a = set(engines[src].findall(text, candidates))
        b = set(engines[dst].findall(text, candidates))
        added, removed = a - b, b - a
        if not added and not removed:
            out.append(text)
            continue
        core = f"(?!{_class_of(removed)}){text}" if removed else text
        out.append(f"(?:{core}|{_class_of(added)})" if added else f"(?:{core})")
    return "".join(out)


def our_engine() -> str:
    """The regex engine of our tokenizer: "regex" (the third-party module) or "re"."""
    from analysis.text import tokens

    return "re" if isinstance(tokens.COUNTED_RE, re.Pattern) else "regex"


@lru_cache(maxsize=None)
def token_pattern(engine: str | None = None) -> str:
    """Our counted-token regex (every token kind but punctuation), non-capturing, written for ``engine``
    ("re" for scikit-learn, "regex" for NLTK, whose RegexpTokenizer compiles with the regex module; None =
    ours), so that the baselines count exactly what we count. Taken from :mod:`analysis.tokens`.
    """
    from analysis.text import tokens

    pattern = getattr(tokens, "COUNTED_PATTERN", None) or getattr(tokens, "TOKEN_PATTERN")
    if hasattr(pattern, "pattern"):
        pattern = pattern.pattern
    return translate_pattern(_non_capturing(pattern), our_engine(), engine or our_engine())


def normalize_text(text: str) -> str:
    """What every tool reads: the text lowercased, typographic apostrophe as ASCII (as CountVectorizer's
    lowercase=True, and as our tokenizer reads it)."""
    return text.lower().replace("\u2019", "'")


# --- shared tail: counts -> frequency table -> keyness ------------------------------------------------------

def frequency_table(term_counts: dict[str, Counter], doc_counts: dict[str, Counter],
                    n_docs: dict[str, int]):
    """A baseline's counts as the kit's frequency table (group, term, count, per_10k, docs, n_docs, total)."""
    import pandas as pd

    rows = []
    for group in sorted(term_counts):
        counts = term_counts[group]
        total = sum(counts.values())
        for term, count in counts.items():
            rows.append((group, term, count, doc_counts[group][term], n_docs[group], total))
    frame = pd.DataFrame(rows, columns=["group", "term", "count", "docs", "n_docs", "total"])
    frame.insert(3, "per_10k", frame["count"] * 10_000 / frame["total"])
    return frame.sort_values(["group", "count", "term"], ascending=[True, False, True], kind="stable",
                             ignore_index=True)


def _finish(freqs, group_a: str, group_b: str, n_docs: int, verify: bool) -> dict:
    """Keyness on ``freqs``; the figures every workload reports (and its counts when verifying)."""
    from analysis.stats.keyness import keyness

    table = keyness(freqs, group_a, group_b)
    totals = freqs.groupby("group", sort=True)["total"].first()
    out = {"documents": n_docs, "tokens": int(totals.sum()), "keyness_rows": len(table),
           "vocabulary": int(freqs["term"].nunique()), "group_totals": {g: int(t) for g, t in totals.items()}}
    if verify:
        out["counts"] = {(g, t): int(c) for g, t, c in zip(freqs["group"], freqs["term"], freqs["count"])}
        out["docs"] = {(g, t): int(c) for g, t, c in zip(freqs["group"], freqs["term"], freqs["docs"])}
        out["top_keyness"] = list(table["term"].head(20))
    return out


# --- the workloads -----------------------------------------------------------------------------------------

def _run_streaming(count, corpus: dict, group_a: str, group_b: str, language: str, verify: bool) -> dict:
    seen = [0]

    def counted():
        for rec in documents(**corpus):
            seen[0] += 1
            yield rec

    freqs = count(counted(), group_col="group", language=language)
    return _finish(freqs, group_a, group_b, seen[0], verify)


def run_ours(corpus: dict, group_a: str, group_b: str, language: str = "auto", verify: bool = False) -> dict:
    """Our pipeline: iter_documents -> counts.count_documents (streaming) -> keyness."""
    from analysis.stats.counts import count_documents

    return _run_streaming(count_documents, corpus, group_a, group_b, language, verify)


def run_ours_processes(corpus: dict, group_a: str, group_b: str, language: str = "auto",
                       verify: bool = False) -> dict:
    """Our pipeline with counting spread over one process per core (the report backend ``processes``):
    iter_documents -> distributed.count_documents_processes -> keyness."""
    from analysis.pipeline.backends import count_documents_processes

    return _run_streaming(count_documents_processes, corpus, group_a, group_b, language, verify)


def run_countvectorizer(corpus: dict, group_a: str, group_b: str, language: str = "auto",
                        verify: bool = False) -> dict:
    """scikit-learn: CountVectorizer(token_pattern=ours, lowercase=True).fit_transform over the documents,
    then rows summed per group (a group-indicator matrix times the document-term matrix)."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer

    groups: list[str] = []

    def texts():
        for rec in documents(**corpus):
            groups.append(rec["group"])
            yield rec["text"].replace("\u2019", "'")  # our apostrophe normalization, as its preprocessing

    vec = CountVectorizer(token_pattern=token_pattern("re"), lowercase=True, dtype=np.int64)
    matrix = vec.fit_transform(texts())
    names, codes = np.unique(np.asarray(groups, dtype=object), return_inverse=True)
    indicator = sp.csr_matrix((np.ones(len(groups), dtype=np.int64), (codes, np.arange(len(groups)))),
                              shape=(len(names), len(groups)))
    per_group = (indicator @ matrix).tocsr()
    present = matrix.copy()
    present.data[:] = 1
    docs_group = (indicator @ present).tocsr()
    per_group.sort_indices()
    docs_group.sort_indices()  # same sparsity structure as per_group: a term is counted iff it is in a document
    vocab = vec.get_feature_names_out()
    term_counts, doc_counts = {}, {}
    for r, g in enumerate(names):
        lo, hi = per_group.indptr[r], per_group.indptr[r + 1]
        terms = vocab[per_group.indices[lo:hi]].tolist()
        term_counts[str(g)] = Counter(dict(zip(terms, per_group.data[lo:hi].tolist())))
        doc_counts[str(g)] = Counter(dict(zip(terms, docs_group.data[lo:hi].tolist())))
    n_docs = {str(g): int(n) for g, n in zip(names, np.bincount(codes))}
    return _finish(frequency_table(term_counts, doc_counts, n_docs), group_a, group_b, len(groups), verify)


def run_nltk(corpus: dict, group_a: str, group_b: str, language: str = "auto", verify: bool = False) -> dict:
    """NLTK: RegexpTokenizer(ours) on each lowercased document, FreqDist per group (and a FreqDist of
    the document's distinct terms for document frequencies)."""
    from nltk.probability import FreqDist
    from nltk.tokenize import RegexpTokenizer

    tokenizer = RegexpTokenizer(token_pattern("regex"))
    term_counts: dict[str, FreqDist] = {}
    doc_counts: dict[str, FreqDist] = {}
    n_docs: Counter = Counter()
    for rec in documents(**corpus):
        group = rec["group"]
        toks = tokenizer.tokenize(normalize_text(rec["text"]))
        if group not in term_counts:
            term_counts[group], doc_counts[group] = FreqDist(), FreqDist()
        term_counts[group].update(toks)
        doc_counts[group].update(set(toks))
        n_docs[group] += 1
    return _finish(frequency_table(term_counts, doc_counts, n_docs), group_a, group_b, sum(n_docs.values()),
                   verify)


def run_scattertext(corpus: dict, group_a: str, group_b: str, language: str = "auto",
                    verify: bool = False) -> dict:
    """scattertext: CorpusFromPandas(nlp=whitespace_nlp_with_sentences, unigram features).build(), then
    get_term_freq_df() and the document frequencies of its term-document matrix -> the same keyness.

    scattertext tokenizes with its own splitter (it takes no token pattern), so its counts differ a little
    from ours; the comparison is of throughput.
    """
    import numpy as np
    import pandas as pd
    import scattertext as st

    frame = pd.DataFrame(list(documents(**corpus)))
    feats = st.UnigramsFromSpacyDoc() if hasattr(st, "UnigramsFromSpacyDoc") else st.FeatsFromSpacyDoc()
    built = st.CorpusFromPandas(frame, category_col="group", text_col="text",
                                nlp=st.whitespace_nlp_with_sentences, feats_from_spacy_doc=feats).build()
    tf = built.get_term_freq_df()
    matrix = built.get_term_doc_mat().tocsc()
    cats = np.asarray(built.get_category_names_by_row())
    terms = built.get_terms()
    term_counts, doc_counts = {}, {}
    n_docs = {str(g): int((cats == g).sum()) for g in np.unique(cats)}
    for g in n_docs:
        rows = matrix[np.flatnonzero(cats == g)]
        present = np.asarray((rows > 0).sum(axis=0)).ravel()
        col = tf[f"{g} freq"]
        term_counts[g] = Counter({t: int(c) for t, c in col.items() if c})
        doc_counts[g] = Counter({terms[i]: int(present[i]) for i in np.flatnonzero(present)})
    return _finish(frequency_table(term_counts, doc_counts, n_docs), group_a, group_b, len(frame), verify)


WORKLOADS = {
    "ours": "bench.workloads:run_ours",
    "ours, 1 process per core": "bench.workloads:run_ours_processes",
    "CountVectorizer": "bench.workloads:run_countvectorizer",
    "NLTK": "bench.workloads:run_nltk",
    "scattertext": "bench.workloads:run_scattertext",
}


def sample_file(path: str, step: int, limit: int | None, folder: str) -> str | None:
    """A JSONL file of every ``step``-th line of the JSONL corpus ``path`` (at most ``limit`` lines), written in
    ``folder``, so that a sample is read as fast as a corpus of its size; None if ``path`` is not JSONL."""
    import os

    from analysis.corpus import detect_format

    if detect_format(path).kind != "jsonl":
        return None
    out = os.path.join(folder, f"sample-every-{step}-max-{limit}.jsonl")
    kept = 0
    with open(path, "rb") as src, open(out, "wb") as dst:
        for i, line in enumerate(l for l in src if l.strip()):
            if i % step:
                continue
            if limit is not None and kept >= limit:
                break
            dst.write(line if line.endswith(b"\n") else line + b"\n")
            kept += 1
    return out


def count_documents_in(path: str) -> int:
    """Documents of a corpus (one pass, streaming)."""
    from analysis.corpus import detect_format, iter_documents

    if detect_format(path).kind == "jsonl":
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    return sum(1 for _ in iter_documents(path))


