"""Receivables automation: the domain library every robot uses."""

__version__ = "0.1.0"
