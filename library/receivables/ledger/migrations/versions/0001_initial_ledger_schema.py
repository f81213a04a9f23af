"""initial ledger schema

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa
import receivables.ledger.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('robot', sa.String(length=64), nullable=False),
    sa.Column('started_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_robot'), ['robot'], unique=False)

    op.create_table('bank_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('account_iban', sa.String(length=34), nullable=False),
    sa.Column('statement_id', sa.String(length=64), nullable=False),
    sa.Column('booking_date', sa.Date(), nullable=False),
    sa.Column('value_date', sa.Date(), nullable=True),
    sa.Column('amount', receivables.ledger.types.Money(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('counterparty_name', sa.String(length=255), nullable=True),
    sa.Column('counterparty_iban', sa.String(length=34), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('end_to_end_id', sa.String(length=64), nullable=True),
    sa.Column('source_file', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('allocated', receivables.ledger.types.Money(), nullable=False),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_bank_transactions_created_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_transactions')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_bank_transactions_fingerprint'))
    )
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_transactions_account_iban'), ['account_iban'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_booking_date'), ['booking_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_counterparty_iban'), ['counterparty_iban'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transactions_status'), ['status'], unique=False)

    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('tax_id', sa.String(length=32), nullable=True),
    sa.Column('regon', sa.String(length=14), nullable=True),
    sa.Column('krs', sa.String(length=10), nullable=True),
    sa.Column('street', sa.String(length=255), nullable=True),
    sa.Column('postal_code', sa.String(length=16), nullable=True),
    sa.Column('city', sa.String(length=128), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('account_manager', sa.String(length=255), nullable=True),
    sa.Column('is_consumer', sa.Boolean(), nullable=False),
    sa.Column('segment', sa.String(length=32), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.Column('updated_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_customers_created_run_id_runs')),
    sa.ForeignKeyConstraint(['updated_run_id'], ['runs.id'], name=op.f('fk_customers_updated_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('external_id', name=op.f('uq_customers_external_id'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_tax_id'), ['tax_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_updated_run_id'), ['updated_run_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_contacts_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('customer_id', 'kind', 'value', name=op.f('uq_contacts_customer_id_kind_value'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_ibans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('iban', sa.String(length=34), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_customer_ibans_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_ibans_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_ibans')),
    sa.UniqueConstraint('customer_id', 'iban', name=op.f('uq_customer_ibans_customer_id_iban'))
    )
    with op.batch_alter_table('customer_ibans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_ibans_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_ibans_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_ibans_iban'), ['iban'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issuer_tax_id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net', receivables.ledger.types.Money(), nullable=False),
    sa.Column('vat', receivables.ledger.types.Money(), nullable=False),
    sa.Column('gross', receivables.ledger.types.Money(), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=True),
    sa.Column('credited', receivables.ledger.types.Money(), nullable=False),
    sa.Column('paid', receivables.ledger.types.Money(), nullable=False),
    sa.Column('open_amount', receivables.ledger.types.Money(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('disputed', sa.Boolean(), nullable=False),
    sa.Column('promised', sa.Boolean(), nullable=False),
    sa.Column('in_court', sa.Boolean(), nullable=False),
    sa.Column('written_off', sa.Boolean(), nullable=False),
    sa.Column('missing_from_source', sa.Boolean(), nullable=False),
    sa.Column('paid_date', sa.Date(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.Column('updated_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['corrects_id'], ['invoices.id'], name=op.f('fk_invoices_corrects_id_invoices')),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_invoices_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_invoices_customer_id_customers')),
    sa.ForeignKeyConstraint(['updated_run_id'], ['runs.id'], name=op.f('fk_invoices_updated_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('issuer_tax_id', 'number', name=op.f('uq_invoices_issuer_tax_id_number'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_number'), ['number'], unique=False)
        batch_op.create_index('ix_invoices_status_due', ['status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_updated_run_id'), ['updated_run_id'], unique=False)

    op.create_table('mail_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailbox', sa.String(length=128), nullable=False),
    sa.Column('uidvalidity', sa.Integer(), nullable=False),
    sa.Column('uid', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('sender', sa.String(length=255), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('received_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('folder', sa.String(length=128), nullable=True),
    sa.Column('moved', sa.Boolean(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_mail_messages_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_mail_messages_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    sa.UniqueConstraint('mailbox', 'uidvalidity', 'uid', name=op.f('uq_mail_messages_mailbox_uidvalidity_uid'))
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_messages_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_message_id'), ['message_id'], unique=False)

    op.create_table('opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_opt_outs_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_opt_outs_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opt_outs')),
    sa.UniqueConstraint('customer_id', 'channel', name=op.f('uq_opt_outs_customer_id_channel'))
    )
    with op.batch_alter_table('opt_outs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opt_outs_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opt_outs_customer_id'), ['customer_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=191), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_outbox_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_outbox_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)

    op.create_table('allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', receivables.ledger.types.Money(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('confirmed_by', sa.String(length=128), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_allocations_created_run_id_runs')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_allocations_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['transaction_id'], ['bank_transactions.id'], name=op.f('fk_allocations_transaction_id_bank_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations')),
    sa.UniqueConstraint('transaction_id', 'invoice_id', name=op.f('uq_allocations_transaction_id_invoice_id'))
    )
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocations_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocations_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocations_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_disputes_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_disputes_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_disputes_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=191), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('path', sa.String(length=512), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_documents_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_documents_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_documents_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('key', name=op.f('uq_documents_key'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_events_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_events_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_events_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_run_id'), ['run_id'], unique=False)

    op.create_table('promises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=128), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=False),
    sa.Column('amount', receivables.ledger.types.Money(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_promises_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_promises_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_promises_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promises')),
    sa.UniqueConstraint('source_key', name=op.f('uq_promises_source_key'))
    )
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promises_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promises_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promises_invoice_id'), ['invoice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promises_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_promises_customer_id'))
        batch_op.drop_index(batch_op.f('ix_promises_created_run_id'))

    op.drop_table('promises')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_run_id'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))
        batch_op.drop_index(batch_op.f('ix_events_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_events_customer_id'))
        batch_op.drop_index(batch_op.f('ix_events_at'))

    op.drop_table('events')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_documents_customer_id'))
        batch_op.drop_index(batch_op.f('ix_documents_created_run_id'))

    op.drop_table('documents')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_customer_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_created_run_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocations_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_allocations_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_allocations_created_run_id'))

    op.drop_table('allocations')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_customer_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_created_run_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('opt_outs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opt_outs_customer_id'))
        batch_op.drop_index(batch_op.f('ix_opt_outs_created_run_id'))

    op.drop_table('opt_outs')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_messages_message_id'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_customer_id'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_created_run_id'))

    op.drop_table('mail_messages')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoices_updated_run_id'))
        batch_op.drop_index('ix_invoices_status_due')
        batch_op.drop_index(batch_op.f('ix_invoices_number'))
        batch_op.drop_index(batch_op.f('ix_invoices_customer_id'))
        batch_op.drop_index(batch_op.f('ix_invoices_created_run_id'))

    op.drop_table('invoices')
    with op.batch_alter_table('customer_ibans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_ibans_iban'))
        batch_op.drop_index(batch_op.f('ix_customer_ibans_customer_id'))
        batch_op.drop_index(batch_op.f('ix_customer_ibans_created_run_id'))

    op.drop_table('customer_ibans')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_customer_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_created_run_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_updated_run_id'))
        batch_op.drop_index(batch_op.f('ix_customers_tax_id'))
        batch_op.drop_index(batch_op.f('ix_customers_created_run_id'))

    op.drop_table('customers')
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_transactions_status'))
        batch_op.drop_index(batch_op.f('ix_bank_transactions_created_run_id'))
        batch_op.drop_index(batch_op.f('ix_bank_transactions_counterparty_iban'))
        batch_op.drop_index(batch_op.f('ix_bank_transactions_booking_date'))
        batch_op.drop_index(batch_op.f('ix_bank_transactions_account_iban'))

    op.drop_table('bank_transactions')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_robot'))

    op.drop_table('runs')
