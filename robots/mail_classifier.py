"""Robot: sort the collections mailbox into folders and record what each message means in the ledger."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def mail_classifier() -> None:
    run_robot("mail-classifier")
