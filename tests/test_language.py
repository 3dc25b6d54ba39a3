"""Language of paragraphs and documents (analysis.text.language): hand-made mixed texts, and the shared
prosecutors' corpus."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from analysis.errors import ParameterError
from analysis.text import language as L
from analysis.text.language import (document_language, foreign_spans, language_shares, paragraph_languages,
                                    without_spans)
from tests.conftest import require_shared

EN = "Deputy District Attorney Raquel Cooper of the Sexual Assault Unit is prosecuting this case."
EN2 = "The defendant faces a maximum sentence of eight years in state prison if convicted of all charges."
ES = ("Línea Directa de Denuncias Anónimas y Formulario de Denuncia en Línea de la Fiscalía del Distrito del "
      "Condado de Orange solicitan información sobre el incidente.")
VI = ("Đường dây nóng tiếp nhận tin báo ẩn danh, biểu mẫu báo cáo trực tuyến của Văn Phòng Công Tố Quận Orange "
      "kêu gọi cung cấp thông tin.")
ZH = "奥兰治县地区检察官办公室呼吁公众提供有关此案的信息，任何人都可以匿名举报。"
FR = "Le préfet de police a annoncé hier une vaste opération contre le trafic de stupéfiants à Marseille."


def test_the_model_ships_in_the_wheel():
    model = resources.files("py3langid") / "data" / "model.npz.xz"
    assert model.is_file() and model.stat().st_size > 1_000_000
    assert set(L._identifier().nb_classes) == set(L.LANGUAGES)


def test_foreign_blocks_of_an_english_release_found():
    text = "\n".join(["HOME", EN, ES, VI, "", ZH, EN2])
    spans = foreign_spans(text, "en")
    assert [(text[s.start:s.end], s.language) for s in spans] == [(ES, "es"), (VI, "vi"), (ZH, "zh")]
    assert all(s.judged and s.probability >= L.MIN_PROBABILITY for s in spans)
    assert without_spans(text, spans) == "\n".join(["HOME", EN, "", EN2])


def test_english_block_of_a_french_article_found():
    text = FR + "\n" + EN2 + "\n" + FR
    assert [(s.start, s.language) for s in foreign_spans(text, "fr")] == [(len(FR) + 1, "en")]


def test_short_paragraphs_take_the_document_language():
    text = "\n".join(["Home", "Press", "Edwin Echeverria, 26, Santa Ana", "Línea de denuncias", "Công Tố", EN])
    spans = paragraph_languages(text, "en")
    assert [s.language for s in spans] == ["en"] * 6
    assert [s.judged for s in spans] == [False] * 6  # five too short, the last plainly English
    assert foreign_spans("Aller plus loin\n" + FR, "fr") == []


def test_plain_paragraphs_skip_the_model_accented_ones_do_not(monkeypatch):
    calls = []
    real = L.classify

    def spy(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(L, "classify", spy)
    named = "José Hernández of Santa Ana was sentenced today to eight years in state prison."
    spans = paragraph_languages("\n".join([EN, EN2, named]), "en")
    assert calls == [named] and [s.language for s in spans] == ["en", "en", "en"]
    no_stopwords = "Sentenced: eight years, state prison, restitution ordered, probation revoked."
    assert paragraph_languages(no_stopwords, "en")[0].judged


def test_document_language_short_and_mixed_texts():
    assert document_language("Record seizure: two tonnes cocaine, Marseille, three arrests, Europol assisted") == "en"
    assert document_language("Saisie record : deux tonnes cocaïne, Marseille, trois interpellations") == "fr"
    assert document_language("\n".join([EN, ES, VI, ES, EN2])) == "en"  # notices are not the document's language
    shares = language_shares("\n".join([ES, ES, EN]))
    assert list(shares)[0] == "es" and abs(sum(shares.values()) - 1) < 1e-9
    assert document_language("HOME") in L.KIT_LANGUAGES
    with pytest.raises(ParameterError, match="language"):
        foreign_spans(EN, "klingon")


def test_prosecutors_notices_found_and_english_left_alone():
    path = require_shared("corpora", "us-prosecutor-press-releases", "documents.jsonl")
    orange, kings = [], []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n % 10:
                continue
            d = json.loads(line)
            (orange if d["group"] == "orange_ca" else kings if d["group"] == "kings_ny" else []).append(d["text"])
    orange, kings = orange[:150], kings[:100]
    found = [{s.language for s in foreign_spans(t, "en")} for t in orange]
    assert all({"es", "vi"} <= f for f in found)  # the Spanish and Vietnamese notices of every release
    flagged = sum(bool(foreign_spans(t, "en")) for t in kings)
    assert len(kings) >= 80 and flagged <= 1
    assert all(document_language(t) == "en" for t in orange[:40] + kings[:40])
