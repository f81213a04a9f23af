"""`receivables invoices import FILE`: show what a file would import, normalized, or why not."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="Invoice and customer sources: exports, KSeF, UBL, CII, Factur-X.", no_args_is_help=True)


@app.callback()
def invoices() -> None:
    """Read accounting exports and e-invoices the way the accounting-sync robot does."""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def batch_as_dict(batch: Any) -> dict[str, Any]:
    """The batch as JSON-ready data: Decimal amounts as strings, ISO dates, customers once."""
    invoices = []
    for invoice in batch.invoices:
        data = asdict(invoice)
        data.pop("customer")
        invoices.append(_plain(data))
    return {
        "format": batch.format,
        "source": batch.source,
        "customers": [_plain(asdict(customer)) for customer in batch.customers],
        "invoices": invoices,
        "warnings": batch.warnings,
    }


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="Invoice file, e-invoice XML/PDF, or export folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the normalized records as JSON.")] = False,
    mapping: Annotated[str | None, typer.Option("--mapping", help="Export mapping name or YAML path; default: detect.")] = None,
    issuer_tax_id: Annotated[str | None, typer.Option("--issuer-tax-id", help="Our NIP/VAT id for exports without it.")] = None,
) -> None:
    """Print what FILE would import (nothing is written); exit 1 with the reason if it is bad."""
    from receivables.accounting.detect import read_invoices
    from receivables.accounting.errors import InvoiceSourceError

    try:
        batch = read_invoices(file, mapping=mapping, issuer_tax_id=issuer_tax_id)
    except InvoiceSourceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for warning in batch.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        typer.echo(json.dumps(batch_as_dict(batch), ensure_ascii=False, indent=2))
        return
    totals: dict[tuple[str, str], Decimal] = {}
    for invoice in batch.invoices:
        key = (invoice.kind, invoice.currency)
        totals[key] = totals.get(key, Decimal(0)) + invoice.gross
    typer.echo(f"{file}: {batch.format}: {len(batch.customers)} customers, {len(batch.invoices)} invoices")
    for (kind, currency), gross in sorted(totals.items()):
        typer.echo(f"  {kind:<12} {currency} {gross:>16}")
