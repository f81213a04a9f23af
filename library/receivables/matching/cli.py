"""`receivables match --invoices INV.csv --payments PAY.csv [--json]`: the engine on two CSV files.

Module level stays light (typer only): `receivables --help` must not import pandas or openpyxl.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer


def result_json(result: Any) -> dict[str, Any]:
    """The JSON shape of a MatchResult (amounts as decimal strings)."""
    return {
        "allocations": [{"payment_id": a.payment_id, "invoice_number": a.invoice_number, "amount": str(a.amount),
                         "confidence": a.confidence, "status": a.status, "method": a.method}
                        for a in result.allocations],
        "unmatched": result.unmatched,
        "flags": result.flags,
        "credits": {cid: {cur: str(amount) for cur, amount in per.items()} for cid, per in result.credits.items()},
        "suggestions": {pid: [{"invoice_numbers": list(s.invoice_numbers), "amounts": [str(x) for x in s.amounts],
                               "confidence": s.confidence, "method": s.method, "customer_id": s.customer_id}
                              for s in sug] for pid, sug in result.suggestions.items()},
    }


def match(
    invoices: Annotated[Path, typer.Option("--invoices", help="open invoices CSV: invoice_number, customer_id, "
                                           "customer_name, customer_tax_id, customer_iban, issue_date, due_date, "
                                           "currency, amount_open")],
    payments: Annotated[Path, typer.Option("--payments", help="bank transactions CSV: payment_id, booking_date, "
                                           "amount, currency, counterparty_name, counterparty_iban, title")],
    as_json: Annotated[bool, typer.Option("--json", help="print allocations and unmatched payments as JSON")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="matching YAML; default config/matching.yaml")] = None,
    exceptions: Annotated[Path | None, typer.Option("--exceptions",
                                                    help="also write the exceptions workbook (xlsx) here")] = None,
) -> None:
    """Allocate payments to open invoices (nothing is written unless --exceptions is given)."""
    from receivables.matching.config import MatchConfigError, load_match_config
    from receivables.matching.csv_input import InputError, read_invoices_csv, read_payments_csv
    from receivables.matching.engine import match as run_match

    try:
        settings = load_match_config(config)
        open_invoices = read_invoices_csv(invoices)
        bank = read_payments_csv(payments)
    except (InputError, MatchConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    result = run_match(open_invoices, bank, settings)
    if exceptions is not None:
        from receivables.matching.workbook import exception_rows, write_exceptions

        write_exceptions(exceptions, exception_rows(result, bank))
    if as_json:
        sys.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n")
        return
    _summary(result, bank, exceptions)


def _summary(result: Any, payments: list, exceptions: Path | None) -> None:
    incoming = [p for p in payments if p.amount > 0]
    auto = result.auto_posted()
    posted = sum((a.amount for a in result.allocations if a.status == "auto"), Decimal("0"))
    typer.echo(f"payments: {len(payments)} ({len(incoming)} incoming)")
    typer.echo(f"auto-posted: {len(auto)} payment(s), {sum(1 for a in result.allocations if a.status == 'auto')} "
               f"allocation(s), {posted} in total")
    typer.echo(f"for an analyst: {len(result.unmatched)} payment(s) "
               f"({sum(1 for pid in result.unmatched if result.suggestions.get(pid))} with suggestions)")
    for reason, n in sorted(Counter(result.flags.values()).items()):
        typer.echo(f"  flagged {reason}: {n}")
    for cid, per in sorted(result.credits.items()):
        typer.echo(f"  credit {cid}: " + ", ".join(f"{amount} {cur}" for cur, amount in sorted(per.items())))
    if exceptions is not None:
        typer.echo(f"exceptions workbook: {exceptions}")
