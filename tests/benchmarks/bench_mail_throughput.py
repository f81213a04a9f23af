"""Benchmark: the mail-classifier robot end to end on N messages in a real Dovecot mailbox.

    python tests/benchmarks/bench_mail_throughput.py            # 1,000 messages
    python tests/benchmarks/bench_mail_throughput.py --n 10000  # the issue's size

Prints JSON: seconds and messages/s from login to the last message moved (fetch, parse,
classify, extract, record with effects in a SQLite ledger, move), the run's summary, and peak
resident memory. The mailbox is filled first (not timed) with the sandbox world's mail and the
labelled corpus's messages in turn, each copy with its own Message-ID; the ledger holds the
world's customers and invoices, so identification and effects do real work. Goal: >= 100/s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from receivables.accounting.detect import read_invoices
from receivables.config import load_settings
from receivables.ledger import open_ledger
from receivables.ledger.invoice_sync import sync_accounting
from receivables.mail.corpus import load_corpus
from receivables.mail.robot import classify_mailbox
from receivables.mail.settings import MailSettings
from receivables.sandbox.imap_server import DovecotServer
from receivables.sandbox.mailbox import SANDBOX_MAILBOX_LOGIN, write_mailbox
from receivables.sandbox.world import WorldGenerator, WorldSpec

REPO = Path(__file__).resolve().parents[2]
GOAL = 100.0
AS_OF = date(2026, 11, 27)


def messages(world: Path, n: int) -> list[bytes]:
    """N messages: the world's mail and the corpus interleaved, every copy with a unique Message-ID."""
    pool = [p.read_bytes() for p in sorted((world / "mail").glob("*.eml"))]
    pool += [m.raw for m in load_corpus(REPO / "tests" / "data" / "mail" / "corpus.jsonl")]
    out = []
    for i in range(n):
        raw = pool[i % len(pool)]
        out.append(re.sub(rb"(?im)^Message-ID: <", b"Message-ID: <b%d-" % i, raw, count=1))
    return out


def run(n: int) -> dict:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world"
        WorldGenerator(WorldSpec(seed=42, customers=200, invoices=2000, months=12, as_of=AS_OF),
                       settings.company.nip or "", settings.company.bank_accounts).write(world)
        write_mailbox(world)
        ledger = open_ledger(f"sqlite:///{tmp}/ledger.sqlite")
        batch = read_invoices(world / "accounting", issuer_tax_id=settings.company.nip)
        with ledger.session() as s:
            sync_accounting(s, batch.customers, batch.invoices, None)
        with DovecotServer(**SANDBOX_MAILBOX_LOGIN) as server:
            from imapclient import IMAPClient

            client = IMAPClient(server.host, port=server.port, ssl=False)
            client.login(server.user, server.password)
            all_messages = messages(world, n)
            for start in range(0, n, 200):
                client.multiappend("INBOX", all_messages[start : start + 200])
            client.logout()
            os.environ["RECEIVABLES_SECRET_MAILBOX_USER"] = server.user
            os.environ["RECEIVABLES_SECRET_MAILBOX_PASSWORD"] = server.password
            mail = MailSettings(host=server.host, port=server.port, security="plain")
            started = time.perf_counter()
            with ledger.run("mail-classifier") as robot_run:
                summary = classify_mailbox(settings, ledger, robot_run, mail=mail, today=AS_OF)
            seconds = time.perf_counter() - started
        ledger.dispose()
    rate = n / seconds
    return {"messages": n, "seconds": round(seconds, 2), "messages_per_second": round(rate, 1), "goal": GOAL,
            "meets_goal": rate >= GOAL, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "summary": {k: v for k, v in summary.items() if k not in ("folders_created",)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="messages in the mailbox (default 1000)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.n), indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
