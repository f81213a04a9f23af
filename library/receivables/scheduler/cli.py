"""`receivables schedule`: run the robots on the plan until SIGTERM/SIGINT, or list what would run."""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="Run the robots on the plan in config/schedule.yaml.", no_args_is_help=False,
                  pretty_exceptions_enable=False)


class Interrupted(BaseException):
    """A second stop signal: the running robot is interrupted (its run is recorded as failed)."""


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _plan(path: Path | None, skip_unknown: bool) -> Any:
    from receivables.config import SettingsError
    from receivables.pipeline import ROBOTS
    from receivables.scheduler.plan import load_plan, unknown_robots

    try:
        plan = load_plan(path, None if skip_unknown else ROBOTS)
    except SettingsError as exc:
        _fail(f"{exc}\n(--skip-unknown runs the rest of the plan)" if "not a robot" in str(exc) else str(exc))
    if skip_unknown:
        unknown = unknown_robots(plan, ROBOTS)
        if unknown:
            typer.echo(f"warning: skipping jobs of unknown robots: {'; '.join(unknown)}", err=True)
            kept = [j for j in plan.jobs if j.robot in ROBOTS]
            dropped = {j.robot for j in plan.jobs} - {j.robot for j in kept}
            kept = [j for j in kept if j.after is None or j.after not in dropped]
            if not kept:
                _fail("no job of the plan names a known robot")
            plan = plan.model_copy(update={"jobs": kept})
    return plan


def _preview(plan: Any, hours: float) -> list[dict[str, str]]:
    """The plan played on a fake clock from now, every run succeeding: what would run when."""
    from zoneinfo import ZoneInfo

    from receivables.ledger.types import utcnow
    from receivables.scheduler.clock import FakeClock
    from receivables.scheduler.loop import Scheduler

    start = utcnow()
    clock = FakeClock(start)
    scheduler = Scheduler(plan, runner=lambda robot, **options: None, clock=clock)
    outcomes = scheduler.run(until=start + timedelta(hours=hours))
    zone = ZoneInfo(plan.timezone)
    return [{"at": o.at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M"), "robot": o.robot, "why": o.reason}
            for o in outcomes if o.status == "ok"]


@app.command()
def schedule(
    plan_file: Annotated[Path | None, typer.Option("--plan", help="the plan; default config/schedule.yaml")] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="run every scheduled job once now, in plan order, and exit")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="list what would run in the next --hours; run nothing")] = False,
    hours: Annotated[float, typer.Option(help="how far --dry-run looks ahead")] = 24.0,
    skip_unknown: Annotated[bool, typer.Option(
        "--skip-unknown", help="leave out jobs of robots this install lacks")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Run the robots on the plan; SIGTERM or Ctrl-C lets the running robot finish, releases its lock, exits 0."""
    plan = _plan(plan_file, skip_unknown)
    if dry_run:
        runs = _preview(plan, hours)
        if json_out:
            typer.echo(json.dumps(runs, indent=2))
        else:
            for r in runs:
                typer.echo(f"{r['at']}  {r['robot']:18} {r['why']}")
        return
    raise typer.Exit(_serve_configured(plan, once, json_out))


def _serve_configured(plan: Any, once: bool, json_out: bool) -> int:
    from receivables.config import SettingsError, load_settings
    from receivables.ledger import open_ledger
    from receivables.pipeline import run_robot

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
        logging.getLogger("receivables").setLevel(logging.INFO)
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
    ledger = open_ledger(settings.ledger_url, echo=settings.ledger.echo)
    try:
        return serve(plan, ledger, lambda robot, **options: run_robot(robot, settings, ledger, lock=False, **options),
                     once=once, json_out=json_out)
    finally:
        ledger.dispose()


def serve(plan: Any, ledger: Any, runner: Any, once: bool = False, json_out: bool = False) -> int:
    """Run the plan until SIGTERM/SIGINT (the first lets the running robot finish, a second interrupts
    it); returns the exit code: 0 after a clean stop, 1 if a --once run failed, 130 if interrupted."""
    from receivables.ledger.locks import RobotLocks
    from receivables.scheduler.loop import Scheduler

    locks = RobotLocks(ledger, stale_after=plan.lock.stale_after_seconds)
    scheduler = Scheduler(plan, runner=runner, locks=locks)

    def stop(signum: int, _frame: Any) -> None:
        if scheduler.stop.is_set():
            raise Interrupted(signal.Signals(signum).name)
        logging.getLogger(__name__).info("%s: stopping after the running robot", signal.Signals(signum).name)
        scheduler.stop.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    code = 0
    try:
        logging.getLogger(__name__).info("scheduler %s: %d jobs, ledger %s", locks.holder, len(plan.jobs), ledger.url)
        outcomes = scheduler.run_each_once() if once else scheduler.run()
        if once:
            code = 1 if any(o.status == "failed" for o in outcomes) else 0
            if json_out:
                typer.echo(json.dumps([{"robot": o.robot, "status": o.status, "why": o.reason, "detail": o.detail}
                                       for o in outcomes], indent=2))
    except Interrupted:
        code = 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code
