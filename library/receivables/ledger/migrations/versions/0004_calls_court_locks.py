"""call campaigns and attempts, court cases, register entries, robot locks, fraud flag, notified payments

Revision ID: 0004
Revises: 0003

"""

from alembic import op
import sqlalchemy as sa
import receivables.ledger.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('robot_locks',
    sa.Column('robot', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=255), nullable=False),
    sa.Column('acquired_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('robot', name=op.f('pk_robot_locks'))
    )
    op.create_table('call_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_call_campaigns_created_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_campaigns')),
    sa.UniqueConstraint('key', name=op.f('uq_call_campaigns_key'))
    )
    with op.batch_alter_table('call_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_campaigns_created_run_id'), ['created_run_id'], unique=False)

    op.create_table('call_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('attempt_no', sa.Integer(), nullable=False),
    sa.Column('caller_id', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('promise_date', sa.Date(), nullable=True),
    sa.Column('promised_amount', receivables.ledger.types.Money(), nullable=True),
    sa.Column('callback_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('transcript', sa.JSON(), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['call_campaigns.id'], name=op.f('fk_call_attempts_campaign_id_call_campaigns')),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_call_attempts_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_call_attempts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_attempts')),
    sa.UniqueConstraint('campaign_id', 'customer_id', 'attempt_no', name=op.f('uq_call_attempts_campaign_id_customer_id_attempt_no'))
    )
    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_attempts_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_attempts_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index('ix_call_attempts_customer_started', ['customer_id', 'started_at'], unique=False)

    op.create_table('court_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=191), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction', sa.String(length=8), nullable=False),
    sa.Column('procedure', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('claim_value', receivables.ledger.types.Money(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('facts_digest', sa.String(length=64), nullable=False),
    sa.Column('folder', sa.String(length=512), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.Column('updated_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_court_cases_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_court_cases_customer_id_customers')),
    sa.ForeignKeyConstraint(['updated_run_id'], ['runs.id'], name=op.f('fk_court_cases_updated_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_cases')),
    sa.UniqueConstraint('key', name=op.f('uq_court_cases_key'))
    )
    with op.batch_alter_table('court_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_court_cases_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_court_cases_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_court_cases_updated_run_id'), ['updated_run_id'], unique=False)

    op.create_table('register_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=191), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('bureau', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('amount', receivables.ledger.types.Money(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('warning_prepared_on', sa.Date(), nullable=True),
    sa.Column('warning_sent_on', sa.Date(), nullable=True),
    sa.Column('entry_prepared_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('removal_prepared_on', sa.Date(), nullable=True),
    sa.Column('created_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_register_entries_created_run_id_runs')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_register_entries_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_register_entries_key'))
    )
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_entries_created_run_id'), ['created_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_entries_customer_id'), ['customer_id'], unique=False)

    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_at', receivables.ledger.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invalid_reason', sa.String(length=32), nullable=True))

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspected_fraud', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('suspected_fraud')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('invalid_reason')

    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_column('notified_at')

    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_entries_customer_id'))
        batch_op.drop_index(batch_op.f('ix_register_entries_created_run_id'))

    op.drop_table('register_entries')
    with op.batch_alter_table('court_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_court_cases_updated_run_id'))
        batch_op.drop_index(batch_op.f('ix_court_cases_customer_id'))
        batch_op.drop_index(batch_op.f('ix_court_cases_created_run_id'))

    op.drop_table('court_cases')
    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_call_attempts_customer_started')
        batch_op.drop_index(batch_op.f('ix_call_attempts_created_run_id'))
        batch_op.drop_index(batch_op.f('ix_call_attempts_campaign_id'))

    op.drop_table('call_attempts')
    with op.batch_alter_table('call_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_campaigns_created_run_id'))

    op.drop_table('call_campaigns')
    op.drop_table('robot_locks')
