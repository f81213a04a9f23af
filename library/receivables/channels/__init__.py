"""Channels: e-mail over SMTP, SMS gateways, printed letters; one outbox for exactly-once sending.

Messages are queued in the ledger's outbox in the same transaction as the decision to send them
(`outbox.queue`), then `outbox.deliver` claims, sends and marks them with the transports here.
"""
