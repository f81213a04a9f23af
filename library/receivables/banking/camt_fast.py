"""The fast way through a camt file: entries read by exact per-layout patterns, not by lxml.

A bank writes its entries in a handful of layouts: the same elements in the same order, only
the texts differ. `Layouts` learns each layout once (its tags are checked to nest properly and
a plan says which text is which field, by the same rules as camt.py's lxml reader) and then
reads every entry of that layout with one exact regular expression.

`split_entries` streams a file into the lxml pull parser and yields its events, except that
each `<Ntry>...</Ntry>` a known layout reads is handed to `accept` instead of being parsed.
Everything else goes to lxml exactly as before: files not in UTF-8 or holding a comment, CDATA
or processing instruction; entries with a namespace prefix, an entity reference, a \r inside a
text, an attribute other than Amt's Ccy, or several TxDtls (a batch); and any entry `accept`
refuses (a value that needs an error message with its line).

Speed: each 1 MB read is decoded once, and a run of consecutive entries is matched pattern
after pattern at a moving position: no cutting, decoding or searching per entry, and lxml's
line count moves by the line breaks of the layout (counted when it is learnt) plus those in
the entry's texts and the blanks before it. Line ends are left as they are (libxml2 counts
"\n" only); a text holding a "\r", which XML reads as "\n", goes to lxml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

_CHUNK = 1 << 20
_LONGEST_ENTRY = 1 << 20  # an unclosed <Ntry> longer than this turns the fast way off
_MAX_LAYOUTS = 256
_RECENT = 4  # layouts tried in turn at each entry, the last one read first
_MAX_CODES = 4096  # bank-code texts remembered per layout
_BLANK = " \t\r\n"
_LEAF_TEXT = re.compile(r">([^<]*)</")  # the text of an element just before its end tag
# A leaf text the patterns read. Not [^<&\n]: sre tests a class of several characters at 40
# instructions a character, one excluded character at 3 (entities are looked for after the match).
_TEXT_GROUP = ">([^<]*)</"
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[ \t\r\n]+[A-Za-z]+=(?:\"[^\"<]*\"|'[^'<]*'))*)[ \t\r\n]*(/?)>"
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

# accept(layout, groups) books an entry a layout matched (groups: the blanks before it, then its
# texts) and says whether it did; False leaves the entry to lxml.
Accept = Callable[["Layout", tuple], bool]


class Layouts:
    """The entry layouts of one file, the most recently read first."""

    def __init__(self) -> None:
        self.known: dict[str, Layout | None] = {}
        self.recent: list[Layout] = []

    def read(self, block: str) -> Layout | None:
        """The layout of one `<Ntry>...</Ntry>`, learnt if new; None when lxml must read it."""
        if "&" in block:  # an entity or character reference: lxml resolves it
            return None
        parts = _LEAF_TEXT.split(block)
        pieces = [parts[0]]
        for i in range(1, len(parts), 2):
            if "<" in parts[i - 1] and parts[i - 1][-1:] != "/":  # the text of the element just opened
                pieces.append(parts[i + 1])
            else:  # after an end tag or <X/> (a pretty-printer's indent): the reader ignores it, the layout keeps it
                pieces[-1] += f">{parts[i]}</{parts[i + 1]}"
        key = "\x00".join(pieces)
        layout = self.known.get(key, self)
        if layout is self:
            layout = self.known[key] = Layout.learn(pieces) if len(self.known) < _MAX_LAYOUTS else None
        if layout is not None and layout not in self.recent:
            self.recent.insert(0, layout)
            del self.recent[_RECENT:]
        return layout


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


def _line_ends(text: str) -> str:
    """XML's end-of-line handling: \r\n and a lone \r are read as \n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _attribute_value(text: str) -> str:
    """XML's attribute-value normalisation (CDATA attributes): each line end or tab is a space."""
    return _line_ends(text).replace("\t", " ").replace("\n", " ")


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
            node = _Node(name, {key: _attribute_value(a or b) for key, a, b in pairs}, top)
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
            top.text = int(slot) if slot else _line_ends(text)
    if stack or root is None or root.name != "Ntry":
        raise _Unsupported
    return root


class Layout:
    """One entry layout: its exact pattern and where each raw value comes from.

    `pattern` matches the blanks before an entry (group 1) and the entry, one group per leaf
    text; the plan's getters (`fields`, `tx`, `code_texts`, the `ustrd` and `strd` indexes) pick
    each value from `groups + constants` (the constants: what the layout fixes, such as an
    absent element's None or an empty element's "").
    """

    def __init__(self, pattern: re.Pattern[str], slots: int, lines: int) -> None:
        self.pattern = pattern
        self.slots = slots
        self.lines = lines  # "\n" in the entry outside its texts
        self.constants: list[Any] = []
        self.codes: dict[Any, str | None] = {}

    @classmethod
    def learn(cls, pieces: list[str]) -> Layout | None:
        skeleton = pieces[0] + "".join(f">\x00{i}\x00</{piece}" for i, piece in enumerate(pieces[1:]))
        pattern = re.compile("([ \t\r\n]*)" + _TEXT_GROUP.join(re.escape(piece) for piece in pieces))
        layout = cls(pattern, len(pieces) - 1, sum(piece.count("\n") for piece in pieces))
        try:
            layout.plan(_tree(skeleton))
        except _Unsupported:
            return None
        return layout

    def const(self, value: Any) -> int:
        self.constants.append(value)
        return self.slots + len(self.constants)

    def text(self, node: _Node | None) -> int:
        """Where a leaf's text comes from (an element with children is not read here)."""
        if node is None:
            return self.const(None)
        if node.children:
            raise _Unsupported
        return node.text + 1 if isinstance(node.text, int) else self.const(node.text)

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
        # (amount, CdtDbtInd, Sts text, Sts child's text, booking date, value date, AcctSvcrRef, AddtlNtryInf)
        self.fields = itemgetter(
            self.text(amount), self.text(found.get("CdtDbtInd")), status_text, status_child,
            self.day(found.get("BookgDt")), self.day(found.get("ValDt")), self.text(found.get("AcctSvcrRef")),
            self.text(found.get("AddtlNtryInf")),
        )
        self.entry_code = self.bank_code(found.get("BkTxCd"))
        self.tx = self.tx_code = None
        self.ustrd: tuple[int, ...] = ()
        self.strd: tuple[int, ...] = ()
        if details:
            self.transaction(details[0])
        codes = [i for plan in (self.entry_code, self.tx_code) if plan for i in (*plan[0], plan[1]) if i is not None]
        # the texts the bank code is made of: the key of `codes`
        self.code_texts = itemgetter(*codes) if codes else itemgetter(self.const(None))
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

    def transaction(self, tx: _Node) -> None:
        """Mirror of camt.py's _TxDetails.read for an entry's only TxDtls."""
        e2e = ref = info = dbtr = cdtr = dbtr_acct = cdtr_acct = None
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
                self.tx_code = self.bank_code(child)
        none = self.const(None)
        # (EndToEndId, AcctSvcrRef, AddtlTxInf, Dbtr name, Cdtr name, DbtrAcct id, CdtrAcct id)
        self.tx = itemgetter(*[none if index is None else index
                               for index in (e2e, ref, info, dbtr, cdtr, dbtr_acct, cdtr_acct)])
        self.ustrd, self.strd = tuple(ustrd), tuple(strd)

    def code(self, values: tuple) -> str | None:
        """The bank code camt.py's reader gives the entry (its TxDtls' own, else the entry's).
        Its few texts repeat from entry to entry: callers look in `codes` first, by `code_texts`."""
        code = _code(self.tx_code, values) or _code(self.entry_code, values)
        if len(self.codes) < _MAX_CODES:
            self.codes[self.code_texts(values)] = code
        return code


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
    """No markup but elements, no character XML forbids. Each test is a memchr over the chunk
    (each mark's second byte is rare: it is looked for first); a translate would cost 10x."""
    for mark in _NOT_PLAIN:
        if mark[1:2] in data and mark in data:
            return False
    return not any(byte in data for byte in _FORBIDDEN)


def _decoded(data: bytes) -> str | None:
    """`data` as text, or None if it is not UTF-8 (lxml reads the rest then, and says where)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class _Feeder:
    """Feeds the lxml pull parser, keeping its line numbers right across the entries read fast."""

    def __init__(self, parser: Any, accept: Accept) -> None:
        self.parser = parser
        self.accept = accept
        self.layouts = Layouts()
        self.newlines = 0  # line breaks read fast since lxml was last fed
        self.after_tag = False  # the last non-blank byte given to lxml or read fast was ">"
        self.cr = False  # the text being read has a \r (Windows line ends)

    def feed(self, data: bytes) -> Iterator[tuple[str, Any]]:
        if data.strip():
            self.after_tag = data.rstrip()[-1:] == b">"
        self.parser.feed(b"\n" * self.newlines + data)
        self.newlines = 0
        return self.parser.read_events()

    def between(self, text: str) -> Iterator[tuple[str, Any]]:
        """What lies between entries: lxml reads it, unless it is blank (then only lines count)."""
        if text.strip(_BLANK):
            return self.feed(text.encode())
        self.newlines += text.count("\n")
        return iter(())

    def read_text(self, text: str) -> Iterator[tuple[str, Any]]:
        """A decoded stretch of the file that ends with an entry's end tag."""
        self.cr = "\r" in text
        pos = 0
        while (begin := text.find("<Ntry>", pos)) >= 0:
            yield from self.between(text[pos:begin])
            pos = self.run(text, begin) if self.after_tag else begin
            if pos == begin:
                end = text.find("</Ntry>", begin) + 7
                yield from self.feed(text[begin:end].encode())
                pos = end
        yield from self.between(text[pos:])

    def run(self, text: str, pos: int) -> int:
        """Read entries from `pos` for as long as a layout matches and `accept` takes them;
        where the last one taken ends (`pos` if none was)."""
        layouts, accept, cr = self.layouts, self.accept, self.cr
        recent = layouts.recent
        start, newlines = pos, 0
        while True:
            for layout in recent:
                match = layout.pattern.match(text, pos)
                if match is not None:
                    if layout is not recent[0]:
                        recent.remove(layout)
                        recent.insert(0, layout)
                    break
            else:
                layout, match = self.learn(text, pos)
                if match is None:
                    break
            groups = match.groups()
            texts = "".join(groups)  # the blanks before the entry, then its texts
            # an entity, or a \r in a text (XML reads it as \n): lxml reads the entry
            if "&" in texts or (cr and texts.find("\r", len(groups[0])) >= 0) or not accept(layout, groups):
                break
            newlines += layout.lines + texts.count("\n")
            pos = match.end()
        if pos != start:
            self.newlines += newlines
            self.after_tag = True
        return pos

    def learn(self, text: str, pos: int) -> tuple[Layout | None, re.Match[str] | None]:
        """The layout of the entry at `pos` (after blanks), learnt if new, and its match there;
        no match when lxml must read the entry."""
        begin = text.find("<Ntry>", pos)
        if begin < 0 or text[pos:begin].strip(_BLANK):
            return None, None
        layout = self.layouts.read(text[begin:text.find("</Ntry>", begin) + 7])
        return layout, layout.pattern.match(text, pos) if layout is not None else None


def split_entries(path: Any, parser: Any, accept: Accept) -> Iterator[tuple[str, Any]]:
    """Feed the file at `path` to the lxml pull `parser`, yielding its events in document order.

    Entries a layout reads and `accept` takes are not fed (lxml gets their line breaks, so its
    line numbers stay right); `accept` runs after the events of everything before the entry.
    """
    feeder = _Feeder(parser, accept)
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
            if fast and (last := buffer.rfind(b"</Ntry>")) >= 0:
                text = _decoded(buffer[: last + 7])
                if text is None:
                    fast = False
                else:
                    yield from feeder.read_text(text)
                    pos = last + 7
            cut = len(buffer)
            if fast:
                begin = buffer.find(b"<Ntry>", pos)
                if begin >= 0 and len(buffer) - begin > _LONGEST_ENTRY:
                    fast = False
                else:
                    cut = begin if begin >= 0 else max(pos, len(buffer) - 5)  # "<Ntry>" may straddle reads
            yield from feeder.feed(buffer[pos:cut])
            pending = buffer[cut:]
            previous = data[-2:]  # a mark may straddle reads
            data = handle.read(_CHUNK)
            seen = previous + data
    yield from feeder.feed(pending)
    parser.close()
    yield from parser.read_events()
