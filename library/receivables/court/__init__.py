"""Court claims: which debts go to the legal team, the claim's numbers, the court and procedure,
the hand-over folder and e-mail, and the Polish debtor registers (BIG/KRD/ERIF).

Nothing is filed automatically: the robot drafts, a lawyer reviews and signs. Documents are
rendered by `receivables.documents.court`; rules and their legal sources live in config/court.yaml.
"""
