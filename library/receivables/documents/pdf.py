"""Letters as PDF, drawn at canvas level for throughput (10,000 reminders in a run).

Platypus spends most of a one-page letter on generic flowable machinery and on embedding a
fresh font subset. This renderer knows the letter's few block types, measures text from cached
glyph widths and writes the content-stream operators itself on a reportlab canvas. Every
document is seeded with the same alphabet first, so glyph codes and the embedded font subset
(fonts.py) are built once per process and reused. bench_letters.py compares both approaches.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from receivables.documents.fonts import letter_fonts
from receivables.documents.model import Letter
from receivables.documents.payment import qr_matrix, qr_payload
from receivables.documents.tables import NUMERIC, table_rows
from receivables.documents.templates import Block, Run, render_blocks

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 56.7, PAGE_W - 56.7
WIDTH = RIGHT - LEFT
TOP, BOTTOM = PAGE_H - 50, 70
RECIPIENT_X, RECIPIENT_Y = 320.0, PAGE_H - 150
ALPHABET = ("".join(map(chr, range(32, 127))) + "ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüÄÖÜßéèêáàâíóúçñÉÁ"
            "€§°·×–—„“”‚‘’«»…\u00a0")
WEIGHTS = {"invoice": 1.5, "issue_date": 1.05, "due_date": 1.05, "amount": 1.2, "paid_on": 1.05,
           "days_late": 0.8, "principal": 1.25, "interest": 1.0, "compensation": 1.3, "total": 1.25}
ESCAPE = [chr(c) if 32 <= c < 127 and chr(c) not in "()\\" else f"\\{c:03o}" for c in range(256)]


class _Glyphs:
    """Per-process glyph codes and widths of the seeded alphabet, per font style.

    The alphabet fits one 256-code subset, so a string of known characters becomes its
    content-stream operand with one `str.translate`; anything else takes the general path.
    """

    def __init__(self) -> None:
        self.fonts = letter_fonts()
        probe = Canvas(io.BytesIO())
        self.codes: dict[str, dict[int, str]] = {}
        self.widths: dict[str, dict[str, float]] = {}
        for style, font in self.fonts.items():
            font.splitString(ALPHABET, probe._doc)
            assigned = font.state[probe._doc].assignments
            if any(n >> 8 for n in assigned.values()):
                raise RuntimeError("the letter alphabet no longer fits one font subset")
            codes = {u: ESCAPE[n] for u, n in assigned.items()}
            codes[0xA0] = codes[32]
            self.codes[style] = codes
            self.widths[style] = {chr(u): font.face.getCharWidth(u) / 1000 for u in codes}
            self.widths[style]["\u00a0"] = self.widths[style][" "]


_glyphs: _Glyphs | None = None


def glyphs() -> _Glyphs:
    global _glyphs
    if _glyphs is None:
        _glyphs = _Glyphs()
    return _glyphs


@contextmanager
def binary_streams() -> Iterator[None]:
    # ASCII85 on page streams only costs time (pure Python here); flate alone is valid PDF.
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


class _Page:
    """One document being drawn: text encoding, measuring and page flow."""

    def __init__(self, letter: Letter, canvas: Canvas, footer: Block | None) -> None:
        self.g = glyphs()
        self.c = canvas
        self.letter = letter
        self.footer = footer
        self.names = {}
        for style, font in self.g.fonts.items():
            font.splitString(ALPHABET, canvas._doc)  # same codes in every document
            count = len(font.state[canvas._doc].subsets)
            self.names[style] = [font.getSubsetInternalName(i, canvas._doc) for i in range(count)]
        self.y = TOP

    # -- text primitives
    def width(self, text: str, bold: bool, size: float) -> float:
        style = "bold" if bold else "regular"
        try:
            return size * sum(map(self.g.widths[style].__getitem__, text))
        except KeyError:
            face = self.g.fonts[style].face
            return size * sum(face.getCharWidth(ord(ch)) / 1000 for ch in text)

    def _show(self, text: str, bold: bool, size: float) -> str:
        style = "bold" if bold else "regular"
        encoded = text.translate(self.g.codes[style])
        if encoded.isascii():
            return f"{self.names[style][0]} {size:g} Tf ({encoded}) Tj"
        # characters outside the seeded alphabet: reportlab assigns codes in this document
        font, names, out = self.g.fonts[style], self.names[style], []
        for subset, raw in font.splitString(text, self.c._doc):
            names.extend(font.getSubsetInternalName(i, self.c._doc) for i in range(len(names), subset + 1))
            out.append(f"{names[subset]} {size:g} Tf ({''.join(ESCAPE[b] for b in raw)}) Tj")
        return " ".join(out)

    def text(self, x: float, y: float, runs: tuple[Run, ...] | list[Run], size: float, gray: float = 0) -> None:
        shown = " ".join(self._show(r.text, r.bold, size) for r in runs if r.text)
        self.c._code.append(f"BT {gray:g} g {x:.2f} {y:.2f} Td {shown} ET")

    def text_right(self, right: float, y: float, text: str, size: float, bold: bool = False) -> None:
        self.text(right - self.width(text, bold, size), y, [Run(text, bold)], size)

    def wrap(self, runs: tuple[Run, ...], width: float, size: float) -> list[list[Run]]:
        lines: list[list[Run]] = [[]]
        used = 0.0
        for run in runs:
            for i, word in enumerate(run.text.split(" ")):
                token = (" " if i else "") + word
                w = self.width(token, run.bold, size)
                if used + w > width and used > 0 and word:
                    lines.append([])
                    token, used = word, 0.0
                    w = self.width(token, run.bold, size)
                while w > width and len(token) > 1:  # a single word wider than the line
                    cut = len(token) - 1
                    while cut > 1 and self.width(token[:cut], run.bold, size) > width - used:
                        cut -= 1
                    lines[-1].append(Run(token[:cut], run.bold))
                    lines.append([])
                    token, used = token[cut:], 0.0
                    w = self.width(token, run.bold, size)
                lines[-1].append(Run(token, run.bold))
                used += w
        return [line for line in lines if line]

    # -- graphics
    def fill(self, x: float, y: float, w: float, h: float, gray: float) -> None:
        self.c._code.append(f"{gray:g} g {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f 0 g")

    def stroke_rect(self, x: float, y: float, w: float, h: float) -> None:
        self.c._code.append(f"0.6 G 0.6 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S 0 G")

    def rule(self, x1: float, y1: float, x2: float, y2: float, gray: float = 0.6) -> None:
        self.c._code.append(f"{gray:g} G 0.5 w {x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S 0 G")

    # -- flow
    def need(self, height: float) -> bool:
        """Start a new page when `height` does not fit; True if it did."""
        if self.y - height >= BOTTOM:
            return False
        self.finish_page()
        self.c.showPage()
        self.y = TOP
        return True

    def finish_page(self) -> None:
        if self.footer is not None:
            y = 42.0
            for line in self.wrap(self.footer.lines[0], WIDTH, 7):
                self.text(LEFT, y, line, 7, gray=0.4)
                y -= 9
            self.rule(LEFT, 52, RIGHT, 52, 0.75)

    def paragraph(self, runs: tuple[Run, ...], size: float = 9.5, leading: float = 12.5, after: float = 6) -> None:
        for line in self.wrap(runs, WIDTH, size):
            self.need(leading)
            self.y -= leading
            self.text(LEFT, self.y, line, size)
        self.y -= after


def _draw_table(page: _Page, block: Block) -> None:
    letter, size, pad, leading = page.letter, 7.6, 3.0, 9.4
    keys = [k for k, _ in block.pairs]
    scale = WIDTH / sum(WEIGHTS[k] for k in keys)
    widths = [WEIGHTS[k] * scale for k in keys]
    # header words never break: shrink the header font until the longest word fits its column
    head_size = min([size] + [(w - 2 * pad) / page.width(word, True, 1) for (_, label), w in zip(block.pairs, widths)
                              for word in label.split()])
    header = [page.wrap((Run(label, True),), w - 2 * pad, head_size) for (_, label), w in zip(block.pairs, widths)]
    rows = table_rows(letter, block.pairs, block.label)

    def draw_header() -> None:
        h = max(map(len, header)) * leading + 2 * pad
        page.need(h + 2 * leading)
        page.fill(LEFT, page.y - h, WIDTH, h, 0.9)
        x = LEFT
        for key, lines, w in zip(keys, header, widths):
            for n, line in enumerate(lines):
                y = page.y - pad - (n + 1) * leading + 2
                if key in NUMERIC:
                    page.text_right(x + w - pad, y, "".join(r.text for r in line), head_size, bold=True)
                else:
                    page.text(x + pad, y, line, head_size)
            x += w
        page.y -= h

    draw_header()
    for r, row in enumerate(rows):
        bold = r == len(rows) - 1
        cells = [page.wrap((Run(text, bold),), w - 2 * pad, size) or [[]] for text, w in zip(row, widths)]
        h = max(map(len, cells)) * leading + 2 * pad
        if page.need(h):
            draw_header()
        if bold:
            page.fill(LEFT, page.y - h, WIDTH, h, 0.95)
        x = LEFT
        for key, lines, w in zip(keys, cells, widths):
            for n, line in enumerate(lines):
                y = page.y - pad - (n + 1) * leading + 2
                if key in NUMERIC and line:
                    page.text_right(x + w - pad, y, "".join(r.text for r in line), size, bold)
                else:
                    page.text(x + pad, y, line, size)
            x += w
        page.y -= h
        page.rule(LEFT, page.y, RIGHT, page.y, 0.8)
    page.y -= 10


def _draw_payment(page: _Page, block: Block) -> None:
    payload = qr_payload(page.letter) if page.letter.qr else None
    qr_size = 84.0 if payload else 0.0
    size, leading, pad = 8.8, 12.0, 7.0
    label_w = min(150.0, max(page.width(label, True, size) for label, _ in block.pairs) + 12)
    text_w = WIDTH - 2 * pad - label_w - (qr_size + pad if qr_size else 0)
    wrapped = [(label, page.wrap((Run(value),), text_w, size)) for label, value in block.pairs]
    h = max(sum(len(v) for _, v in wrapped) * leading + 2 * pad, qr_size + 2 * pad)
    page.need(h + 6)
    top = page.y
    page.stroke_rect(LEFT, top - h, WIDTH, h)
    y = top - pad
    for label, lines in wrapped:
        for n, line in enumerate(lines):
            y -= leading
            if n == 0:
                page.text(LEFT + pad, y + 2, [Run(label, True)], size)
            page.text(LEFT + pad + label_w, y + 2, line, size)
    if payload:
        _draw_qr(page, qr_matrix(payload), RIGHT - pad - qr_size, top - pad - qr_size, qr_size)
    page.y = top - h - 10


def _draw_qr(page: _Page, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    n = len(modules)
    unit = size / (n + 2)  # one module of margin here plus the box padding: the 4-module quiet zone
    ops = ["0 g"]
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{x + (start + 1) * unit:.2f} {y + size - (r + 2) * unit:.2f} "
                           f"{(c - start) * unit:.2f} {unit:.2f} re")
            c += 1
    ops.append("f")
    page.c._code.append(" ".join(ops))


def _draw_head(page: _Page, blocks: dict[str, Block]) -> None:
    y = TOP
    head = blocks.get("letterhead")
    if head:
        for n, line in enumerate(head.lines):
            page.text(LEFT, y, line, 11 if n == 0 else 8, gray=0 if n == 0 else 0.3)
            y -= 14 if n == 0 else 10
        page.rule(LEFT, y + 3, RIGHT, y + 3, 0.7)
    date_line = blocks.get("dateline")
    if date_line:
        text = "".join(r.text for r in date_line.lines[0])
        page.text_right(RIGHT, TOP, text, 9)
    ry = RECIPIENT_Y
    recipient = blocks.get("recipient")
    if recipient:
        for line in recipient.lines:
            for wrapped in page.wrap(line, RIGHT - RECIPIENT_X, 10):
                page.text(RECIPIENT_X, ry, wrapped, 10)
                ry -= 13
    page.y = min(y, ry) - 22


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF (A4, DejaVu Sans, text extractable)."""
    blocks = render_blocks(letter)
    by_kind = {b.kind: b for b in blocks}
    buf = io.BytesIO()
    with binary_streams():
        canvas = Canvas(buf, pagesize=A4, pageCompression=1)
        subject = by_kind.get("subject")
        canvas.setTitle("".join(r.text for r in subject.lines[0]) if subject else letter.number)
        canvas.setAuthor(letter.creditor.name)
        canvas.setCreator("receivables")
        page = _Page(letter, canvas, by_kind.get("footer"))
        _draw_head(page, by_kind)
        for block in blocks:
            if block.kind == "reference":
                page.paragraph(block.lines[0], size=8, leading=10, after=12)
            elif block.kind == "subject":
                page.paragraph(tuple(Run(r.text, True) for r in block.lines[0]), size=12, leading=15, after=10)
            elif block.kind == "p":
                page.paragraph(block.lines[0])
            elif block.kind == "table":
                _draw_table(page, block)
            elif block.kind == "payment":
                _draw_payment(page, block)
            elif block.kind == "signature":
                page.y -= 8
                for line in block.lines:
                    page.paragraph(line, after=0)
        page.finish_page()
        canvas.showPage()
        canvas.save()
    return buf.getvalue()
