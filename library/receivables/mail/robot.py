"""The mail-classifier robot: sort the collections mailbox and record what each message means."""

from __future__ import annotations

from datetime import date
from typing import Any

from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import Run
from receivables.mail.imap import Mailbox
from receivables.mail.inbox import Progress, sort_inbox
from receivables.mail.mail_rules import load_mail_rules
from receivables.mail.settings import MailSettings
from receivables.secrets import get_secret


def classify_mailbox(settings: Settings, ledger: Ledger, run: Run, mail: MailSettings | None = None,
                     today: date | None = None, limit: int | None = None, progress: Progress | None = None,
                     **_: Any) -> dict[str, Any]:
    """Settings and rules are checked and the login read before the server is touched."""
    cfg = mail if mail is not None else settings.mail
    if not cfg.host:
        return {"skipped": "no mailbox configured (settings: mail.host)"}
    rules = load_mail_rules(cfg.rules)
    login = get_secret(cfg.secret, ("user", "password"))
    with Mailbox(cfg, login["user"], login["password"]) as imap:
        return sort_inbox(imap, ledger, rules, f"{login['user']}@{cfg.host}/{cfg.inbox}"[:128], settings.company.name,
                          run.id, today or date.today(), inbox=cfg.inbox, batch_size=cfg.batch_size, limit=limit,
                          progress=progress)
