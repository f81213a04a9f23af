"""The fast parsers and the fast ledger import give exactly what the plain reference gives.

Reference: tests/banking/reference.py (whole file in memory, one field at a time). Compared on
every real sample, this package's own samples and generated files (every :86: dialect, odd
layouts, batches, a file larger than the MT940 reader's 1 MB chunk): every field of every
statement and transaction, and every ledger fingerprint.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import camt, mt940
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import Camt053Writer, Mt940Writer
from receivables.ledger.repository import statement_fingerprints
from tests.banking.conftest import DATA, SHARED_STATEMENTS
from tests.banking.reference import camt_reference, mt940_reference, statement_fingerprints_reference

WORDS = "FV zapłata faktura ŁÓDŹ Gąsior MPP abonament 2024 NR / - . , ˙".split()
WORDS_DE = "RE Rechnung Straße Überweisung Miete 2024 NR - . ,".split()
# dialect -> an account it serves (None: an account no bank claims, so :86: markers decide)
DIALECTS = {
    "ing_pl": "PL26105014451000002279872154", "pko_bp": "PL60102010260000042270201111",
    "pekao": "PL12124012340000111122223333", "mbank": "PL29114010810000267002001002",
    "de_gvc": "DE95870520000123456789", "deutsche_bank": "DE36370700240123456789",
    "generic_caret": None, "generic_free": None,
}
ENCODINGS = {"de_gvc": "iso-8859-1", "deutsche_bank": "utf-8", "mbank": "iso-8859-2"}


def _text(rng: random.Random, most: int, words: list[str] = WORDS) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))[:most].strip()


def _entries(rng: random.Random, count: int, start: date, sepa: bool) -> list[StatementTransaction]:
    out = []
    words = WORDS_DE if sepa else WORDS
    for i in range(count):
        day = start + timedelta(days=i // 40)
        amount = Decimal(rng.randint(-10**9, 10**9)) / 100 or Decimal("0.01")
        split_payment = f"/VAT/23,00/IDC/5252248481/INV/FV/{i}/TXT/MPP"
        title = rng.choice([_text(rng, 80, words), split_payment, "", f"{words[1]} FV/1"])
        if sepa:
            title = title.replace("/", " ")[:60]
        tx = StatementTransaction(
            day, day - timedelta(days=rng.choice([0, 0, 1, 3])), amount, "PLN",
            rng.choice([None, _text(rng, 50, words)]), rng.choice([None, "PL61109010140000071219812874"]),
            title or None,
            rng.choice([None, f"REF{i:08d}", f"R{i % 7}"]), rng.choice([None, f"E2E-{i}"]) if sepa else None,
            rng.choice([None, "051", "152"]),
        )
        out.append(tx)
        if rng.random() < 0.1:  # the same transfer twice on one day, no bank reference
            twin = StatementTransaction(day, day, Decimal("100.00"), "PLN", "JAN NOWAK", None, "FV 1 RE", None)
            out += [twin, twin]
    return out


def _generated_mt940(folder: Path, dialect: str, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    account = DIALECTS[dialect] or "NL91ABNA0417164300"
    path = folder / f"{dialect}-{count}.sta"
    newline = "\r\n" if seed % 2 else "\n"
    with open(path, "w", encoding=ENCODINGS.get(dialect, "cp1250"), newline=newline) as handle:
        writer = Mt940Writer(handle, dialect)
        balance = Decimal("1000.00")
        day = date(2023, 12, 20)
        for k in range(0, count, 400):
            header = Statement(account, f"ST{k}/{k // 400 + 1}", "PLN", balance, opening_date=day)
            entries = _entries(rng, min(400, count - k), day, dialect in ("de_gvc", "deutsche_bank"))
            balance = writer.write_statement(header, entries)
            day += timedelta(days=20)
    return path


def _generated_camt(folder: Path, version: str, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    path = folder / f"camt053-{version}-{count}.xml"
    with open(path, "w", encoding="utf-8") as handle, Camt053Writer(handle, version=version) as writer:
        balance = Decimal("-50.00")
        for k in range(0, count, 300):
            header = Statement("PL26105014451000002279872154", f"ST/{k}", "PLN", balance,
                               opening_date=date(2024, 1, 1))
            entries = _entries(rng, min(300, count - k), date(2024, 1, 1), True)
            balance = writer.write_statement(header, entries)
    return path


ODD_MT940 = """{1:F01BREXPLPWAXXX0000000000}{2:I940BREXPLPWXXXXN}{4:
:20:ODD1
:25:/PL26105014451000002279872154
:28C:7/1
:60F:C231231PLN100,00
:86:statement-level text before any entry
:61:2312310102CR50,NTRFNONREF//BANKREF 1
/OCMT/PLN50,/
:86:051~00PRZELEW~20FAKTURA ~20DRUGA CZĘŚĆ~x bez kodu
~32JAN˙ KOWALSKI~30 10901014~31 0000071219812874
:61:231231RD5,00S034CUST REF
:64:C231231PLN145,00
:86:~00OPŁATA~20PROWIZJA
:61:2401020102D1,00NMSCNONREF
:62M:C240102PLN144,00
:86:after the closing balance: ignored
-}
:20:ODD2
:25:PL29114010810000267002001002
:60M:D240102EUR0,5
:61:240102C0,50NTRFNONREF
:86:999 PRZELEW; Z RACH.: 12 1140 2004 0000 3002 0135 5387; OD: FIRMA  UL. DŁUGA 1; TYT.: FV 1/2024;
:61:240102C0,NTRFNONREF
:62F:C240102EUR1,00
-
:20:ODD3
:25:NL91ABNA0417164300
:60F:C240103EUR0,00
:61:240103C1,00NTRF//X
:86:just free text
on two lines
:61:240103C2,00NTRF
:86:?00SEPA?20EREF+NOTPROVIDED SVWZ+RE 77 IBAN+DE89370400440532013000?32MAX
:62F:C240103EUR3,00
"""

ODD_CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><c:BkToCstmrStmt>
<c:GrpHdr><c:MsgId>ODD</c:MsgId></c:GrpHdr>
<c:Stmt><c:Id> S-1 </c:Id><c:Acct><c:Id><c:Othr><c:Id>123-456</c:Id></c:Othr></c:Id></c:Acct>
<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>ITBD</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy="EUR">1.5</c:Amt>
<c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Dt><c:DtTm>2024-05-01T10:00:00</c:DtTm></c:Dt></c:Bal>
<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>ITBD</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy="EUR">2</c:Amt>
<c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Dt><c:Dt>2024-05-02</c:Dt></c:Dt></c:Bal>
<!-- comment --><c:Ntry><c:Amt Ccy="EUR">9</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts>PDNG</c:Sts>
<c:BookgDt><c:Dt>2024-05-01</c:Dt></c:BookgDt></c:Ntry>
<c:Ntry><c:Amt Ccy="EUR">3.50</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>
<c:ValDt><c:DtTm>2024-05-02T08:00:00+02:00</c:DtTm></c:ValDt><c:AcctSvcrRef> R1 </c:AcctSvcrRef>
<c:BkTxCd><c:Prtry><c:Cd>NTRF+051</c:Cd></c:Prtry></c:BkTxCd><c:AddtlNtryInf> fee </c:AddtlNtryInf></c:Ntry>
<c:Ntry><c:Amt Ccy="EUR">3.50</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:BookgDt><c:Dt>2024-05-02</c:Dt></c:BookgDt>
<c:NtryDtls><c:TxDtls><c:AmtDtls><c:TxAmt><c:Amt Ccy="USD">1.25</c:Amt></c:TxAmt></c:AmtDtls>
<c:CdtDbtInd>DBIT</c:CdtDbtInd><c:RltdPties><c:Cdtr><c:Nm>SHOP</c:Nm></c:Cdtr>
<c:DbtrAcct><c:Id><c:IBAN>PL 61 1090 1014 0000 0712 1981 2874</c:IBAN></c:Id></c:DbtrAcct></c:RltdPties>
<c:RmtInf><c:Strd><c:CdtrRefInf><c:Ref>RF18 5390</c:Ref></c:CdtrRefInf><c:AddtlRmtInf>x</c:AddtlRmtInf></c:Strd>
</c:RmtInf></c:TxDtls><c:TxDtls><c:Amt Ccy="EUR">2.25</c:Amt><c:Refs><c:AcctSvcrRef>R2b</c:AcctSvcrRef>
<c:EndToEndId>E2E</c:EndToEndId></c:Refs><c:AddtlTxInf>detail info</c:AddtlTxInf></c:TxDtls></c:NtryDtls></c:Ntry>
</c:Stmt></c:BkToCstmrStmt></c:Document>
"""


def _files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    folder = tmp_path_factory.mktemp("fast-paths")
    mt = [_generated_mt940(folder, dialect, 300, seed) for seed, dialect in enumerate(DIALECTS)]
    mt.append(_generated_mt940(folder, "ing_pl", 9_000, 99))  # > 1 MB: several reader chunks
    (folder / "odd.sta").write_text(ODD_MT940.replace("\n", "\r\n", 10), encoding="cp1250")
    mt.append(folder / "odd.sta")
    cm = [_generated_camt(folder, version, 400, seed) for seed, version in enumerate(("001.02", "001.04", "001.08"))]
    (folder / "odd.xml").write_text(ODD_CAMT, encoding="utf-8")
    cm.append(folder / "odd.xml")
    for root in (SHARED_STATEMENTS, DATA):
        mt += sorted(p for p in root.glob("mt940/*") if p.is_file())
        cm += sorted(p for sub in ("camt053", "camt054", "camt") for p in root.glob(f"{sub}/*.xml"))
    return {"mt940": mt, "camt": cm}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return _files(tmp_path_factory)


def _same(fast: list[Statement], plain: list[Statement]) -> None:
    assert len(fast) == len(plain)
    for got, want in zip(fast, plain, strict=True):
        assert got == want  # dataclass equality: every field, every transaction, in order
        for tx in got.transactions:
            assert type(tx.amount) is Decimal and type(tx.booking_date) is date


def test_mt940_fast_parser_equals_reference(files: dict[str, list[Path]]) -> None:
    assert len(files["mt940"]) >= 16  # 23 with the shared samples
    for path in files["mt940"]:
        _same(list(mt940.extract(path)), mt940_reference(path))


def test_camt_fast_parser_equals_reference(files: dict[str, list[Path]]) -> None:
    assert len(files["camt"]) >= 6  # 10 with the shared samples
    for path in files["camt"]:
        _same(list(camt.extract(path)), camt_reference(path))


def test_fingerprints_equal_reference(files: dict[str, list[Path]]) -> None:
    for path in files["mt940"] + files["camt"]:
        for statement in mt940_reference(path) if path in files["mt940"] else camt_reference(path):
            assert statement_fingerprints(statement) == statement_fingerprints_reference(statement)


# camt entries in many layouts; {i} varies the texts so each layout is met again with new values.
CAMT_ENTRIES = [
    '<Ntry><Amt Ccy="PLN">{i}.10</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
    "<BookgDt><Dt>2024-05-01</Dt></BookgDt></Ntry>",
    '<Ntry><Amt Ccy="PLN">{i}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts> BOOK </Sts><BookgDt><Dt>2024-05-02</Dt>'
    "</BookgDt><ValDt><Dt>2024-05-01</Dt></ValDt><AcctSvcrRef>R{i}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd>"
    "<Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn><Prtry><Cd>NTRF+{i}</Cd><Issr>B</Issr></Prtry>"
    "</BkTxCd><NtryDtls><TxDtls><Refs><AcctSvcrRef>T{i}</AcctSvcrRef><EndToEndId> E{i} </EndToEndId></Refs>"
    "<RltdPties><Dbtr><Nm>D{i}</Nm><PstlAdr><Ctry>PL</Ctry><AdrLine>UL. 1</AdrLine></PstlAdr></Dbtr><DbtrAcct>"
    "<Id><IBAN>PL61 1090 1014 0000 0712 1981 2874</IBAN></Id></DbtrAcct><Cdtr><Nm>C{i}</Nm></Cdtr><CdtrAcct><Id>"
    "<Othr><Id>12-34</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>PLN</Ccy></CdtrAcct></RltdPties>"
    "<RmtInf><Ustrd> FV {i} </Ustrd><Ustrd></Ustrd><Ustrd>part 2</Ustrd></RmtInf><AddtlTxInf>x</AddtlTxInf>"
    "</TxDtls></NtryDtls><AddtlNtryInf>info {i}</AddtlNtryInf></Ntry>",
    "<Ntry><NtryRef>1</NtryRef><Amt Ccy='EUR'>{i}.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>"
    "<Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2024-05-03T10:00:00</DtTm></BookgDt><AcctSvcrRef></AcctSvcrRef>"
    '<Avlbty><Dt><NbOfDays>1</NbOfDays></Dt><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Avlbty>'
    '<BkTxCd><Prtry><Cd> 051 </Cd></Prtry></BkTxCd><AmtDtls><TxAmt><Amt Ccy="EUR">{i}.5</Amt></TxAmt></AmtDtls>'
    "<NtryDtls><Btch><NbOfTxs>1</NbOfTxs></Btch><TxDtls><Refs><Prtry><Tp>X</Tp><Ref>1</Ref></Prtry></Refs>"
    '<Amt Ccy="EUR">{i}.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm/></Pty></Dbtr><Cdtr><Pty>'
    "<Nm>ME</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>PL26105014451000002279872154</IBAN></Id></CdtrAcct></RltdPties>"
    "<RltdAgts><DbtrAgt><FinInstnId><BICFI>ABCDPLPW</BICFI></FinInstnId></DbtrAgt></RltdAgts><Purp><Cd>SUPP</Cd>"
    "</Purp><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF{i}</Ref></CdtrRefInf>"
    "<AddtlRmtInf> </AddtlRmtInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>",
    '<Ntry><Amt Ccy="PLN">9</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts></Ntry>',
    '<Ntry><Amt Ccy="PLN">{i}</Amt><CdtDbtInd>DBIT</CdtDbtInd><ValDt><Dt> 2024-05-04 </Dt></ValDt>'
    "<NtryDtls></NtryDtls></Ntry>",
    '<Ntry><Amt Ccy="PLN">{i}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK<Cd>X</Cd></Sts><BookgDt><Dt>2024-05-05'
    "</Dt></BookgDt><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>A &amp; B {i}</Nm></Dbtr></RltdPties></TxDtls>"
    "</NtryDtls></Ntry>",
    '<Ntry><Amt Ccy="PLN">{i}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-05-06</Dt></BookgDt><NtryDtls>'
    '<TxDtls><AmtDtls><TxAmt><Amt Ccy="PLN">1</Amt></TxAmt></AmtDtls></TxDtls><TxDtls><Amt Ccy="PLN">{i}</Amt>'
    "<CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls></Ntry>",
    '<Ntry><Amt Ccy="PL\tN">{i}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-05-07</Dt></BookgDt>'
    '<NtryDtls><TxDtls><RmtInf><Ustrd lang="pl">x</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>',
    '<x:Ntry xmlns:x="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><x:Amt Ccy="PLN">{i}</x:Amt>'
    "<x:CdtDbtInd>CRDT</x:CdtDbtInd><x:BookgDt><x:Dt>2024-05-08</x:Dt></x:BookgDt></x:Ntry>",
]


def _camt_document(entries: list[str], layout: str) -> str:
    from lxml import etree

    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
        "<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S1</Id><Acct><Id><IBAN>"
        "PL26105014451000002279872154</IBAN></Id><Ccy>PLN</Ccy></Acct>\n" + "\n".join(entries)
        + "\n</Stmt></BkToCstmrStmt></Document>\n"
    )
    if layout == "pretty":
        root = etree.fromstring(text.encode())
        etree.indent(root)
        text = etree.tostring(root, encoding="unicode")
    elif layout == "crlf":
        text = text.replace("\n", "\r\n")
    elif layout == "comment":
        text = text.replace("</Stmt>", "<!-- lxml reads what follows a comment --></Stmt>")
    return text


@pytest.mark.parametrize("layout", ["compact", "pretty", "crlf", "comment"])
def test_camt_entry_layouts_read_the_same_fast_and_by_lxml(tmp_path: Path, monkeypatch, layout: str) -> None:
    from receivables.banking import camt_fast
    from receivables.banking.camt import _State

    rng = random.Random(7)
    entries = [entry.format(i=i) for i in range(40) for entry in CAMT_ENTRIES]
    rng.shuffle(entries)
    path = tmp_path / "layouts.xml"
    path.write_bytes(_camt_document(entries, layout).encode())
    fast_read = []
    accept = _State.fast_entry
    monkeypatch.setattr(_State, "fast_entry",
                        lambda self, layout, groups: fast_read.append(1) or accept(self, layout, groups))
    fast = list(camt.extract(path))
    monkeypatch.setattr(camt_fast.Layouts, "read", lambda self, block: None)
    _same(fast, list(camt.extract(path)))
    _same(fast, camt_reference(path))
    assert len(fast[0].transactions) == 40 * (len(CAMT_ENTRIES) - 1) + 40  # one PDNG skipped, one batch of two
    assert len(fast_read) == (0 if layout == "comment" else 40 * 5)  # the five plain layouts


@pytest.mark.parametrize("layout", ["compact", "pretty"])
@pytest.mark.parametrize("amount,sign,day", [("1,5", "CRDT", "2024-05-01"), ("1", "CRDIT", "2024-05-01"),
                                             ("1", "CRDT", "2024-13-01"), ("1", "CRDT", "")])
def test_camt_bad_values_get_the_lxml_error(tmp_path: Path, monkeypatch, layout: str, amount: str, sign: str,
                                            day: str) -> None:
    from receivables.banking import StatementError, camt_fast

    entry = '<Ntry><Amt Ccy="PLN">{}</Amt><CdtDbtInd>{}</CdtDbtInd><BookgDt><Dt>{}</Dt></BookgDt></Ntry>'
    entries = [entry.format(i, "CRDT", "2024-05-01") for i in range(4)] + [entry.format(amount, sign, day)]
    path = tmp_path / "bad.xml"
    path.write_text(_camt_document(entries, layout), encoding="utf-8")
    with pytest.raises(StatementError) as fast:
        list(camt.extract(path))
    monkeypatch.setattr(camt_fast.Layouts, "read", lambda self, block: None)
    with pytest.raises(StatementError) as slow:
        list(camt.extract(path))
    assert str(fast.value) == str(slow.value)
    assert "Stmt[1]/Ntry[5]" in str(fast.value)  # entries read the fast way were counted, lines kept


def _random_entry(rng: random.Random) -> str:
    """A camt entry of random shape: elements in any order, repeated, nested, empty, pretty or not."""
    texts = ["", " ", "X", " x  y ", "PL61 1090 1014 0000 0712 1981 2874", "NOTPROVIDED", "BOOK", "PDNG"]

    def el(name: str, content: str = "", attrs: str = "") -> str:
        space = rng.choice(["", "", "\n  "])
        if not content and rng.random() < 0.2:
            return f"{space}<{name}{attrs}/>"
        return f"{space}<{name}{attrs}>{content}</{name}>"

    def text() -> str:
        return rng.choice(texts)

    def some(*parts: str, keep: float = 0.7) -> str:
        chosen = [part for part in parts if rng.random() < keep]
        if rng.random() < 0.2:
            rng.shuffle(chosen)
        return "".join(chosen)

    def rarely(good: list[str], bad: str) -> str:
        return bad if rng.random() < 0.03 else rng.choice(good)

    day = el(rng.choice(["Dt", "DtTm"]), rarely(["2024-05-01", " 2024-05-02T10:00:00 "], "2024-13-01"))
    code = el("BkTxCd", some(el("Domn", el("Cd", text()) + el("Fmly", el("Cd", "X") + el("SubFmlyCd", text()))),
                             el("Prtry", el("Cd", text()) + el("Issr", "B"))))
    party = rng.choice([el("Nm", text()), el("Pty", el("Nm", text()) + el("PstlAdr", el("Ctry", "PL")))])
    account = el("Id", rng.choice([el("IBAN", text()), el("Othr", el("Id", text()))]))
    tx = el("TxDtls", some(
        el("Refs", some(el("AcctSvcrRef", text()), el("EndToEndId", text()))), el("Amt", "1.5", ' Ccy="EUR"'),
        el("RltdPties", some(el("Dbtr", party), el("DbtrAcct", account), el("Cdtr", party), el("CdtrAcct", account))),
        el("RmtInf", some(el("Ustrd", text()), el("Ustrd", text()), el("Strd", el("CdtrRefInf", el("Ref", text()))))),
        el("AddtlTxInf", text()), code,
    ))
    children = some(
        el("Amt", rarely(["12.30", " 7 "], "1,5"), rng.choice([' Ccy="PLN"', " Ccy='EUR'", ""])),
        el("CdtDbtInd", rarely(["CRDT", "DBIT"], " CRDT")), el("BookgDt", day), keep=0.97,
    ) + some(
        el("Sts", rng.choice([text(), el("Cd", text())])), el("ValDt", day),
        el("AcctSvcrRef", text()), el("Avlbty", el("Dt", el("NbOfDays", "1"))), code,
        el("NtryDtls", tx * rng.choice([0, 1, 1, 1, 2])), el("AddtlNtryInf", text()),
    )
    if rng.random() < 0.1:
        children += el("BookgDt", day)
    return f"<Ntry>{children}\n</Ntry>"


@pytest.mark.parametrize("seed", range(40))
def test_camt_random_entry_shapes_read_the_same_fast_and_by_lxml(tmp_path: Path, monkeypatch, seed: int) -> None:
    from receivables.banking import StatementError, camt_fast

    rng = random.Random(seed)
    shapes = [_random_entry(rng) for _ in range(4)]
    path = tmp_path / "random.xml"
    path.write_text(_camt_document([rng.choice(shapes) for _ in range(12)], "compact"), encoding="utf-8")

    def read() -> object:
        try:
            return list(camt.extract(path))
        except StatementError as exc:
            return str(exc)

    fast = read()
    monkeypatch.setattr(camt_fast.Layouts, "read", lambda self, block: None)
    assert fast == read()
