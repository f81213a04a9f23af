"""Statement arithmetic: opening + entries must equal closing, or the file is not trusted."""

from __future__ import annotations

from receivables.banking.errors import StatementError
from receivables.banking.records import Statement


def check_balances(statement: Statement, *, file: str | None = None) -> None:
    """Raise StatementError when opening + sum(amounts) != closing.

    Skipped when the format carries no balances (camt.054, most CSVs). Parsers never call
    this themselves: a trimmed or edited file still parses, and the inbox decides to
    quarantine it with this message.
    """
    if statement.opening_balance is None or statement.closing_balance is None:
        return
    total = sum((t.amount for t in statement.transactions), statement.opening_balance)
    if total != statement.closing_balance:
        raise StatementError(
            f"balances do not add up: opening {statement.opening_balance} + "
            f"{len(statement.transactions)} entries ({total - statement.opening_balance:+}) = {total}",
            file=file,
            location=f"statement {statement.statement_id} of account {statement.account}",
            expected=f"closing balance {statement.closing_balance}",
            found=str(total),
        )
