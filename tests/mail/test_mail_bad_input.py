"""Bad input against a real Dovecot: broken MIME, a 50 MB attachment, no text, a wrong password."""

from __future__ import annotations

import base64
import os
import time

import pytest
from sqlalchemy import select

from receivables.ledger.models import MailMessage, Run
from receivables.mail.imap import MailboxError
from receivables.mail.robot import classify_mailbox
from tests.mail.conftest import AS_OF, append, folder_contents, mail_settings, world_messages

BROKEN = (b"From: =?utf-8?q?Jan_Kowalski?= <jan@transbud.pl>\r\nSubject: =?iso-8859-2?b?broken?=\r\n"
          b"Message-ID: <broken-1@transbud.pl>\r\nMIME-Version: 1.0\r\n"
          b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
          b"--never-closed\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n"
          b"Content-Transfer-Encoding: base64\r\n\r\nWmFwxYJhY2lteSBkbyBwacSFdGt1Lg=!!\r\n"
          b"--never-closed\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
          b"JVBERi0xLjQKbm90IGEgcGRm\r\n")
NO_TEXT = (b"From: Anna Nowak <anna@transbud.pl>\r\nSubject: \r\nMessage-ID: <empty-1@transbud.pl>\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n\r\n")


def huge(megabytes: int = 50) -> bytes:
    """A promise to pay with a 50 MB attachment after it."""
    payload = base64.encodebytes(os.urandom(megabytes * 1024 * 1024 * 3 // 4))
    return (b"From: Tomasz Mazur <tomasz@transbud.pl>\r\nSubject: Platnosc\r\nMessage-ID: <huge-1@transbud.pl>\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nZaplacimy fakture do piatku 4 grudnia.\r\n--b\r\n"
            b'Content-Type: application/zip; name="scan.zip"\r\nContent-Transfer-Encoding: base64\r\n'
            b'Content-Disposition: attachment; filename="scan.zip"\r\n\r\n' + payload + b"\r\n--b--\r\n")


def rows(ledger) -> dict[str, MailMessage]:
    with ledger.session() as s:
        return {r.message_id: r for r in s.scalars(select(MailMessage))}


def test_broken_mime_and_a_message_without_text_go_to_review_and_the_rest_is_sorted(settings, sqlite_world_ledger,
                                                                                     world, login):
    append(login, [BROKEN, NO_TEXT, *world_messages(world)[:3]])
    with sqlite_world_ledger.run("mail-classifier") as robot_run:
        summary = classify_mailbox(settings, sqlite_world_ledger, robot_run, mail=mail_settings(login), today=AS_OF)
    assert summary["recorded"] == summary["moved"] == 5
    recorded = rows(sqlite_world_ledger)
    broken = recorded["<broken-1@transbud.pl>"]
    assert "broken MIME" in broken.reason and "unknown charset" in broken.reason
    empty = recorded["<empty-1@transbud.pl>"]
    assert empty.folder == "needs-review" and "no text" in empty.reason and empty.confidence == 0
    assert sum(folder_contents(login)["INBOX"].values()) == 0


@pytest.mark.slow
def test_a_50_mb_attachment_is_not_downloaded_and_the_text_still_decides(settings, sqlite_world_ledger, login):
    message = huge()
    append(login, [message])
    started = time.perf_counter()
    with sqlite_world_ledger.run("mail-classifier") as robot_run:
        summary = classify_mailbox(settings, sqlite_world_ledger, robot_run, mail=mail_settings(login), today=AS_OF)
    assert time.perf_counter() - started < 30
    assert summary["moved"] == 1
    row = rows(sqlite_world_ledger)["<huge-1@transbud.pl>"]
    assert row.category == "promise_to_pay"
    assert "only the start of a" in row.reason
    assert sum(folder_contents(login)["INBOX"].values()) == 0


def test_a_wrong_password_is_a_clear_error_and_nothing_moves(settings, sqlite_world_ledger, world, login, monkeypatch):
    append(login, world_messages(world)[:4])
    monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_PASSWORD", "not-the-password")
    with pytest.raises(MailboxError) as failure:
        with sqlite_world_ledger.run("mail-classifier") as robot_run:
            classify_mailbox(settings, sqlite_world_ledger, robot_run, mail=mail_settings(login), today=AS_OF)
    message = str(failure.value)
    assert f"{login.host}:{login.port}" in message and "login as 'collections' refused" in message
    assert "not-the-password" not in message
    assert folder_contents(login) == {"INBOX": folder_contents(login)["INBOX"]}
    assert sum(folder_contents(login)["INBOX"].values()) == 4
    assert rows(sqlite_world_ledger) == {}
    with sqlite_world_ledger.session() as s:
        run = s.scalars(select(Run).where(Run.robot == "mail-classifier")).one()
        assert run.status == "failed" and "refused" in run.error


def test_a_missing_login_is_a_clear_error_before_connecting(settings, sqlite_world_ledger, login, monkeypatch):
    from receivables.secrets import SecretMissing

    monkeypatch.delenv("RECEIVABLES_SECRET_MAILBOX_PASSWORD")
    with pytest.raises(SecretMissing, match="RECEIVABLES_SECRET_MAILBOX_PASSWORD"):
        with sqlite_world_ledger.run("mail-classifier") as robot_run:
            classify_mailbox(settings, sqlite_world_ledger, robot_run, mail=mail_settings(login), today=AS_OF)
