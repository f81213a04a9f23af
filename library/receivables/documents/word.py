"""Letters as DOCX (python-docx) for an analyst to edit: same blocks and table as the PDF."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from receivables.documents.model import Letter
from receivables.documents.payment import qr_matrix, qr_payload
from receivables.documents.tables import NUMERIC, table_rows
from receivables.documents.templates import Block, Run, render_blocks

FONT = "DejaVu Sans"
BODY_SIZE = 10
GRAY = RGBColor(0x55, 0x55, 0x55)


def _add_runs(paragraph, runs: tuple[Run, ...], size: float, gray: bool = False) -> None:
    for run in runs:  # only non-default properties: each one is an XML insert in python-docx
        r = paragraph.add_run(run.text)
        if run.bold:
            r.bold = True
        if size != BODY_SIZE:
            r.font.size = Pt(size)
        if gray:
            r.font.color.rgb = GRAY


def _para(doc, runs: tuple[Run, ...], size: float = BODY_SIZE, after: float = 6, align=None, gray: bool = False):
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(after)
    if align is not None:
        p.alignment = align
    _add_runs(p, runs, size, gray)
    return p


def _qr_png(payload: str) -> bytes:
    from PIL import Image

    modules = qr_matrix(payload)
    quiet = [255] * 4
    rows = [quiet + [0 if dark else 255 for dark in row] + quiet for row in modules]
    n = len(rows[0])
    blank = [[255] * n] * 4
    img = Image.frombytes("L", (n, n), bytes(v for row in blank + rows + blank for v in row))
    out = io.BytesIO()
    img.resize((n * 5, n * 5), Image.NEAREST).save(out, "PNG", compress_level=1)
    return out.getvalue()


def _table(doc, letter: Letter, block: Block) -> None:
    rows = table_rows(letter, block.pairs, block.label)
    table = doc.add_table(rows=len(rows) + 1, cols=len(block.pairs), style=doc.styles["Table Grid"])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = [key in NUMERIC for key, _ in block.pairs]
    for r, (row, texts) in enumerate(zip(table.rows, [[label for _, label in block.pairs], *rows])):
        bold = r == 0 or r == len(rows)
        for cell, text, right in zip(row.cells, texts, numeric):
            p = cell.paragraphs[0]
            if right:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_runs(p, (Run(text, bold),), 8)
    doc.add_paragraph()


def _payment(doc, letter: Letter, block: Block) -> None:
    payload = qr_payload(letter) if letter.qr else None
    table = doc.add_table(rows=len(block.pairs), cols=3 if payload else 2, style=doc.styles["Table Grid"])
    for row, (label, value) in zip(table.rows, block.pairs):
        cells = row.cells
        _add_runs(cells[0].paragraphs[0], (Run(label, True),), 9)
        _add_runs(cells[1].paragraphs[0], (Run(value),), 9)
    if payload:
        column = table.columns[2].cells
        cell = column[0].merge(column[-1])
        cell.paragraphs[0].add_run().add_picture(io.BytesIO(_qr_png(payload)), width=Cm(2.8))
    doc.add_paragraph()


def render_docx(letter: Letter) -> bytes:
    """The letter as an editable Word document."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(BODY_SIZE)
    doc.core_properties.author = letter.creditor.name
    for block in render_blocks(letter):
        if block.kind == "letterhead":
            for n, line in enumerate(block.lines):
                _para(doc, line, 12 if n == 0 else 8, after=0, gray=n > 0)
            doc.add_paragraph()
        elif block.kind == "dateline":
            _para(doc, block.lines[0], 10, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif block.kind == "recipient":
            for line in block.lines:
                p = _para(doc, line, 10, after=0)
                p.paragraph_format.left_indent = Cm(9.5)
            doc.add_paragraph()
        elif block.kind == "reference":
            _para(doc, block.lines[0], 8, after=12, gray=True)
        elif block.kind == "subject":
            _para(doc, tuple(Run(r.text, True) for r in block.lines[0]), 13, after=10)
        elif block.kind == "p":
            _para(doc, block.lines[0])
        elif block.kind == "table":
            _table(doc, letter, block)
        elif block.kind == "payment":
            _payment(doc, letter, block)
        elif block.kind == "signature":
            for line in block.lines:
                _para(doc, line, after=0)
        elif block.kind == "footer":
            _add_runs(section.footer.paragraphs[0], block.lines[0], 7, gray=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
