"""Streaming reader for .xlsx sheets that hands back each cell's stored text.

openpyxl turns every cell into an object and every number into a float: about 5,000 rows/s
here and binary noise in money. Sheet XML is machine-written and regular, so this reader
scans it in chunks with regular expressions (no entity or DTD processing at all), yielding
rows of strings; numeric cells come as XlsxNumber so amounts and date serials are read from
their exact decimal text.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.xml_input import parse_xml

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHUNK_CHARS = 4 * 1024 * 1024
_MAX_MEMBER_BYTES = 2 * 1024 * 1024 * 1024
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_COLUMN_CACHE: dict[str, int] = {}


class XlsxNumber(str):
    """The text of a numeric cell ("123.62", "45292"): a number or a date serial."""

    __slots__ = ()


def column_index(letters: str) -> int:
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + ord(char) - 64
        index -= 1
        _COLUMN_CACHE[letters] = index
    return index


def _unescape(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


class XlsxWorkbook:
    """One workbook: sheet names, the 1904 flag, and rows of a sheet as lists of strings."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvoiceSourceError(self.path, f"not an .xlsx workbook: {exc}") from None
        workbook = self._xml("xl/workbook.xml")
        ns = {"m": MAIN_NS}
        self.date1904 = workbook.xpath("string(m:workbookPr/@date1904)", namespaces=ns) in ("1", "true")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
        self._sheets: dict[str, str] = {}
        for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
            target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            self._sheets[sheet.get("name", "")] = member
        self._shared: list[str] | None = None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> XlsxWorkbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def _member(self, name: str) -> zipfile.ZipInfo:
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise InvoiceSourceError(self.path, f"workbook part {name} is missing") from None
        if info.file_size > _MAX_MEMBER_BYTES:
            raise InvoiceSourceError(self.path, f"workbook part {name} is too large", found=info.file_size)
        return info

    def _xml(self, name: str):  # noqa: ANN202 - lxml element
        return parse_xml(self._zip.read(self._member(name)), f"{self.path}:{name}")

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if "xl/sharedStrings.xml" in self._zip.namelist():
                text = self._zip.read(self._member("xl/sharedStrings.xml")).decode("utf-8")
                if "<!DOCTYPE" in text:
                    raise InvoiceSourceError(self.path, "DOCTYPE in sharedStrings.xml is refused")
                prefix = _prefix(text, "sst")
                item = re.compile(rf"<{prefix}si>(.*?)</{prefix}si>|<{prefix}si/>", re.S)
                phonetic = re.compile(rf"<{prefix}rPh\b.*?</{prefix}rPh>", re.S)
                part = re.compile(rf"<{prefix}t(?:\s[^>]*)?>(.*?)</{prefix}t>|<{prefix}t\s*/>", re.S)
                for match in item.finditer(text):
                    body = match.group(1) or ""
                    if "<" + prefix + "rPh" in body:
                        body = phonetic.sub("", body)
                    self._shared.append(_unescape("".join(part.findall(body))))
        return self._shared

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
        """Yield (row number, cell texts) for `sheet` (first sheet when None), skipping empty rows."""
        if sheet is None:
            if not self._sheets:
                raise InvoiceSourceError(self.path, "workbook has no sheets")
            sheet = next(iter(self._sheets))
        member = self._sheets.get(sheet)
        if member is None:
            raise InvoiceSourceError(self.path, "sheet not found", field="sheet", expected=" or ".join(self._sheets), found=sheet)
        info = self._member(member)
        with self._zip.open(info) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8")
            head = stream.read(_CHUNK_CHARS)
            if "<!DOCTYPE" in head:
                raise InvoiceSourceError(self.path, f"DOCTYPE in sheet {sheet!r} is refused")
            prefix = _prefix(head, "worksheet")
            yield from _scan_rows(stream, head, prefix, self._shared_strings, f"{self.path} sheet {sheet!r}")


def _prefix(text: str, root: str) -> str:
    match = re.search(rf"<(\w+:)?{root}\b", text)
    return match.group(1) or "" if match else ""


def _scan_rows(stream: io.TextIOBase, buffer: str, prefix: str, shared, label: str) -> Iterator[tuple[int, list[str]]]:  # noqa: ANN001
    """Split the sheet text at row ends (plain str.split is the fast part) and read cells."""
    fast_cell = re.compile(
        rf"<{prefix}c r=\"([A-Z]+)\d+\"(?: s=\"\d+\")?(?: t=\"(\w+)\")?(?: [^>]*?)?(?:/>|>(.*?)</{prefix}c>)", re.S
    )
    any_cell = re.compile(
        rf"<{prefix}c\b(?:(?=[^>]*?\br=\"([A-Z]+)))?(?:(?=[^>]*?\bt=\"(\w+)\"))?[^>]*?(?:/>|>(.*?)</{prefix}c>)", re.S
    )
    row_number_re = re.compile(r"\br=\"(\d+)\"")
    value_re = re.compile(rf"<{prefix}v>(.*?)</{prefix}v>", re.S)
    text_re = re.compile(rf"<{prefix}t(?:\s[^>]*)?>(.*?)</{prefix}t>", re.S)
    v_open, v_close = f"<{prefix}v>", f"</{prefix}v>"
    row_open, row_close, cell_open = f"<{prefix}row", f"</{prefix}row>", f"<{prefix}c "
    strings: list[str] | None = None
    last_row = 0
    while True:
        more = stream.read(_CHUNK_CHARS)
        if more:
            buffer += more
            cut = buffer.rfind(row_close)
            if cut < 0:
                continue
            pieces = buffer[:cut].split(row_close)
            buffer = buffer[cut + len(row_close) :]
        else:
            pieces = buffer.split(row_close)[:-1]
        for piece in pieces:
            start = piece.rfind(row_open)
            if start < 0:
                continue
            last_row += piece.count(row_open, 0, start)
            head_end = piece.find(">", start)
            number_match = row_number_re.search(piece, start, head_end)
            last_row = int(number_match.group(1)) if number_match else last_row + 1
            body = piece[head_end + 1 :]
            cells = fast_cell.findall(body)
            if len(cells) != body.count(cell_open):
                cells = any_cell.findall(body)
            values: list[str] = []
            position = 0
            for letters, kind, content in cells:
                if letters:
                    position = column_index(letters)
                if content.startswith(v_open) and content.endswith(v_close):
                    text = content[len(v_open) : -len(v_close)]
                elif kind == "inlineStr":
                    text = "".join(text_re.findall(content))
                else:
                    found = value_re.search(content)
                    text = found.group(1) if found else ""
                if text:
                    if kind == "s":
                        if strings is None:
                            strings = shared()
                        try:
                            text = strings[int(text)]
                        except (ValueError, IndexError):
                            raise InvoiceSourceError(label, "broken shared-string reference", where=f"row {last_row}", found=text) from None
                    elif kind in ("", "n"):
                        text = XlsxNumber(text)
                    else:
                        text = _unescape(text)
                    while len(values) < position:
                        values.append("")
                    if len(values) == position:
                        values.append(text)
                    else:
                        values[position] = text
                position += 1
            if values:
                yield last_row, values
        if not more:
            return
