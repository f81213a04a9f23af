"""Robot: match incoming payments to open invoices; what it cannot decide goes to the analysts."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def reconcile() -> None:
    run_robot("reconcile")
