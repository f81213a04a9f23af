"""Straightforward reference readers: the obvious, slow way to get the same records.

The fast parsers (banking.mt940, banking.camt) and the fast ledger import are checked against
these on real and generated files (tests/banking/test_bank_fast_paths.py), and the benchmarks
time them as "the plain approach". Written for clarity: whole file in memory, one field at a
time, no caches.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from receivables.banking.accounts import iban_check_digits, normalize_account
from receivables.banking.bank_config import Mt940Dialect, load_bank_configs
from receivables.banking.encoding import SNIFF_BYTES, sniff_encoding
from receivables.banking.records import Statement, StatementTransaction

# ---------------------------------------------------------------------------- MT940

_FIELD = re.compile(r":(\d\d[A-Z]?):")
_LINE_61 = re.compile(
    r"(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,15}(?:,\d*)?) ?([NFS][A-Z0-9]{2}[A-Z0-9 ]?)(.*?)(?://(.*))?$"
)
_BALANCE = re.compile(r"([CD])(\d{6})([A-Z]{3})(\d{1,15}(?:,\d*)?)$")
_SEPA_KEY = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|OAMT|COAM|PURP)\+")


def mt940_reference(path: str | Path) -> list[Statement]:
    """Every statement of an MT940 file, read line by line from the decoded text."""
    dialects = load_bank_configs().mt940_dialects
    data = Path(path).read_bytes()
    encoding = sniff_encoding(data[:SNIFF_BYTES], ("utf-8", "cp1250", "iso-8859-2"),
                              whole_file=len(data) < SNIFF_BYTES)
    text = data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x01", "").replace("\x03", "")
    fields: list[tuple[str, str]] = []  # (tag, raw text with its newlines); "-" ends a statement
    lines = text.split("\n")
    for number, line in enumerate(lines):
        newline = "\n" if number < len(lines) - 1 else ""
        match = _FIELD.match(line)
        if match:
            fields.append((match.group(1), line[match.end():] + newline))
        elif re.fullmatch(r"-\}?[ \t]*", line):
            fields.append(("-", ""))
        elif line.startswith("{"):
            fields.append(("{", ""))
        elif fields and fields[-1][0] not in ("-", "{"):
            fields[-1] = (fields[-1][0], fields[-1][1] + line + newline)
    statements = []
    stmt: dict | None = None
    for tag, raw in fields:
        if tag == "-" or tag == "20":
            if stmt:
                statements.append(_close(stmt))
            stmt = None
            if tag == "20":
                stmt = {"ref": _value(raw), "seq": "", "account": "", "dialect": None, "details_dialect": None,
                        "currency": "", "opening": None, "opening_date": None, "closing": None,
                        "closing_date": None, "transactions": [], "pending": None}
        elif stmt is None:
            continue
        elif tag == "25":
            stmt["account"] = _value(raw)
            account = stmt["account"].lstrip("/").replace(" ", "")
            stmt["dialect"] = next((d for d in dialects if d.serves(account)), None)
        elif tag in ("28C", "28"):
            stmt["seq"] = _value(raw)
        elif tag in ("60F", "60M"):
            stmt["opening"], stmt["opening_date"], stmt["currency"] = _balance(_value(raw))
        elif tag in ("62F", "62M"):
            _flush(stmt)
            stmt["closing"], stmt["closing_date"], currency = _balance(_value(raw))
            stmt["currency"] = stmt["currency"] or currency
        elif tag == "61":
            _flush(stmt)
            stmt["pending"] = [raw.split("\n")[0], None]
        elif tag == "86" and stmt["pending"] and stmt["pending"][1] is None:
            stmt["pending"][1] = raw
    if stmt:
        statements.append(_close(stmt))
    return statements


def _value(raw: str) -> str:
    return raw.replace("\n", "").strip()


def _date6(text: str) -> date:
    year = int(text[:2])
    return date(2000 + year if year < 80 else 1900 + year, int(text[2:4]), int(text[4:6]))


def _balance(text: str) -> tuple[Decimal, date, str]:
    mark, day, currency, amount = _BALANCE.match(text).groups()
    value = Decimal(amount.replace(",", "."))
    return (-value if mark == "D" else value), _date6(day), currency


def _flush(stmt: dict) -> None:
    """An entry is complete when the next :61:, the closing balance or the statement's end comes."""
    if stmt["pending"]:
        stmt["transactions"].append(_transaction(*stmt["pending"], stmt))
        stmt["pending"] = None


def _close(stmt: dict) -> Statement:
    _flush(stmt)
    dialect = stmt["dialect"]
    return Statement(
        account=normalize_account(stmt["account"], dialect.country if dialect else None) or "",
        statement_id=f"{stmt['ref']}/{stmt['seq']}" if stmt["seq"] else stmt["ref"],
        currency=stmt["currency"],
        opening_balance=stmt["opening"],
        closing_balance=stmt["closing"],
        opening_date=stmt["opening_date"],
        closing_date=stmt["closing_date"],
        transactions=stmt["transactions"],
    )


def _transaction(line: str, details: str | None, stmt: dict) -> StatementTransaction:
    value_s, entry_s, mark, _funds, amount_s, type_code, customer_ref, bank_ref = _LINE_61.match(line).groups()
    value_date = booking_date = _date6(value_s)
    if entry_s:
        month, day = int(entry_s[:2]), int(entry_s[2:])
        year = value_date.year
        if month - value_date.month > 6:
            year -= 1
        elif value_date.month - month > 6:
            year += 1
        booking_date = date(year, month, day)
    amount = Decimal(amount_s.replace(",", "."))
    if mark in ("D", "RC"):
        amount = -amount
    reference = bank_ref.strip() if bank_ref else None
    if not reference:
        reference = customer_ref.strip() if customer_ref.strip() not in ("", "NONREF") else None
    title = name = iban = e2e = code = None
    if details is not None:
        dialect = stmt["details_dialect"]
        if dialect is None:
            dialect = stmt["dialect"]
            if dialect is not None and _matches(dialect, details):
                stmt["details_dialect"] = dialect
            else:
                sniffed = next((d for d in load_bank_configs().mt940_dialects
                                if d.details.style != "free" and _matches(d, details)), None)
                if sniffed is not None:
                    dialect = stmt["details_dialect"] = sniffed
        if dialect is not None:
            title, name, iban, e2e, code = read_details(dialect, details)
        else:
            title = " ".join(part.strip() for part in details.split("\n")).strip() or None
    return StatementTransaction(booking_date, value_date, amount, stmt["currency"], name, iban, title,
                                reference, e2e, code or type_code or None)


def _matches(dialect: Mt940Dialect, text: str) -> bool:
    spec = dialect.details
    if spec.style == "subfields":
        return re.search(re.escape(spec.marker) + r"(?:00|2\d|3[0-8])", text) is not None
    if spec.style == "labels":
        return any(f"{spec.segment_separator}{label}:" in text for label in spec.labels)
    return True


def read_details(dialect: Mt940Dialect, raw: str) -> tuple:
    """(title, name, iban, end-to-end id, code) from a raw :86: text, by the dialect's spec."""
    spec = dialect.details
    if spec.style == "free":
        return (" ".join(line.strip() for line in raw.split("\n")).strip() or None, None, None, None, None)
    text = raw.replace("\n", spec.join_lines)
    if spec.style == "labels":
        return _labelled(dialect, text)
    for placeholder in spec.placeholders:
        text = text.replace(placeholder, "")
    marker_at = text.find(spec.marker)
    code = text[:marker_at].strip() if marker_at > 0 else (text.strip() if marker_at < 0 else None)
    fields: dict[str, str] = {}
    for key, value in re.findall(re.escape(spec.marker) + r"(\d\d)([^" + re.escape(spec.marker) + "]*)", text):
        fields[key] = fields.get(key, "") + value
    title = "".join(fields.get(c, "") for c in spec.title).strip()
    name = "".join(fields.get(c, "") for c in spec.name).strip() or None
    e2e = sepa_iban = None
    if spec.sepa_keys and "+" in title:
        parts = _SEPA_KEY.split(title)
        if len(parts) >= 3:
            keyed = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
            title = keyed["SVWZ"] if "SVWZ" in keyed else parts[0].strip()
            e2e = keyed.get("EREF")
            if e2e is not None and e2e.upper() in ("", "NOTPROVIDED", "NONREF"):
                e2e = None
            sepa_iban = keyed.get("IBAN")
    iban = None
    for c in spec.iban:
        if fields.get(c, "").strip():
            iban = normalize_account(fields[c], dialect.country)
            break
    if iban is None and spec.account and fields.get(spec.account, "").strip():
        account = fields[spec.account].strip().replace(" ", "")
        bank_id = fields.get(spec.bank_id or "", "").strip()
        if dialect.country == "PL" and len(account) == 16 and len(bank_id) == 8 and (bank_id + account).isdigit():
            iban = "PL" + iban_check_digits("PL", bank_id + account) + bank_id + account
        else:
            iban = normalize_account(account, dialect.country)
    if iban is None and sepa_iban:
        iban = normalize_account(sepa_iban, dialect.country)
    return (title or None, name, iban, e2e, code or None)


def _labelled(dialect: Mt940Dialect, text: str) -> tuple:
    spec = dialect.details
    segments = text.split(spec.segment_separator)
    code = segments[0].split(" ", 1)[0] if segments[0][:1].isdigit() else None
    labels = sorted(spec.labels.items(), key=lambda kv: -len(kv[0]))
    values: dict[str, str] = {}
    for segment in segments:
        for label, target in labels:
            if segment.startswith(label + ":"):
                value = segment[len(label) + 1:].strip()
                if target not in values and value:
                    values[target] = value
                break
    name = values.get("counterparty_name")
    if name and spec.name_address_separator and spec.name_address_separator in name:
        name = name.split(spec.name_address_separator, 1)[0].strip()
    iban = values.get("counterparty_iban")
    title = values.get("title")
    if title and title.endswith(";"):
        title = title[:-1].strip()
    return (title or None, name or None, normalize_account(iban, dialect.country) if iban else None,
            values.get("end_to_end_id"), code)


# ---------------------------------------------------------------------------- camt

_SAFE = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True,
             remove_pis=True)
_CONTAINERS = {"Stmt": "camt.053", "Ntfctn": "camt.054", "Rpt": "camt.052"}


def camt_reference(path: str | Path) -> list[Statement]:
    """Every Stmt/Ntfctn/Rpt of a camt document: whole tree in memory, one path lookup per field."""
    root = etree.parse(str(path), etree.XMLParser(**_SAFE)).getroot()
    statements = []
    for container in _all(root, "*/*"):
        kind = _CONTAINERS.get(etree.QName(container).localname)
        if kind is None:
            continue
        account = _camt_account(_first(container, "Acct/Id"))
        currency = (_text(container, "Acct/Ccy") or "").strip() or None
        opening = opening_date = closing = closing_date = None
        for bal in _all(container, "Bal"):
            tp = _first(bal, "Tp")
            code = "".join(t.strip() for t in tp.itertext()).upper() if tp is not None else None
            amount = Decimal(_text(bal, "Amt").strip())
            if (_text(bal, "CdtDbtInd") or "").strip() == "DBIT":
                amount = -amount
            day = _camt_day(_first(bal, "Dt"))
            no_entries_yet = not list(bal.itersiblings("{*}Ntry", preceding=True))
            if code in ("OPBD", "PRCD") or (code == "ITBD" and opening is None and no_entries_yet):
                if opening is None or code == "OPBD":
                    opening, opening_date = amount, day
                    currency = currency or _first(bal, "Amt").get("Ccy")
            elif code in ("CLBD", "ITBD") and (closing is None or code == "CLBD"):
                closing, closing_date = amount, day
        transactions: list[StatementTransaction] = []
        for ntry in _all(container, "Ntry"):
            status = (_text(ntry, "Sts") or "").strip() or _text(ntry, "Sts/*")
            if status in ("PDNG", "INFO", "FUTR"):
                continue
            sign = _text(ntry, "CdtDbtInd")
            booking = _camt_day(_first(ntry, "BookgDt"))
            value = _camt_day(_first(ntry, "ValDt"))
            amount = Decimal(_text(ntry, "Amt").strip())
            if sign == "DBIT":
                amount = -amount
            ccy = _first(ntry, "Amt").get("Ccy")
            entry_currency = ccy or currency or ""
            if currency is None:
                currency = ccy
            base = (booking or value, value, _text(ntry, "AcctSvcrRef"), _text(ntry, "AddtlNtryInf"),
                    _camt_code(_first(ntry, "BkTxCd")))
            details = _all(ntry, "NtryDtls/TxDtls")
            if len(details) <= 1:
                transactions.append(_camt_tx(details[0] if details else None, amount, entry_currency, account, base))
                continue
            for detail in details:
                amt = _first(detail, "Amt")
                if amt is None:
                    amt = _first(detail, "AmtDtls//Amt")
                tx_amount = Decimal(amt.text.strip())
                if (_text(detail, "CdtDbtInd") or sign) == "DBIT":
                    tx_amount = -tx_amount
                transactions.append(_camt_tx(detail, tx_amount, amt.get("Ccy") or entry_currency, account, base))
        statements.append(Statement(
            account=account, statement_id=(_text(container, "Id") or "").strip(), currency=currency or "",
            opening_balance=opening if kind != "camt.054" else None,
            closing_balance=closing if kind != "camt.054" else None,
            opening_date=opening_date, closing_date=closing_date, transactions=transactions,
        ))
    return statements


def _path(path: str) -> str:
    """ "Acct/Id" -> "{*}Acct/{*}Id": any namespace, so every camt version matches."""
    return "/".join(step if step in ("", "*") else "{*}" + step for step in path.split("/"))


def _all(node, path: str) -> list:
    return node.findall(_path(path))


def _first(node, path: str):
    return node.find(_path(path))


def _text(node, path: str) -> str | None:
    found = node.find(_path(path))
    return found.text if found is not None else None


def _camt_day(holder) -> date | None:
    if holder is None or len(holder) == 0:
        return None
    return date.fromisoformat((holder[0].text or "").strip()[:10])


def _camt_account(holder) -> str | None:
    if holder is None:
        return None
    for elem in holder.iter("{*}IBAN", "{*}Othr"):
        if etree.QName(elem).localname == "IBAN":
            return normalize_account(elem.text)
        for sub in elem:
            if etree.QName(sub).localname == "Id":
                return normalize_account(sub.text)
    return None


def _camt_code(bk_tx_cd) -> str | None:
    if bk_tx_cd is None:
        return None
    domain = [(e.text or "").strip() for e in bk_tx_cd.iter("{*}Cd", "{*}SubFmlyCd")
              if etree.QName(e.getparent()).localname in ("Domn", "Fmly")]
    proprietary = [(e.text or "").strip() for e in bk_tx_cd.iter("{*}Cd")
                   if etree.QName(e.getparent()).localname == "Prtry"]
    return "/".join(domain) if domain else (proprietary[0] if proprietary else None)


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _camt_tx(tx, amount: Decimal, currency: str, account: str | None, base: tuple) -> StatementTransaction:
    booking, value, entry_ref, info, entry_code = base
    if tx is None:
        return StatementTransaction(booking, value, amount, currency, None, None, _clean(info), _clean(entry_ref),
                                    None, entry_code)

    def party(role: str) -> str | None:
        found = _first(tx, f"RltdPties/{role}/Nm")
        if found is None:
            found = _first(tx, f"RltdPties/{role}/Pty/Nm")
        return found.text if found is not None else None

    dbtr, cdtr = party("Dbtr"), party("Cdtr")
    dbtr_acct = _camt_account(_first(tx, "RltdPties/DbtrAcct"))
    cdtr_acct = _camt_account(_first(tx, "RltdPties/CdtrAcct"))
    if amount >= 0:
        name, iban, other_name, other_iban = dbtr, dbtr_acct, cdtr, cdtr_acct
    else:
        name, iban, other_name, other_iban = cdtr, cdtr_acct, dbtr, dbtr_acct
    if (name is None and iban is None) or (iban is not None and iban == account):
        if other_name is not None or other_iban is not None:
            name, iban = other_name, other_iban
    ustrd = [e.text.strip() for e in _all(tx, "RmtInf/Ustrd") if e.text]
    strd = [e.text.strip() for s in _all(tx, "RmtInf/Strd") for e in s.iter("{*}Ref", "{*}AddtlRmtInf")
            if e.text and e.text.strip()]
    title = " ".join(ustrd) if ustrd else (" ".join(strd) if strd else (_text(tx, "AddtlTxInf") or info))
    e2e = (_text(tx, "Refs/EndToEndId") or "").strip()
    return StatementTransaction(
        booking, value, amount, currency, _clean(name), iban, _clean(title),
        _clean(_text(tx, "Refs/AcctSvcrRef") or entry_ref),
        e2e if e2e not in ("NOTPROVIDED", "NONREF", "") else None,
        _camt_code(_first(tx, "BkTxCd")) or entry_code,
    )


# ---------------------------------------------------------------------------- ledger

def fingerprint_reference(account: str, tx: StatementTransaction, occurrence: int = 0, digits: int = 32) -> str:
    """The ledger's natural key of an entry, spelled out (must never change; before migration
    0006 keys held all 64 hex digits of the hash, now the first 32)."""
    if tx.reference and tx.reference.upper() not in {"NONREF", "NOTPROVIDED"}:
        parts = [account, "ref", tx.reference, tx.booking_date.isoformat(), str(tx.amount)]
    else:
        parts = [account, "content", tx.booking_date.isoformat(), str(tx.amount), tx.currency,
                 tx.counterparty_iban or "", " ".join((tx.title or "").split()), str(occurrence)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:digits]


def statement_fingerprints_reference(statement: Statement) -> list[str]:
    """One fingerprint per entry; identical entries of one statement count 0, 1, 2, ..."""
    seen: dict[tuple, int] = {}
    out = []
    for tx in statement.transactions:
        content = (tx.booking_date, tx.amount, tx.counterparty_iban, tx.title, tx.reference)
        out.append(fingerprint_reference(statement.account, tx, seen.get(content, 0)))
        seen[content] = seen.get(content, 0) + 1
    return out
