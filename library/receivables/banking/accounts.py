"""Account numbers to IBANs: statements mix IBANs, Polish NRB and German BLZ/Konto."""

from __future__ import annotations

import re

_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}")
_BLZ_ACCOUNT = re.compile(r"(\d{8})/(\d{1,10})")


def iban_check_digits(country: str, bban: str) -> str:
    """The two ISO 13616 check digits for `country` + `bban` (mod 97-10)."""
    digits = "".join(str(int(ch, 36)) for ch in bban + country) + "00"
    return f"{98 - int(digits) % 97:02d}"


def is_valid_iban(text: str) -> bool:
    """Structural and mod-97 check, without any country registry (fast, dependency-free)."""
    if not _IBAN.fullmatch(text):
        return False
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def normalize_account(text: str | None, national_country: str | None = None) -> str | None:
    """Best-effort IBAN for an account as a statement writes it; other text comes back trimmed.

    - "PL61 1090 ..." / "/PL61109..." / "'61109...'" -> "PL61109..."
    - 26 digits with national_country "PL" -> "PL" + digits (the NRB carries IBAN check digits)
    - "87052000/123456789" with national_country "DE" -> German IBAN (BLZ + 10-digit account)
    """
    if text is None:
        return None
    cleaned = text.strip().strip("'\"").lstrip("/").replace(" ", "").replace("-", "").upper()
    if not cleaned:
        return None
    if _IBAN.fullmatch(cleaned):
        return cleaned
    if national_country == "PL" and len(cleaned) == 26 and cleaned.isdigit():
        return "PL" + cleaned
    if national_country == "DE":
        match = _BLZ_ACCOUNT.fullmatch(cleaned)
        if match:
            bban = match.group(1) + match.group(2).zfill(10)
            return "DE" + iban_check_digits("DE", bban) + bban
    return cleaned
