"""who paid: bank_transactions.customer_id and payer_aliases learned from analysts' decisions

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_bank_transactions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_bank_transactions_customer_id_customers'), 'customers',
                                    ['customer_id'], ['id'])
    op.create_table('payer_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=255), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_payer_aliases_customer_id_customers')),
    sa.ForeignKeyConstraint(['created_run_id'], ['runs.id'], name=op.f('fk_payer_aliases_created_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payer_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_payer_aliases_alias'))
    )
    with op.batch_alter_table('payer_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payer_aliases_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payer_aliases_created_run_id'), ['created_run_id'], unique=False)


def downgrade() -> None:
    op.drop_table('payer_aliases')
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bank_transactions_customer_id_customers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_bank_transactions_customer_id'))
        batch_op.drop_column('customer_id')
