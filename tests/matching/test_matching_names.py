"""Payer names against customer names: legal forms, word order, diacritics, typos."""

from __future__ import annotations

import pytest

from receivables.matching.names import NameIndex, name_parts, payer_key


@pytest.mark.parametrize(("payer", "customer"), [
    ("TRANSPOL SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", "Transpol sp. z o.o."),
    ("TRANSPOL SP.Z O.O.", "Transpol sp. z o.o."),
    ("TRANSPOL", "Transpol Sp. z o. o."),
    ("MUELLER LOGISTIK GMBH", "Müller Logistik GmbH"),
    ("KOWALSKI JAN", "PHU Jan Kowalski"),
    ("Zaklad Uslugowy Malgorzata Wisniewska", "Zakład Usługowy Małgorzata Wiśniewska"),
    ("THAMES FREIGHT LIMITED", "Thames Freight Ltd"),
    ("RHEIN BAU AKTIENGESELLSCHAFT", "Rhein Bau AG"),
])
def test_same_company_same_base(payer, customer):
    assert name_parts(payer).base == name_parts(customer).base


def test_the_legal_form_is_kept_aside():
    assert name_parts("Transpol S.A.").form == "sa"
    assert name_parts("Transpol sp. z o.o.").form == "spzoo"
    assert payer_key("Transpol S.A.") != payer_key("Transpol sp. z o.o.")
    for name in ("Transpol sp. z o.o.", "PHU Jan Kowalski", "Müller GmbH & Co. KG", "X s.c."):
        assert payer_key(payer_key(name)) == payer_key(name)


def test_search_finds_a_typo_and_prefers_the_matching_legal_form():
    index = NameIndex({"K1": "Transpol sp. z o.o.", "K2": "Transpol S.A.", "K3": "Agromex sp. z o.o."}, 85)
    assert index.search("TRASNPOL SP. Z O.O.")[0][0] == "K1"
    best = index.search("TRANSPOL S.A.")
    assert best[0] == ("K2", 100.0) and best[1][1] < 100
    tie = index.search("TRANSPOL")
    assert [cid for cid, _ in tie] == ["K1", "K2"] and tie[0][1] == tie[1][1]
    assert index.search("Zupełnie Inna Firma") == []
    assert index.similarity("AGROMEKS", "K3") < index.similarity("AGROMEX", "K3") == 100.0
