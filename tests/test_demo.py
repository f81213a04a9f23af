"""The demo through the CLI, on a small sandbox: what each robot produced, checked against the world."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "receivables", *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})


def test_demo_runs_every_robot_and_the_ledger_holds_the_world(tmp_path):
    out = tmp_path / "demo"
    proc = cli("demo", "--output", str(out), "--invoices", "400", "--customers", "50", "--as-of", "2026-11-27",
               "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    world = json.loads((out / "sandbox" / "manifest.json").read_text())
    statement_files = [f for f in world["files"] if f.startswith("bank/")]

    accounting = report["robots"]["accounting-sync"]["web"]
    documents = world["counts"]["invoices"] + world["counts"]["credit_notes"]
    assert accounting["listed_invoices"] == accounting["invoices_created"] == documents
    assert accounting["customers_created"] == world["counts"]["customers"]
    assert accounting["invoices_missing"] == 0

    bank = report["robots"]["bank-statements"]
    assert bank["quarantined"] == []
    # the newest month of both accounts came from web banking (Chromium), the rest from the inbox
    assert bank["web_banking"]["downloaded"] == 2
    assert bank["web_banking"]["since"] > "2026-10-01"
    assert bank["imported_files"] == len(statement_files) == world["counts"]["statements"]
    assert bank["transactions_new"] == world["counts"]["bank_transactions"]
    assert bank["transactions_already_known"] < 40  # only the overlap of the download window

    reconcile = report["robots"]["reconcile"]
    assert reconcile["payments"] == world["counts"]["payments"]
    assert reconcile["auto_posted_payments"] + reconcile["to_review"] == reconcile["payments"]

    mail = report["robots"]["mail-classifier"]
    messages = len(list((out / "sandbox" / "mail").glob("*.eml")))
    assert messages > 0 and mail["recorded"] == mail["moved"] == messages

    notifier = report["robots"]["payment-notifier"]
    assert notifier["digests"] > 0 and notifier["failed"] == {}  # the demo sends the managers' digest at once
    assert notifier["payments"] + notifier["marked_without_notice"] == reconcile["auto_posted_payments"]

    reminders = report["robots"]["reminders"]
    assert reminders["failed"] == {} and reminders["queued"] == reminders["messages"] > 0
    sent = list((out / "sandbox-mail-sent").glob("*.eml"))
    court = report["robots"]["court-claims"]  # run as of the day the final demands sent today expire
    assert court["mail_sent"] == 1  # the legal team hears of the cases and the register steps
    assert court["drafted"] or court["skipped"]["promised"]  # a small world's hopeless debtors may all have promised
    assert all((Path(case["folder"]) / "case.json").exists() for case in court["drafted"])
    calls = report["robots"]["call-list"]["call_list"]
    campaign = report["robots"]["voice-calls"]["campaigns"][calls["campaign"]]
    assert calls["entries"] > 0 and campaign["finished"] and campaign["debtors_called"] == calls["entries"]
    assert campaign["promises"] > 0 and campaign["reached"] <= campaign["debtors_called"]
    voice_mails = report["robots"]["voice-calls"]["sent"].get("sent_email", 0)

    reports = report["robots"]["reports"]
    assert all(Path(r["pdf"]).stat().st_size > 10_000 and Path(r["xlsx"]).exists() for r in reports["reports"])
    mailed = reports["sent"]
    assert mailed == reports["queued"] >= 2  # the board and at least one manager
    assert reminders["sent"].get("email", 0) + notifier["sent"]["email"] + voice_mails + court["mail_sent"] \
        + mailed == len(sent)
    assert Path(reminders["print_file"]).exists()

    export = report["robots"]["ledger-export"]
    wb = load_workbook(export["workbook"], read_only=True)
    assert sum(1 for _ in wb["Payments"].iter_rows()) - 1 == world["counts"]["bank_transactions"]

    status = cli("status", "--json", env={"RECEIVABLES_LEDGER_URL": report["ledger"]})
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["counts"]["bank_transactions"] == world["counts"]["bank_transactions"]
    assert data["counts"]["invoices"] == documents
    assert set(data["last_runs"]) == set(report["robots"])
    assert all(r["status"] == "ok" for r in data["last_runs"].values())
