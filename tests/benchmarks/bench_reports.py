"""Reports robot timing on a populated sandbox ledger (the demo's size by default). Prints JSON.

Measures reading the ledger, computing the figures (whole portfolio and per manager), writing the
XLSX and the phone PDF (with its matplotlib charts), and one robot run that mails every report to a
local SMTP sink. Populating the ledger is setup, reported apart.

    .venv/bin/python tests/benchmarks/bench_reports.py [invoices] [customers]   (default 2000 200)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from receivables.config import PROJECT_ROOT, load_settings
from receivables.dunning.settings import SmtpSettings
from receivables.ledger import open_ledger
from receivables.reports.build import figures_of, write_files
from receivables.reports.facts import read_facts
from receivables.reports.robot import weekly_reports
from receivables.reports.settings import ReportsSettings
from receivables.sandbox.populate import populate_ledger
from receivables.sandbox.smtp_sink import SmtpSink
from receivables.sandbox.world import WorldGenerator, WorldSpec

AS_OF = date(2026, 10, 30)


def timed(fn, *args, **kw):
    start = time.perf_counter()
    result = fn(*args, **kw)
    return result, round(time.perf_counter() - start, 3)


def main(invoices: int = 2000, customers: int = 200) -> dict:
    root = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    env = {"RECEIVABLES_PATHS__OUTPUT": str(root / "out"), "RECEIVABLES_PATHS__SANDBOX": str(root / "world"),
           "RECEIVABLES_PATHS__STATEMENT_INBOX": str(root / "inbox" / "statements"),
           "RECEIVABLES_PATHS__EINVOICE_INBOX": str(root / "inbox" / "einvoices")}
    settings = load_settings(PROJECT_ROOT / "config" / "settings.yaml", environ=env)
    start = time.perf_counter()
    WorldGenerator(WorldSpec(seed=42, customers=customers, invoices=invoices, months=12, as_of=AS_OF),
                   settings.company.nip, settings.company.bank_accounts).write(root / "world")
    ledger = open_ledger(f"sqlite:///{root / 'ledger.sqlite'}")
    populate_ledger(settings, ledger, root / "world", AS_OF)
    setup = round(time.perf_counter() - start, 1)
    rs = ReportsSettings(recipients=("zarzad@nordwind.example",), folder=root / "reports")
    with ledger.session() as s:
        facts, t_read = timed(read_facts, s)
    report, t_figures = timed(figures_of, facts, AS_OF, rs)
    managers = sorted({c.manager for c in facts.customers.values() if c.manager})
    _, t_managers = timed(lambda: [figures_of(facts, AS_OF, rs, m) for m in managers])
    built, t_files = timed(write_files, report, root / "files", rs)
    with SmtpSink(root / "sink") as sink:
        smtp = SmtpSettings(host=sink.host, port=sink.port, security="plain", secret=None)
        run_settings = settings.model_copy(update={"reminders": settings.reminders.model_copy(update={"smtp": smtp})})
        with ledger.run("reports") as run:
            summary, t_robot = timed(weekly_reports, run_settings, ledger, run, today=AS_OF, reports=rs)
        mails = len(sink.messages())
    ledger.dispose()
    return {
        "invoices": len(facts.invoices), "customers": len(facts.customers), "payments": len(facts.payments),
        "managers": len(managers), "setup_populate_s": setup,
        "read_facts_s": t_read, "figures_portfolio_s": t_figures, "figures_all_managers_s": t_managers,
        "xlsx_and_pdf_one_report_s": t_files, "pdf_kb": built.pdf.stat().st_size // 1024,
        "xlsx_kb": built.xlsx.stat().st_size // 1024,
        "robot_run_s": t_robot, "reports_written": len(summary["reports"]), "mails_delivered": mails,
        "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    print(json.dumps(main(*(int(a) for a in sys.argv[1:3])), indent=2))
