"""Payment notifications: tell a customer's account manager that money arrived, by e-mail and chat.

Large payments go out at once, small ones in one daily digest per manager; both are queued in the
ledger's outbox in the same transaction that marks the payment notified, so none is told twice.
"""
