"""Robot: segment customers, score late-payment risk, write today's call list (and its work items)."""

from robocorp.tasks import task

from receivables.pipeline import run_robot


@task
def call_list() -> None:
    from receivables.scoring.workitems import emit_for

    emit_for(run_robot("call-list"))
