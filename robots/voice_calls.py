"""Robot: phone the debtors on the call list (a work item per part); record promises, confirm, report."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def voice_calls() -> None:
    run_robot("voice-calls")
