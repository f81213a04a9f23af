"""Claim value and court fee against the act's table (art. 13 u.k.s.c.), computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from receivables.court.fees import claim_value, court_fee
from receivables.court.rules import load_rules

RULES = load_rules()
FEE = RULES.pl.fee


@pytest.mark.parametrize(("value", "full"), [
    ("1", "30"), ("500", "30"), ("501", "100"), ("1500", "100"), ("1501", "200"), ("4000", "200"),
    ("4001", "400"), ("7500", "400"), ("7501", "500"), ("10000", "500"), ("10001", "750"), ("15000", "750"),
    ("15001", "1000"), ("20000", "1000"),
    ("20001", "1001"),  # 5 % = 1000.05 -> rounded up to the złoty
    ("100000", "5000"), ("4000000", "200000"), ("9000000", "200000"),  # capped at 200 000
])
def test_fee_table(value: str, full: str) -> None:
    assert court_fee(D(value), FEE).full == D(full)


def test_quarter_fee_rounds_up_and_has_a_minimum() -> None:
    # 12 492 zł -> 750 zł; a quarter is 187.50 -> 188 zł
    assert court_fee(D("12492"), FEE, D("0.25")).due == D("188")
    # 1 200 zł -> 100 zł; a quarter is 25 -> the 30 zł minimum
    assert court_fee(D("1200"), FEE, D("0.25"), RULES.pl.epu.fee_minimum).due == D("30")
    # 60 000 zł -> 3 000 zł; EPU quarter 750 zł
    assert court_fee(D("60000"), FEE, RULES.pl.epu.fee_fraction, RULES.pl.epu.fee_minimum).due == D("750")


def test_claim_value_rounds_up_to_the_whole_zloty() -> None:
    assert claim_value([D("10000.00"), D("297.80"), D("2024.16"), D("169.07")]) == D("12492")  # 12 491.03
    assert claim_value([D("500.00")]) == D("500")
    assert claim_value([D("500.01")]) == D("501")


def test_every_rule_names_its_source() -> None:
    assert "Dz.U. 2023 poz. 1144" in FEE.source
    assert "art. 19 ust. 2 pkt 1" in RULES.pl.order_for_payment.fee_source
    assert "art. 19 ust. 2 pkt 2" in RULES.pl.epu.sources["fee"]
    assert RULES.pl.regional_court_limit.amount == D("100000")


def test_bad_config_names_file_and_key(tmp_path) -> None:
    from receivables.court.rules import RulesError

    bad = tmp_path / "court.yaml"
    text = (RULES.source_file).read_text(encoding="utf-8").replace('{up_to: "1500", fee: "100"}', '{up_to: "400", fee: "100"}')
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=r"(?s)court.yaml.*pl.fee.*ascending"):
        load_rules(bad)
