"""camt's fast way reads runs of entries from decoded 1 MB reads: the edges of that stay exact.

Each file is read three ways and must give the same statements, or the same error (same
message, same Stmt/Ntry path, same line): the fast way; lxml alone on the raw bytes (the fast
way off from the first byte, as for a file that is not UTF-8); and the plain reference reader.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import StatementError, camt, camt_fast
from receivables.banking.camt import _State
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import Camt053Writer
from tests.banking.reference import camt_reference

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>{n}<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
    "<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>{n}<Stmt><Id>S1</Id><Acct><Id><IBAN>"
    "PL26105014451000002279872154</IBAN></Id><Ccy>PLN</Ccy></Acct>{n}"
)
TAIL = "{n}</Stmt></BkToCstmrStmt></Document>{n}"
ENTRY = ('<Ntry><Amt Ccy="PLN">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>{day}</Dt></BookgDt>'
         "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>{title}</Ustrd>"
         "</RmtInf></TxDtls></NtryDtls></Ntry>")


def _entry(i: int, name: str = "KLIENT ŁÓDŹ", title: str = "FV/{i}/2024", day: str = "2024-05-01") -> str:
    return ENTRY.format(amount=f"{i}.10", day=day, name=name, title=title.format(i=i))


def _document(entries: list[str], n: str = "\n") -> bytes:
    return (HEAD.format(n=n) + n.join(entries) + TAIL.format(n=n)).encode()


def _lxml_alone(path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(camt_fast, "_text_start", lambda head: None)  # as for a file not in UTF-8
        return _read(path)


def _read(path: Path) -> object:
    try:
        return list(camt.extract(path))
    except StatementError as exc:
        return str(exc)


def _counting_fast_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    accept = _State.fast_entry
    monkeypatch.setattr(_State, "fast_entry",
                        lambda self, layout, groups: read.append(1) or accept(self, layout, groups))
    return read


@pytest.mark.parametrize("n", ["\n", "\r\n", "\r"])
def test_texts_lxml_must_resolve_and_line_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: str) -> None:
    """A text with a line break is read fast where its line break is "\\n" (lines counted);
    a "\\r" in a text (XML reads it as "\\n"), an entity or a character reference go to lxml;
    text between entries makes lxml read the next one; the bad date at the end gets lxml's error."""
    entries = [_entry(i) for i in range(5)]
    entries += [_entry(5, title=f"line 1{n}line 2{n}"), _entry(6), _entry(7, name="A &amp; B"),
                _entry(8, title="FV&#10;9"), _entry(9) + "loose text", _entry(10), _entry(11), _entry(12)]
    path = tmp_path / "texts.xml"
    path.write_bytes(_document(entries, n))
    fast_read = _counting_fast_reads(monkeypatch)
    fast = _read(path)
    assert isinstance(fast, list) and fast == _lxml_alone(path, monkeypatch) == camt_reference(path)
    assert fast[0].transactions[5].title == "line 1\nline 2"  # as XML reads "\r\n" and "\r"
    assert fast[0].transactions[7].counterparty_name == "A & B"
    assert fast[0].transactions[8].title == "FV\n9"
    # 13 entries: #7 and #8 (entity, reference) and #10 (after loose text) are lxml's, and #5 is when
    # its line break holds a "\r"
    assert len(fast_read) == (10 if n == "\n" else 9)

    path.write_bytes(_document(entries + [_entry(13), _entry(14, day="2024-02-30")], n))
    error = _read(path)
    assert isinstance(error, str) and "Stmt[1]/Ntry[15]/BookgDt/Dt" in error
    assert error == _lxml_alone(path, monkeypatch)
    if n != "\r":  # libxml2 counts "\n" only: a lone "\r" starts no line
        assert f"(line {3 + 15 + 2})" in error  # head 3 lines, 15 entries a line each, 2 text line breaks


def _writer_file(path: Path, count: int, bad_at: int | None = None) -> None:
    day = date(2024, 3, 1)
    with open(path, "w", encoding="utf-8") as handle, Camt053Writer(handle) as writer:
        balance = Decimal("0.00")
        for k in range(0, count, 250):
            header = Statement("PL26105014451000002279872154", f"ST{k}", "PLN", balance, opening_date=day)
            entries = [
                StatementTransaction(day + timedelta(days=i % 3), day, Decimal(i * 7 % 1000 - 400) / 10 or Decimal(1),
                                     "PLN", f"Kontrahent {i % 13} zażółć", "PL61109010140000071219812874",
                                     f"FV/{i}/2024", f"R{i}", None if i % 4 else f"E2E{i}", None)
                for i in range(k, min(k + 250, count))
            ]
            balance = writer.write_statement(header, entries)
    if bad_at is not None:
        text = path.read_text(encoding="utf-8")
        cut = 0
        for _ in range(bad_at):
            cut = text.index("<BookgDt><Dt>", cut) + 1
        path.write_text(text[:cut + 12] + "2024-13-01" + text[cut + 22:], encoding="utf-8")


@pytest.mark.parametrize("chunk", [700, 4096, 65537])
def test_entries_across_read_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Small reads put the read boundary inside entries, tags and two-byte characters."""
    monkeypatch.setattr(camt_fast, "_CHUNK", chunk)
    path = tmp_path / "big.xml"
    _writer_file(path, 900)
    assert path.stat().st_size > 4 * 65537
    fast_read = _counting_fast_reads(monkeypatch)
    fast = _read(path)
    assert isinstance(fast, list) and sum(len(s.transactions) for s in fast) == 900
    assert fast == camt_reference(path) == _lxml_alone(path, monkeypatch)
    assert len(fast_read) == 900

    _writer_file(path, 900, bad_at=777)
    error = _read(path)
    assert isinstance(error, str) and "Stmt[4]/Ntry[27]/BookgDt/Dt" in error  # 777 = 3 * 250 + 27
    assert error == _lxml_alone(path, monkeypatch)


def test_bytes_not_utf8_in_a_later_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that does not decode turns the fast way off: lxml reports the bytes where they are."""
    monkeypatch.setattr(camt_fast, "_CHUNK", 4096)
    path = tmp_path / "latin.xml"
    _writer_file(path, 300)
    data, name = path.read_bytes(), "Kontrahent 5 zażółć"
    at = data.index(name.encode(), 20000)
    path.write_bytes(data[:at] + name.encode("iso-8859-2") + data[at + len(name.encode()):])
    error = _read(path)
    assert isinstance(error, str) and "not well-formed" in error and "line" in error
    assert error == _lxml_alone(path, monkeypatch)


def test_alternating_layouts_keep_their_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More layouts than are tried in turn, interleaved: each entry still read by its own."""
    shapes = [
        _entry,
        lambda i: _entry(i).replace("<Dbtr><Nm>", "<Cdtr><Nm>").replace("</Nm></Dbtr>", "</Nm></Cdtr>"),
        lambda i: _entry(i).replace("<NtryDtls>", "<AcctSvcrRef>X{}</AcctSvcrRef><NtryDtls>".format(i)),
        lambda i: _entry(i).replace('<Amt Ccy="PLN">', '<Amt Ccy="EUR">'),
        lambda i: _entry(i).replace("</Ustrd>", "</Ustrd><Ustrd>second</Ustrd>"),
        lambda i: _entry(i).replace("<RmtInf>", "<RmtInf>\n  "),
    ]
    path = tmp_path / "mixed.xml"
    path.write_bytes(_document([shapes[(i * 7) % 11 % len(shapes)](i) for i in range(120)]))
    fast_read = _counting_fast_reads(monkeypatch)
    fast = _read(path)
    assert isinstance(fast, list) and fast == _lxml_alone(path, monkeypatch) == camt_reference(path)
    assert {tx.currency for tx in fast[0].transactions} == {"PLN", "EUR"}
    assert len(fast_read) == 120
