"""Stop word lists: shipped offline with their source, replaceable and extendable."""
from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.text.stopwords import DATA, get_stopwords


def test_shipped_lists_state_their_source_and_hold_the_snowball_words():
    for lang in ("fr", "en"):
        head = (DATA / f"{lang}.txt").read_text(encoding="utf-8")[:600]
        assert "Snowball" in head and "snowballstem.org" in head
    fr, en = get_stopwords("fr"), get_stopwords("en")
    assert {"le", "la", "de", "à", "été", "eussent", "qu", "ces"} <= fr
    assert {"l'", "d'", "qu'", "n'", "s'", "j'", "c'", "m'", "t'", "jusqu'", "lorsqu'", "puisqu'"} <= fr
    assert {"the", "of", "don't", "it's", "ourselves", "very"} <= en
    assert "fentanyl" not in fr | en and "police" not in fr | en
    assert 150 <= len(fr) <= 200 and 160 <= len(en) <= 190  # Snowball: 155 + 13 elisions; 174


def test_extra_and_replace(tmp_path):
    assert get_stopwords("fr", extra=["Via", "ainsi"]) == get_stopwords("fr") | {"via", "ainsi"}
    assert get_stopwords("en", extra="foo, Bar") >= {"foo", "bar"}
    assert get_stopwords("fr", replace=["Le", "L’"]) == frozenset({"le", "l'"})
    f = tmp_path / "mine.txt"
    f.write_text("# my list\ndrogue\n\nTrafic  # a comment\n", encoding="utf-8")
    assert get_stopwords("fr", replace=f, extra=["x"]) == frozenset({"drogue", "trafic", "x"})
    assert get_stopwords("en", replace=str(f)) == frozenset({"drogue", "trafic"})


def test_errors_name_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match="language"):
        get_stopwords("de")
    with pytest.raises(ParameterError, match="stopwords.*no such file"):
        get_stopwords("fr", replace=tmp_path / "absent.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(ParameterError, match="stopwords"):
        get_stopwords("fr", replace=bad)
