"""The report as a PDF a manager reads on a phone: a narrow portrait page, large type, one chart per block.

Platypus with the letters' DejaVu fonts (documents.fonts), charts as PNG from charts.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from receivables.reports import charts
from receivables.reports.figures import BUCKETS, AgingRow, Report
from receivables.reports.labels import Labels
from receivables.reports.xlsx import MONEY, PCT, summary_rows

MM = 72 / 25.4
PAGE = (100 * MM, 178 * MM)  # 9:16, a phone screen's shape
MARGIN = 5 * MM
WIDTH = PAGE[0] - 2 * MARGIN
BLUE, GRID, ZEBRA = "#1f5a96", "#c8d3df", "#f1f5f9"


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    from receivables.documents.fonts import FONT_NAMES, letter_fonts

    letter_fonts()
    regular, bold = FONT_NAMES["regular"], FONT_NAMES["bold"]
    registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21, textColor=BLUE),
        "h1": ParagraphStyle("h1", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4,
                             textColor=BLUE, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=2,
                             keepWithNext=1),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10),
        "num": ParagraphStyle("num", parent=body, fontSize=8, leading=10, alignment=2),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=7.5, leading=9),
        "headnum": ParagraphStyle("headnum", parent=body, fontName=bold, fontSize=7.5, leading=9, alignment=2),
    }


class _Writer:
    def __init__(self, report: Report, words: Labels) -> None:
        self.r, self.w, self.s = report, words, _styles()
        self.story: list[Any] = []

    # -- building blocks
    def p(self, text: str, style: str = "body") -> None:
        from reportlab.platypus import CondPageBreak, Paragraph

        if style == "h1":
            self.story.append(CondPageBreak(45 * MM))  # a section starts where it has room to show something
        self.story.append(Paragraph(_escape(text), self.s[style]))

    def gap(self, mm: float = 3) -> None:
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, mm * MM))

    def chart(self, png: bytes | None) -> None:
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image

        if png is None:
            self.p(self.w("no_data"), "small")
            return
        width, height = ImageReader(io.BytesIO(png)).getSize()
        self.story.append(Image(io.BytesIO(png), WIDTH, WIDTH * height / width))

    def table(self, head: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
              numeric_from: int = 1, bold_last: bool = False) -> None:
        """`widths` are fractions of the text width; columns from `numeric_from` align right."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        def cell(value: Any, col: int, header: bool = False) -> Any:
            right = col >= numeric_from
            style = ("headnum" if right else "head") if header else ("num" if right else "cell")
            return Paragraph(_escape(str(value)), self.s[style])

        data = [[cell(h, i, True) for i, h in enumerate(head)]]
        data += [[cell(v, i) for i, v in enumerate(row)] for row in rows]
        t = Table(data, colWidths=[f * WIDTH for f in widths], repeatRows=1)
        style = [("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                 ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
        style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
        if bold_last and len(data) > 2:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, GRID))
        t.setStyle(TableStyle(style))
        self.story.append(t)

    # -- values
    def money(self, amount: Decimal | None, currency: str) -> str:
        return "–" if amount is None else self.w.fmt.money(amount, currency)

    def number(self, amount: Decimal) -> str:
        """An amount in a table whose heading names the currency."""
        return self.w.fmt.number(amount)

    def value(self, value: Any, fmt: str, currency: str) -> str:
        from babel.numbers import format_decimal

        from receivables.documents.fmt import LOCALES

        if value is None:
            return "–"
        if fmt == MONEY:
            return self.number(value)
        text = format_decimal(value, format="#,##0.0", locale=LOCALES[self.w.language])
        return f"{text} %" if fmt == PCT else text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_pdf(report: Report, words: Labels, path: Path, top: int = 10) -> Path:
    from reportlab.platypus import SimpleDocTemplate

    from receivables.documents.pdf import binary_streams  # no pure-Python ASCII85 of the chart images

    x = _Writer(report, words)
    for section in (_first_page, _aging, _trends, _promises, _contacts, _definitions):
        section(x, top)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 3 * MM, title=words("title"), author="receivables reports")
    with binary_streams():
        doc.build(x.story, onFirstPage=_footer(report, words), onLaterPages=_footer(report, words))
    return path


def _first_page(x: _Writer, top: int) -> None:
    """What a manager needs at a glance: the headline figures and the aging split."""
    from reportlab.platypus import PageBreak

    w, r = x.w, x.r
    x.p(w("title"), "title")
    x.p(r.scope and w("manager_scope", manager=r.scope) or w("portfolio"), "h2")
    x.p(w("as_of", date=w.date(r.as_of)) + " · " + w("week", week=r.week.label, start=w.date(r.week.start),
                                                      end=w.date(r.week.end)), "small")
    x.gap(2)
    currencies = r.currencies or ["PLN"]
    share = (1 - 0.42) / len(currencies)
    x.table([w("summary"), *currencies],
            [[title, *(x.value(values.get(c), fmt, c) for c in currencies)] for title, fmt, values in summary_rows(r, w)],
            [0.42, *[share] * len(currencies)])
    x.gap(3)
    x.chart(charts.aging_share_chart(r, w))
    x.story.append(PageBreak())


def _aging(x: _Writer, top: int) -> None:
    w, r = x.w, x.r
    x.p(w("aging"), "h1")
    x.chart(charts.aging_chart(r, w))
    names = [w("current") if b == "current" else b for b in BUCKETS]
    for currency, row in ((c, r.aging[c]) for c in r.currencies if c in r.aging):
        x.p(currency, "h2")
        x.table([w("days"), currency], [*([n, x.number(row.buckets[b])] for n, b in zip(names, BUCKETS)),
                                        [w("total"), x.number(row.total)]], [0.5, 0.5], bold_last=True)
    x.p(w("top_customers", n=top), "h1")
    _grouped(x, _top_per_currency(r.by_customer, top), w("customer"))
    if not r.scope:
        x.p(w("by_manager"), "h1")
        _grouped(x, r.by_manager, w("manager"), shorten=True)
    x.p(w("by_segment"), "h1")
    _grouped(x, r.by_segment, w("segment"))


def _trends(x: _Writer, top: int) -> None:
    w, r = x.w, x.r
    x.p(w("dso_title"), "h1")
    x.chart(charts.dso_chart(r, w))
    x.p(w("cei_title"), "h1")
    x.table([w("period"), w("currency"), w("cei")],
            [[w("last_weeks", weeks=len(r.weeks)) if c.span == r.trend else c.span.label, c.currency,
              x.value(c.cei, PCT, c.currency)] for c in r.cei if c.span in (r.weeks[-1], r.weeks[-2], r.trend)],
            [0.5, 0.2, 0.3], numeric_from=2)
    x.p(w("cash_title"), "h1")
    x.chart(charts.cash_chart(r, w))


def _promises(x: _Writer, top: int) -> None:
    w, r = x.w, x.r
    x.p(w("promises_title"), "h1")
    periods = [(w("this_week") if p.key == "week" else w("last_weeks", weeks=len(r.weeks)), p) for p in r.promises]
    amounts = [[f"{w('made_amount')} {c}", *(x.number(p.made_amount.get(c, Decimal("0.00"))) for _, p in periods)]
               for c in r.currencies]
    x.table(["", *(label for label, _ in periods)],
            [[w("made"), *(str(p.made) for _, p in periods)], *amounts,
             [w("due"), *(str(p.due) for _, p in periods)],
             [w("kept"), *(str(p.kept) for _, p in periods)],
             [w("broken"), *(str(p.broken) for _, p in periods)],
             [w("pending"), *(str(p.pending) for _, p in periods)],
             [w("kept_pct"), *(x.value(p.kept_rate, PCT, "") for _, p in periods)]],
            [0.4, 0.3, 0.3])


def _contacts(x: _Writer, top: int) -> None:
    from reportlab.platypus import PageBreak

    w, r = x.w, x.r
    x.story.append(PageBreak())  # a long table: it starts on its own screen rather than below a gap
    x.p(w("contacts_title"), "h1")
    x.p(w("contacts_period", start=w.date(r.contacts_span.start), end=w.date(r.contacts_span.end),
          days=r.contact_days), "small")
    for kind, empty in (("reminder", "no_reminders"), ("call", "no_campaigns")):
        rows = [c for c in r.contacts if c.kind == kind]
        x.p(w(kind), "h2")
        if not rows:
            x.p(w(empty), "body")
            continue
        x.table([w("name"), w("contacts"), w("reached"), w("promised"), w("paid")],
                [[f"{c.name} ({c.channel})", c.contacts, c.reached, c.promised, c.paid] for c in rows],
                [0.27, 0.1825, 0.1825, 0.1825, 0.1825])
        paid = {cur: sum((c.paid_amount.get(cur, Decimal("0.00")) for c in rows), Decimal("0.00"))
                for cur in r.currencies}
        x.p(f"{w('paid_amount')}: " + ", ".join(x.money(v, k) for k, v in paid.items()), "small")


def _definitions(x: _Writer, top: int) -> None:
    from reportlab.platypus import PageBreak

    x.story.append(PageBreak())
    x.p(x.w("definitions"), "h1")
    for term, text in x.w.definitions(dso_days=x.r.dso_days, contact_days=x.r.contact_days):
        x.p(term, "h2")
        x.p(text, "small")


def _top_per_currency(rows: list[AgingRow], top: int) -> list[AgingRow]:
    out: list[AgingRow] = []
    for currency in dict.fromkeys(r.currency for r in rows):
        out += [r for r in rows if r.currency == currency][:top]
    return out


def _grouped(x: _Writer, rows: list[AgingRow], title: str, shorten: bool = False) -> None:
    """Per currency: name, total, overdue, 90+ (the full split is in the workbook); `shorten`: e-mail -> name."""
    if not rows:
        x.p(x.w("no_data"), "small")
        return
    for currency in [c for c in x.r.currencies if any(r.currency == c for r in rows)]:
        x.p(currency, "h2")
        x.table([title, x.w("total"), x.w("overdue_col"), "90+"],
                [[x.w.key(r.key.partition("@")[0]) if shorten else x.w.key(r.key), x.number(r.total),
                  x.number(r.overdue), x.number(r.buckets["90+"])] for r in rows if r.currency == currency],
                [0.34, 0.23, 0.23, 0.20])


def _footer(report: Report, words: Labels) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        from receivables.documents.fonts import FONT_NAMES

        canvas.saveState()
        canvas.setFont(FONT_NAMES["regular"], 7)
        canvas.setFillColorRGB(0.4, 0.4, 0.4)
        canvas.drawString(MARGIN, MARGIN, f"{words('title')} · {words.date(report.as_of)}")
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN, str(doc.page))
        canvas.restoreState()
    return draw
