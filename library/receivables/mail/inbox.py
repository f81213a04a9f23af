"""Sorting the inbox: new messages by UID since the last run, recorded first, moved after.

The cursor is the ledger itself: the highest UID recorded for this mailbox under the server's
current UIDVALIDITY. A batch is fetched, decided, recorded with its effects in one transaction,
then moved, then marked moved. Rows recorded but not marked moved (a crash between the two)
are finished at the start of the next run: moved if still in the inbox, else just marked.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from receivables.ledger.db import Ledger
from receivables.ledger.models import MailMessage
from receivables.mail.effects import Mailbox as LedgerMailbox
from receivables.mail.effects import record_batch
from receivables.mail.imap import Mailbox
from receivables.mail.mail_rules import MailRules
from receivables.mail.triage import Triage, triage, unreadable

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


def cursor(ledger: Ledger, box: LedgerMailbox) -> int:
    """The highest UID already recorded under this UIDVALIDITY (0: none)."""
    with ledger.session() as s:
        return s.scalar(select(func.coalesce(func.max(MailMessage.uid), 0)).where(
            MailMessage.mailbox == box.name, MailMessage.uidvalidity == box.uidvalidity)) or 0


def mark_moved(ledger: Ledger, box: LedgerMailbox, uids: list[int]) -> None:
    with ledger.session() as s:
        s.execute(update(MailMessage).where(
            MailMessage.mailbox == box.name, MailMessage.uidvalidity == box.uidvalidity,
            MailMessage.uid.in_(uids)).values(moved=True))


def move(imap: Mailbox, ledger: Ledger, box: LedgerMailbox, targets: dict[int, str]) -> int:
    """Move recorded messages to their folders, then note in the ledger that they moved."""
    by_folder: dict[str, list[int]] = {}
    for uid, folder in targets.items():
        by_folder.setdefault(folder, []).append(uid)
    for folder, uids in by_folder.items():
        imap.move(sorted(uids), folder)
    if targets:
        mark_moved(ledger, box, sorted(targets))
    return len(targets)


def finish_moves(imap: Mailbox, ledger: Ledger, box: LedgerMailbox) -> int:
    """Moves a previous run recorded but did not finish; returns how many were still to move."""
    with ledger.session() as s:
        pending = dict(s.execute(select(MailMessage.uid, MailMessage.folder).where(
            MailMessage.mailbox == box.name, MailMessage.uidvalidity == box.uidvalidity,
            MailMessage.moved.is_(False))).all())
    if not pending:
        return 0
    still_here = imap.present(sorted(pending))
    move(imap, ledger, box, {uid: pending[uid] for uid in still_here})
    mark_moved(ledger, box, sorted(pending))
    log.info("finished %d moves of an interrupted run (%d already moved)", len(still_here), len(pending) - len(still_here))
    return len(still_here)


def _decide(raw: bytes, size: int, truncated: bool, rules: MailRules, today: date) -> Triage:
    try:
        return triage(raw, rules, today, truncated=truncated, size=size)
    except Exception as exc:  # noqa: BLE001 - one bad message goes to review, the rest are sorted
        log.warning("message could not be processed: %s", type(exc).__name__)
        return unreadable(raw, size, exc)


def sort_inbox(imap: Mailbox, ledger: Ledger, rules: MailRules, box_name: str, company: str, run_id: int | None,
               today: date, inbox: str = "INBOX", batch_size: int = 200, limit: int | None = None,
               progress: Progress | None = None) -> dict[str, Any]:
    """Sort what is new in `inbox`; returns the run's summary."""
    started = time.perf_counter()
    created = imap.ensure_folders(list(rules.folders.values()))
    box = LedgerMailbox(box_name, imap.open(inbox), company)
    resumed = finish_moves(imap, ledger, box)
    uids = imap.uids_after(cursor(ledger, box))[: limit if limit is not None else None]
    counts: Counter = Counter()
    moved = 0
    for start in range(0, len(uids), batch_size):
        batch = uids[start : start + batch_size]
        fetched = imap.fetch(batch)
        items = {uid: _decide(f.raw, f.size, f.truncated, rules, today) for uid, f in fetched.items()}
        with ledger.session() as s:
            targets, batch_counts = record_batch(s, box, items, rules, run_id)
        counts.update(batch_counts)
        moved += move(imap, ledger, box, targets)
        if progress:
            progress("mail", start + len(batch), len(uids))
    seconds = time.perf_counter() - started
    categories = {c: counts.pop(c) for c in list(counts) if c in rules.folders and c != "needs_review"}
    return {
        "mailbox": box.name, "uidvalidity": box.uidvalidity, "new": len(uids), "recorded": sum(categories.values()),
        "moved": moved, "resumed_moves": resumed, "folders_created": created, "by_category": categories,
        **dict(counts), "seconds": round(seconds, 2),
        "messages_per_second": round(len(uids) / seconds, 1) if uids and seconds else None,
    }
