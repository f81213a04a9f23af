"""Robot: remind debtors by e-mail, SMS and letter, each message sent exactly once."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def reminders() -> None:
    run_robot("reminders")
