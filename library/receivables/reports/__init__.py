"""Portfolio reports for managers: aging, DSO, CEI, promises, contact results, cash per week.

facts.py reads the ledger once; figures.py turns those facts into the report's numbers; charts,
xlsx and pdf render them; robot.py builds the weekly reports and e-mails them through the outbox.
"""
