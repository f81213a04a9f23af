"""The fast way through a camt file: entries read by exact per-layout patterns, not by lxml.

A bank writes its entries in a handful of layouts: the same elements in the same order, only
the texts differ. `Layouts` learns each layout once (its tags are checked to nest properly and
a plan says which text is which field, by the same rules as camt.py's lxml reader) and then
reads every entry of that layout with one exact regular expression.

`split_entries` streams a file into the lxml pull parser and yields its events, except that
each `<Ntry>...</Ntry>` a known layout reads is handed to `accept` instead of being parsed.
Everything else goes to lxml exactly as before: files not in UTF-8 or holding a comment, CDATA
or processing instruction; entries with a namespace prefix, an entity reference, an attribute
other than Amt's Ccy, or several TxDtls (a batch); and any entry `accept` refuses (a value that
needs an error message with its line).
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

from receivables.banking.accounts import normalize_account

_CHUNK = 1 << 20
_LONGEST_ENTRY = 1 << 20  # an unclosed <Ntry> longer than this turns the fast way off
_MAX_LAYOUTS = 256
_LEAF_TEXT = re.compile(r">([^<]*)</")  # the text of an element just before its end tag
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[ \t\n]+[A-Za-z]+=(?:\"[^\"<]*\"|'[^'<]*'))*)[ \t\n]*(/?)>"
    r"|\x00(\d+)\x00|([^<\x00]+)|(.)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([A-Za-z]+)=(?:"([^"]*)"|'([^']*)')""")
# Bytes after which lxml reads the rest of a file: markup the patterns do not know, characters
# XML forbids (that file is refused, and lxml says where).
_NOT_PLAIN = (b"<!", b"<?", b"]]>", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_FORBIDDEN = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


# An entry's values as camt.py's lxml reader collects them: (amount text, Ccy, CdtDbtInd, status,
# booking date text, value date text, AcctSvcrRef, AddtlNtryInf, bank code, Transaction or None).
Entry = tuple
# The only TxDtls of an entry, with the fields (and values) of camt.py's _TxDetails.read.
Transaction = namedtuple("Transaction", "e2e ref info dbtr cdtr dbtr_acct cdtr_acct ustrd strd bank_code")


class Layouts:
    """The entry layouts of one file; `read(block)` gives an Entry or None (lxml must read it)."""

    def __init__(self) -> None:
        self.known: dict[str, _Layout | None] = {}
        self.recent: list[_Layout] = []
        self.accounts: dict[str | None, str | None] = {}

    def account(self, text: str | None) -> str | None:
        """normalize_account, remembered: entries repeat the same counterparties."""
        value = self.accounts.get(text, self)
        if value is self:
            value = normalize_account(text)
            if len(self.accounts) < 50_000:
                self.accounts[text] = value
        return value

    def read(self, block: bytes) -> Entry | None:
        if b"&" in block:  # an entity or character reference: lxml resolves it
            return None
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            return None
        for layout in self.recent:
            match = layout.pattern.fullmatch(text)
            if match is not None:
                return layout.entry(match.groups(), self.account)
        parts = _LEAF_TEXT.split(text)
        pieces = parts[0::2]
        key = "\x00".join(pieces)
        layout = self.known.get(key, self)
        if layout is self:
            layout = self.known[key] = _Layout.learn(pieces) if len(self.known) < _MAX_LAYOUTS else None
        if layout is None:
            return None
        self.recent = [layout, *self.recent[:3]]
        return layout.entry(tuple(parts[1::2]), self.account)


class _Node:
    __slots__ = ("name", "attributes", "text", "children", "parent")

    def __init__(self, name: str, attributes: dict[str, str], parent: _Node | None) -> None:
        self.name, self.attributes, self.parent = name, attributes, parent
        self.text: int | str | None = None  # a slot number, a constant, or None (lxml's .text)
        self.children: list[_Node] = []

    def iter(self, *names: str) -> Iterator[_Node]:
        """Descendants named `names` in document order, as lxml's iter (self is never one here)."""
        for child in self.children:
            if child.name in names:
                yield child
            yield from child.iter(*names)


class _Unsupported(Exception):
    """A layout whose plan would need more than index lookups: lxml reads its entries."""


def _tree(skeleton: str) -> _Node:
    """The element tree of an entry's skeleton (texts replaced by numbered slots), checked."""
    stack: list[_Node] = []
    root = None
    for close, name, attributes, empty, slot, text, other in _TAG.findall(skeleton):
        if other or (root is not None and (name or text.strip())):
            raise _Unsupported
        top = stack[-1] if stack else None
        if name and close:
            if top is None or top.name != name or attributes or empty:
                raise _Unsupported
            stack.pop()
            root = top if not stack else None
        elif name:
            pairs = _ATTRIBUTE.findall(attributes)
            if any(key != "Ccy" or name != "Amt" for key, _, _ in pairs) or len(pairs) > 1:
                raise _Unsupported
            # XML turns tabs and line breaks in an attribute value into spaces
            node = _Node(name, {key: (a or b).replace("\t", " ").replace("\n", " ") for key, a, b in pairs}, top)
            if top is not None:
                top.children.append(node)
            elif root is not None:
                raise _Unsupported
            if empty:
                node.text = ""
                root = node if top is None else None
            else:
                stack.append(node)
        elif top is None:
            raise _Unsupported
        elif not top.children and top.text is None:
            top.text = int(slot) if slot else text
    if stack or root is None or root.name != "Ntry":
        raise _Unsupported
    return root


class _Layout:
    """One entry layout: its exact pattern and where each raw value comes from."""

    def __init__(self, pattern: re.Pattern[str], slots: int) -> None:
        self.pattern = pattern
        self.slots = slots
        self.constants: list[Any] = []

    @classmethod
    def learn(cls, pieces: list[str]) -> _Layout | None:
        skeleton = pieces[0] + "".join(f">\x00{i}\x00</{piece}" for i, piece in enumerate(pieces[1:]))
        layout = cls(re.compile(">([^<]*)</".join(re.escape(piece) for piece in pieces)), len(pieces) - 1)
        try:
            layout.plan(_tree(skeleton))
        except _Unsupported:
            return None
        return layout

    def const(self, value: Any) -> int:
        self.constants.append(value)
        return self.slots + len(self.constants) - 1

    def text(self, node: _Node | None) -> int:
        """Where a leaf's text comes from (an element with children is not read here)."""
        if node is None:
            return self.const(None)
        if node.children:
            raise _Unsupported
        return node.text if isinstance(node.text, int) else self.const(node.text)

    def plan(self, ntry: _Node) -> None:
        """Mirror of camt.py's _State.entry; a batch, or an element the schema has once given
        twice (lxml's reader checks each one), is refused."""
        found: dict[str, _Node] = {}
        details: list[_Node] = []
        for child in ntry.children:
            if child.name == "NtryDtls":
                details += [sub for sub in child.children if sub.name == "TxDtls"]
            elif child.name in found:
                raise _Unsupported
            else:
                found[child.name] = child
        if len(details) > 1:
            raise _Unsupported
        status = found.get("Sts")
        if status is None or not status.children:
            status_text, status_child = self.text(status), self.const(None)
        else:
            status_text, status_child = self.const(status.text), self.text(status.children[0])
        amount = found.get("Amt")
        self.ccy = amount.attributes.get("Ccy") if amount is not None else None
        self.values = itemgetter(
            self.text(amount), self.text(found.get("CdtDbtInd")), status_text, status_child,
            self.day(found.get("BookgDt")), self.day(found.get("ValDt")), self.text(found.get("AcctSvcrRef")),
            self.text(found.get("AddtlNtryInf")),
        )
        self.code = self.bank_code(found.get("BkTxCd"))
        self.tx = self.transaction(details[0]) if details else None
        self.constants = tuple(self.constants)  # type: ignore[assignment]

    def day(self, holder: _Node | None) -> int:
        return self.text(holder.children[0]) if holder is not None and holder.children else self.const(None)

    def bank_code(self, node: _Node | None) -> tuple[tuple[int, ...], int | None] | None:
        """Mirror of camt.py's _bank_code: Domn/Fmly codes joined, else the first proprietary one."""
        if node is None:
            return None
        domain, proprietary = [], None
        for elem in node.iter("Cd", "SubFmlyCd"):
            if elem.parent.name in ("Domn", "Fmly"):  # type: ignore[union-attr]
                domain.append(self.text(elem))
            elif elem.parent.name == "Prtry" and proprietary is None:  # type: ignore[union-attr]
                proprietary = self.text(elem)
        return tuple(domain), proprietary

    def party(self, party: _Node) -> int:
        """Mirror of camt.py's _party_name."""
        for child in party.children:
            if child.name == "Nm":
                return self.text(child)
            if child.name == "Pty":
                return self.party(child)
        return self.const(None)

    def account(self, holder: _Node) -> int:
        """Mirror of camt.py's _account_id (normalised later, with a cache)."""
        for elem in holder.iter("IBAN", "Othr"):
            if elem.name == "IBAN":
                return self.text(elem)
            for sub in elem.children:
                if sub.name == "Id":
                    return self.text(sub)
        return self.const(None)

    def transaction(self, tx: _Node) -> tuple:
        """Mirror of camt.py's _TxDetails.read for an entry's only TxDtls."""
        e2e = ref = info = dbtr = cdtr = dbtr_acct = cdtr_acct = code = None
        ustrd: list[int] = []
        strd: list[int] = []
        for child in tx.children:
            if child.name == "Refs":
                for sub in child.children:
                    if sub.name == "EndToEndId":
                        e2e = self.text(sub)
                    elif sub.name == "AcctSvcrRef":
                        ref = self.text(sub)
            elif child.name == "RltdPties":
                for party in child.children:
                    if party.name == "Dbtr":
                        dbtr = self.party(party)
                    elif party.name == "Cdtr":
                        cdtr = self.party(party)
                    elif party.name == "DbtrAcct":
                        dbtr_acct = self.account(party)
                    elif party.name == "CdtrAcct":
                        cdtr_acct = self.account(party)
            elif child.name == "RmtInf":
                for part in child.children:
                    if part.name == "Ustrd":
                        ustrd.append(self.text(part))
                    elif part.name == "Strd":
                        strd += [self.text(elem) for elem in part.iter("Ref", "AddtlRmtInf")]
            elif child.name == "AddtlTxInf":
                info = self.text(child)
            elif child.name == "BkTxCd":
                code = self.bank_code(child)
        none = self.const(None)
        scalars = [none if index is None else index for index in (e2e, ref, info, dbtr, cdtr, dbtr_acct, cdtr_acct)]
        return itemgetter(*scalars), tuple(ustrd), tuple(strd), code

    def entry(self, texts: tuple[str, ...], account: Callable[[str | None], str | None]) -> Entry:
        values = texts + self.constants  # type: ignore[operator]
        amount, sign, status_text, status_child, booking, value, ref, info = self.values(values)
        tx = None
        if self.tx is not None:
            scalars, ustrd, strd, code = self.tx
            e2e, tx_ref, tx_info, dbtr, cdtr, dbtr_acct, cdtr_acct = scalars(values)
            tx = Transaction(
                e2e.strip() if e2e is not None else None, tx_ref or None, tx_info or None, dbtr or None,
                cdtr or None, account(dbtr_acct), account(cdtr_acct),
                [text.strip() for text in map(values.__getitem__, ustrd) if text],
                [text.strip() for text in map(values.__getitem__, strd) if text and text.strip()],
                _code(code, values),
            )
        return (amount, self.ccy, sign, (status_text or "").strip() or status_child or None, booking, value,
                ref, info, _code(self.code, values), tx)


def _code(plan: tuple[tuple[int, ...], int | None] | None, values: tuple) -> str | None:
    if plan is None:
        return None
    domain, proprietary = plan
    if domain:
        return "/".join([(values[i] or "").strip() for i in domain])
    return (values[proprietary] or "").strip() if proprietary is not None else None


def _text_start(head: bytes) -> int | None:
    """Where the document proper starts (after the XML declaration) if it is UTF-8, else None."""
    if not head.lstrip(b"\xef\xbb\xbf").startswith(b"<") or head.lstrip(b"\xef\xbb\xbf")[1:2] == b"\x00":
        return None
    declaration = _DECLARATION.match(head)
    if declaration is None:
        return 0
    encoding = _ENCODING.search(declaration.group())
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    return declaration.end()


def _plain(data: bytes) -> bool:
    """No markup but elements, no character XML forbids ("!" and "?" are rare: look for them first)."""
    for mark in _NOT_PLAIN:
        if mark[-1:] in data and mark in data:
            return False
    return len(data.translate(None, _FORBIDDEN)) == len(data)


def split_entries(path: Any, parser: Any, accept: Callable[[Entry], bool]) -> Iterator[tuple[str, Any]]:
    """Feed the file at `path` to the lxml pull `parser`, yielding its events in document order.

    Entries a layout reads and `accept` takes are not fed (lxml gets their line breaks, so its
    line numbers stay right); `accept` runs after the events of everything before the entry.
    """
    layouts = Layouts()
    newlines = 0
    after_tag = False  # the last non-blank byte given to lxml or cut out was ">"

    def feed(data: bytes) -> Iterator[tuple[str, Any]]:
        nonlocal newlines, after_tag
        if data.strip():
            after_tag = data.rstrip()[-1:] == b">"
        parser.feed(b"\n" * newlines + data)
        newlines = 0
        return parser.read_events()

    with open(path, "rb") as handle:
        data = handle.read(_CHUNK)
        start = _text_start(data)
        fast = start is not None
        seen = data[start or 0:]
        pending = b""
        while data:
            if fast and not _plain(seen):
                fast = False
            buffer = pending + data
            pos = 0
            while fast:
                begin = buffer.find(b"<Ntry>", pos)
                end = buffer.find(b"</Ntry>", begin) if begin >= 0 else -1
                if end < 0:
                    if begin >= 0 and len(buffer) - begin > _LONGEST_ENTRY:
                        fast = False
                    break
                end += 7
                head = buffer[pos:begin]
                if head.strip():
                    yield from feed(head)
                else:
                    newlines += head.count(b"\n")
                entry = layouts.read(buffer[begin:end]) if after_tag else None
                if entry is not None and accept(entry):
                    newlines += buffer.count(b"\n", begin, end)
                    after_tag = True
                else:
                    yield from feed(buffer[begin:end])
                pos = end
            cut = len(buffer)
            if fast:
                begin = buffer.find(b"<Ntry>", pos)
                cut = begin if begin >= 0 else max(pos, len(buffer) - 5)  # "<Ntry>" may straddle reads
            yield from feed(buffer[pos:cut])
            pending = buffer[cut:]
            previous = data[-2:]  # a mark may straddle reads
            data = handle.read(_CHUNK)
            seen = previous + data
    yield from feed(pending)
    parser.close()
    yield from parser.read_events()
