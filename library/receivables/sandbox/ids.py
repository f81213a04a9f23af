"""Tax ids and bank accounts with correct check digits, so validators downstream accept them."""

from __future__ import annotations

import random

from schwifty import IBAN

PL_BANKS = ["10501445", "11402004", "10201026", "12401037", "10901014", "11602202", "10204027"]
DE_BANKS = ["10070000", "50010517", "37040044", "10050000", "20050550", "70150000", "76050101"]
GB_BANKS = ["NWBK601613", "BARC200415", "LOYD309634", "MIDL400515"]


def nip(rng: random.Random) -> str:
    """Polish NIP: 9 digits + mod-11 check digit (numbers whose check would be 10 are skipped)."""
    while True:
        body = f"{rng.randint(1, 9)}{rng.randint(0, 99_999_999):08d}"
        check = sum(w * int(d) for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), body, strict=True)) % 11
        if check != 10:
            return body + str(check)


def regon(rng: random.Random) -> str:
    from stdnum.pl import regon as stdnum_regon

    body = f"{rng.randint(1, 99_999_999):08d}"
    return body + stdnum_regon.calc_check_digit(body)


def de_vat(rng: random.Random) -> str:
    from stdnum.iso7064 import mod_11_10

    body = f"{rng.randint(1, 9)}{rng.randint(0, 9_999_999):07d}"
    return "DE" + body + mod_11_10.calc_check_digit(body)


def gb_vat(rng: random.Random) -> str:
    from stdnum.gb import vat

    while True:
        body = f"{rng.randint(100_000_0, 999_999_9):07d}"
        for check in range(100):
            candidate = f"{body}{check:02d}"
            if vat.is_valid(candidate):
                return "GB" + candidate


def iban(rng: random.Random, country: str) -> str:
    if country == "PL":
        return IBAN.generate("PL", bank_code=rng.choice(PL_BANKS), account_code=f"{rng.randint(0, 10**16 - 1):016d}").compact
    if country == "DE":
        return IBAN.generate("DE", bank_code=rng.choice(DE_BANKS), account_code=f"{rng.randint(10**8, 10**10 - 1):010d}").compact
    if country == "GB":
        return IBAN.generate("GB", bank_code=rng.choice(GB_BANKS), account_code=f"{rng.randint(0, 10**8 - 1):08d}").compact
    raise ValueError(f"no bank codes for {country}")
