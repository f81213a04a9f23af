"""Header rules: what a message's envelope says for certain, before any text is read.

A delivery status report is a bounce and an `Auto-Submitted: auto-replied` message is an
auto-reply whatever words they contain; the rules in config/mail_rules.yaml are tried in
order and the first that matches decides.
"""

from __future__ import annotations

from receivables.mail.mail_rules import HeaderRule, MailRules
from receivables.mail.parse import ParsedMessage


def rule_matches(rule: HeaderRule, message: ParsedMessage) -> bool:
    if rule.content_type and message.content_type != rule.content_type.lower():
        return False
    if rule.report_type and (message.report_type or "").lower() != rule.report_type.lower():
        return False
    for name, pattern in rule.headers.items():
        value = message.headers.get(name.lower())
        if value is None or not pattern.search(value):
            return False
    if rule.sender and not rule.sender.search(message.sender or ""):
        return False
    return not (rule.subject and not rule.subject.search(message.subject))


def first_rule(message: ParsedMessage, rules: MailRules) -> HeaderRule | None:
    return next((rule for rule in rules.rules if rule_matches(rule, message)), None)
