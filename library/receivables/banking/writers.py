"""Streaming MT940 and camt.053 writers (sandbox data, tests, the 1M-entry benchmark).

Both take the statement header as a `Statement` (its `transactions` list is ignored) and the
entries as any iterable, consume it once and never hold it: memory stays flat for any count.
The parsers in this package read what these write back field for field.

- MT940: the closing balance comes last, so it is computed while writing.
- camt.053: balances precede the entries in the schema. Pass `closing_balance` on the header
  to stream straight through (it is verified at the end), or leave it None and the entries
  are spooled to a temporary file (spilling to disk past a few MB) while the sum is taken.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from receivables.banking.amounts import format_swift_amount
from receivables.banking.bank_config import BankConfigs, DetailsSpec, load_bank_configs
from receivables.banking.records import Statement, StatementTransaction

_SUBFIELD = 27
_LINE = 65


class Mt940Writer:
    """Write MT940 statements in one bank's :86: dialect (an id from config/banks).

    Open the target as text in the bank's encoding, e.g.
    `open(path, "w", encoding="cp1250", newline="\\r\\n")`. The statement id is split at its
    last "/" into :20: and :28C: (an id without "/" gets :28C: "1"), matching the parser,
    which reads statement_id as "<:20:>/<:28C:>".
    """

    def __init__(self, fileobj: TextIO, dialect: str = "ing_pl", *, banks: BankConfigs | None = None) -> None:
        self.out = fileobj
        self.dialect = (banks or load_bank_configs()).dialect(dialect)
        self.spec: DetailsSpec = self.dialect.details
        labels: dict[str, str] = {}
        for label, target in self.spec.labels.items():
            labels.setdefault(target, label)
        self.labels = labels

    def write_statement(self, header: Statement, transactions: Iterable[StatementTransaction]) -> Decimal:
        """Write one statement; returns the closing balance it wrote."""
        if header.opening_balance is None or header.opening_date is None:
            raise ValueError("MT940 needs opening_balance and opening_date on the header")
        ref, _, seq = header.statement_id.rpartition("/")
        if not ref:
            ref, seq = header.statement_id, "1"
        write = self.out.write
        write(f":20:{ref}\n:25:{header.account}\n:28C:{seq}\n")
        write(f":60F:{_balance(header.opening_balance, header.opening_date, header.currency)}\n")
        total = header.opening_balance
        last_day = header.opening_date
        for tx in transactions:
            total += tx.amount
            last_day = tx.booking_date
            value = tx.value_date or tx.booking_date
            mark = "C" if tx.amount >= 0 else "D"
            ref_part = f"NONREF//{tx.reference}" if tx.reference else "NONREF"
            write(
                f":61:{value:%y%m%d}{tx.booking_date:%m%d}{mark}{format_swift_amount(tx.amount)}"
                f"NTRF{ref_part}\n:86:{self.details(tx)}\n"
            )
        closing_day = header.closing_date or last_day
        write(f":62F:{_balance(total, closing_day, header.currency)}\n-\n")
        return total

    def details(self, tx: StatementTransaction) -> str:
        spec = self.spec
        code = tx.bank_code if tx.bank_code and tx.bank_code.isdigit() and len(tx.bank_code) == 3 else ""
        if spec.style == "free":
            return _wrap(tx.title or "")
        if spec.style == "labels":
            parts = [f"{code or '000'} PRZELEW"]
            for target, value in (
                ("counterparty_iban", tx.counterparty_iban),
                ("counterparty_name", tx.counterparty_name),
                ("title", tx.title),
            ):
                if value and target in self.labels:
                    parts.append(f"{self.labels[target]}: {value}")
            return _wrap(spec.segment_separator.join(parts))
        marker = spec.marker or "~"
        lines = [f"{code}{marker}00PRZELEW" if not spec.sepa_keys else f"{code}{marker}00SEPA-UEBERWEISUNG"]
        title = tx.title or ""
        if spec.sepa_keys and (title or tx.end_to_end_id):
            title = (f"EREF+{tx.end_to_end_id} " if tx.end_to_end_id else "") + f"SVWZ+{title}"
        lines += _subfields(marker, spec.title, title, "title")
        lines += _subfields(marker, spec.name, tx.counterparty_name or "", "counterparty name")
        if tx.counterparty_iban:
            code_for_iban = spec.iban[0] if spec.iban else spec.account
            if code_for_iban:
                lines.append(f"{marker}{code_for_iban}{tx.counterparty_iban}")
        return "\n".join(lines)


def write_mt940(
    fileobj: TextIO,
    header: Statement,
    transactions: Iterable[StatementTransaction],
    dialect: str = "ing_pl",
    *,
    banks: BankConfigs | None = None,
) -> Decimal:
    """Write one MT940 statement to `fileobj`; returns its closing balance."""
    return Mt940Writer(fileobj, dialect, banks=banks).write_statement(header, transactions)


def _subfields(marker: str, codes: tuple[str, ...], text: str, what: str) -> list[str]:
    if not text:
        return []
    if len(text) > _SUBFIELD * len(codes):
        raise ValueError(f"{what} longer than {_SUBFIELD * len(codes)} characters: {text!r}")
    return [
        f"{marker}{code}{text[i * _SUBFIELD:(i + 1) * _SUBFIELD]}"
        for i, code in enumerate(codes)
        if text[i * _SUBFIELD:(i + 1) * _SUBFIELD]
    ]


def _wrap(text: str) -> str:
    """Cut at 65 characters; never leave a line the parser would take for a tag or terminator."""
    lines = []
    while len(text) > _LINE:
        cut = _LINE
        while cut > 1 and (text[cut] in ":-" or text[cut - 1] == " " and text[cut] == " "):
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    lines.append(text)
    return "\n".join(lines)


def _balance(amount: Decimal, day: date, currency: str) -> str:
    return f"{'C' if amount >= 0 else 'D'}{day:%y%m%d}{currency}{format_swift_amount(amount)}"


_VERSION = re.compile(r"001\.0[2-8]")


class Camt053Writer:
    """Write one camt.053 document with any number of statements.

    Use as a context manager over a text file opened with encoding="utf-8":

        with Camt053Writer(handle, version="001.08") as writer:
            writer.write_statement(header, entries)
    """

    def __init__(self, fileobj: TextIO, *, version: str = "001.08", message_id: str = "RECEIVABLES",
                 created: datetime | None = None, spool_bytes: int = 8 << 20) -> None:
        if not _VERSION.fullmatch(version):
            raise ValueError(f"camt.053 version must be 001.02 .. 001.08, not {version!r}")
        self.out = fileobj
        self.version = version
        self.minor = int(version[-2:])
        self.message_id = message_id
        self.created = (created or datetime.now(timezone.utc)).replace(microsecond=0)
        self.spool_bytes = spool_bytes

    def __enter__(self) -> Camt053Writer:
        self.out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.{self.version}">'
            f"<BkToCstmrStmt><GrpHdr><MsgId>{escape(self.message_id)}</MsgId>"
            f"<CreDtTm>{self.created.isoformat()}</CreDtTm></GrpHdr>\n"
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.out.write("</BkToCstmrStmt></Document>\n")

    def write_statement(self, header: Statement, transactions: Iterable[StatementTransaction]) -> Decimal:
        """Write one <Stmt>; returns the closing balance (verified if the header gave one)."""
        if header.opening_balance is None or header.opening_date is None:
            raise ValueError("camt.053 needs opening_balance and opening_date on the header")
        if header.closing_balance is not None:
            self._head(header, header.closing_balance, header.closing_date or header.opening_date)
            total = self._entries(self.out, header, transactions)
            self.out.write("</Stmt>\n")
            if total != header.closing_balance:
                raise ValueError(f"entries add up to {total}, header said closing {header.closing_balance}")
            return total
        with tempfile.SpooledTemporaryFile(self.spool_bytes, mode="w+", encoding="utf-8") as spool:
            total = self._entries(spool, header, transactions)
            self._head(header, total, header.closing_date or self._last_day or header.opening_date)
            spool.seek(0)
            shutil.copyfileobj(spool, self.out, 1 << 20)
        self.out.write("</Stmt>\n")
        return total

    def _head(self, header: Statement, closing: Decimal, closing_date: date) -> None:
        ccy = escape(header.currency)
        self.out.write(
            f"<Stmt><Id>{escape(header.statement_id)}</Id><CreDtTm>{self.created.isoformat()}</CreDtTm>"
            f"<Acct><Id><IBAN>{escape(header.account)}</IBAN></Id><Ccy>{ccy}</Ccy></Acct>"
            f"{_bal('OPBD', header.opening_balance, ccy, header.opening_date)}"  # type: ignore[arg-type]
            f"{_bal('CLBD', closing, ccy, closing_date)}\n"
        )

    def _entries(self, out: TextIO, header: Statement, transactions: Iterable[StatementTransaction]) -> Decimal:
        write = out.write
        total = header.opening_balance
        assert total is not None
        self._last_day = None
        status = "<Sts><Cd>BOOK</Cd></Sts>" if self.minor >= 7 else "<Sts>BOOK</Sts>"
        pty_open, pty_close = ("<Pty>", "</Pty>") if self.minor >= 8 else ("", "")
        for tx in transactions:
            total += tx.amount
            self._last_day = tx.booking_date
            credit = tx.amount >= 0
            ccy = quoteattr(tx.currency or header.currency)
            parts = [
                f"<Ntry><Amt Ccy={ccy}>{abs(tx.amount):f}</Amt><CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>",
                f"{status}<BookgDt><Dt>{tx.booking_date.isoformat()}</Dt></BookgDt>",
            ]
            if tx.value_date:
                parts.append(f"<ValDt><Dt>{tx.value_date.isoformat()}</Dt></ValDt>")
            if tx.reference:
                parts.append(f"<AcctSvcrRef>{escape(tx.reference)}</AcctSvcrRef>")
            parts.append(_bk_tx_cd(tx.bank_code, credit))
            parts.append(f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(tx.end_to_end_id or 'NOTPROVIDED')}</EndToEndId></Refs>")
            if tx.counterparty_name or tx.counterparty_iban:
                role = "Dbtr" if credit else "Cdtr"
                parts.append("<RltdPties>")
                if tx.counterparty_name:
                    parts.append(f"<{role}>{pty_open}<Nm>{escape(tx.counterparty_name)}</Nm>{pty_close}</{role}>")
                if tx.counterparty_iban:
                    parts.append(f"<{role}Acct><Id><IBAN>{escape(tx.counterparty_iban)}</IBAN></Id></{role}Acct>")
                parts.append("</RltdPties>")
            if tx.title:
                parts.append("<RmtInf>")
                parts.extend(f"<Ustrd>{escape(chunk)}</Ustrd>" for chunk in _ustrd_chunks(tx.title))
                parts.append("</RmtInf>")
            parts.append("</TxDtls></NtryDtls></Ntry>\n")
            write("".join(parts))
        return total


def write_camt053(
    fileobj: TextIO,
    header: Statement,
    transactions: Iterable[StatementTransaction],
    version: str = "001.08",
    *,
    message_id: str = "RECEIVABLES",
) -> Decimal:
    """Write a camt.053 document holding one statement; returns its closing balance."""
    with Camt053Writer(fileobj, version=version, message_id=message_id) as writer:
        return writer.write_statement(header, transactions)


def _bal(code: str, amount: Decimal, ccy: str, day: date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{ccy}\">{abs(amount):f}</Amt>"
        f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def _bk_tx_cd(code: str | None, credit: bool) -> str:
    if code and code.count("/") == 2:
        domain, family, sub = (escape(part) for part in code.split("/"))
        return f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>"
    if code:
        return f"<BkTxCd><Prtry><Cd>{escape(code)}</Cd></Prtry></BkTxCd>"
    family = "RCDT" if credit else "ICDT"
    return f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"


def _ustrd_chunks(title: str) -> list[str]:
    """Ustrd holds at most 140 characters; split at spaces (the parser joins with one space)."""
    chunks = []
    while len(title) > 140:
        cut = title.rfind(" ", 1, 141)
        if cut <= 0:
            raise ValueError(f"title has a word longer than 140 characters: {title[:40]!r}...")
        chunks.append(title[:cut])
        title = title[cut + 1:]
    chunks.append(title)
    return chunks
