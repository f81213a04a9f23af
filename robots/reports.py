"""Robot: the weekly receivables report (PDF + XLSX) for managers, e-mailed once per week and recipient."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def reports() -> None:
    run_robot("reports")
