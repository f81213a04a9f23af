"""Robot: draft court claims for the legal team when the final demand has expired."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def court_claims() -> None:
    run_robot("court-claims")
