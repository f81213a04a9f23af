"""Which Polish court: EPU or the court of the debtor's seat, its level and division, and why.

A court the table does not know is never guessed: the choice says "not determined" and the
documents print a blank for the legal team to fill in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from receivables.court.rules import CourtArea, CourtRef, PolishRules

NOT_DETERMINED = "sąd nie ustalony: do uzupełnienia"


@dataclass(frozen=True)
class CourtChoice:
    procedure: str  # epu | ordinary
    court: str | None  # None: not determined
    division: str | None
    level: str  # rejonowy | okregowy | epu
    commercial: bool
    reasons: tuple[str, ...]
    checks: tuple[str, ...] = field(default=())  # what the legal team must verify or fill in

    @property
    def determined(self) -> bool:
        return self.court is not None

    @property
    def heading(self) -> str:
        return self.court or NOT_DETERMINED


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ł", "l").strip()


def find_area(rules: PolishRules, city: str | None, postal_code: str | None) -> CourtArea | None:
    """The table's entry for the debtor's seat: by city, then by postal prefix within that city."""
    if not city:
        return None
    areas = [a for a in rules.courts if _norm(a.city) == _norm(city)]
    if len(areas) > 1 and postal_code:
        by_postal = [a for a in areas if any(postal_code.startswith(p) for p in a.postal)]
        areas = by_postal or areas
    return areas[0] if len(areas) == 1 else None


def seat_court(rules: PolishRules, city: str | None, postal_code: str | None, value: Decimal,
               commercial: bool) -> CourtChoice:
    """The ordinary court of the debtor's seat (art. 27-30 KPC) at the level the claim value sets."""
    level = "okregowy" if value > rules.regional_court_limit.amount else "rejonowy"
    kind = "commercial" if commercial else "civil"
    reasons = [
        f"wartość przedmiotu sporu {value} zł {'>' if level == 'okregowy' else '<='} "
        f"{rules.regional_court_limit.amount} zł: sąd {level} ({rules.regional_court_limit.source})",
        "właściwość ogólna: sąd siedziby/miejsca zamieszkania pozwanego (art. 27-30 KPC)",
        ("obie strony są przedsiębiorcami: wydział gospodarczy" if commercial
         else "pozwany nie jest przedsiębiorcą: wydział cywilny") + f" ({rules.commercial_division.source})",
    ]
    area = find_area(rules, city, postal_code)
    ref: CourtRef | None = getattr(getattr(area, level), kind) if area else None
    if ref is None:
        where = f"{postal_code or ''} {city or ''}".strip() or "brak adresu"
        why = "brak w tabeli sądów (config/court.yaml)" if area is None else \
            f"sąd {level} ({kind}) dla {area.city} zależy od dzielnicy/adresu"
        return CourtChoice("ordinary", None, None, level, commercial, (*reasons, f"{where}: {why}"),
                           (f"ustalić sąd: {why}",))
    division = ref.division or ("Wydział Gospodarczy" if commercial else "Wydział Cywilny")
    checks = () if ref.division else (f"{rules.division_note} ({ref.court})",)
    return CourtChoice("ordinary", ref.court, division, level, commercial, tuple(reasons), checks)


def choose_court(rules: PolishRules, *, country: str, city: str | None, postal_code: str | None,
                 value: Decimal, commercial: bool, due_dates: list[date], filing_day: date) -> CourtChoice:
    """EPU when config prefers it and its rules allow (debtor served in Poland, every claim due
    within the last `max_age_years`), otherwise the ordinary court; the reasons say which rule decided."""
    epu = rules.epu
    oldest = min(due_dates)
    limit = filing_day - relativedelta(years=epu.max_age_years)
    blockers = []
    if country.upper() not in epu.debtor_countries:
        blockers.append(f"pozwany poza {', '.join(epu.debtor_countries)}: nakazu nie można doręczyć w kraju")
    if oldest < limit:
        blockers.append(f"najstarsza należność wymagalna {oldest.isoformat()}, ponad {epu.max_age_years} lata "
                        f"przed wniesieniem pozwu ({epu.sources.get('age', '')})")
    if rules.prefer == "epu" and not blockers:
        reasons = (f"EPU: wszystkie należności wymagalne po {limit.isoformat()} "
                   f"(w ciągu {epu.max_age_years} lat; {epu.sources.get('age', '')})",
                   f"pozwany ma siedzibę w {country.upper()}: nakaz zapłaty doręczalny w kraju",
                   f"opłata: czwarta część, nie mniej niż {epu.fee_minimum} zł ({epu.sources.get('fee', '')})",
                   f"dowody wskazane, nie załączone ({epu.sources.get('evidence', '')})")
        return CourtChoice("epu", epu.court, epu.division, "epu", commercial, reasons)
    seat = seat_court(rules, city, postal_code, value, commercial)
    why = ("EPU niedostępne: " + "; ".join(blockers)) if blockers else "konfiguracja: preferowany sąd właściwy (prefer: ordinary)"
    return CourtChoice(seat.procedure, seat.court, seat.division, seat.level, commercial, (why, *seat.reasons),
                       seat.checks)
