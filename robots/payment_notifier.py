"""Robot: tell account managers about allocated payments, each payment once."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def payment_notifier() -> None:
    run_robot("payment-notifier")
