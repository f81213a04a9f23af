"""Robot: write the master ledger workbook into the run's artifacts."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def ledger_export() -> None:
    run_robot("ledger-export")
