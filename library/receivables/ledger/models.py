"""The master ledger schema (SQLAlchemy 2). Every row a robot writes names the run that wrote it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from receivables.ledger.types import Money, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {Decimal: Money, datetime: UTCDateTime, dict[str, Any]: JSON}


def _run_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("runs.id"), index=True)


class Run(Base):
    """One execution of one robot: the audit trail every change points to."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    robot: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str | None] = mapped_column(String(32), index=True)
    regon: Mapped[str | None] = mapped_column(String(14))
    krs: Mapped[str | None] = mapped_column(String(10))
    street: Mapped[str | None] = mapped_column(String(255))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(2), default="pl")
    account_manager: Mapped[str | None] = mapped_column(String(255))
    is_consumer: Mapped[bool] = mapped_column(Boolean, default=False)
    segment: Mapped[str | None] = mapped_column(String(32))
    suspected_fraud: Mapped[bool] = mapped_column(Boolean, default=False)  # set by an analyst; never by a source
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()
    updated_run_id: Mapped[int | None] = _run_fk()

    contacts: Mapped[list[Contact]] = relationship(back_populates="customer")
    ibans: Mapped[list[CustomerIban]] = relationship(back_populates="customer")
    opt_outs: Mapped[list[OptOut]] = relationship(back_populates="customer")


class Contact(Base):
    """An e-mail address or phone number; `valid` drops when a message bounces."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("customer_id", "kind", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # email | phone
    value: Mapped[str] = mapped_column(String(255))
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    invalid_reason: Mapped[str | None] = mapped_column(String(32))  # bounced | wrong_number | dead_number
    source: Mapped[str] = mapped_column(String(32), default="accounting")
    created_run_id: Mapped[int | None] = _run_fk()
    customer: Mapped[Customer] = relationship(back_populates="contacts")


class CustomerIban(Base):
    """Accounts a customer pays from: from accounting data, or learned from analysts' decisions."""

    __tablename__ = "customer_ibans"
    __table_args__ = (UniqueConstraint("customer_id", "iban"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    iban: Mapped[str] = mapped_column(String(34), index=True)
    source: Mapped[str] = mapped_column(String(32), default="accounting")
    created_run_id: Mapped[int | None] = _run_fk()
    customer: Mapped[Customer] = relationship(back_populates="ibans")


class OptOut(Base):
    """A channel the customer must not be contacted on; the accounting source never clears it."""

    __tablename__ = "opt_outs"
    __table_args__ = (UniqueConstraint("customer_id", "channel"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms | letter | call
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()
    customer: Mapped[Customer] = relationship(back_populates="opt_outs")


class PayerAlias(Base):
    """A payer name an analyst tied to a customer, so the same payer matches by itself next time."""

    __tablename__ = "payer_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(255), unique=True)  # normalized payer name
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    source: Mapped[str] = mapped_column(String(32), default="analyst")
    created_run_id: Mapped[int | None] = _run_fk()


class Invoice(Base):
    """An invoice or credit note; status and paid/open amounts derive from allocations."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("issuer_tax_id", "number"),
        Index("ix_invoices_status_due", "status", "due_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    issuer_tax_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="invoice")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    net: Mapped[Decimal]
    vat: Mapped[Decimal]
    gross: Mapped[Decimal]
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    credited: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    open_amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(16), default="open")
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    promised: Mapped[bool] = mapped_column(Boolean, default=False)
    in_court: Mapped[bool] = mapped_column(Boolean, default=False)
    written_off: Mapped[bool] = mapped_column(Boolean, default=False)
    missing_from_source: Mapped[bool] = mapped_column(Boolean, default=False)
    source_digest: Mapped[str | None] = mapped_column(String(32))  # of the source's fields at the last sync
    paid_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()
    updated_run_id: Mapped[int | None] = _run_fk()

    customer: Mapped[Customer] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="invoice")


class BankTransaction(Base):
    """One booked statement entry. `fingerprint` is the natural key that makes imports idempotent.

    Every index here is paid by every imported entry, so each one serves a query: the account and
    day of an import's overlap check and of the last booked day; booking dates for reconciliation
    and notifications; pending statuses; customer_id only where set (imports leave it empty).
    Counterparty IBAN and creating run have no index: no query looks entries up by them.
    """

    __tablename__ = "bank_transactions"
    __table_args__ = (
        Index("ix_bank_transactions_account_booking", "account_iban", "booking_date"),
        Index("ix_bank_transactions_customer_id", "customer_id",
              sqlite_where=text("customer_id IS NOT NULL"), postgresql_where=text("customer_id IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    account_iban: Mapped[str] = mapped_column(String(34))
    statement_id: Mapped[str] = mapped_column(String(64))
    booking_date: Mapped[date] = mapped_column(Date, index=True)
    value_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    counterparty_name: Mapped[str | None] = mapped_column(String(255))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    title: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(64))
    end_to_end_id: Mapped[str | None] = mapped_column(String(64))
    source_file: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    allocated: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))  # the payer, once known
    notified_at: Mapped[datetime | None]  # when the payment notifier told a manager about it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))  # no index: no query asks by run

    allocations: Mapped[list[Allocation]] = relationship(back_populates="transaction")


class Allocation(Base):
    """Money of one bank transaction applied to one invoice."""

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("transaction_id", "invoice_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("bank_transactions.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal]
    method: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # auto | suggested | confirmed | rejected
    confirmed_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()

    transaction: Mapped[BankTransaction] = relationship(back_populates="allocations")
    invoice: Mapped[Invoice] = relationship(back_populates="allocations")


class Promise(Base):
    """A dated promise to pay from a call, a mail or an analyst; kept or broken when due."""

    __tablename__ = "promises"
    __table_args__ = (UniqueConstraint("source_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(128))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    promised_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    channel: Mapped[str] = mapped_column(String(16))
    source_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | kept | broken
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()


class Dispute(Base):
    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    created_run_id: Mapped[int | None] = _run_fk()


class Event(Base):
    """The contact and change log: who did what to which customer or invoice, and when."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(16))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_id: Mapped[int | None] = _run_fk()


class OutboxMessage(Base):
    """A message decided but maybe not yet sent; the unique key makes every send exactly-once."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms | letter | chat
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    created_run_id: Mapped[int | None] = _run_fk()


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()


class MailMessage(Base):
    __tablename__ = "mail_messages"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(128))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    uid: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    sender: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None]
    category: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(String(128))
    moved: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()


class CallCampaign(Base):
    """One voicebot campaign (calls or voice messages); its attempts make a stopped campaign resumable."""

    __tablename__ = "call_campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="call")  # call | vms
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | finished | stopped
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    created_run_id: Mapped[int | None] = _run_fk()


class CallAttempt(Base):
    """One dial of one debtor. Written before dialing, so a crash never leads to a second call."""

    __tablename__ = "call_attempts"
    __table_args__ = (
        UniqueConstraint("campaign_id", "customer_id", "attempt_no"),
        Index("ix_call_attempts_customer_started", "customer_id", "started_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("call_campaigns.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    phone: Mapped[str] = mapped_column(String(32))
    attempt_no: Mapped[int] = mapped_column(Integer)
    caller_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="dialing")  # dialing | done | lost (crashed mid-call)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(16))  # answered | no_answer | busy | voicemail | failed | wrong_number
    outcome: Mapped[str | None] = mapped_column(String(24))  # promise | instalments | callback | transfer | dispute | ...
    promise_date: Mapped[date | None] = mapped_column(Date)
    promised_amount: Mapped[Decimal | None]
    callback_at: Mapped[datetime | None]
    transcript: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_run_id: Mapped[int | None] = _run_fk()


class CourtCase(Base):
    """A drafted claim for the legal team; `facts_digest` makes a redraft happen only when facts change."""

    __tablename__ = "court_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))  # pl | de | other
    procedure: Mapped[str] = mapped_column(String(24))  # epu | ordinary | mahnbescheid | summary
    status: Mapped[str] = mapped_column(String(16), default="drafted")  # drafted | sent | filed | closed
    claim_value: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    facts_digest: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(String(512))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()
    updated_run_id: Mapped[int | None] = _run_fk()


class RegisterEntry(Base):
    """A debtor's way through an economic information bureau: warning, entry, removal, with the dates."""

    __tablename__ = "register_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    bureau: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))  # warning_prepared | warning_sent | entry_prepared | removal_prepared
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warning_prepared_on: Mapped[date | None] = mapped_column(Date)
    warning_sent_on: Mapped[date | None] = mapped_column(Date)
    entry_prepared_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    removal_prepared_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_run_id: Mapped[int | None] = _run_fk()


class RobotLock(Base):
    """At most one run of a robot at a time; a holder that stopped heartbeating has crashed."""

    __tablename__ = "robot_locks"
    robot: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
