"""One message, one category: header rules first, the trained model for the rest.

Every decision carries a confidence and a reason a person can check: the rule that fired,
or the probability and the words that pushed the model, plus anything that made the message
hard to read (broken MIME, no text, only the start of a huge message read).
"""

from __future__ import annotations

from dataclasses import dataclass

from receivables.mail.features import message_text
from receivables.mail.mail_rules import MailRules
from receivables.mail.model import MailModel, shipped_model
from receivables.mail.parse import ParsedMessage
from receivables.mail.rules import first_rule


@dataclass(frozen=True)
class Decision:
    category: str
    confidence: float
    reason: str
    source: str  # "rule" or "model"


def model_input(message: ParsedMessage) -> str:
    """What the model reads: the subject, the text the sender wrote and attachment names."""
    return message_text(message.subject, message.text, [a.filename for a in message.attachments if a.filename])


def classify(message: ParsedMessage, rules: MailRules, model: MailModel | None = None) -> Decision:
    notes = "; ".join(message.problems)
    if message.truncated:
        notes = "; ".join(filter(None, [f"only the start of a {message.size / 1e6:.0f} MB message read", notes]))
    rule = first_rule(message, rules)
    if rule is not None:
        reason = f"rule: {rule.reason}" + (f" ({notes})" if notes else "")
        return Decision(rule.category, rule.confidence, reason, "rule")
    prediction = (model or shipped_model()).predict(model_input(message))
    words = ", ".join(prediction.evidence) or "no known words"
    reason = f"model: {prediction.probability:.2f} ({words})" + (f"; {notes}" if notes else "")
    return Decision(prediction.category, round(prediction.probability, 4), reason, "model")
