"""Court-document templates -> layout-neutral blocks (the letters' Jinja environment and runs).

A template renders this XML (sandboxed, autoescaped, StrictUndefined):

    <filing>
      <place>Warszawa, 12 maja 2026 r.</place>            right-aligned date line
      <court><line>Sąd Rejonowy ...</line>..</court>       addressee block, right half
      <party role="Powód"><line>..</line>..</party>        party blocks, label in the left column
      <field label="Wartość przedmiotu sporu">..</field>   label: value lines under the parties
      <title>POZEW</title>  <subtitle>o zapłatę</subtitle>  centred
      <h>heading</h>  <p>text with <b>bold</b></p>  <note>for the legal team (gray)</note>
      <list><item>..</item>..</list>                       numbered 1., 2., ...
      <table widths="3,2,2"><row head="1"><cell align="right">..</cell>..</row>..</table>
      <signature><line>..</line>..</signature>   <pagebreak/>
    </filing>
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError

from receivables.documents.templates import TEMPLATES_DIR, Run, TemplateError, environment, text_runs

LINE_BLOCKS = ("court", "party", "signature")
TEXT_BLOCKS = ("place", "field", "title", "subtitle", "h", "p", "note")


@dataclass(frozen=True)
class CourtBlock:
    kind: str
    lines: tuple[tuple[Run, ...], ...] = ()  # text blocks: one line; line blocks and lists: one per entry
    label: str = ""  # party role, field label
    rows: tuple[tuple[tuple[str, str, bool], ...], ...] = ()  # table: (text, align, head) per cell
    widths: tuple[float, ...] = ()


def render_court_markup(name: str, context: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> str:
    try:
        return environment(templates_dir).get_template(name).render(context)
    except JinjaTemplateError as exc:
        raise TemplateError(f"{templates_dir / name}: {exc.__class__.__name__}: {exc}") from None


def render_court_blocks(name: str, context: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> list[CourtBlock]:
    """templates/<name> rendered with `context`, as blocks."""
    markup = render_court_markup(name, context, templates_dir)
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        raise TemplateError(f"{name}: rendered markup is not well-formed XML: {exc}") from None
    return [_block(el, name) for el in root]


def _block(el: ET.Element, where: str) -> CourtBlock:
    if el.tag in TEXT_BLOCKS:
        return CourtBlock(el.tag, (text_runs(el, where),), label=el.get("label", ""))
    if el.tag in LINE_BLOCKS:
        return CourtBlock(el.tag, tuple(text_runs(line, where) for line in el.iter("line")), label=el.get("role", ""))
    if el.tag == "list":
        return CourtBlock("list", tuple(text_runs(item, where) for item in el.iter("item")))
    if el.tag == "table":
        rows = tuple(tuple((" ".join("".join(c.itertext()).split()), c.get("align", "left"), r.get("head") == "1")
                           for c in r.iter("cell")) for r in el.iter("row"))
        if not rows or len({len(r) for r in rows}) != 1:
            raise TemplateError(f"{where}: a table needs rows with the same number of cells")
        widths = tuple(float(w) for w in el.get("widths", "").split(",") if w.strip()) or (1.0,) * len(rows[0])
        if len(widths) != len(rows[0]):
            raise TemplateError(f"{where}: table widths name {len(widths)} columns, rows have {len(rows[0])}")
        return CourtBlock("table", rows=rows, widths=widths)
    if el.tag == "pagebreak":
        return CourtBlock("pagebreak")
    raise TemplateError(f"{where}: unknown block <{el.tag}>")
