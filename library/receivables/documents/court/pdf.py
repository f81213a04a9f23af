"""Court documents as PDF: reportlab platypus, A4, DejaVu (the letters' fonts), text extractable.

Laid out as a Polish filing is: place and date top right, the court addressed in the right
half, parties with their role in the left column, title centred, numbered demands, signature.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.platypus import (
    KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from receivables.documents.court.markup import CourtBlock
from receivables.documents.fonts import FONT_NAMES, letter_fonts
from receivables.documents.templates import Run

WIDTH = A4[0] - 4.5 * cm


def _styles() -> dict[str, ParagraphStyle]:
    letter_fonts()
    registerFontFamily(FONT_NAMES["regular"], normal=FONT_NAMES["regular"], bold=FONT_NAMES["bold"],
                       italic=FONT_NAMES["regular"], boldItalic=FONT_NAMES["bold"])
    base = ParagraphStyle("body", fontName=FONT_NAMES["regular"], fontSize=10.5, leading=14.5,
                          alignment=TA_JUSTIFY, spaceAfter=6)
    return {
        "p": base,
        "place": ParagraphStyle("place", base, alignment=TA_RIGHT, spaceAfter=14),
        "court": ParagraphStyle("court", base, fontName=FONT_NAMES["bold"], alignment=TA_LEFT, spaceAfter=0,
                                leading=14),
        "party": ParagraphStyle("party", base, alignment=TA_LEFT, spaceAfter=0, leading=13.5),
        "label": ParagraphStyle("label", base, fontName=FONT_NAMES["bold"], alignment=TA_LEFT, spaceAfter=0),
        "field": ParagraphStyle("field", base, alignment=TA_LEFT, spaceAfter=2),
        "title": ParagraphStyle("title", base, fontName=FONT_NAMES["bold"], fontSize=16, leading=20,
                                alignment=TA_CENTER, spaceBefore=14, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontName=FONT_NAMES["bold"], fontSize=11.5, leading=15,
                                   alignment=TA_CENTER, spaceAfter=14),
        "h": ParagraphStyle("h", base, fontName=FONT_NAMES["bold"], fontSize=11, alignment=TA_LEFT,
                            spaceBefore=10, spaceAfter=5),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555"),
                               borderColor=colors.HexColor("#999999"), borderWidth=0.5, borderPadding=4,
                               spaceBefore=6, spaceAfter=10),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8, leading=10, alignment=TA_RIGHT,
                                     spaceAfter=0),
        "signature": ParagraphStyle("signature", base, alignment=TA_CENTER, spaceAfter=0, fontSize=9.5),
    }


def _xml(runs: tuple[Run, ...]) -> str:
    return "".join(f"<b>{escape(r.text)}</b>" if r.bold else escape(r.text) for r in runs)


def _flowables(blocks: list[CourtBlock], st: dict[str, ParagraphStyle]) -> list:
    out: list = []
    parties: list[list] = []

    def flush_parties() -> None:
        if parties:
            table = Table(parties, colWidths=[3.2 * cm, WIDTH - 3.2 * cm], hAlign="LEFT")
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
            out.append(table)
            parties.clear()

    for b in blocks:
        if b.kind != "party":
            flush_parties()
        if b.kind == "court":
            lines = [Paragraph(_xml(line), st["court"]) for line in b.lines]
            table = Table([[lines]], colWidths=[WIDTH * 0.5], hAlign="RIGHT")
            table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            out += [table, Spacer(1, 14)]
        elif b.kind == "party":
            lines = [Paragraph(_xml(line), st["party"]) for line in b.lines]
            parties.append([Paragraph(escape(b.label) + ":", st["label"]), lines])
        elif b.kind == "field":
            out.append(Paragraph(f"<b>{escape(b.label)}:</b> {_xml(b.lines[0])}", st["field"]))
        elif b.kind in ("place", "title", "subtitle", "h", "p", "note"):
            out.append(Paragraph(_xml(b.lines[0]), st[b.kind]))
        elif b.kind == "list":
            items = [ListItem(Paragraph(_xml(line), st["p"]), leftIndent=18) for line in b.lines]
            out.append(ListFlowable(items, bulletType="1", bulletFormat="%s.", leftIndent=18,
                                    bulletFontName=FONT_NAMES["regular"], bulletFontSize=10.5))
        elif b.kind == "table":
            out += [_table(b, st), Spacer(1, 8)]
        elif b.kind == "signature":
            lines = [Paragraph("." * 48, st["signature"])] + [Paragraph(_xml(line), st["signature"])
                                                              for line in b.lines]
            table = Table([[lines]], colWidths=[WIDTH * 0.45], hAlign="RIGHT")
            out += [Spacer(1, 30), KeepTogether(table)]
        elif b.kind == "pagebreak":
            out.append(PageBreak())
    flush_parties()
    return out


def _table(b: CourtBlock, st: dict[str, ParagraphStyle]) -> Table:
    scale = WIDTH / sum(b.widths)
    data = [[Paragraph(f"<b>{escape(t)}</b>" if head else escape(t), st["cell_right" if align == "right" else "cell"])
             for t, align, head in row] for row in b.rows]
    table = Table(data, colWidths=[w * scale for w in b.widths], repeatRows=1 if b.rows[0][0][2] else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#808080")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#e8e8e8")) for i, row in enumerate(b.rows) if row[0][2]]
    table.setStyle(TableStyle(style))
    return table


def render_court_pdf(blocks: list[CourtBlock], title: str, author: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=title, author=author, creator="receivables")
    st = _styles()

    def page_number(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAMES["regular"], 8)
        canvas.setFillGray(0.4)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"{document.page}")
        canvas.restoreState()

    doc.build(_flowables(blocks, st), onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()
