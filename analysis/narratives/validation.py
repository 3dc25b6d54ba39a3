"""Validation of the frames by human coding: a blind, stratified sample of sentences, and its scores.

**Sampling** (:func:`draw_sample`). Sentences are those of :mod:`analysis.text.parse`, frame labels those of
:func:`analysis.narratives.frames.frames_in`. For each side (group) and language, with one seeded generator:

1. ``n_random`` sentences drawn uniformly from all its sentences, whatever their labels (stratum ``random``:
   recall is estimated on them);
2. then, for each frame, up to ``k`` sentences drawn uniformly from those the kit labels with the frame and
   not drawn yet (stratum ``labelled``, ``picked_for`` = the frame).

Every sampled sentence (a *unit*) is shown to the coder once per frame of the lexicon, so the coder's file
(one row per unit and frame, units in a shuffled order) does not tell which frame, if any, the kit gave it,
nor which stratum the unit comes from: coding is blind. Those are in a separate key file (``*.key.csv``:
``sample_id``, ``unit``, ``stratum``, ``picked_for``, ``kit_label``, ``term``) that coders are not given.

**Scoring** (:func:`precision_recall`, :func:`agreement`). A coded file keeps the coder file's columns with
``code`` (and, for a second coder, ``code_2``) filled with 1 (the sentence evokes the frame), 0 (it does
not) or left empty (not coded). Per frame and language:

- precision: among the coded units the kit labels with the frame (any stratum), the share coded 1, with a
  Wilson score interval (95 %);
- recall: among the coded units of the ``random`` stratum coded 1, the share the kit labels, with its
  Wilson interval;
- agreement: Krippendorff's α (nominal) and Cohen's κ between ``code`` and ``code_2`` over the rows both
  coded.

The kit's labels are recomputed from the sentences by :func:`relabel` so that the scores follow the frame
lexicon in force (the key's ``kit_label`` is the label at sampling time).
"""
from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError, Problem
from analysis.narratives.frames import _lexicon, frame_rules, frames_in
from analysis.text.parse import parse_document, parse_documents
from analysis.text.tokens import document_languages

CODER_COLUMNS = ["sample_id", "unit", "doc_id", "group", "language", "sentence_id", "frame", "sentence", "code"]
KEY_COLUMNS = ["sample_id", "unit", "stratum", "picked_for", "kit_label", "term"]
SCORE_COLUMNS = ["frame", "language", "measure", "n", "hits", "value", "ci_low", "ci_high"]
AGREEMENT_COLUMNS = ["frame", "n_rows", "agreement", "alpha", "kappa"]
CODES = {"0": 0, "1": 1, "": None}


def key_path(sample: str | Path) -> Path:
    """The key file beside a coder file: ``sample.csv`` -> ``sample.key.csv``."""
    p = Path(sample)
    return p.with_name(p.stem + ".key.csv")


def readme_path(sample: str | Path) -> Path:
    p = Path(sample)
    return p.with_name(p.stem + ".README.md")


def _sentences(docs: pd.DataFrame, lexicon, group_col: str) -> pd.DataFrame:
    """Every sentence of the corpus: doc_id, group, language, sentence_id, sentence, frames (tuple), terms."""
    rules = frame_rules(lexicon)
    langs = document_languages(docs)
    rows = []
    for doc in parse_documents(docs, group_col):
        found, _ = frames_in(doc, rules)
        labels: dict[int, list[tuple[str, str]]] = {}
        for r in found:
            labels.setdefault(r["sentence_id"], []).append((r["frame"], r["term"]))
        lang = langs.get(doc.doc_id, doc.language)
        for sid, (s, e) in enumerate(doc.index.spans):
            text = " ".join(doc.text[s:e].split())
            if not text:
                continue
            got = labels.get(sid, [])
            rows.append({"doc_id": doc.doc_id, "group": doc.group, "language": lang, "sentence_id": sid,
                         "sentence": text, "frames": tuple(f for f, _ in got), "terms": dict(got)})
    return pd.DataFrame(rows, columns=["doc_id", "group", "language", "sentence_id", "sentence", "frames", "terms"])


def draw_sample(docs: pd.DataFrame, lexicon=None, k: int = 15, n_random: int = 40, seed: int = 0,
                group_col: str = "group") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coder table (``CODER_COLUMNS``, ``code`` empty) and the key table (``KEY_COLUMNS``) of a sample
    drawn as the module docstring says. Deterministic for a given corpus, lexicon and seed."""
    for name, v in (("k", k), ("n_random", n_random), ("seed", seed)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
            raise ParameterError(name, f"must be a whole number >= 0, not {v!r}")
    if k == 0 and n_random == 0:
        raise ParameterError("k", "k and n_random are both 0: the sample would be empty")
    frame_ids = [f for f, _ in frame_rules(lexicon)]
    sents = _sentences(docs, lexicon, group_col)
    rng = np.random.default_rng(seed)
    picked: list[tuple[int, str, str]] = []  # (row of sents, stratum, picked_for)
    for (_, _), part in sents.groupby(["group", "language"], sort=True):
        rows = part.index.to_numpy()
        chosen = set(rng.choice(rows, size=min(n_random, len(rows)), replace=False).tolist()) if n_random else set()
        picked += [(int(i), "random", "") for i in sorted(chosen)]
        for fid in frame_ids:
            pool = [i for i in rows if fid in sents.at[i, "frames"] and i not in chosen]
            take = rng.choice(pool, size=min(k, len(pool)), replace=False).tolist() if pool and k else []
            chosen.update(take)
            picked += [(int(i), "labelled", fid) for i in sorted(take)]
    order = rng.permutation(len(picked))
    coder, key = [], []
    for u, j in enumerate(order, start=1):
        i, stratum, picked_for = picked[j]
        s = sents.loc[i]
        unit = f"u{u:04d}"
        for fid in frame_ids:
            sid = f"{unit}-{fid}"
            coder.append({"sample_id": sid, "unit": unit, "doc_id": s["doc_id"], "group": s["group"],
                          "language": s["language"], "sentence_id": int(s["sentence_id"]), "frame": fid,
                          "sentence": s["sentence"], "code": ""})
            key.append({"sample_id": sid, "unit": unit, "stratum": stratum, "picked_for": picked_for,
                        "kit_label": int(fid in s["frames"]), "term": s["terms"].get(fid, "")})
    return pd.DataFrame(coder, columns=CODER_COLUMNS), pd.DataFrame(key, columns=KEY_COLUMNS)


README = """# Coding sample: does the sentence evoke the frame?

Files: `{coder}` (give it to the coders), `{key}` (the kit's labels and strata: do NOT open it, and do not
give it to coders, before the coding is finished).

`{coder}` has one row per sentence and frame (`unit` = the sentence, repeated once per frame). For each row,
read the sentence (only the sentence: not the document around it) and fill the column `code`:

- `1`: the sentence evokes the frame as defined below;
- `0`: it does not;
- leave it empty if you cannot decide (the row is then not counted).

A second coder fills a column `code_2` (add it to a copy of the file, code without looking at `code`).
Do not edit any other column, do not add or remove rows. Then give the file back:
`python -m analysis sample -p codes CODED.csv -p key {key} --out SCORES.csv`.

## The frames

{frames}
Sample: {n_units} sentences ({n_rows} rows), seed {seed}, up to {k} sentences per frame, side and language
labelled by the kit and {n_random} per side and language drawn at random, all shuffled together.
"""


def write_sample(docs: pd.DataFrame, out: str | Path, lexicon=None, k: int = 15, n_random: int = 40,
                 seed: int = 0, group_col: str = "group") -> tuple[Path, Path, Path]:
    """Write the coder file ``out`` (CSV), its key (``*.key.csv``) and the coders' instructions
    (``*.README.md``) beside it; returns their paths."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise ParameterError("out", f"the sample is a CSV file, got {str(out)!r}", "a path ending in .csv")
    coder, key = draw_sample(docs, lexicon, k, n_random, seed, group_col)
    out.parent.mkdir(parents=True, exist_ok=True)
    coder.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
    key.to_csv(key_path(out), index=False)
    lex = _lexicon(lexicon)
    frames = "".join(f"- **{r.frame}** ({r.label}): {r.definition}\n" for r in lex.itertuples())
    readme_path(out).write_text(README.format(coder=out.name, key=key_path(out).name, frames=frames,
                                              n_units=coder["unit"].nunique(), n_rows=len(coder), seed=seed, k=k,
                                              n_random=n_random), encoding="utf-8")
    return out, key_path(out), readme_path(out)


def _read_rows(path: Path, required: Sequence[str], problems: list[Problem]) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        problems.append(Problem(str(path), None, f"cannot read: {err.strerror or err}"))
        return [], []
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, "not UTF-8 text: save it as UTF-8 CSV"))
        return [], []
    reader = csv.DictReader(text.splitlines(keepends=True))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(Problem(str(path), 1, f"missing column(s) {', '.join(missing)}; found: "
                                f"{', '.join(columns) or 'none'}"))
        return columns, []
    rows, line = [], 2
    try:
        for row in reader:
            if None in row:
                problems.append(Problem(str(path), line, f"more fields than the {len(columns)} columns of the header"))
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, f"malformed CSV: {exc}"))
    return columns, rows


def read_codes(codes: str | Path, key: str | Path | None = None) -> pd.DataFrame:
    """A coded file joined to its key: the coder columns, ``code`` (and ``code_2`` if present) as 0, 1 or
    missing, and the key's ``stratum``, ``picked_for``, ``kit_label``. ``key`` defaults to the coded file's
    ``*.key.csv``. Raises CorpusError naming the file and line of every fault: missing columns, unknown or
    repeated sample ids, codes other than 0, 1 or empty."""
    codes = Path(codes)
    key = Path(key) if key else key_path(codes)
    problems: list[Problem] = []
    if not key.is_file():
        raise CorpusError(Problem(str(key), None, "no key file: give the *.key.csv written with the sample "
                                  "(--key)"))
    _, key_rows = _read_rows(key, KEY_COLUMNS, problems)
    columns, rows = _read_rows(codes, CODER_COLUMNS, problems)
    if problems:
        raise CorpusError(problems)
    keyed = {r["sample_id"]: r for _, r in key_rows}
    coders = [c for c in ("code", "code_2") if c in columns]
    seen: dict[str, int] = {}
    out = []
    for line, row in rows:
        sid = (row.get("sample_id") or "").strip()
        if sid not in keyed:
            problems.append(Problem(str(codes), line, f"unknown sample_id {sid!r} (not in {key.name})", "sample_id"))
            continue
        if sid in seen:
            problems.append(Problem(str(codes), line, f"sample_id {sid!r} repeated (first at line {seen[sid]})",
                                    "sample_id"))
            continue
        seen[sid] = line
        rec = {c: row.get(c) for c in CODER_COLUMNS}
        if not str(rec["sentence_id"] or "").strip().isdigit():
            problems.append(Problem(str(codes), line, f"sentence_id {rec['sentence_id']!r} is not a number: "
                                    "do not edit that column", "sentence_id"))
        for c in coders:
            value = (row.get(c) or "").strip()
            if value not in CODES:
                problems.append(Problem(str(codes), line, f"code {value!r}: use 1, 0 or leave it empty", c))
            rec[c] = CODES.get(value)
        k = keyed[sid]
        rec.update(stratum=k["stratum"], picked_for=k["picked_for"], kit_label=int(k["kit_label"] == "1"))
        out.append(rec)
    if problems:
        raise CorpusError(problems)
    frame = pd.DataFrame(out)
    for c in coders:
        frame[c] = frame[c].astype("Int64")
    frame["sentence_id"] = frame["sentence_id"].astype("int64")
    return frame


def listed_documents(files: Sequence[str | Path]) -> set[str]:
    """The doc_ids listed in CSV files with a ``doc_id`` column (documents to leave out of a sample)."""
    problems: list[Problem] = []
    ids: set[str] = set()
    for f in files:
        _, rows = _read_rows(Path(f), ["doc_id"], problems)
        ids.update((r.get("doc_id") or "").strip() for _, r in rows)
    if problems:
        raise CorpusError(problems)
    return ids - {""}


def relabel(coded: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """``coded`` with ``kit_label`` recomputed by the frame lexicon in force: 1 when
    :func:`~analysis.narratives.frames.frames_in` labels the unit's sentence with the row's frame."""
    rules = frame_rules(lexicon)
    labels: dict[str, set[str]] = {}
    for unit, sent in coded.drop_duplicates("unit")[["unit", "sentence"]].itertuples(index=False):
        labels[unit] = {r["frame"] for r in frames_in(parse_document(unit, "", sent), rules)[0]}
    kit = [int(f in labels[u]) for u, f in zip(coded["unit"], coded["frame"])]
    return coded.assign(kit_label=kit)


def score_codes(codes: str | Path, key: str | Path | None = None, lexicon=None, coder: str = "code") -> pd.DataFrame:
    """Precision and recall per frame and language of a coded sample, with the kit's labels recomputed by the
    frame lexicon in force (:func:`read_codes`, :func:`relabel`, :func:`precision_recall`)."""
    return precision_recall(relabel(read_codes(codes, key), lexicon), coder)


def wilson(hits: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a proportion hits/n (NaN, NaN when n = 0)."""
    if n == 0:
        return math.nan, math.nan
    p = hits / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    den = 1 + z * z / n
    return (centre - half) / den, (centre + half) / den


def precision_recall(coded: pd.DataFrame, coder: str = "code") -> pd.DataFrame:
    """Precision and recall of each frame in each language (``SCORE_COLUMNS``; see the module docstring).
    ``n`` = the units counted, ``hits`` = those coded 1 (precision) or labelled by the kit (recall)."""
    if coder not in coded.columns:
        raise ParameterError("coder", f"no column {coder!r} in the coded table")
    done = coded[coded[coder].notna()]
    rows = []
    for (fid, lang), part in done.groupby(["frame", "language"], sort=True):
        code = part[coder].astype(int)
        lab = part["kit_label"].astype(int) == 1
        rnd = (part["stratum"] == "random") & (code == 1)
        for measure, n, hits in (("precision", int(lab.sum()), int(code[lab].sum())),
                                 ("recall", int(rnd.sum()), int(lab[rnd].sum()))):
            lo, hi = wilson(hits, n)
            rows.append({"frame": fid, "language": lang, "measure": measure, "n": n, "hits": hits,
                         "value": hits / n if n else math.nan, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def krippendorff_alpha_nominal(units: Sequence[Sequence]) -> float:
    """Krippendorff's α for nominal data. ``units``: one sequence per unit of the values the coders gave
    (None or NaN = not coded). Units with fewer than two values are not pairable and are left out.
    α = 1 - D_o / D_e from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
    alpha-reliability"); NaN when fewer than two pairable values or when every value is the same."""
    coincid: dict[tuple, float] = {}
    for unit in units:
        vals = [v for v in unit if v is not None and not (isinstance(v, float) and math.isnan(v))
                and v is not pd.NA]
        m = len(vals)
        if m < 2:
            continue
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    coincid[(a, b)] = coincid.get((a, b), 0.0) + 1.0 / (m - 1)
    n = sum(coincid.values())
    if n < 2:
        return math.nan
    totals: dict = {}
    for (a, _), w in coincid.items():
        totals[a] = totals.get(a, 0.0) + w
    observed = sum(w for (a, b), w in coincid.items() if a != b)
    expected = (n * n - sum(t * t for t in totals.values())) / (n - 1)
    if expected == 0:
        return math.nan
    return 1.0 - observed / expected


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's κ of two coders' values over the same items: (p_o - p_e) / (1 - p_e), p_e from each coder's
    own marginals (Cohen 1960). NaN when there are no items or when p_e = 1 (both coders gave one value)."""
    n = len(a)
    if n == 0 or n != len(b):
        return math.nan
    observed = sum(x == y for x, y in zip(a, b)) / n
    values = set(a) | set(b)
    expected = sum((list(a).count(v) / n) * (list(b).count(v) / n) for v in values)
    if expected == 1:
        return math.nan
    return (observed - expected) / (1 - expected)


def agreement(coded: pd.DataFrame, coders: tuple[str, str] = ("code", "code_2")) -> pd.DataFrame:
    """Agreement of two coders per frame and over all rows (frame "all"): ``n_rows`` coded by both, the raw
    share of agreement, Krippendorff's α (nominal) and Cohen's κ."""
    for c in coders:
        if c not in coded.columns:
            raise ParameterError("coders", f"no column {c!r} in the coded table (a second coder fills 'code_2')")
    both = coded[coded[coders[0]].notna() & coded[coders[1]].notna()]
    rows = []
    for fid, part in [*both.groupby("frame", sort=True), ("all", both)]:
        a, b = part[coders[0]].astype(int).to_numpy(), part[coders[1]].astype(int).to_numpy()
        rows.append({"frame": fid, "n_rows": len(part), "agreement": float((a == b).mean()) if len(part) else math.nan,
                     "alpha": krippendorff_alpha_nominal(list(zip(a.tolist(), b.tolist()))),
                     "kappa": cohen_kappa(a.tolist(), b.tolist())})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
