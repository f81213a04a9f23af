"""`python -m receivables.scheduler`: the `receivables schedule` command before it is wired into the CLI."""

from receivables.scheduler.cli import app

app()
