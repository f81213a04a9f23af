"""camt.053/054 samples written for this package, XXE refusal and bad XML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import StatementError, check_balances, parse_file
from receivables.banking import camt


def test_camt053_v02_batch_split_per_txdtls_and_pending_skipped(data: Path) -> None:
    parsed = parse_file(data / "camt/camt053_v02_pl_batch.xml")
    assert parsed.format == "camt.053"
    (stmt,) = parsed.statements
    check_balances(stmt)
    assert stmt.statement_id == "2024/03/001"
    assert [t.amount for t in stmt.transactions] == [Decimal("1640.00"), Decimal("1250.00"), Decimal("-244.50")]
    first, second, debit = stmt.transactions
    assert (first.counterparty_name, first.end_to_end_id, first.reference) == (
        "KOWALSKI BUDOWNICTWO SP. Z O.O.", "FV-2024-02-0012", "PKO240301BATCH7-1",
    )
    assert second.end_to_end_id is None
    assert second.counterparty_name == "GĄSIOR I WSPÓLNICY SPÓŁKA JAWNA"
    assert (debit.counterparty_name, debit.counterparty_iban) == ("ORANGE POLSKA S.A.", "PL10105000997603123456789123")


def test_camt054_has_no_balances(data: Path) -> None:
    parsed = parse_file(data / "camt/camt054_v04_debit_notice.xml")
    assert parsed.format == "camt.054"
    (stmt,) = parsed.statements
    assert (stmt.opening_balance, stmt.closing_balance) == (None, None)
    (tx,) = stmt.transactions
    assert (tx.amount, tx.end_to_end_id, tx.bank_code) == (Decimal("-86.40"), "STW-2024-07-0042", "PMNT/IDDT/ESDD")


XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>1</Id>
<Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id></Acct>
<Ntry><Amt Ccy="PLN">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-01</Dt></BookgDt>
<AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>
"""


def test_xxe_is_refused_and_the_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.xml"
    path.write_text(XXE.format(secret=secret))
    with pytest.raises(StatementError, match="external entity / DTD not allowed") as err:
        parse_file(path)
    assert "TOP-SECRET" not in str(err.value)
    assert err.value.location == "line 2"


def test_doctype_after_comments_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dtd.xml"
    path.write_text('<?xml version="1.0"?>\n<!-- camt.053 -->\n<!DOCTYPE lol [<!ENTITY a "aaaa">]>\n<Document/>')
    with pytest.raises(StatementError, match="DTD not allowed"):
        list(camt.extract(path))


OK = (
    '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><BkToCstmrStmt>'
    "<Stmt><Id>S1</Id><Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id><Ccy>PLN</Ccy></Acct>\n"
    '<Ntry><Amt Ccy="PLN">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
    "<BookgDt><Dt>{day}</Dt></BookgDt></Ntry>\n"
    "</Stmt></BkToCstmrStmt></Document>\n"
)


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        (OK.format(amount="12.3O", day="2024-01-01"), "invalid amount", "Stmt[1]/Ntry[1]/Amt (line 2)"),
        (OK.format(amount="1.00", day="2024-13-01"), "invalid date", "Stmt[1]/Ntry[1]/BookgDt/Dt (line 2)"),
        (OK.format(amount="1.00", day="2024-01-01").replace('<Amt Ccy="PLN">1.00</Amt>', ""), "entry without amount", "Stmt[1]/Ntry[1] (line 2)"),
        (OK.format(amount="1.00", day="2024-01-01")[:-40], "not well-formed", "line 2"),
        (OK.format(amount="1.00", day="2024-01-01").replace("<Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id><Ccy>PLN</Ccy></Acct>", ""), "without account", "Stmt[1]"),
    ],
)
def test_bad_camt_names_the_element(tmp_path: Path, text: str, message: str, where: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(StatementError, match=message) as err:
        parse_file(path)
    assert err.value.location.startswith(where)
