"""Robot: customers and invoices from the accounting app, exports and e-invoices into the ledger."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def accounting_sync() -> None:
    run_robot("accounting-sync")
