"""The voice-calls robot end to end: call list in (parts folder, batch file, work items), campaign,
confirmations by SMS file gateway and real SMTP, the call report and the summary e-mail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import select

from receivables.dunning.settings import RemindersSettings, SmsSettings, SmtpSettings
from receivables.ledger.models import CallAttempt, CallCampaign, OutboxMessage
from voicebot.call_list import work_items_json
from voicebot.robot import voice_calls

from tests.voicebot.helpers import seed_ledger

TODAY = date(2026, 4, 29)


def with_smtp(settings, sink):
    return settings.model_copy(update={"reminders": RemindersSettings(
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="plain", secret=None),
        sms=SmsSettings(gateway="file", folder=Path("sms")), claim_lease_seconds=0, backoff_seconds=0)})


def mails(folder: Path) -> list:
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def test_campaign_from_the_call_list_robots_parts(ledger, settings, sink, tmp_path):
    part = seed_ledger(ledger, 22, TODAY, campaign="calls-2026-04-29")
    folder = settings.paths.output / "call-list" / TODAY.isoformat()
    folder.mkdir(parents=True)
    (folder / "part-001.json").write_text(part.model_dump_json(), encoding="utf-8")
    settings = with_smtp(settings, sink)
    with ledger.run("voice-calls") as run:
        summary = voice_calls(settings, ledger, run, today=TODAY)
    campaign = summary["campaigns"]["calls-2026-04-29"]
    assert campaign["finished"] and summary["parts"] == 1
    with ledger.session() as s:
        attempts = s.scalars(select(CallAttempt)).all()
        outbox = s.scalars(select(OutboxMessage)).all()
        status = s.scalar(select(CallCampaign.status))
    assert status == "finished" and campaign["attempts"] == len(attempts) > 22
    csv_lines = Path(campaign["csv"]).read_text(encoding="utf-8").splitlines()
    assert len(csv_lines) == len(attempts) + 1
    assert all(m.status == "sent" for m in outbox)
    arrived = mails(tmp_path / "sink")
    summary_mail = [m for m in arrived if m["To"] == "windykacja@nordwind.example"]
    assert len(summary_mail) == 1 and f"Attempts: {len(attempts)}" in summary_mail[0].get_body(("plain",)).get_content()
    confirmations = [m for m in arrived if m["To"] != "windykacja@nordwind.example"]
    assert confirmations and len(confirmations) == sum(1 for m in outbox if m.channel == "email") - 1
    sms = [json.loads(line) for f in (settings.paths.output / "sms").glob("*.jsonl") for line in f.read_text().splitlines()]
    assert len(sms) == sum(1 for m in outbox if m.channel == "sms") > 0
    # a second run of the same campaign calls nobody and sends nothing again
    with ledger.run("voice-calls") as run:
        again = voice_calls(settings, ledger, run, today=TODAY)
    with ledger.session() as s:
        assert len(s.scalars(select(CallAttempt)).all()) == len(attempts)
    assert again["counts"].get("already_finished") == 1 and not again["sent"]


def test_campaign_from_a_batch_file(ledger, settings, tmp_path):
    part = seed_ledger(ledger, 4, TODAY, languages=("de",))
    rows = ["campaign;customer;name;language;country;time_zone;phones;tax_id_last3;invoice;due_date;open_amount;interest;currency"]
    for e in part.entries:
        for i in e.invoices:
            rows.append(f"by-hand;{e.customer};{e.name};de;DE;Europe/Berlin;{e.phones[0]};{e.tax_id_last3};{i.number};"
                        f"{i.due_date};{i.open_amount};{i.interest};EUR")
    path = tmp_path / "list.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with ledger.run("voice-calls") as run:
        summary = voice_calls(settings, ledger, run, today=TODAY, batch_file=path)
    assert summary["campaigns"]["by-hand"]["finished"]
    with ledger.session() as s:
        called = set(s.scalars(select(CallAttempt.customer_id)))
    assert called == {e.customer_id for e in part.entries}


def test_work_items_under_the_file_adapter(tmp_path):
    """A Robocorp run: parts come as work items; a bad one fails as a BUSINESS error, the good ones run."""
    from receivables.ledger import open_ledger

    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    ledger = open_ledger(url)
    part = seed_ledger(ledger, 6, TODAY, campaign="wi-campaign")
    ledger.dispose()
    items = work_items_json([part]) + [{"payload": {"campaign": "broken"}, "files": {}}]
    (tmp_path / "in.json").write_text(json.dumps(items), encoding="utf-8")
    code = ("import json\nfrom datetime import date\nfrom receivables.config import load_settings\n"
            "from receivables.ledger import open_ledger\nfrom voicebot.robot import voice_calls\n"
            "s = load_settings()\nl = open_ledger(s.ledger_url)\n"
            "with l.run('voice-calls') as r:\n    print(json.dumps(voice_calls(s, l, r, today=date(2026, 4, 29))))\n")
    env = {**os.environ, "RC_WORKITEM_ADAPTER": "FileAdapter", "RC_WORKITEM_INPUT_PATH": str(tmp_path / "in.json"),
           "RC_WORKITEM_OUTPUT_PATH": str(tmp_path / "out.json"), "RECEIVABLES_LEDGER_URL": url,
           "RECEIVABLES_PATHS__OUTPUT": str(tmp_path / "out")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["parts"] == 1 and summary["campaigns"]["wi-campaign"]["finished"]
    assert summary["counts"]["bad_work_items"] == 1
