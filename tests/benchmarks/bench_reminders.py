"""Reminders throughput: N overdue customers -> letter PDFs rendered, e-mails with the PDF sent to a
local aiosmtpd sink (its own process, as a mail server is) through the outbox. Prints JSON. Goal: >= 200 PDFs/s and >= 100 messages/s.

    .venv/bin/python tests/benchmarks/bench_reminders.py [N]      (default 1000; 10000 for the issue's figure)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

from receivables.config import PROJECT_ROOT, load_settings
from receivables.dunning import robot
from receivables.dunning.settings import RemindersSettings, SmsSettings, SmtpSettings
from receivables.ledger import open_ledger
from receivables.ledger.models import Contact, Customer, Invoice, Run
from receivables.sandbox.smtp_sink import _free_port

TODAY, NOW = date(2026, 3, 10), datetime(2026, 3, 10, 9, tzinfo=UTC)


def seed(ledger, n: int) -> None:
    with ledger.session() as s:
        for robot_name in ("bank-statements", "reconcile"):
            s.add(Run(robot=robot_name, status="ok", started_at=NOW, finished_at=NOW))
        for i in range(n):
            c = Customer(external_id=f"K{i:06d}", name=f"Firma {i} sp. z o.o.", country="PL", language="pl",
                         street="ul. Prosta 1", postal_code="00-001", city="Warszawa")
            s.add(c)
            s.flush()
            s.add(Contact(customer_id=c.id, kind="email", value=f"k{i}@example.pl"))
            due = TODAY - timedelta(14)
            s.add(Invoice(number=f"FV/{i}", issuer_tax_id="5252448487", customer_id=c.id, issue_date=due - timedelta(14),
                          due_date=due, currency="PLN", net=D("1000"), vat=D("230"), gross=D("1230.00"),
                          open_amount=D("1230.00"), status="open"))


def main(n: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    settings = load_settings(PROJECT_ROOT / "config" / "settings.yaml",
                             environ={"RECEIVABLES_PATHS__OUTPUT": str(tmp / "out")})
    ledger = open_ledger(f"sqlite:///{tmp / 'ledger.sqlite'}")
    seed(ledger, n)
    timings: dict[str, float] = {}
    original_render, original_deliver = robot._render_letters, robot.Delivery.run

    def timed(name, func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timings[name] = time.perf_counter() - start
        return wrapper

    robot._render_letters = timed("pdf", original_render)
    robot.Delivery.run = timed("send", original_deliver)
    port = _free_port("127.0.0.1")
    sink = subprocess.Popen([sys.executable, "-m", "receivables.sandbox.smtp_sink", str(tmp / "sink"), str(port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        sink.stdout.readline()  # "ready"
        rs = RemindersSettings(smtp=SmtpSettings(host="127.0.0.1", port=port, security="plain", secret=None),
                               sms=SmsSettings(folder=tmp / "sms"), letters_folder=tmp / "letters")
        start = time.perf_counter()
        with ledger.run("reminders") as run:
            summary = robot.send_reminders(settings, ledger, run, today=TODAY, now=NOW, reminders=rs)
        total = time.perf_counter() - start
        received = len(list((tmp / "sink").glob("*.eml")))
    finally:
        sink.terminate()
        sink.wait(10)
        robot._render_letters, robot.Delivery.run = original_render, original_deliver
        ledger.dispose()
    return {"benchmark": "reminders", "reminders": n, "emails_received": received,
            "sent": summary.get("sent"), "pdf_seconds": round(timings["pdf"], 2),
            "pdfs_per_second": round(n / timings["pdf"], 1), "send_seconds": round(timings["send"], 2),
            "messages_per_second": round(received / timings["send"], 1), "total_seconds": round(total, 2),
            "goal": {"pdfs_per_second": 200, "messages_per_second": 100}}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000), indent=2))
