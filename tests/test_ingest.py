import json
import warnings

import pytest

from divergence.errors import DivergenceWarning, InputError
from divergence.ingest import decode_bytes, load_sources
from divergence.records import Source


def test_strings_become_sources():
    out = load_sources(["One text here.", "Another text here."])
    assert [s.id for s in out] == ["s1", "s2"]
    assert out[0].text == "One text here."


def test_directory_reads_text_files_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("Second source text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First source text.", encoding="utf-8")
    out = load_sources([tmp_path])
    assert [s.id for s in out] == ["a", "b"]
    assert out[0].path.endswith("a.txt")


def test_directory_warns_about_skipped_files(tmp_path):
    (tmp_path / "a.txt").write_text("First source text.", encoding="utf-8")
    (tmp_path / "gold.json").write_text("{}", encoding="utf-8")
    with pytest.warns(DivergenceWarning, match="gold.json"):
        load_sources([tmp_path])


def test_directory_without_text_files(tmp_path):
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="no .txt"):
        load_sources([tmp_path])


def test_jsonl_keeps_extra_keys_as_meta(tmp_path):
    p = tmp_path / "s.jsonl"
    rows = [
        {"id": "ap", "source": "AP", "title": "T", "text": "Body one.", "url": "http://x"},
        {"id": "rt", "source": "Reuters", "text": "Body two."},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = load_sources([p])
    assert [(s.id, s.name, s.title) for s in out] == [("ap", "AP", "T"), ("rt", "Reuters", None)]
    assert out[0].meta["url"] == "http://x"


def test_jsonl_malformed_line_names_line_number(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"text": "ok."}\n{"text": broken\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"s.jsonl:2: malformed JSON"):
        load_sources([p])


def test_jsonl_missing_text(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r":1: no 'text' field"):
        load_sources([p])


def test_jsonl_non_string_text(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"text": 5}\n', encoding="utf-8")
    with pytest.raises(InputError, match="must be a string"):
        load_sources([p])


def test_missing_path():
    with pytest.raises(InputError, match="no such file"):
        load_sources(["does/not/exist.txt"])


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_file(tmp_path, content):
    p = tmp_path / "e.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        load_sources([p])


@pytest.mark.parametrize(
    "data,kind",
    [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG"), (b"abc\x00\x01def", "NUL")],
)
def test_binary_file(tmp_path, data, kind):
    p = tmp_path / "b.txt"
    p.write_bytes(data)
    with pytest.raises(InputError, match=kind):
        load_sources([p])


def test_cp1252_is_decoded_with_a_warning(tmp_path):
    p = tmp_path / "w.txt"
    p.write_bytes("He said \u201cno\u201d.".encode("cp1252"))
    with pytest.warns(DivergenceWarning, match="cp1252"):
        (s,) = load_sources([p])
    assert s.text == "He said \u201cno\u201d."


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u.txt"
    p.write_bytes("Caf\u00e9 text here.".encode("utf-16"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (s,) = load_sources([p])
    assert s.text == "Caf\u00e9 text here."


def test_decode_keeps_crlf_verbatim():
    assert decode_bytes(b"a\r\nb", "x") == "a\r\nb"


def test_duplicate_ids_are_made_unique():
    with pytest.warns(DivergenceWarning, match="share the id"):
        out = load_sources([Source("a", "A", "Text one."), Source("a", "A", "Text two.")])
    assert [s.id for s in out] == ["a", "a~2"]


def test_over_long_source(tmp_path):
    with pytest.raises(InputError, match="over the limit"):
        load_sources(["x" * 50], max_chars=10)


def test_too_many_sources():
    with pytest.raises(InputError, match="more than 2 sources"):
        load_sources(["a b c.", "d e f.", "g h i."], max_sources=2)


def test_mapping_input():
    (s,) = load_sources([{"text": "Body.", "source": "AP", "date": "2021-01-26"}])
    assert (s.name, s.date) == ("AP", "2021-01-26")
