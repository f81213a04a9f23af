"""The mail-classifier robot against a real Dovecot: folders, ledger effects, re-runs, crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from receivables.ledger.models import Contact, Dispute, Event, Invoice, MailMessage, OptOut, OutboxMessage, Promise
from receivables.mail.mail_rules import load_mail_rules
from receivables.mail.robot import classify_mailbox
from receivables.sandbox.mailbox import append_folder
from tests.mail.conftest import AS_OF, append, client, folder_contents, mail_settings, message_ids, world_messages

REPO = Path(__file__).resolve().parents[2]
RULES = load_mail_rules()


def run(settings, ledger, server, **kw):
    with ledger.run("mail-classifier") as robot_run:
        return classify_mailbox(settings, ledger, robot_run, mail=mail_settings(server, **kw.pop("mail", {})),
                                today=AS_OF, **kw)


def count(ledger, model, *where) -> int:
    with ledger.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_robot_sorts_the_world_mailbox_and_records_what_each_message_means(settings, world_ledger, world, login):
    messages = world_messages(world)
    assert append_folder(world / "mail", login.host, login.port, login.user, login.password) == len(messages)

    summary = run(settings, world_ledger, login)

    assert summary["new"] == summary["recorded"] == summary["moved"] == len(messages)
    assert set(summary["folders_created"]) == set(RULES.folders.values())
    contents = folder_contents(login)
    assert sum(contents["INBOX"].values()) == 0
    filed = {category: contents[folder] for category, folder in RULES.folders.items() if category != "needs_review"}
    right = sum(filed[c][c] for c in filed)
    wrong = sum(n for c in filed for other, n in filed[c].items() if other != c)
    assert wrong == 0, filed
    assert right + sum(contents["needs-review"].values()) == len(messages)
    assert sum(contents["needs-review"].values()) <= len(messages) * 0.15

    assert count(world_ledger, MailMessage) == len(messages)
    assert count(world_ledger, Event, Event.kind == "mail_received") == len(messages)
    assert count(world_ledger, Promise, Promise.channel == "email") == filed["promise_to_pay"]["promise_to_pay"]
    assert count(world_ledger, Dispute, Dispute.source == "mail") >= filed["dispute"]["dispute"]
    assert count(world_ledger, Invoice, Invoice.disputed.is_(True)) >= filed["dispute"]["dispute"]
    assert count(world_ledger, Contact, Contact.valid.is_(False)) >= filed["bounce"]["bounce"]
    assert count(world_ledger, OptOut, OptOut.channel == "marketing") == filed["gdpr_request"]["gdpr_request"]
    queued = count(world_ledger, OutboxMessage, OutboxMessage.key.like("mail-invoice-copy:%"))
    assert queued == filed["invoice_copy_request"]["invoice_copy_request"]
    with world_ledger.session() as s:
        copy = s.scalars(select(OutboxMessage)).first()
        assert copy.attachments["invoices"][0]["number"] in copy.body
        promise = s.scalars(select(Promise)).first()
        assert AS_OF < promise.promised_date
        assert s.scalar(select(Invoice.promised).where(Invoice.id == promise.invoice_id))

    again = run(settings, world_ledger, login)
    assert again["new"] == again["recorded"] == 0
    assert count(world_ledger, MailMessage) == len(messages)


def test_only_new_messages_are_read_on_the_next_run(settings, sqlite_world_ledger, world, login):
    messages = world_messages(world)
    append(login, messages[:10])
    assert run(settings, sqlite_world_ledger, login)["new"] == 10
    append(login, messages[10:15])
    second = run(settings, sqlite_world_ledger, login)
    assert second["new"] == 5 and second["recorded"] == 5
    assert count(sqlite_world_ledger, MailMessage) == 15


CRASHING_RUN = """
import json, os, sys
from receivables.config import load_settings
from receivables.ledger import open_ledger
from receivables.mail import imap, inbox
from receivables.mail.robot import classify_mailbox
from receivables.sandbox.mailbox import append_folder
from receivables.mail.settings import MailSettings
from datetime import date

where = sys.argv[1]
if where == "before_move":
    imap.Mailbox.move = lambda self, uids, folder: os._exit(9)
else:
    inbox.mark_moved = lambda *args: os._exit(9)
ledger = open_ledger(os.environ["RECEIVABLES_LEDGER_URL"])
with ledger.run("mail-classifier") as run:
    classify_mailbox(load_settings(), ledger, run, mail=MailSettings(**json.loads(sys.argv[2])),
                     today=date.fromisoformat(sys.argv[3]))
"""


@pytest.mark.parametrize("where", ["before_move", "after_move"])
def test_a_crash_between_recording_and_moving_loses_and_doubles_nothing(settings, sqlite_world_ledger, world, login,
                                                                       where):
    messages = world_messages(world)[:25]
    append(login, messages)
    cfg = {"host": login.host, "port": login.port, "security": "plain", "batch_size": 10}
    env = {**os.environ, "RECEIVABLES_LEDGER_URL": str(sqlite_world_ledger.engine.url)}
    crashed = subprocess.run([sys.executable, "-c", CRASHING_RUN, where, json.dumps(cfg), AS_OF.isoformat()],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert crashed.returncode == 9, crashed.stderr
    assert count(sqlite_world_ledger, MailMessage) == 10  # the first batch was recorded, then the robot died
    assert count(sqlite_world_ledger, MailMessage, MailMessage.moved.is_(False)) == 10

    summary = run(settings, sqlite_world_ledger, login, mail={"batch_size": 10})

    assert summary["resumed_moves"] == (10 if where == "before_move" else 0)
    assert summary["new"] == 15
    assert count(sqlite_world_ledger, MailMessage) == 25
    assert count(sqlite_world_ledger, MailMessage, MailMessage.moved.is_(False)) == 0
    assert count(sqlite_world_ledger, Event, Event.kind == "mail_received") == 25
    copies = message_ids(login)
    assert len(copies) == 25 and set(copies.values()) == {1}
    assert sum(folder_contents(login)["INBOX"].values()) == 0


def test_a_changed_uidvalidity_does_not_record_a_message_twice(settings, sqlite_world_ledger, world, login):
    """Recorded, not moved, then the folder is recreated (new UIDVALIDITY) with the same messages."""
    messages = world_messages(world)[:6]
    imap = client(login)
    imap.create_folder("incoming")
    imap.logout()
    append(login, messages, "incoming")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("receivables.mail.imap.Mailbox.move", lambda self, uids, folder: None)
        patch.setattr("receivables.mail.inbox.mark_moved", lambda *args: None)
        run(settings, sqlite_world_ledger, login, mail={"inbox": "incoming"})
    imap = client(login)
    imap.delete_folder("incoming")
    imap.create_folder("incoming")
    imap.logout()
    append(login, messages, "incoming")

    summary = run(settings, sqlite_world_ledger, login, mail={"inbox": "incoming"})

    assert summary["recorded"] == 0 and summary["recorded_before_uidvalidity_change"] == 6
    assert count(sqlite_world_ledger, MailMessage) == 6
    assert count(sqlite_world_ledger, Event, Event.kind == "mail_received") == 6
    assert sum(folder_contents(login)["incoming"].values()) == 0


def test_without_move_the_robot_copies_and_deletes(settings, sqlite_world_ledger, world, monkeypatch):
    from receivables.sandbox.imap_server import DovecotServer

    with DovecotServer(without_move=True) as server:
        monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_USER", server.user)
        monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_PASSWORD", server.password)
        imap = client(server)
        assert not imap.has_capability("MOVE")
        imap.logout()
        append(server, world_messages(world)[:8])
        summary = run(settings, sqlite_world_ledger, server)
        contents = folder_contents(server)
    assert summary["moved"] == 8
    assert sum(contents["INBOX"].values()) == 0
    assert sum(sum(c.values()) for c in contents.values()) == 8


def test_tls_and_starttls_with_a_self_signed_certificate(settings, sqlite_world_ledger, world, monkeypatch):
    from receivables.mail.imap import MailboxError
    from receivables.sandbox.imap_server import DovecotServer

    with DovecotServer(tls=True) as server:
        monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_USER", server.user)
        monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_PASSWORD", server.password)
        append(server, world_messages(world)[:3])
        tls = {"port": server.tls_port, "security": "tls", "ca_file": server.cert_file}
        with pytest.raises(MailboxError, match="cannot connect.*(CERTIFICATE|certificate)"):
            with sqlite_world_ledger.run("mail-classifier") as robot_run:
                classify_mailbox(settings, sqlite_world_ledger, robot_run, today=AS_OF,
                                 mail=mail_settings(server).model_copy(update={**tls, "ca_file": None}))
        with sqlite_world_ledger.run("mail-classifier") as robot_run:
            first = classify_mailbox(settings, sqlite_world_ledger, robot_run, today=AS_OF,
                                     mail=mail_settings(server).model_copy(update=tls))
        append(server, world_messages(world)[3:5])
        with sqlite_world_ledger.run("mail-classifier") as robot_run:
            second = classify_mailbox(settings, sqlite_world_ledger, robot_run, today=AS_OF,
                                      mail=mail_settings(server).model_copy(
                                          update={"security": "starttls", "ca_file": server.cert_file}))
    assert first["moved"] == 3 and second["moved"] == 2


def test_plain_imap_is_refused_off_loopback(settings, sqlite_world_ledger):
    from receivables.mail.imap import Mailbox, MailboxError
    from receivables.mail.settings import MailSettings

    with pytest.raises(MailboxError, match="loopback only"):
        Mailbox(MailSettings(host="imap.example.com", security="plain"), "u", "p").__enter__()


def test_a_run_without_a_configured_mailbox_does_nothing(settings, sqlite_world_ledger):
    from receivables.mail.settings import MailSettings

    with sqlite_world_ledger.run("mail-classifier") as robot_run:
        summary = classify_mailbox(settings, sqlite_world_ledger, robot_run, mail=MailSettings())
    assert "skipped" in summary


def test_every_folder_holds_one_category(settings, sqlite_world_ledger, world, login):
    append(login, world_messages(world))
    run(settings, sqlite_world_ledger, login)
    for folder, categories in folder_contents(login).items():
        if folder not in ("INBOX", "needs-review") and categories:
            assert len(categories) == 1, (folder, categories)
            assert RULES.folders[next(iter(categories))] == folder
    assert Counter() == folder_contents(login)["INBOX"]
