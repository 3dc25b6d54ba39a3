"""Validation loop (analysis.narratives.validation): blind sample, coded-file checks, precision/recall, α."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import CorpusError
from analysis.narratives import validation as V
from tests.conftest import ROOT

LEXICON = """- id: drugs
  label: Drugs
  definition: drugs named
  terms: [cocaine, heroin]
- id: court
  label: Court
  definition: courts named
  terms: [judge, court]
"""
CODING = ROOT / "tests" / "fixtures" / "annotations" / "frames_coding"


@pytest.fixture()
def lexicon(tmp_path) -> Path:
    p = tmp_path / "frames.yaml"
    p.write_text(LEXICON, encoding="utf-8")
    return p


@pytest.fixture()
def docs() -> pd.DataFrame:
    en = " ".join(f"Sentence {i} is plain." for i in range(6)) + " Cocaine was sold. Heroin too. The judge spoke."
    fr = "Le juge parle. La cocaine circule. Rien ici. Encore rien."
    return pd.DataFrame({"doc_id": ["e1", "f1"], "group": ["us", "fr"], "language": ["en", "fr"], "text": [en, fr]})


def test_wilson_interval_by_hand():
    lo, hi = V.wilson(8, 10)
    # p = .8, z = 1.96: centre (0.8 + 0.19208) / 1.38415, half 1.96 sqrt(0.016 + 0.0009604) / 1.38415
    assert lo == pytest.approx(0.4902, abs=1e-4) and hi == pytest.approx(0.9433, abs=1e-4)
    assert V.wilson(0, 5)[0] == 0.0 and all(math.isnan(x) for x in V.wilson(0, 0))


def test_krippendorff_alpha_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: 4 coders, 12 units
    n = None
    units = list(zip([1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                     [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]))
    assert V.krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_two_coders_by_hand():
    # units (0,0), (1,1), (0,1): o00 = 2, o11 = 2, o01 = o10 = 1; n = 6, n0 = n1 = 3
    # D_o = 2, D_e = (36 - 9 - 9) / 5 = 3.6, alpha = 1 - 2 / 3.6
    assert V.krippendorff_alpha_nominal([(0, 0), (1, 1), (0, 1)]) == pytest.approx(1 - 2 / 3.6)
    assert V.krippendorff_alpha_nominal([(0, 0), (1, 1)]) == 1.0
    assert math.isnan(V.krippendorff_alpha_nominal([(1, 1), (1, 1)]))  # no variation: undefined
    assert math.isnan(V.krippendorff_alpha_nominal([(1, None)]))


def test_sample_is_stratified_blind_and_deterministic(docs, lexicon):
    coder, key = V.draw_sample(docs, lexicon, k=1, n_random=2, seed=3)
    assert list(coder.columns) == V.CODER_COLUMNS and list(key.columns) == V.KEY_COLUMNS
    assert not {"stratum", "picked_for", "kit_label", "term"} & set(coder.columns)
    assert (coder["code"] == "").all() and coder["sample_id"].is_unique
    # every unit is shown once per frame, whatever its stratum
    assert all(sorted(frames) == ["court", "drugs"] for frames in coder.groupby("unit")["frame"].apply(list))
    units = key.drop_duplicates("unit").merge(coder.drop_duplicates("unit")[["unit", "language"]], on="unit")
    # per side and language: 2 random sentences, then at most 1 per frame among the labelled ones not drawn yet
    assert units[units["stratum"] == "random"].groupby("language").size().to_dict() == {"en": 2, "fr": 2}
    sents = V._sentences(docs, lexicon, "group")
    rand = {(d, i) for d, i, st in zip(coder["doc_id"], coder["sentence_id"], key["stratum"]) if st == "random"}
    for lang, part in sents.groupby("language"):
        for fid in ("drugs", "court"):
            left = [(d, i) for d, i, fr in zip(part["doc_id"], part["sentence_id"], part["frames"])
                    if fid in fr and (d, i) not in rand]
            got = units[(units["language"] == lang) & (units["picked_for"] == fid)]
            assert len(got) == min(1, len(left)) 
    merged = coder.merge(key, on=["sample_id", "unit"])
    picked = merged[(merged["stratum"] == "labelled") & (merged["frame"] == merged["picked_for"])]
    assert (picked["kit_label"] == 1).all() and len(picked) == (units["stratum"] == "labelled").sum()
    assert (merged.loc[merged["kit_label"] == 1, "term"] != "").all()
    again, key2 = V.draw_sample(docs, lexicon, k=1, n_random=2, seed=3)
    pd.testing.assert_frame_equal(coder, again)
    pd.testing.assert_frame_equal(key, key2)
    other, _ = V.draw_sample(docs, lexicon, k=1, n_random=2, seed=4)
    assert not coder["sentence"].equals(other["sentence"])


def test_sample_takes_at_most_what_exists(docs, lexicon):
    coder, key = V.draw_sample(docs, lexicon, k=50, n_random=0)
    # English: 2 drug sentences + 1 court sentence; French: 1 drug sentence ("juge" is no term of the lexicon)
    assert coder["unit"].nunique() == 4 and set(key["stratum"]) == {"labelled"}
    with pytest.raises(Exception, match="'k'"):
        V.draw_sample(docs, lexicon, k=-1)


def _coded(tmp_path, docs, lexicon, fill) -> tuple[Path, Path]:
    out, key, readme = V.write_sample(docs, tmp_path / "s.csv", lexicon, k=1, n_random=2, seed=1)
    assert readme.read_text(encoding="utf-8").count("**drugs** (Drugs)") == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    fill(rows)
    coded = tmp_path / "coded.csv"
    with coded.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return coded, key


def _truth(rows):
    """Code 1 exactly where the word of the frame is in the sentence, except 'Heroin too.' coded 0 for drugs."""
    for r in rows:
        s = r["sentence"].lower()
        words = {"drugs": ("cocaine", "heroin"), "court": ("judge", "juge", "court")}[r["frame"]]
        r["code"] = "1" if any(w in s for w in words) and s != "heroin too." else "0"


def test_precision_recall_and_agreement_from_a_coded_file(tmp_path, docs, lexicon):
    coded, key = _coded(tmp_path, docs, lexicon, _truth)
    table = V.read_codes(coded, key)
    scores = V.precision_recall(V.relabel(table, lexicon))
    assert list(scores.columns) == V.SCORE_COLUMNS
    by = scores.set_index(["frame", "language", "measure"])
    kit = V.relabel(table, lexicon)
    for (fid, lang), part in kit.groupby(["frame", "language"]):
        lab = part[part["kit_label"] == 1]
        assert by.loc[(fid, lang, "precision"), "n"] == len(lab)
        assert by.loc[(fid, lang, "precision"), "hits"] == int(lab["code"].sum())
    # the French "juge" is not a term of the lexicon: a court sentence the kit misses
    fr_court = kit[(kit["language"] == "fr") & (kit["frame"] == "court")]
    assert (fr_court["kit_label"] == 0).all()
    if ((fr_court["stratum"] == "random") & (fr_court["code"] == 1)).any():
        assert by.loc[("court", "fr", "recall"), "value"] == 0.0
    # a second coder who disagrees on one row
    table["code_2"] = table["code"].copy()
    table.loc[0, "code_2"] = 1 - table.loc[0, "code"]
    agr = V.agreement(table).set_index("frame")
    assert agr.loc["all", "n_rows"] == len(table)
    assert agr.loc["all", "agreement"] == pytest.approx(1 - 1 / len(table))
    assert agr.loc["all", "alpha"] < 1


def test_precision_counts_by_hand():
    coded = pd.DataFrame({
        "unit": ["u1", "u2", "u3", "u4", "u5"], "frame": ["f"] * 5, "language": ["en"] * 5,
        "stratum": ["labelled", "labelled", "random", "random", "random"],
        "kit_label": [1, 1, 1, 0, 0], "code": pd.array([1, 0, 1, 1, None], dtype="Int64")})
    s = V.precision_recall(coded).set_index("measure")
    assert (s.loc["precision", "n"], s.loc["precision", "hits"]) == (3, 2)  # u1, u2, u3 labelled; u1, u3 right
    assert (s.loc["recall", "n"], s.loc["recall", "hits"]) == (2, 1)  # random coded 1: u3 (found), u4 (missed)


@pytest.mark.parametrize("edit, line, fragment", [
    (lambda rows, cols: rows[2].update(code="yes"), 4, "code 'yes'"),
    (lambda rows, cols: rows[1].update(sample_id="u9999-drugs"), 3, "unknown sample_id 'u9999-drugs'"),
    (lambda rows, cols: rows[3].update(sample_id=rows[0]["sample_id"]), 5, "repeated (first at line 2)"),
    (lambda rows, cols: rows[0].update(code="2"), 2, "code '2'"),
    (lambda rows, cols: rows[0].update(sentence_id="x"), 2, "sentence_id 'x'"),
    (lambda rows, cols: cols.remove("code"), 1, "missing column(s) code"),
])
def test_bad_coded_files_are_refused_with_file_and_line(tmp_path, docs, lexicon, edit, line, fragment):
    out, key, _ = V.write_sample(docs, tmp_path / "s.csv", lexicon, k=1, n_random=2)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    cols = list(rows[0])
    for r in rows:
        r["code"] = "0"
    edit(rows, cols)
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(CorpusError) as err:
        V.read_codes(bad, key)
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith(f"{bad}, line {line}") and fragment in m for m in messages), messages


def test_missing_key_is_refused(tmp_path, docs, lexicon):
    out, _, _ = V.write_sample(docs, tmp_path / "s.csv", lexicon, k=1, n_random=1)
    with pytest.raises(CorpusError, match="no key file"):
        V.read_codes(out, tmp_path / "none.key.csv")


def test_cli_sample_then_score(tmp_path, docs, lexicon, capsys):
    corpus = tmp_path / "c.jsonl"
    docs.to_json(corpus, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "out" / "s.csv"
    assert main(["sample", "--corpus", str(corpus), "--out", str(out), "-p", "k", "1", "-p", "n_random", "1",
                 "-p", "lexicon", str(lexicon), "-p", "groups", "us"]) == 0
    coder = pd.read_csv(out, keep_default_na=False)
    assert set(coder["group"]) == {"us"} and V.key_path(out).is_file() and V.readme_path(out).is_file()
    coder["code"] = 1
    coder["code_2"] = 1
    coder.to_csv(out, index=False)
    scores = tmp_path / "scores.csv"
    assert main(["sample", "--out", str(scores), "-p", "codes", str(out), "-p", "lexicon", str(lexicon)]) == 0
    table = pd.read_csv(scores)
    assert set(table["measure"]) == {"precision", "recall"}
    assert (table.loc[table["measure"] == "precision", "value"].dropna() == 1.0).all()
    assert (tmp_path / "scores.agreement.csv").is_file()
    assert main(["sample", "--corpus", str(corpus), "--out", str(out), "-p", "k", "ten"]) == 2
    assert main(["sample", "--corpus", str(corpus), "--out", str(out), "-p", "nope", "1"]) == 2
    assert "unknown parameter" in capsys.readouterr().err


# The target of issue 12 is a precision of 0.80 per frame and language. The committed sample (320 sentences, one
# coder) is the VALIDATION set: the frames were tuned on the development sample (DEV, below), then scored on it
# once (frames.yaml and concepts.yaml of 2026-12-02, requires/exclude). Target not reached: it is reached by
# organized_crime (en 0.97 of 32, fr 0.85 of 13) and youth en (0.90 of 10), and by health en (1.00) and
# police_means (en 0.62, fr 0.60) only on fewer than 10 labelled sentences; the lowest figure among frames with at
# least 10 labelled sentences is 0.38 (commerce, French, 16), then technology en 0.62 (13) and enforcement en 0.54
# (54). Before the tuning the floor was 0.15 (health en 0.16 then 0.29); raised to what is measured now.
TARGET, FLOOR, MIN_LABELLED = 0.80, 0.35, 10
DEV = ROOT / "tests" / "fixtures" / "annotations" / "frames_coding_dev"
# The development sample (450 sentences: 150 DOJ, 150 French drug press, 150 gilets jaunes press), on which the
# lexicon was tuned: after tuning, the lowest precision among frames with at least 10 labelled sentences is
# technology fr 0.45 (11), then commerce en 0.50 (14) and health fr 0.50 (14); target not reached either.
DEV_FLOOR = 0.45


def test_dev_sample_precision_and_no_document_shared_with_validation():
    scores = V.score_codes(DEV / "coded.csv", DEV / "sample.key.csv")
    print("\n" + scores.to_string())
    dev = V.read_codes(DEV / "coded.csv", DEV / "sample.key.csv")
    val = V.read_codes(CODING / "coded.csv", CODING / "sample.key.csv")
    assert dev.groupby("language")["unit"].nunique().min() >= 150
    assert not set(dev["doc_id"]) & set(val["doc_id"])
    assert dev["code"].notna().all()
    prec = scores[(scores["measure"] == "precision") & (scores["n"] >= MIN_LABELLED)]
    assert set(prec["language"]) == {"en", "fr"}
    assert (prec["value"] >= DEV_FLOOR).all(), prec.to_string(index=False)


def test_coded_sample_precision():
    scores = V.score_codes(CODING / "coded.csv", CODING / "sample.key.csv")
    prec = scores[(scores["measure"] == "precision") & (scores["n"] >= MIN_LABELLED)]
    print("\n" + scores.to_string(index=False))
    assert set(prec["language"]) == {"en", "fr"}
    coded = V.read_codes(CODING / "coded.csv", CODING / "sample.key.csv")
    assert coded.groupby("language")["unit"].nunique().min() >= 150
    below = prec[prec["value"] < TARGET]
    if not below.empty:
        print(f"below the target {TARGET}:\n" + below.to_string(index=False))
    assert (prec["value"] >= FLOOR).all(), prec.to_string(index=False)


VAL2 = ROOT / "tests" / "fixtures" / "annotations" / "frames_coding_val2"
DEV2 = ROOT / "tests" / "fixtures" / "annotations" / "frames_coding_dev2"
# The second validation sample (357 sentences: 185 DOJ drug releases, 172 French drug press), drawn and coded before
# the tuning round on DEV and DEV2, scored once before and once after it. Floors: the precision measured after the
# round, per frame and language with at least 10 labelled sentences, less 0.05. Target 0.80 reached only by
# organized_crime en (0.85); the lowest are commerce fr 0.22, technology fr 0.25, police_means en 0.26.
VAL2_FLOORS = {("commerce", "en"): 0.46, ("commerce", "fr"): 0.17, ("enforcement", "en"): 0.56,
               ("enforcement", "fr"): 0.65, ("health", "en"): 0.36, ("health", "fr"): 0.53,
               ("law_procedure", "en"): 0.67, ("law_procedure", "fr"): 0.59, ("organized_crime", "en"): 0.80,
               ("organized_crime", "fr"): 0.63, ("police_means", "en"): 0.21, ("technology", "en"): 0.45,
               ("technology", "fr"): 0.20, ("youth", "en"): 0.59, ("youth", "fr"): 0.67}
# Agreement of the second coder (coder2.csv, 160 units of the first validation sample coded blind) with its first
# coder: Cohen's kappa per frame as measured, less 0.05.
KAPPA_FLOORS = {"commerce": 0.71, "enforcement": 0.69, "health": 0.82, "law_procedure": 0.78,
                "organized_crime": 0.82, "police_means": 0.89, "technology": 0.68, "youth": 0.88, "all": 0.79}


def test_cohen_kappa_by_hand():
    # a = 1 1 0 0, b = 1 0 0 0: p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2, kappa = (3/4 - 1/2) / (1/2) = 1/2
    assert V.cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    assert V.cohen_kappa([1, 0], [1, 0]) == 1.0
    assert math.isnan(V.cohen_kappa([1, 1], [1, 1])) and math.isnan(V.cohen_kappa([], []))


def test_coded_samples_share_no_document():
    """The four coded samples (validation, dev, dev2, val2) were each drawn leaving out the documents of those
    before them: no document is in two of them."""
    samples = {name: set(pd.read_csv(d / "sample.csv", usecols=["doc_id"])["doc_id"])
               for name, d in (("val", CODING), ("dev", DEV), ("dev2", DEV2), ("val2", VAL2))}
    names = sorted(samples)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not samples[a] & samples[b], (a, b)


def test_val2_precision():
    scores = V.score_codes(VAL2 / "coded.csv", VAL2 / "sample.key.csv")
    print("\n" + scores.to_string(index=False))
    coded = V.read_codes(VAL2 / "coded.csv", VAL2 / "sample.key.csv")
    assert coded["code"].notna().all() and set(coded["group"]) == {"us_doj", "fr_press"}
    assert coded.groupby("language")["unit"].nunique().min() >= 150
    prec = scores[(scores["measure"] == "precision") & (scores["n"] >= MIN_LABELLED)].set_index(["frame", "language"])
    assert set(prec.index) == set(VAL2_FLOORS), sorted(set(prec.index) ^ set(VAL2_FLOORS))
    low = {cell: (prec.loc[cell, "value"], floor) for cell, floor in VAL2_FLOORS.items()
           if prec.loc[cell, "value"] < floor}
    assert not low, low


# The second development sample (171 sentences, labelled strata only), tuned on with DEV: after the round the lowest
# precision among frames with at least 10 labelled sentences is commerce fr 0.42 (12), then youth fr 0.57 (14).
DEV2_FLOOR = 0.40


def test_dev2_sample_is_coded_and_scored():
    scores = V.score_codes(DEV2 / "coded.csv", DEV2 / "sample.key.csv")
    print("\n" + scores.to_string(index=False))
    prec = scores[(scores["measure"] == "precision") & (scores["n"] >= MIN_LABELLED)]
    assert (prec["value"] >= DEV2_FLOOR).all(), prec.to_string(index=False)


def test_second_coder_agreement():
    """coder2.csv: a second coder's code_2 for 160 units of the first validation sample, coded from sample.csv
    (no code column in the file); kappa and alpha per frame against the first coder's codes."""
    second = pd.read_csv(CODING / "coder2.csv")
    assert "code" not in second.columns and second["unit"].nunique() >= 150
    assert second.groupby("unit")["frame"].nunique().eq(8).all()
    first = V.read_codes(CODING / "coded.csv", CODING / "sample.key.csv")
    both = first.merge(second[["sample_id", "code_2"]], on="sample_id")
    both["code_2"] = both["code_2"].astype("Int64")
    agr = V.agreement(both).set_index("frame")
    print("\n" + agr.to_string())
    assert list(agr.reset_index().columns) == V.AGREEMENT_COLUMNS
    for fid, floor in KAPPA_FLOORS.items():
        assert agr.loc[fid, "kappa"] >= floor, (fid, agr.loc[fid, "kappa"])
        assert agr.loc[fid, "alpha"] == pytest.approx(agr.loc[fid, "kappa"], abs=0.01)  # two coders, 0/1


def test_the_report_shows_frame_precision_from_a_coded_sample(tmp_path, monkeypatch):
    """-p codes FILE: the analysis scores the coded sample with the frames in force (its key file found beside
    it), so page 03 can show each frame's precision per language; a bad coded file is refused before any page."""
    from analysis.errors import CorpusError
    from analysis.pipeline import compute

    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "cache"))
    from conftest import SEEDS

    a = compute.analyze({"corpus": str(SEEDS), "codes": str(CODING / "coded.csv")}, use_cache=False)
    table = a.frame_validation
    assert set(table["language"]) == {"en", "fr"} and set(table["measure"]) == {"precision", "recall"}
    pd.testing.assert_frame_equal(table.reset_index(drop=True),
                                  V.score_codes(CODING / "coded.csv", CODING / "sample.key.csv").reset_index(drop=True))
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_id,code\nnot-an-id,1\n", encoding="utf-8")
    (tmp_path / "bad.key.csv").write_text((CODING / "sample.key.csv").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CorpusError):
        compute.analyze({"corpus": str(SEEDS), "codes": str(bad)}, use_cache=False)
