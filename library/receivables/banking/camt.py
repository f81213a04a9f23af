"""Streaming ISO 20022 camt.053 / camt.054 (and camt.052) parser, versions 001.02 to 001.08.

Elements are matched by local name, so every schema version's namespace works. The file is
fed to lxml's pull parser in 1 MB reads and each entry is cleared once read: memory stays flat
for any file size. Entities are never resolved and no DTD or network is touched; a file that declares a
DOCTYPE or ENTITY is refused outright (the classic XXE and billion-laughs inputs).

Speed: libxml2 alone takes about as long per entry as the 100,000 entries/s goal allows, so in
plain UTF-8 files (no comments, CDATA or processing instructions) each `<Ntry>...</Ntry>` is cut
out of the byte stream and read by an exact pattern of its layout (camt_fast.py); lxml still
parses everything else, including every entry no layout pattern reads, and both ways give the
same records and the same errors.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path
from typing import Any

from receivables.banking import camt_fast
from receivables.banking.accounts import normalize_account
from receivables.banking.errors import StatementError
from receivables.banking.records import Statement, StatementTransaction

_KIND = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.(\d\d)")
_CONTAINERS = {"Stmt": "camt.053", "Ntfctn": "camt.054", "Rpt": "camt.052"}
_ROOTS = {b"BkToCstmrStmt": "053", b"BkToCstmrDbtCdtNtfctn": "054", b"BkToCstmrAcctRpt": "052"}
_NOT_BOOKED = {"PDNG", "INFO", "FUTR"}
_NO_REF = {"NOTPROVIDED", "NONREF", ""}
_SIGNS = ("CRDT", "DBIT")
_ZERO = Decimal(0)
_Record = StatementTransaction
_new_record = tuple.__new__  # builds a _Record from a tuple of its fields, without NamedTuple's __new__
_BAD = object()
_UNSEEN = object()
_MAX_REMEMBERED = 50_000  # texts whose date or account is remembered (memory stays flat)
_local_names: dict[str, str] = {}


def _local(tag: Any) -> str:
    name = _local_names.get(tag)
    if name is None:
        name = _local_names[tag] = tag.rpartition("}")[2] if isinstance(tag, str) else ""
    return name


def sniff_kind(path: str | PathLike[str]) -> str | None:
    """"camt.053" / "camt.054" / "camt.052" from the first kilobytes, or None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16384)
    except OSError:
        return None
    if b"<" not in head:
        return None
    match = _KIND.search(head)
    if match:
        return "camt." + match.group(1).decode()
    for root, kind in _ROOTS.items():
        if root in head:
            return "camt." + kind
    return None


def identify(path: str | PathLike[str]) -> bool:
    return sniff_kind(path) is not None


def reject_doctype(path: str | PathLike[str]) -> None:
    """Refuse XML whose prolog declares a DOCTYPE or ENTITY, before any parser sees it."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, errors="replace")
            break
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff\xef\xbb\xbf")
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = end + 2 if end >= 0 else len(text)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = end + 3 if end >= 0 else len(text)
        elif text.startswith("<!", pos):
            raise StatementError(
                "external entity / DTD not allowed in statement XML",
                file=path,
                location=f"line {text.count(chr(10), 0, pos) + 1}",
                expected="a camt document without <!DOCTYPE> or <!ENTITY>",
                found=text[pos : pos + 40],
            )
        else:
            return


def extract(path: str | PathLike[str]) -> Iterator[Statement]:
    """Yield each Stmt (camt.053), Ntfctn (camt.054) or Rpt (camt.052) as a Statement.

    An entry with several TxDtls (a batch) becomes one transaction per TxDtls with that
    TxDtls' amount; pending/information-only entries are skipped; camt.054 has no balances.
    """
    from lxml import etree

    reject_doctype(path)
    path = Path(path)
    parser = etree.XMLPullParser(
        events=("end",),
        tag=("{*}Stmt", "{*}Ntfctn", "{*}Rpt", "{*}Acct", "{*}Bal", "{*}Ntry"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    state = _State(path)
    checked = False
    try:
        for _event, elem in camt_fast.split_entries(path, parser, state.fast_entry):
            if not checked:
                checked = True
                docinfo = elem.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise StatementError(
                        "external entity / DTD not allowed in statement XML", file=path,
                        location="prolog", expected="no <!DOCTYPE>", found=docinfo.doctype,
                    )
            name = _local(elem.tag)
            if name == "Ntry":
                state.entry(elem)
                parent = elem.getparent()
                elem.clear()
                while elem.getprevious() is not None:
                    del parent[0]
            elif name in _CONTAINERS:
                statement = state.finish(elem, _CONTAINERS[name])
                parent = elem.getparent()
                elem.clear()
                while elem.getprevious() is not None:
                    del parent[0]
                yield statement
            elif name == "Acct":
                state.account(elem)
            elif name == "Bal":
                state.balance(elem)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        message = exc.msg or str(exc)
        if "ntity" in message:
            message = f"external entity / DTD not allowed ({message})"
        raise StatementError(
            f"XML is not well-formed: {message}", file=path, location=f"line {line}",
            expected="a complete, well-formed camt document",
        ) from None
    if state.count == 0 and not state.seen_container:
        raise StatementError(
            "no statement found", file=path, location="document",
            expected="BkToCstmrStmt/Stmt or BkToCstmrDbtCdtNtfctn/Ntfctn", found="none",
        )


class _State:
    """What is known about the statement being read; resets at each container end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.seen_container = False
        self.dates: dict[str, date] = {}
        self.fast_dates: dict[str | None, date | None] = {None: None}
        self.accounts: dict[str | None, str | None] = {None: None}
        self.reset()

    def reset(self) -> None:
        self.acct: str | None = None
        self.stmt_id: str | None = None
        self.currency: str | None = None
        self.opening: Decimal | None = None
        self.opening_date: date | None = None
        self.closing: Decimal | None = None
        self.closing_date: date | None = None
        self.transactions: list[StatementTransaction] = []
        self.entries = 0

    def where(self, elem: Any, *names: str) -> str:
        path = "/".join(("Stmt[%d]" % (self.count + 1),) + names)
        line = getattr(elem, "sourceline", None)
        return f"{path} (line {line})" if line else path

    def fail(self, elem: Any, message: str, expected: str, found: str | None, *names: str) -> StatementError:
        return StatementError(message, file=self.path, location=self.where(elem, *names), expected=expected, found=found)

    def decimal(self, elem: Any, text: str | None, *names: str) -> Decimal:
        try:
            return Decimal(text.strip())  # type: ignore[union-attr]
        except (InvalidOperation, AttributeError):
            raise self.fail(elem, "invalid amount", "a decimal number like 1234.56", text, *names) from None

    def day(self, holder: Any, *names: str) -> date | None:
        """A <Dt> or <DtTm> child of `holder` (BookgDt, ValDt, Bal/Dt) as a date."""
        for child in holder:
            text = (child.text or "").strip()
            key = text[:10]
            value = self.dates.get(key)
            if value is None:
                try:
                    value = date.fromisoformat(key)
                except ValueError:
                    raise self.fail(child, "invalid date", "YYYY-MM-DD", text, *names, _local(child.tag)) from None
                self.dates[key] = value
            return value
        return None

    def account(self, acct: Any) -> None:
        parent = acct.getparent()
        if parent is None or _local(parent.tag) not in _CONTAINERS:
            return
        self.seen_container = True
        for sibling in parent:
            if _local(sibling.tag) == "Id":
                self.stmt_id = (sibling.text or "").strip()
                break
        for child in acct:
            name = _local(child.tag)
            if name == "Id":
                self.acct = _account_id(child)
            elif name == "Ccy":
                self.currency = (child.text or "").strip() or None

    def balance(self, bal: Any) -> None:
        parent = bal.getparent()
        if parent is None or _local(parent.tag) not in _CONTAINERS:
            return
        code = amount = ccy = sign = None
        day = None
        for child in bal:
            name = _local(child.tag)
            if name == "Tp":
                code = "".join(t.strip() for t in child.itertext()).upper()
            elif name == "Amt":
                amount = self.decimal(child, child.text, "Bal", "Amt")
                ccy = child.get("Ccy")
            elif name == "CdtDbtInd":
                sign = (child.text or "").strip()
            elif name == "Dt":
                day = self.day(child, "Bal", "Dt")
        if amount is None:
            raise self.fail(bal, "balance without amount", "Bal/Amt", None, "Bal")
        if sign == "DBIT":
            amount = -amount
        if code in ("OPBD", "PRCD") or (code == "ITBD" and self.opening is None and self.entries == 0):
            if self.opening is None or code == "OPBD":
                self.opening, self.opening_date = amount, day
                self.currency = self.currency or ccy
        elif code in ("CLBD", "ITBD"):
            if self.closing is None or code == "CLBD":
                self.closing, self.closing_date = amount, day

    def entry(self, ntry: Any) -> None:
        self.entries += 1
        index = self.entries
        amount_text = ccy = sign = status = None
        booking = value = None
        entry_ref = info = bank_code = None
        details: list[Any] = []
        for child in ntry:
            name = _local(child.tag)
            if name == "Amt":
                amount_text = child.text
                ccy = child.get("Ccy")
            elif name == "CdtDbtInd":
                sign = child.text
            elif name == "Sts":
                status = (child.text or "").strip() or (child[0].text if len(child) else None)
            elif name == "BookgDt":
                booking = self.day(child, f"Ntry[{index}]", "BookgDt")
            elif name == "ValDt":
                value = self.day(child, f"Ntry[{index}]", "ValDt")
            elif name == "AcctSvcrRef":
                entry_ref = child.text
            elif name == "BkTxCd":
                bank_code = _bank_code(child)
            elif name == "NtryDtls":
                for sub in child:
                    if _local(sub.tag) == "TxDtls":
                        details.append(sub)
            elif name == "AddtlNtryInf":
                info = child.text
        if status in _NOT_BOOKED:
            return
        if amount_text is None:
            raise self.fail(ntry, "entry without amount", "Ntry/Amt", None, f"Ntry[{index}]")
        if sign not in ("CRDT", "DBIT"):
            raise self.fail(ntry, "entry without credit/debit indicator", "CdtDbtInd CRDT or DBIT", sign, f"Ntry[{index}]", "CdtDbtInd")
        booking = booking or value
        if booking is None:
            raise self.fail(ntry, "entry without booking date", "Ntry/BookgDt/Dt", None, f"Ntry[{index}]")
        amount = self.decimal(ntry, amount_text, f"Ntry[{index}]", "Amt")
        if sign == "DBIT":
            amount = -amount
        currency = self.entry_currency(ccy)
        if len(details) <= 1:
            tx = _TxDetails(details[0], self) if details else None
            self.transactions.append(self.build(tx, booking, value, amount, currency, entry_ref, info, bank_code))
            return
        for number, detail in enumerate(details, 1):
            tx = _TxDetails(detail, self)
            if tx.amount_text is None:
                raise self.fail(detail, "batched entry detail without amount", "TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt", None, f"Ntry[{index}]", f"TxDtls[{number}]")
            tx_amount = self.decimal(detail, tx.amount_text, f"Ntry[{index}]", f"TxDtls[{number}]", "Amt")
            if (tx.sign or sign) == "DBIT":
                tx_amount = -tx_amount
            self.transactions.append(
                self.build(tx, booking, value, tx_amount, tx.ccy or currency, entry_ref, info, bank_code)
            )

    def entry_currency(self, ccy: str | None) -> str:
        """An entry's currency: its own, else the statement's (which the first entry may set)."""
        currency = ccy or self.currency or ""
        if self.currency is None:
            self.currency = ccy
        return currency

    def fast_entry(self, layout: camt_fast.Layout, groups: tuple[str, ...]) -> bool:
        """Book an entry camt_fast matched, as `entry` and `build` would; False, changing nothing,
        when the entry needs lxml after all (a value that is wrong needs an error message with its
        line).

        This runs once per entry, so it goes from the pattern's groups to the record in one pass:
        what repeats (dates, accounts, bank codes) is looked up in caches, helpers are inlined,
        and the record is built by tuple.__new__ (NamedTuple's own __new__ costs a third more).
        """
        values = groups + layout.constants
        amount_text, sign, status_text, status_child, booking_text, value_text, ref, info = layout.fields(values)
        dates = self.fast_dates
        booking = dates.get(booking_text, _UNSEEN)
        if booking is _UNSEEN:
            booking = self.fast_day(booking_text)
        value = dates.get(value_text, _UNSEEN)
        if value is _UNSEEN:
            value = self.fast_day(value_text)
        if booking is _BAD or value is _BAD:  # `entry` reads dates first, even of an entry it skips
            return False
        if ((status_text or "").strip() or status_child) in _NOT_BOOKED:
            self.entries += 1
            return True
        booking = booking or value
        if amount_text is None or sign not in _SIGNS or booking is None:
            return False
        try:
            amount = Decimal(amount_text.strip())
        except InvalidOperation:
            return False
        if sign == "DBIT":
            amount = -amount
        self.entries += 1
        currency = layout.ccy or self.currency or ""
        if self.currency is None:
            self.currency = layout.ccy
        code = layout.codes.get(layout.code_texts(values), _UNSEEN)
        if code is _UNSEEN:
            code = layout.code(values)
        if layout.tx is None:
            name = iban = e2e = None
            title, reference = info, ref
        else:
            e2e, tx_ref, tx_info, dbtr, cdtr, dbtr_acct, cdtr_acct = layout.tx(values)
            if amount >= _ZERO:
                name, iban, other_name, other_iban = dbtr, dbtr_acct, cdtr, cdtr_acct
            else:
                name, iban, other_name, other_iban = cdtr, cdtr_acct, dbtr, dbtr_acct
            accounts = self.accounts
            name, iban = name or None, accounts.get(iban) or self.fast_account(iban)
            if (name is None and iban is None) or (iban is not None and iban == self.acct):
                other_name, other_iban = other_name or None, accounts.get(other_iban) or self.fast_account(other_iban)
                if other_name is not None or other_iban is not None:
                    name, iban = other_name, other_iban
            title = values[layout.ustrd[0]] if len(layout.ustrd) == 1 else None
            if not title:  # not the usual one line of unstructured remittance information
                title = self.fast_title(layout, values, tx_info or info)
            if e2e is not None:
                e2e = e2e.strip()
                if e2e in _NO_REF:
                    e2e = None
            reference = tx_ref or ref
        self.transactions.append(_new_record(_Record, (
            booking, value, amount, currency, name and name.strip() or None, iban, title and title.strip() or None,
            reference and reference.strip() or None, e2e, code,
        )))
        return True

    @staticmethod
    def fast_title(layout: camt_fast.Layout, values: tuple, info: str | None) -> str | None:
        """`build`'s title from the texts a layout read: Ustrd lines, else Strd references, else info."""
        ustrd = [text.strip() for text in map(values.__getitem__, layout.ustrd) if text]
        if ustrd:
            return " ".join(ustrd)
        strd = [text.strip() for text in map(values.__getitem__, layout.strd) if text and text.strip()]
        return " ".join(strd) if strd else info

    def fast_day(self, text: str | None) -> Any:
        """`day` for a date text camt_fast read: None when absent, _BAD when lxml must report it.
        Remembered by the raw text (a bounded number of them: memory stays flat)."""
        if text is None:
            return None
        key = text.strip()[:10]
        value = self.dates.get(key)
        if value is None:
            try:
                value = self.dates[key] = date.fromisoformat(key)
            except ValueError:
                return _BAD
        if len(self.fast_dates) < _MAX_REMEMBERED:
            self.fast_dates[text] = value
        return value

    def fast_account(self, text: str | None) -> str | None:
        """normalize_account, remembered: entries repeat the same counterparties."""
        value = self.accounts.get(text, _UNSEEN)
        if value is _UNSEEN:
            value = normalize_account(text)
            if len(self.accounts) < _MAX_REMEMBERED:
                self.accounts[text] = value
        return value

    def build(self, tx: _TxDetails | None, booking: date, value: date | None,
              amount: Decimal, currency: str, entry_ref: str | None, info: str | None,
              bank_code: str | None) -> StatementTransaction:
        if tx is None:
            return StatementTransaction(booking, value, amount, currency, None, None,
                                        _clean(info), _clean(entry_ref), None, bank_code)
        if amount >= 0:
            name, iban, other_name, other_iban = tx.dbtr, tx.dbtr_acct, tx.cdtr, tx.cdtr_acct
        else:
            name, iban, other_name, other_iban = tx.cdtr, tx.cdtr_acct, tx.dbtr, tx.dbtr_acct
        if (name is None and iban is None) or (iban is not None and iban == self.acct):
            if other_name is not None or other_iban is not None:
                name, iban = other_name, other_iban
        title = " ".join(tx.ustrd) if tx.ustrd else (" ".join(tx.strd) if tx.strd else (tx.info or info))
        e2e = tx.e2e if tx.e2e not in _NO_REF else None
        return StatementTransaction(
            booking, value, amount, currency, _clean(name), iban, _clean(title),
            _clean(tx.ref or entry_ref), e2e, tx.bank_code or bank_code,
        )

    def finish(self, container: Any, kind: str) -> Statement:
        self.seen_container = True
        if not self.acct:
            raise self.fail(container, "statement without account", f"{_local(container.tag)}/Acct/Id/IBAN", None)
        statement = Statement(
            account=self.acct,
            statement_id=self.stmt_id or "",
            currency=self.currency or "",
            opening_balance=self.opening if kind != "camt.054" else None,
            closing_balance=self.closing if kind != "camt.054" else None,
            opening_date=self.opening_date,
            closing_date=self.closing_date,
            transactions=self.transactions,
        )
        self.count += 1
        self.reset()
        return statement


class _TxDetails:
    """The fields of one TxDtls, read in one pass over its direct children."""

    __slots__ = ("amount_text", "ccy", "sign", "e2e", "ref", "dbtr", "cdtr", "dbtr_acct",
                 "cdtr_acct", "ustrd", "strd", "info", "bank_code")

    def __init__(self, tx: Any, state: _State) -> None:
        self.amount_text = self.ccy = self.sign = self.e2e = self.ref = None
        self.dbtr = self.cdtr = self.dbtr_acct = self.cdtr_acct = self.info = self.bank_code = None
        self.ustrd: list[str] = []
        self.strd: list[str] = []
        for child in tx:
            name = _local(child.tag)
            if name == "Refs":
                for ref in child:
                    ref_name = _local(ref.tag)
                    if ref_name == "EndToEndId":
                        self.e2e = (ref.text or "").strip()
                    elif ref_name == "AcctSvcrRef":
                        self.ref = ref.text
            elif name == "Amt":
                self.amount_text = child.text
                self.ccy = child.get("Ccy")
            elif name == "AmtDtls":
                if self.amount_text is None:
                    for amt in child.iter("{*}Amt"):
                        self.amount_text = amt.text
                        self.ccy = amt.get("Ccy")
                        break
            elif name == "CdtDbtInd":
                self.sign = child.text
            elif name == "RltdPties":
                for party in child:
                    party_name = _local(party.tag)
                    if party_name == "Dbtr":
                        self.dbtr = _party_name(party)
                    elif party_name == "Cdtr":
                        self.cdtr = _party_name(party)
                    elif party_name == "DbtrAcct":
                        self.dbtr_acct = _account_id(party)
                    elif party_name == "CdtrAcct":
                        self.cdtr_acct = _account_id(party)
            elif name == "RmtInf":
                for part in child:
                    part_name = _local(part.tag)
                    if part_name == "Ustrd":
                        if part.text:
                            self.ustrd.append(part.text.strip())
                    elif part_name == "Strd":
                        for text_elem in part.iter("{*}Ref", "{*}AddtlRmtInf"):
                            if text_elem.text and text_elem.text.strip():
                                self.strd.append(text_elem.text.strip())
            elif name == "AddtlTxInf":
                self.info = child.text
            elif name == "BkTxCd":
                self.bank_code = _bank_code(child)


def _party_name(party: Any) -> str | None:
    for child in party:
        name = _local(child.tag)
        if name == "Nm":
            return child.text
        if name == "Pty":
            return _party_name(child)
    return None


def _account_id(holder: Any) -> str | None:
    """IBAN or other id from an Acct/DbtrAcct/CdtrAcct (or its Id child)."""
    for elem in holder.iter("{*}IBAN", "{*}Othr"):
        if _local(elem.tag) == "IBAN":
            return normalize_account(elem.text)
        for sub in elem:
            if _local(sub.tag) == "Id":
                return normalize_account(sub.text)
    return None


def _bank_code(bk_tx_cd: Any) -> str | None:
    domain: list[str] = []
    proprietary = None
    for elem in bk_tx_cd.iter("{*}Cd", "{*}SubFmlyCd"):
        parent = _local(elem.getparent().tag)
        if parent in ("Domn", "Fmly"):
            domain.append((elem.text or "").strip())
        elif parent == "Prtry" and proprietary is None:
            proprietary = (elem.text or "").strip()
    return "/".join(domain) if domain else proprietary


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None
