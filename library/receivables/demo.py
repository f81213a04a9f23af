"""`make demo`: a fresh sandbox world, its local apps served, every robot run in pipeline order."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from receivables.config import LedgerSettings, Settings
from receivables.court.robot import first_court_day
from receivables.ledger import open_ledger
from receivables.pipeline import PIPELINE, run_robot
from receivables.sandbox.accounting_app import ACCOUNTING_USERS, register_accounting_app
from receivables.sandbox.bank_portal import SANDBOX_USERS, register_bank_portal
from receivables.sandbox.generate import generate_world, spec_from_settings
from receivables.sandbox.imap_server import DovecotServer, DovecotUnavailable
from receivables.sandbox.mailbox import SANDBOX_MAILBOX_LOGIN, append_folder, write_mailbox
from receivables.sandbox.populate import deliver_statements
from receivables.sandbox.server import SandboxServer
from receivables.sandbox.smtp_sink import SmtpSink
from receivables.sandbox.world import Progress

log = logging.getLogger(__name__)


@dataclass
class DemoReport:
    output: Path
    world: dict[str, Any]
    ledger_url: str
    sandbox_url: str
    robots: dict[str, dict[str, Any]] = field(default_factory=dict)


def demo_settings(settings: Settings, output: Path) -> Settings:
    """The demo never touches the configured ledger: it gets its own folder and SQLite file."""
    paths = settings.paths.model_copy(update={
        "output": output, "sandbox": output / "sandbox", "statement_inbox": output / "inbox" / "statements",
        "einvoice_inbox": output / "inbox" / "einvoices"})
    ledger = LedgerSettings(url=f"sqlite:///{output / 'ledger.sqlite'}")
    return settings.model_copy(update={"paths": paths, "ledger": ledger})


def sandbox_vault(output: Path) -> Path:
    """A local Robocorp vault file with the sandbox apps' logins, as Control Room's vault would hold them."""
    bank_user, bank_login = next(iter(SANDBOX_USERS.items()))
    app_user, app_login = next(iter(ACCOUNTING_USERS.items()))
    path = output / "vault.json"
    path.write_text(json.dumps({"bank_portal": {"user": bank_user, **bank_login},
                                "accounting_app": {"user": app_user, **app_login},
                                "mailbox": SANDBOX_MAILBOX_LOGIN}, indent=2))
    os.environ["RC_VAULT_SECRET_MANAGER"] = "FileSecrets"
    os.environ["RC_VAULT_SECRETS_FILE"] = str(path)
    return path


def start_mailbox(stack: ExitStack, settings: Settings) -> Settings:
    """The collections mailbox on a local Dovecot, filled with the world's mail (skipped without Dovecot)."""
    try:
        imap = stack.enter_context(DovecotServer(**SANDBOX_MAILBOX_LOGIN))
    except DovecotUnavailable as exc:
        log.warning("mail-classifier has no mailbox: %s", exc)
        return settings
    append_folder(settings.paths.sandbox / "mail", imap.host, imap.port, imap.user, imap.password)
    mail = settings.mail.model_copy(update={"host": imap.host, "port": imap.port, "security": "plain"})
    return settings.model_copy(update={"mail": mail})


def start_smtp_sink(stack: ExitStack, settings: Settings, folder: Path) -> Settings:
    """Reminders go to a local SMTP sink (one .eml per message), whatever the day and hour."""
    sink = stack.enter_context(SmtpSink(folder))
    smtp = settings.reminders.smtp.model_copy(update={
        "host": sink.host, "port": sink.port, "security": "plain", "secret": None})
    reminders = settings.reminders.model_copy(update={"smtp": smtp, "send_hours": None,
                                                      "working_days_only": False})
    return settings.model_copy(update={"reminders": reminders})


def run_demo(
    settings: Settings,
    output: Path,
    progress: Progress | None = None,
    on_robot: Callable[[str, dict[str, Any]], None] | None = None,
    **spec_overrides: Any,
) -> DemoReport:
    settings = demo_settings(settings, output)
    for stale in output.glob("ledger.sqlite*"):
        stale.unlink()
    for stale in ("inbox", "sandbox-mail-sent", "sms", "letters", "exceptions"):
        shutil.rmtree(output / stale, ignore_errors=True)
    spec = spec_from_settings(settings, **spec_overrides)
    manifest = generate_world(settings, settings.paths.sandbox, spec, progress)
    deliver_statements(settings.paths.sandbox, settings.paths.statement_inbox)
    ledger = open_ledger(settings.ledger_url)
    server = SandboxServer(settings.paths.sandbox, settings.sandbox.host, 0)
    register_bank_portal(server.app, settings.paths.sandbox)
    register_accounting_app(server.app, settings.paths.sandbox)
    sandbox_vault(output)
    portal = settings.bank_portal.model_copy(update={"enabled": True, "base_url": server.url})
    accounting = settings.accounting.model_copy(update={"sources": ["web", "einvoices"], "base_url": server.url})
    settings = settings.model_copy(update={"bank_portal": portal, "accounting": accounting})
    report = DemoReport(output, manifest, settings.ledger_url, server.url)
    write_mailbox(settings.paths.sandbox)
    try:
        with server, ExitStack() as stack:
            settings = start_mailbox(stack, settings)
            settings = start_smtp_sink(stack, settings, output / "sandbox-mail-sent")
            for robot in PIPELINE:
                # the final demands sent today expire in a week: court-claims looks at the ledger as of then
                today = first_court_day(settings, spec.as_of) if robot.name == "court-claims" else spec.as_of
                summary = run_robot(robot.name, settings, ledger, sandbox_url=server.url, today=today,
                                    digest=True)  # the payment notifier's daily digest now, whatever the hour
                report.robots[robot.name] = summary
                if on_robot:
                    on_robot(robot.name, summary)
    finally:
        ledger.dispose()
    return report
