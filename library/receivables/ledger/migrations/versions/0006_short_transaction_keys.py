"""bank transaction keys cut to the first 32 hex digits of their hash

Revision ID: 0006
Revises: 0005

Imports now key an entry by the first 128 bits of its SHA-256 (32 hex digits, not 64): the
unique index of a million keys then fits SQLite's 64 MiB page cache, and a 1,000,000-entry import
runs about a tenth faster. Cutting the stored keys to the same 32 digits keeps every entry
recognised, so re-importing an old statement still adds nothing. The full digits are not kept,
so there is no way back: a downgrade refuses (restore the backup taken before upgrading).
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE bank_transactions SET fingerprint = substr(fingerprint, 1, 32) "
               "WHERE length(fingerprint) > 32")


def downgrade() -> None:
    raise NotImplementedError(
        "bank transaction keys were cut to 32 hex digits by 0006 and cannot be lengthened: "
        "restore the ledger backup taken before the upgrade"
    )
