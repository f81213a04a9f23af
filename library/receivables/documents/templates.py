"""Letter texts from Jinja2 templates in templates/<lang>/letters/<kind>.xml.j2.

Templates own the words, renderers own the layout. A template renders a small XML document
(sandboxed, autoescaped, StrictUndefined: a missing variable is an error, never a blank):

    <letter>
      <letterhead><line>..</line>..</letterhead>   <recipient><line>..</line>..</recipient>
      <dateline>..</dateline>   <reference>..</reference>   <subject>..</subject>
      <p>text with <b>bold</b> runs</p>
      <table total="Total"><col key="invoice">Invoice</col>..</table>   (rows come from the letter)
      <payment><field label="Account">..</field>..</payment>   (the QR code, if any, goes beside it)
      <signature><line>..</line>..</signature>   <footer>..</footer>
    </letter>

Autoescaping makes data safe inside that XML; a literal "&" in a template is written "&amp;".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment

from receivables.config import PROJECT_ROOT
from receivables.documents.fmt import formatter, group_iban
from receivables.documents.model import Letter
from receivables.dunning.interest import STATUTORY_ORDER

TEMPLATES_DIR = PROJECT_ROOT / "templates"
COLUMN_KEYS = ("invoice", "issue_date", "due_date", "amount", "paid_on", "days_late", "principal", "interest",
               "compensation", "total")
LINE_BLOCKS = ("letterhead", "recipient", "signature")
TEXT_BLOCKS = ("dateline", "reference", "subject", "p", "footer")
SPACES = re.compile(r"[ \t\r\n]+")  # not \s: no-break spaces inside amounts must survive


class TemplateError(Exception):
    """A letter template is missing, uses an unknown variable or renders malformed markup."""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    kind: str
    lines: tuple[tuple[Run, ...], ...] = ()  # text blocks: one line to wrap; line blocks: one per <line>
    pairs: tuple[tuple[str, str], ...] = ()  # table: (column key, label); payment: (label, value)
    label: str = ""  # table: label of the total row


@lru_cache(maxsize=8)
def environment(templates_dir: Path = TEMPLATES_DIR) -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(templates_dir)), autoescape=True,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def template_name(letter: Letter) -> str:
    return f"{letter.language}/letters/{letter.kind}.xml.j2"


def context(letter: Letter) -> dict:
    f = formatter(letter.language)
    return {
        "company": letter.creditor,
        "debtor": letter.debtor,
        "letter": {
            "kind": letter.kind, "number": letter.number, "date": f.long_date(letter.issued_on),
            "place": letter.place or letter.creditor.address.city,
            "deadline": f.long_date(letter.deadline) if letter.deadline else None,
            "interest_until": f.long_date(letter.interest_until or letter.issued_on),
            "payment_title": letter.payment_title, "iban": group_iban(letter.iban), "currency": letter.currency,
            "jurisdiction": letter.jurisdiction, "consumer": letter.consumer, "count": len(letter.items),
            "order": "statutory" if letter.payment_order == STATUTORY_ORDER[letter.jurisdiction] else "custom",
            "order_steps": list(letter.payment_order),
        },
        "totals": {k: f.money(v, letter.currency) for k, v in asdict(letter.totals).items()},
        "has_compensation": letter.totals.compensation > 0,
    }


def render_markup(letter: Letter, templates_dir: Path = TEMPLATES_DIR) -> str:
    name = template_name(letter)
    try:
        return environment(templates_dir).get_template(name).render(context(letter))
    except JinjaTemplateError as exc:
        raise TemplateError(f"{templates_dir / name}: {exc.__class__.__name__}: {exc}") from None


def render_blocks(letter: Letter, templates_dir: Path = TEMPLATES_DIR) -> list[Block]:
    """The letter's text as layout-neutral blocks."""
    markup = render_markup(letter, templates_dir)
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        raise TemplateError(f"{template_name(letter)}: rendered markup is not well-formed XML: {exc}") from None
    return [_block(el, template_name(letter)) for el in root]


def text_runs(el: ET.Element, where: str) -> tuple[Run, ...]:
    runs = [Run(el.text)] if el.text else []
    for child in el:
        if child.tag != "b" or len(child):
            raise TemplateError(f"{where}: <{el.tag}> may contain only text and <b>, found <{child.tag}>")
        runs.append(Run(child.text or "", bold=True))
        if child.tail:
            runs.append(Run(child.tail))
    out: list[Run] = []
    for run in runs:
        text = SPACES.sub(" ", run.text)
        if out and out[-1].bold == run.bold:
            out[-1] = Run(out[-1].text + text, run.bold)
        elif text:
            out.append(Run(text, run.bold))
    if out:
        out[0] = Run(out[0].text.lstrip(" "), out[0].bold)
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold)
    return tuple(r for r in out if r.text)


def _block(el: ET.Element, where: str) -> Block:
    if el.tag in TEXT_BLOCKS:
        return Block(el.tag, (text_runs(el, where),))
    if el.tag in LINE_BLOCKS:
        return Block(el.tag, tuple(text_runs(line, where) for line in el.iter("line")))
    if el.tag == "table":
        cols = tuple((c.get("key", ""), SPACES.sub(" ", c.text or "").strip()) for c in el.iter("col"))
        unknown = [k for k, _ in cols if k not in COLUMN_KEYS]
        if unknown or not cols:
            raise TemplateError(f"{where}: table columns must be keys from {COLUMN_KEYS}, got {unknown or 'none'}")
        return Block("table", pairs=cols, label=el.get("total", ""))
    if el.tag == "payment":
        return Block("payment", pairs=tuple((f.get("label", ""), SPACES.sub(" ", "".join(f.itertext())).strip())
                                            for f in el.iter("field")))
    raise TemplateError(f"{where}: unknown block <{el.tag}>")
