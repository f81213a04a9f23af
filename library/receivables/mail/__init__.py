"""The collections mailbox: IMAP access, MIME parsing, classification, extraction, ledger effects.

The robot is `receivables.mail.robot.classify_mailbox`; one message can be classified without
a server with `receivables mail classify FILE.eml`. Nothing heavy is imported here.
"""
