"""Reminder letters per second: plain platypus vs the canvas renderer, single process and in workers.

    python tests/benchmarks/bench_letters.py [--letters 10000] [--platypus 300] [--docx 200] [--workers N]

Builds one-page reminders (1-3 invoices, pl/de/en) from the same templates and data, then times:
- platypus: the plain approach, SimpleDocTemplate + Paragraph + Table with reportlab's own TTFont;
- fast: documents.render_pdf (canvas-level drawing, cached glyph codes and font subsets), in this
  process; also with the payment QR code;
- fast_workers: documents.write_letters into files with one worker process per CPU (all letters);
- docx: documents.render_docx in this process, and write_letters(formats=("docx",)) in workers.
Wall and CPU seconds are both reported: CPU time is the steadier figure on a shared machine.
Prints one JSON object. Goal: >= 200 PDFs/s for 10,000 reminders.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOAL = 200


def build_letters(n: int, qr: bool = False) -> list:
    from receivables.config import load_settings
    from receivables.documents import Debtor, Letter, LetterItem, payment_title

    company = load_settings().company
    rng = random.Random(7)
    cities = {"pl": ("ul. Źródlana 7/3", "80-180", "Gdańsk", "Zakład Usług Ślusarskich „Żuraw” nr {n}"),
              "de": ("Großbeerenstraße 12", "10963", "Berlin", "Müller & Söhne Gießerei GmbH {n}"),
              "en": ("12 Quay Street", "BS1 4DJ", "Bristol", "Harbour Freight Ltd {n}")}
    letters = []
    for n in range(n):
        lang = ("pl", "pl", "de", "en")[n % 4]
        street, postal, city, name = cities[lang]
        debtor = Debtor(f"KL-{n:05d}", name.format(n=n), street, postal, city, lang.upper(), lang)
        items = []
        for i in range(1 + n % 3):
            due = date(2026, 1, 15) + timedelta(days=30 * i + n % 20)
            principal = Decimal(rng.randrange(10_000, 5_000_000)) / 100
            interest = (principal * Decimal("0.14") * (date(2026, 6, 19) - due).days / 365).quantize(Decimal("0.01"))
            items.append(LetterItem(f"FV/2026/{n:05d}/{i}", due - timedelta(days=14), due, "PLN", principal,
                                    interest, Decimal("169.07") if i == 0 else Decimal("0.00")))
        letters.append(Letter(kind="reminder", number=f"PRZ/2026/{n:06d}", issued_on=date(2026, 6, 19), debtor=debtor,
                              creditor=company, items=tuple(items), deadline=date(2026, 6, 26), qr=qr,
                              payment_title=payment_title(debtor.customer_id, [i.invoice_number for i in items])))
    return letters


def platypus_pdf(letter) -> bytes:
    """The plain approach: flowables for every block, reportlab's stock TTFont embedding."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    from receivables.documents.fonts import font_path
    from receivables.documents.tables import table_rows
    from receivables.documents.templates import render_blocks

    if "PlainSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PlainSans", str(font_path("regular"))))
        pdfmetrics.registerFont(TTFont("PlainSans-Bold", str(font_path("bold"))))
        pdfmetrics.registerFontFamily("PlainSans", normal="PlainSans", bold="PlainSans-Bold")
    body = ParagraphStyle("body", fontName="PlainSans", fontSize=9.5, leading=12.5, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    subject = ParagraphStyle("subject", parent=body, fontName="PlainSans-Bold", fontSize=12, leading=15)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.6, leading=9.4, spaceAfter=0)

    def markup(runs) -> str:
        return "".join(f"<b>{escape(r.text)}</b>" if r.bold else escape(r.text) for r in runs)

    story, footer = [], ""
    for block in render_blocks(letter):
        if block.kind in ("letterhead", "recipient", "signature"):
            story += [Paragraph(markup(line), body) for line in block.lines] + [Spacer(1, 4 * mm)]
        elif block.kind == "footer":
            footer = "".join(r.text for r in block.lines[0])
        elif block.kind == "table":
            rows = [[Paragraph(f"<b>{escape(label)}</b>", cell) for _, label in block.pairs]]
            rows += [[Paragraph(escape(text), cell) for text in row]
                     for row in table_rows(letter, block.pairs, block.label)]
            table = Table(rows, repeatRows=1)
            table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey)]))
            story += [table, Spacer(1, 4 * mm)]
        elif block.kind == "payment":
            story += [Table([[Paragraph(f"<b>{escape(k)}</b>", cell), Paragraph(escape(v), cell)]
                             for k, v in block.pairs], style=[("BOX", (0, 0), (-1, -1), 0.6, colors.grey)])]
        else:
            story.append(Paragraph(markup(block.lines[0]), subject if block.kind == "subject" else
                                   small if block.kind == "reference" else body))

    def on_page(canvas, doc) -> None:
        canvas.setFont("PlainSans", 7)
        canvas.drawString(20 * mm, 12 * mm, footer)

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=25 * mm).build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def _time(fn, items) -> dict:
    cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime
    cpu0 += resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
    start = time.perf_counter()
    sizes = fn(items)
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime
    cpu1 += resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
    return {"documents": len(items), "wall_s": round(wall, 2), "per_s": round(len(items) / wall, 1),
            "cpu_s": round(cpu1 - cpu0, 2), "per_cpu_s": round(len(items) / max(cpu1 - cpu0, 1e-9), 1),
            "avg_kb": round(sum(sizes) / len(sizes) / 1024, 1) if sizes else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=1000, help="letters for the fast renderers (10000 for the goal)")
    parser.add_argument("--platypus", type=int, default=200, help="letters for the slow plain approach")
    parser.add_argument("--docx", type=int, default=200, help="letters as DOCX")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from receivables.documents import render_docx, render_pdf, write_letters

    letters = build_letters(args.letters)
    with_qr = build_letters(min(args.letters, 500), qr=True)
    render_pdf(letters[0]), platypus_pdf(letters[0]), render_docx(letters[0])  # warm fonts and templates
    results = {
        "platypus": _time(lambda ls: [len(platypus_pdf(x)) for x in ls], letters[:args.platypus]),
        "fast": _time(lambda ls: [len(render_pdf(x)) for x in ls], letters),
        "fast_qr": _time(lambda ls: [len(render_pdf(x)) for x in ls], with_qr),
    }
    with tempfile.TemporaryDirectory() as tmp:
        results["fast_workers"] = _time(
            lambda ls: [p.stat().st_size for p in write_letters(ls, Path(tmp) / "pdf", workers=args.workers)],
            letters)
        results["docx"] = _time(lambda ls: [len(render_docx(x)) for x in ls], letters[:args.docx])
        results["docx_workers"] = _time(
            lambda ls: [p.stat().st_size for p in write_letters(ls, Path(tmp) / "docx", formats=("docx",),
                                                                 workers=args.workers)], letters[:args.docx])
    print(json.dumps({
        "letters": args.letters, "workers": args.workers, "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "goal_pdfs_per_s": GOAL,
        "goal_met": results["fast_workers"]["per_s"] >= GOAL, "results": results,
        "speedup_fast_vs_platypus": round(results["fast"]["per_cpu_s"] / results["platypus"]["per_cpu_s"], 1),
    }, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "library"))
    main()
