"""Command line: ``python -m analysis report ...`` renders the reports, ``python -m analysis validate CORPUS``
lists every problem of a corpus, ``python -m analysis sample ...`` writes a blind sample of sentences for coding
the frames (or scores a coded one).

Errors the kit raises on purpose (bad parameter, broken corpus, impossible comparison, failed run) are printed
as one clear message, without a Python traceback, and end with a non-zero exit code: 2 for a parameter, 1 for a
corpus or a failed run, 130/143 when interrupted by SIGINT/SIGTERM.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.pipeline import params as P
from analysis.errors import AnalysisError, CorpusError, ParameterError, ReportError



def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("narratives-kit")
    except PackageNotFoundError:  # a clone used without installing it
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", action="version", version=f"narratives-kit {_version()}")
    sub = ap.add_subparsers(dest="command", required=True)
    names = ", ".join(P.SPECS)
    rp = sub.add_parser("report", help="render the report pages of a corpus",
                        description="Run the notebooks through papermill and export self-contained HTML. "
                                    f"Parameters (-p NAME VALUE): {names}.")
    rp.add_argument("--corpus", help="corpus folder (manifest.csv + texts), .csv/.jsonl/.parquet file or .yaml corpus spec "
                                     "(default: seeds)")
    rp.add_argument("--out", help="output folder (default: reports/seeds, or reports/NAME for a corpus NAME)")
    rp.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                    help="a report parameter, e.g. -p group_a us_federal -p top_n 30 (repeatable)")
    rp.add_argument("--only", action="append", metavar="NOTEBOOK",
                    help="render only this notebook (name or number, e.g. 03); repeatable")
    rp.add_argument("--jobs", type=int, default=None, help="notebooks run at the same time (default: the cores)")
    rp.add_argument("--force", action="store_true", help="render even when the published report is up to date")
    rp.add_argument("--no-progress", action="store_true", help="no progress bar")
    vp = sub.add_parser("validate", help="list every problem of a corpus (exit 1 if any)")
    vp.add_argument("corpus")
    vp.add_argument("--group-col", default="group", help="column of the groups (default: group)")
    vp.add_argument("--encoding", default=None, help="encoding of the texts when not UTF-8 (e.g. cp1252)")
    sp = sub.add_parser("sample", help="write a blind sample of sentences for coding frames, or score a coded one",
                        description="Without codes: write --out FILE.csv (the coders' file), FILE.key.csv (the kit's "
                                    "labels: not for coders) and FILE.README.md (instructions). With -p codes "
                                    f"CODED.csv: precision, recall and agreement per frame and language. "
                                    f"Parameters (-p NAME VALUE): {', '.join(SAMPLE_PARAMS)}.")
    sp.add_argument("--corpus", help="corpus folder, file or .yaml spec (default: seeds)")
    sp.add_argument("--out", help="the sample CSV to write; with codes, the scores CSV (default: print them)")
    sp.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                    help="e.g. -p k 15 -p n_random 40 -p seed 0, or -p codes CODED.csv (repeatable)")
    return ap


SAMPLE_PARAMS = {"k": "sentences per frame, side and language labelled by the kit (default 15)",
                 "n_random": "sentences per side and language drawn whatever their labels (default 40)",
                 "seed": "random seed (default 0)", "lexicon": "frame lexicon YAML (default: the kit's)",
                 "group_col": "column of the groups (default group)",
                 "groups": "comma-separated groups to sample (default: all)",
                 "exclude": "comma-separated CSV files with a doc_id column: documents left out of the sample "
                 "(e.g. held-out annotation documents)",
                 "codes": "a coded sample CSV to score",
                 "key": "the key file written with the sample (default: CODED.key.csv beside the coded file)"}


def _default_corpus() -> str:
    if Path("seeds").exists():
        return "seeds"
    from analysis.report.build import SEED_DIR

    return str(SEED_DIR)


def cmd_report(args) -> int:
    from analysis.report.build import run_report

    raw: dict[str, str] = {}
    for name, value in args.param:
        if name in raw and raw[name] != value:
            raise ParameterError(name, f"given twice ({raw[name]!r} and {value!r})")
        raw[name] = value
    corpus = args.corpus or raw.pop("corpus", None) or _default_corpus()
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("jobs", f"must be at least 1, got {args.jobs}", "an integer >= 1")
    out = args.out or raw.pop("output_dir", None)
    if out is None:
        out = "reports/seeds" if Path(corpus).resolve() == (Path("seeds")).resolve() or \
            Path(corpus).name == "seeds" else str(Path("reports") / Path(corpus).stem)
    run_report(corpus=corpus, out=out, params=raw, only=args.only, jobs=args.jobs, force=args.force,
               progress=not args.no_progress, log=print)
    return 0


def cmd_validate(args) -> int:
    from analysis.corpus import load_corpus, validate_corpus

    problems = validate_corpus(args.corpus, encoding=args.encoding, group_col=args.group_col)
    if problems:
        for p in problems:
            print(p)
        n = len(problems)
        print(f"{args.corpus}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        return 1
    docs = load_corpus(args.corpus, encoding=args.encoding, group_col=args.group_col)
    groups = ""
    if args.group_col in docs.columns:
        counts = docs[args.group_col].value_counts().sort_index()
        groups = " in " + ", ".join(f"{g} ({n})" for g, n in counts.items())
    print(f"OK: {args.corpus}: {len(docs)} documents{groups}, no problem found")
    return 0


def _sample_params(pairs) -> dict[str, str]:
    raw: dict[str, str] = {}
    for name, value in pairs:
        if name not in SAMPLE_PARAMS:
            raise ParameterError(name, "unknown parameter of sample", ", ".join(SAMPLE_PARAMS))
        if name in raw and raw[name] != value:
            raise ParameterError(name, f"given twice ({raw[name]!r} and {value!r})")
        raw[name] = value
    for name in ("k", "n_random", "seed"):
        if name in raw and not raw[name].strip().isdigit():
            raise ParameterError(name, f"expected a whole number >= 0, got {raw[name]!r}", "0, 1, 2, ...")
    return raw


def cmd_sample(args) -> int:
    from analysis.narratives import validation as V

    raw = _sample_params(args.param)
    if "codes" in raw:
        coded = V.relabel(V.read_codes(raw["codes"], raw.get("key")), raw.get("lexicon") or None)
        scores = V.precision_recall(coded)
        tables = [("scores", scores)]
        if "code_2" in coded.columns:
            tables.append(("agreement", V.agreement(coded)))
        for name, table in tables:
            if args.out:
                out = Path(args.out)
                path = out if name == "scores" else out.with_name(out.stem + ".agreement.csv")
                table.to_csv(path, index=False)
                print(f"{name}: {path}")
            else:
                print(table.to_string(index=False))
        return 0
    if not args.out:
        raise ParameterError("out", "give the sample file to write (--out FILE.csv)")
    from analysis.corpus import load_corpus

    group_col = raw.get("group_col", "group")
    docs = load_corpus(args.corpus or _default_corpus(), group_col=group_col)
    if "groups" in raw:
        wanted = [g.strip() for g in raw["groups"].split(",") if g.strip()]
        unknown = sorted(set(wanted) - set(docs[group_col]))
        if unknown:
            raise ParameterError("groups", f"no documents in {', '.join(unknown)}",
                                 ", ".join(sorted(set(docs[group_col]))))
        docs = docs[docs[group_col].isin(wanted)]
    if "exclude" in raw:
        left_out = V.listed_documents([f.strip() for f in raw["exclude"].split(",") if f.strip()])
        ids = docs["source_doc_id"] if "source_doc_id" in docs.columns else docs["doc_id"]
        docs = docs[~(ids.isin(left_out) | docs["doc_id"].isin(left_out))]
    paths = V.write_sample(docs, args.out, raw.get("lexicon") or None, int(raw.get("k", 15)),
                           int(raw.get("n_random", 40)), int(raw.get("seed", 0)), group_col)
    print("\n".join(f"wrote {p}" for p in paths))
    print(f"give {paths[0].name} and {paths[2].name} to the coders; keep {paths[1].name} from them")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            return cmd_report(args)
        if args.command == "sample":
            return cmd_sample(args)
        return cmd_validate(args)
    except ParameterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except AnalysisError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
