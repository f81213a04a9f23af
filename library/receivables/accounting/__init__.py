"""Accounting sources: customers and invoices from web apps, exports and e-invoices."""
