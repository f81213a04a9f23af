"""Safe parsing of untrusted e-invoice XML: no DTD, no entities, no network.

A document type declaration has no business in an e-invoice; it is how XXE and
billion-laughs attacks arrive, so any DOCTYPE rejects the file before it is read further.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from receivables.accounting.errors import FieldValueError, InvoiceSourceError
from receivables.accounting.values import date_parser, parse_amount

MAX_XML_BYTES = 50 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ISO = date_parser("%Y-%m-%d")
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?([A-Za-z_][\w.\-]*)[\s>/]")


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def parse_xml(data: bytes, file: str | Path) -> etree._Element:
    """Parse `data` into an element tree, refusing DTDs and malformed XML with a clear error."""
    if len(data) > MAX_XML_BYTES:
        raise InvoiceSourceError(file, "XML file too large for one invoice", expected=f"at most {MAX_XML_BYTES} bytes", found=len(data))
    if _DOCTYPE.search(data):
        raise InvoiceSourceError(file, "XML with a DOCTYPE is refused (possible XXE)", where="DOCTYPE")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InvoiceSourceError(file, f"not well-formed XML: {exc}", where=f"line {exc.lineno}") from None
    if root.getroottree().docinfo.doctype:
        raise InvoiceSourceError(file, "XML with a DOCTYPE is refused (possible XXE)", where="DOCTYPE")
    return root


def root_name(head: bytes) -> tuple[str | None, str] | None:
    """(namespace URI, local name) of the root element in the first bytes of an XML file.

    Identification reads only the head of a file, so it stays cheap across an inbox.
    """
    start = 0
    while True:
        lt = head.find(b"<", start)
        if lt < 0 or lt + 1 >= len(head):
            return None
        nxt = head[lt + 1 : lt + 2]
        if nxt in (b"?", b"!"):
            end = head.find(b">", lt)
            if end < 0:
                return None
            start = end + 1
            continue
        match = _ROOT.match(head, lt)
        if not match:
            return None
        prefix, local = match.group(1), match.group(2)
        tag_end = head.find(b">", lt)
        tag = head[lt : tag_end if tag_end > 0 else len(head)]
        attr = b"xmlns:" + prefix + b"=" if prefix else b"xmlns="
        pos = tag.find(attr)
        if pos < 0:
            return None, local.decode()
        quote = tag[pos + len(attr) : pos + len(attr) + 1]
        end = tag.find(quote, pos + len(attr) + 1)
        return tag[pos + len(attr) + 1 : end].decode(), local.decode()


def read_head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


class XmlFields:
    """Typed look-ups in one parsed document, failing with the element's readable path."""

    def __init__(self, root: etree._Element, file: str | Path, namespaces: dict[str, str]) -> None:
        self.root = root
        self.file = file
        self.ns = namespaces

    def where(self, path: str = "", context: etree._Element | None = None) -> str:
        """"Fa/FaWiersz[2]/P_11" style location of `path` below `context`."""
        steps = []
        element = context
        while element is not None and element is not self.root:
            parent = element.getparent()
            name = etree.QName(element).localname
            same = [sibling for sibling in parent if sibling.tag == element.tag] if parent is not None else [element]
            steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
            element = parent
        steps.reverse()
        if path:
            steps.extend(step.split(":")[-1] for step in path.split("/"))
        return "/".join(steps) or etree.QName(self.root).localname

    def all(self, path: str, context: etree._Element | None = None) -> list[etree._Element]:
        return (self.root if context is None else context).findall(path, self.ns)

    def text(self, path: str, context: etree._Element | None = None) -> str | None:
        element = (self.root if context is None else context).find(path, self.ns)
        if element is None or element.text is None or not element.text.strip():
            return None
        return element.text.strip()

    def required(self, path: str, field: str, context: etree._Element | None = None) -> str:
        value = self.text(path, context)
        if value is None:
            raise InvoiceSourceError(self.file, "missing required element", where=self.where(path, context), field=field)
        return value

    def amount(self, path: str, field: str, context: etree._Element | None = None, required: bool = True) -> Decimal | None:
        value = self.required(path, field, context) if required else self.text(path, context)
        if value is None:
            return None
        try:
            return parse_amount(value)
        except FieldValueError as exc:
            raise InvoiceSourceError(self.file, "bad amount", where=self.where(path, context), field=field, expected="a number like 1234.56", found=exc.found) from None

    def date(self, path: str, field: str, context: etree._Element | None = None, required: bool = True, compact: bool = False) -> date | None:
        """ISO date, or CII format 102 (YYYYMMDD) when `compact`."""
        value = self.required(path, field, context) if required else self.text(path, context)
        if value is None:
            return None
        try:
            if compact:
                if len(value) != 8 or not value.isdigit():
                    raise ValueError
                return date(int(value[:4]), int(value[4:6]), int(value[6:]))
            return _ISO(value[:10] if len(value) > 10 and value[10] in "TZ+-" else value)
        except (ValueError, FieldValueError):
            expected = "a date YYYYMMDD (format 102)" if compact else "a date YYYY-MM-DD"
            raise InvoiceSourceError(self.file, "bad date", where=self.where(path, context), field=field, expected=expected, found=value) from None
