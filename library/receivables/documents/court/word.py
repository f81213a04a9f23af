"""Court documents as DOCX (python-docx), the same blocks as the PDF, for the lawyer to edit."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from receivables.documents.court.markup import CourtBlock
from receivables.documents.templates import Run

FONT = "DejaVu Sans"
GRAY = RGBColor(0x55, 0x55, 0x55)


def _add_runs(paragraph, runs: tuple[Run, ...], size: float | None = None, bold: bool = False, gray: bool = False) -> None:
    for run in runs:
        r = paragraph.add_run(run.text)
        r.bold = run.bold or bold or None
        if size:
            r.font.size = Pt(size)
        if gray:
            r.font.color.rgb = GRAY


def _para(doc, runs: tuple[Run, ...], *, size: float | None = None, bold: bool = False, align=None,
          after: float = 6, before: float = 0, indent: float | None = None, gray: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if indent is not None:
        fmt.left_indent = Cm(indent)
    if align is not None:
        p.alignment = align
    _add_runs(p, runs, size, bold, gray)
    return p


def render_court_docx(blocks: list[CourtBlock], title: str, author: str) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title, doc.core_properties.author = title, author
    number = 0
    for b in blocks:
        if b.kind != "list":
            number = 0
        if b.kind == "place":
            _para(doc, b.lines[0], align=WD_ALIGN_PARAGRAPH.RIGHT, after=14)
        elif b.kind == "court":
            for line in b.lines:
                _para(doc, line, bold=True, after=0, indent=8.5)
            doc.add_paragraph()
        elif b.kind == "party":
            table = doc.add_table(rows=1, cols=2)
            table.columns[0].width, table.columns[1].width = Cm(3.2), Cm(13.3)
            left, right = table.rows[0].cells
            left.width, right.width = Cm(3.2), Cm(13.3)
            _add_runs(left.paragraphs[0], (Run(b.label + ":", True),))
            for i, line in enumerate(b.lines):
                _add_runs(right.paragraphs[0] if i == 0 else right.add_paragraph(), line)
            doc.add_paragraph().paragraph_format.space_after = Pt(0)
        elif b.kind == "field":
            p = _para(doc, (Run(b.label + ": ", True), *b.lines[0]), after=2)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        elif b.kind == "title":
            _para(doc, b.lines[0], size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=14, after=2)
        elif b.kind == "subtitle":
            _para(doc, b.lines[0], size=11.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
        elif b.kind == "h":
            _para(doc, b.lines[0], size=11, bold=True, before=10, after=5)
        elif b.kind == "p":
            _para(doc, b.lines[0], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        elif b.kind == "note":
            _para(doc, b.lines[0], size=8.5, gray=True, after=10)
        elif b.kind == "list":
            for line in b.lines:
                number += 1
                p = _para(doc, (Run(f"{number}. "), *line), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=0.6)
                p.paragraph_format.first_line_indent = Cm(-0.6)
        elif b.kind == "table":
            table = doc.add_table(rows=len(b.rows), cols=len(b.widths), style=doc.styles["Table Grid"])
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            total = sum(b.widths)
            for row, cells in zip(table.rows, b.rows):
                for cell, (text, align, head), w in zip(row.cells, cells, b.widths):
                    cell.width = Cm(16.5 * w / total)
                    p = cell.paragraphs[0]
                    if align == "right":
                        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    _add_runs(p, (Run(text, head),), 8.5)
            doc.add_paragraph()
        elif b.kind == "signature":
            _para(doc, (Run("." * 48),), align=WD_ALIGN_PARAGRAPH.RIGHT, before=30, after=0)
            for line in b.lines:
                _para(doc, line, size=9.5, align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
        elif b.kind == "pagebreak":
            doc.add_page_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
