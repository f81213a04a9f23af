"""The robots and the order they run in, written once for the demo, the CLI and the scheduler."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from receivables.config import Settings, load_settings
from receivables.ledger import Ledger, open_ledger
from receivables.ledger.locks import RobotLocks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Robot:
    name: str
    target: str  # "module:function" taking (settings, ledger, run) and returning a summary dict
    about: str
    exclusive: bool = True  # one run at a time; False: parallel workers share the work (work items)

    def load(self) -> Callable[..., dict[str, Any]]:
        module, _, func = self.target.partition(":")
        return getattr(importlib.import_module(module), func)


PIPELINE: list[Robot] = [
    Robot("accounting-sync", "receivables.accounting.robot:sync_invoices",
          "customers and invoices from the accounting app, exports and e-invoices into the ledger"),
    Robot("bank-statements", "receivables.banking.robot:import_statements",
          "import bank statement files from the inbox into the ledger"),
    Robot("reconcile", "receivables.matching.robot:reconcile",
          "match incoming payments to open invoices; the rest to the exceptions workbook for analysts"),
    Robot("payment-notifier", "receivables.notifications.robot:notify_payments",
          "tell account managers about allocated payments: large ones at once, small ones in a daily digest"),
    Robot("mail-classifier", "receivables.mail.robot:classify_mailbox",
          "sort the collections mailbox into folders; record promises, disputes, bounces, GDPR requests"),
    Robot("call-list", "receivables.scoring.robot:build_call_list",
          "segment customers, score late-payment risk, write today's prioritised call list"),
    Robot("reminders", "receivables.dunning.robot:send_reminders",
          "remind debtors by e-mail, SMS and letter from config/dunning.yaml"),
    Robot("voice-calls", "voicebot.robot:voice_calls",
          "phone the debtors on the call list; promises, disputes and confirmations into the ledger",
          exclusive=False),  # each Control Room worker takes its own part of the campaign
    Robot("court-claims", "receivables.court.robot:court_claims",
          "draft lawsuits and payment-order data for the legal team when a final demand expired; debtor registers"),
    Robot("reports", "receivables.reports.robot:weekly_reports",
          "weekly aging, DSO, CEI, promises, contact results and cash (PDF + XLSX) e-mailed to managers"),
    Robot("ledger-export", "receivables.ledger.robot:export_master_ledger",
          "write the master ledger workbook for analysts"),
]
ROBOTS = {robot.name: robot for robot in PIPELINE}


class UnknownRobot(KeyError):
    def __str__(self) -> str:
        return f"no robot named {self.args[0]!r}; robots: {', '.join(ROBOTS)}"


class RobotBusy(RuntimeError):
    """Another run of this robot holds its lock in the ledger (a scheduler, Control Room, a person)."""


LOCK_HEARTBEAT_SECONDS = 30


def run_robot(
    name: str, settings: Settings | None = None, ledger: Ledger | None = None, lock: bool = True, **options: Any
) -> dict[str, Any]:
    """Run one robot as one recorded run; settings are checked before anything is touched.

    An exclusive robot's lock in the ledger is held for the run (`lock=False` when the caller holds
    it, as the scheduler does), so two runs of one robot never overlap, whoever started them.
    """
    if name not in ROBOTS:
        raise UnknownRobot(name)
    settings = settings or load_settings()
    own = ledger is None
    ledger = ledger or open_ledger(settings.ledger_url, echo=settings.ledger.echo)
    try:
        func = ROBOTS[name].load()
        with ExitStack() as stack:
            if lock and ROBOTS[name].exclusive:
                locks = RobotLocks(ledger)
                if not stack.enter_context(locks.held(name, LOCK_HEARTBEAT_SECONDS)):
                    holder = locks.holders().get(name, "another run")
                    raise RobotBusy(f"{name} is already running ({holder}); try again when it has finished")
            with ledger.run(name) as run:
                summary = func(settings, ledger, run, **options)
                run.summary = summary
        log.info("%s finished: %s", name, summary)
        return summary
    finally:
        if own:
            ledger.dispose()
