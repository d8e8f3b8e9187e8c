"""PDF and Word input: text, page furniture dropped as junk, offsets, and one-line errors.

The PDFs are written by hand here (a minimal PDF with the standard Helvetica font); the Word
files by python-docx.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from divergence.clean import clean
from divergence.cli import app
from divergence.ingest import load_sources

FAST = ["-m", "hashing", "-t", "0.5", "--attribution", "none"]
runner = CliRunner()


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines, each line drawn as text (no images)."""
    n = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{3 + 2 * k} 0 R".encode() for k in range(n))
        + f"] /Count {n} >>".encode(),
    ]
    font = 3 + 2 * n
    for k, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * k} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


BODY_1 = [
    "Harbour Authority Annual Review",
    "Council closes the harbour bridge",
    "The council closed the harbour bridge on Monday after engineers found cracks.",
    "Traffic was diverted through the old town, the council said.",
    "Page 1 of 2",
]
BODY_2 = [
    "Harbour Authority Annual Review",
    "Repairs are expected to take six weeks and cost about two million.",
    "Ferries will run every twenty minutes until the bridge reopens.",
    "Page 2 of 2",
]


def test_pdf_text_offsets_and_page_furniture(tmp_path):
    p = tmp_path / "review.pdf"
    p.write_bytes(make_pdf([BODY_1, BODY_2]))
    (src,) = load_sources([p])
    assert src.meta["extracted_from"] == "pdf" and src.meta["pages"] == 2
    assert src.id == "review"
    c = clean(src)
    dropped = [(d.text, d.reason) for d in c.dropped]
    assert dropped == [
        ("Harbour Authority Annual Review", "page-header"),
        ("Page 1 of 2", "page-number"),
        ("Harbour Authority Annual Review", "page-header"),
        ("Page 2 of 2", "page-number"),
    ]
    for d in c.dropped:  # offsets index the extracted text
        assert src.text[d.start : d.end] == d.text
    kept = [ln.text for ln in c.kept]
    assert kept[0] == "Council closes the harbour bridge"
    assert "Ferries will run every twenty minutes until the bridge reopens." in kept


def test_pdf_wrapped_lines_are_one_paragraph(tmp_path):
    """A narrow column wraps sentences over short lines: none of them may be dropped."""
    p = tmp_path / "column.pdf"
    p.write_bytes(
        make_pdf(
            [
                [
                    "Bridge closed",
                    "The harbour bridge was",
                    "closed on Monday after",
                    "engineers found cracks",
                    "in its deck, the council",
                    "said. Ferries will run",
                    "every twenty minutes.",
                ]
            ]
        )
    )
    (src,) = load_sources([p])
    c = clean(src)
    assert c.dropped == ()
    assert [ln.text for ln in c.kept] == [
        "Bridge closed",
        "The harbour bridge was closed on Monday after engineers found cracks in its deck, the "
        "council said. Ferries will run every twenty minutes.",
    ]


def test_scanned_pdf_needs_ocr(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(make_pdf([[], []]))
    result = runner.invoke(app, ["compare", str(p), str(p), *FAST])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"divergence: {p}: no text layer: run OCR first (a scanned PDF holds only images)"
    )


def test_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(make_pdf([BODY_1]))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    try:
        writer.encrypt("secret", algorithm="RC4-40")
    except Exception as exc:  # pragma: no cover - depends on pypdf's crypto back-end
        pytest.skip(f"pypdf cannot encrypt here: {exc}")
    p = tmp_path / "locked.pdf"
    with p.open("wb") as fh:
        writer.write(fh)
    result = runner.invoke(app, ["compare", str(p), str(plain), *FAST])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"divergence: {p}: encrypted PDF; save an unencrypted copy first"]


def test_damaged_pdf(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(make_pdf([BODY_1])[:200])
    result = runner.invoke(app, ["compare", str(p), str(p), *FAST])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"divergence: {p}: ") and "Traceback" not in result.output


def make_docx(path, paragraphs, header=None, footer=None, table=None):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    for para in paragraphs:
        document.add_paragraph(para)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for k, cell in enumerate(row):
                t.cell(r, k).text = cell
    document.save(str(path))


def test_docx_text_header_footer_and_table(tmp_path):
    p = tmp_path / "release.docx"
    make_docx(
        p,
        [
            "Ferry operator adds crossings",
            "The operator will add six crossings a day from Monday, it said.",
            "Tickets will cost the same as before.",
        ],
        header="Harbour Ferries Ltd - Press Office",
        footer="Registered in Example, company no. 123",
        table=[["Route", "Crossings"], ["North quay", "12"]],
    )
    (src,) = load_sources([p])
    assert src.meta["extracted_from"] == "docx"
    c = clean(src)
    dropped = [(d.text, d.reason) for d in c.dropped]
    assert dropped[0] == ("Harbour Ferries Ltd - Press Office", "page-header")
    assert dropped[-1] == ("Registered in Example, company no. 123", "page-footer")
    for d in c.dropped:
        assert src.text[d.start : d.end] == d.text
    assert "North quay | 12" in src.text.splitlines()
    assert c.title.text == "Ferry operator adds crossings"


def test_corrupt_docx(tmp_path, good_text_file):
    p = tmp_path / "statement.docx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    result = runner.invoke(app, ["compare", str(p), str(good_text_file), *FAST])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"divergence: {p}: cannot read this Word file")
    assert line.endswith("expected a .docx saved by Word or LibreOffice")


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "the '.doc' format is not read"),
        ("minutes.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    ],
)
def test_old_word_format(tmp_path, good_text_file, name, data, message):
    p = tmp_path / name
    p.write_bytes(data)
    result = runner.invoke(app, ["compare", str(p), str(good_text_file), *FAST])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"divergence: {p}: ") and message in line


def test_pdf_and_docx_compare_end_to_end(tmp_path):
    pdf = tmp_path / "authority.pdf"
    pdf.write_bytes(make_pdf([BODY_1, BODY_2]))
    doc = tmp_path / "ferries.docx"
    make_docx(
        doc,
        [
            "Harbour bridge shut for repairs",
            "The harbour bridge was closed on Monday after engineers found cracks.",
            "Ferries will run every twenty minutes until the bridge reopens.",
        ],
        header="Harbour Ferries Ltd",
    )
    result = runner.invoke(app, ["compare", str(pdf), str(doc), *FAST, "-f", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    reasons = {d["reason"] for d in out["dropped"]}
    assert {"page-header", "page-number"} <= reasons
    assert {s["id"] for s in out["sources"]} == {"authority", "ferries"}


@pytest.fixture
def good_text_file(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(
        "Bridge shut\nThe harbour bridge was closed on Monday after engineers found cracks.\n",
        encoding="utf-8",
    )
    return p


@pytest.mark.model
def test_pdf_and_docx_with_the_real_model(tmp_path):
    """The packaged model aligns the PDF's and the Word file's account of the closure."""
    from divergence import Comparer

    pdf = tmp_path / "authority.pdf"
    pdf.write_bytes(make_pdf([BODY_1, BODY_2]))
    doc = tmp_path / "ferries.docx"
    make_docx(
        doc,
        [
            "Harbour bridge shut for repairs",
            "The harbour bridge was closed on Monday after engineers found cracks.",
            "Repairs should take six weeks and cost about two million.",
        ],
        header="Harbour Ferries Ltd",
    )
    comparison = Comparer().compare([pdf, doc])
    claims = {c.id: c for c in comparison.claims}
    shared = [g for g in comparison.groups if len(set(g.sources)) == 2]
    texts = [" / ".join(claims[c].text for c in g.claims) for g in shared]
    assert any(t.count("closed") == 2 and t.count("cracks") == 2 for t in texts), texts
    assert not any(
        "Page 1 of 2" in c.text or c.text == "Harbour Ferries Ltd" for c in comparison.claims
    )
