"""Who hears about a customer's payment: the account manager named in the accounting data, or the fallback."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from receivables.notifications.rules import EMAIL, Manager, NotificationRules


@dataclass(frozen=True)
class Recipient:
    key: str  # stable name of the recipient inside outbox keys
    email: str | None
    chat: str | None  # webhook name
    language: str

    def channels(self) -> list[tuple[str, str]]:
        """(outbox channel, outbox recipient) pairs this manager is reached on."""
        out = []
        if self.email:
            out.append(("email", self.email))
        if self.chat:
            out.append(("chat", self.chat))
        return out


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _key(name: str) -> str:
    """Short and safe inside an outbox key (which is at most 191 characters)."""
    text = _norm(name).replace(":", "_").replace(" ", "_")
    return text if len(text) <= 64 else hashlib.sha256(text.encode()).hexdigest()[:24]


class Directory:
    """Account manager names from the accounting data -> how to reach them.

    A name the rules do not list but which is itself an e-mail address (some accounting systems
    store the manager's login) is used as that address; anything else goes to the fallback.
    """

    def __init__(self, rules: NotificationRules) -> None:
        self.rules = rules
        self._by_name = {_norm(name): (name, m) for name, m in rules.managers.items()}
        self._by_email = {m.email.casefold(): (name, m) for name, m in rules.managers.items() if m.email}
        self.fallback = self._recipient("fallback", rules.fallback)

    def _recipient(self, name: str, manager: Manager) -> Recipient:
        return Recipient(_key(name), manager.email, manager.chat, manager.language or self.rules.default_language)

    def for_manager(self, account_manager: str | None) -> Recipient:
        if not account_manager or not account_manager.strip():
            return self.fallback
        found = self._by_name.get(_norm(account_manager)) or self._by_email.get(account_manager.strip().casefold())
        if found:
            return self._recipient(*found)
        address = account_manager.strip()
        if EMAIL.match(address):
            return Recipient(_key(address), address, None, self.rules.default_language)
        return self.fallback
