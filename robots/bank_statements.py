"""Robot: import bank statements (MT940, camt.053/054, bank CSV) from the inbox into the ledger."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def bank_statements() -> None:
    run_robot("bank-statements")
