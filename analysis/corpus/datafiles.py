"""Reading the kit's editable data files (YAML lists in analysis/data/, or a user's own), with errors that
name the file and the line."""
from __future__ import annotations

from pathlib import Path

import yaml

from analysis.errors import AnalysisError, ParameterError

# libyaml's parser when PyYAML was built with it (its wheels are): the same documents and errors, ten times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_list(path: Path, parameter: str, example: str, what: str, allow_empty: bool = True) -> list:
    """The YAML list in ``path``; ParameterError (named ``parameter``) if the file is missing, AnalysisError
    naming the file (and line) if it is not UTF-8, not YAML, or not a list of ``what``."""
    if not path.is_file():
        raise ParameterError(parameter, f"no such file: {path}", f"a YAML file like {example}")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise AnalysisError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError:
        raise AnalysisError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, list) or (not allow_empty and not data):
        raise AnalysisError(f"{path}: expected a {'' if allow_empty else 'non-empty '}list of {what}")
    return data
