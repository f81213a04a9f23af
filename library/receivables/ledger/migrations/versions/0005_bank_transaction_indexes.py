"""bank transaction indexes that queries use: account with booking day, customer only where set, none on counterparty IBAN or run

Revision ID: 0005
Revises: 0004

Every index of bank_transactions is written by every imported entry. The account index becomes
(account_iban, booking_date): an import's overlap check and the last booked day of an account
are then one index probe instead of a walk over all the account's entries. The counterparty IBAN
and creating-run indexes go: no query looks a transaction up by either (runs are never deleted,
so no foreign-key check needs the run index). The customer index keeps only the entries whose
payer is known (imports leave customer_id empty), which is all the queries on it ask for.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_KNOWN_PAYER = sa.text("customer_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_transactions_account_iban')
        batch_op.drop_index('ix_bank_transactions_counterparty_iban')
        batch_op.drop_index('ix_bank_transactions_created_run_id')
        batch_op.drop_index('ix_bank_transactions_customer_id')
        batch_op.create_index('ix_bank_transactions_account_booking', ['account_iban', 'booking_date'], unique=False)
        batch_op.create_index('ix_bank_transactions_customer_id', ['customer_id'], unique=False,
                              sqlite_where=_KNOWN_PAYER, postgresql_where=_KNOWN_PAYER)


def downgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_transactions_customer_id')
        batch_op.drop_index('ix_bank_transactions_account_booking')
        batch_op.create_index('ix_bank_transactions_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_bank_transactions_created_run_id', ['created_run_id'], unique=False)
        batch_op.create_index('ix_bank_transactions_counterparty_iban', ['counterparty_iban'], unique=False)
        batch_op.create_index('ix_bank_transactions_account_iban', ['account_iban'], unique=False)
