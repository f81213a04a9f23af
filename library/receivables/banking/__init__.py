"""Bank statements: parsers for statement files and web-banking scrapers.

Entry points for the inbox: `parse_file(path)` / `iter_statements(path)` (format detection
over the importers in `detect`), `check_balances(statement)`, and `StatementError`.
"""

from receivables.banking.balances import check_balances
from receivables.banking.detect import ParsedFile, detect_format, iter_statements, parse_file
from receivables.banking.errors import StatementError

__all__ = ["ParsedFile", "StatementError", "check_balances", "detect_format", "iter_statements", "parse_file"]
