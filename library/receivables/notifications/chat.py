"""Chat notifications through incoming webhooks (Slack, Microsoft Teams): an outbox transport.

Plain HTTPS POSTs with the standard library, no chat SDK: an incoming webhook is one URL and one
JSON shape. The outbox recipient is the webhook's name in config/notifications.yaml; its URL is a
secret. HTTP 429 and 5xx are transient (the outbox retries with backoff); other 4xx are permanent.
Neither Slack nor Teams deduplicates webhook posts, so the outbox's Message-ID travels along as the
`Idempotency-Key` header, for a receiver that does (a company chat bridge) to drop a repeat.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping

from receivables.channels.outbox import Outgoing, PermanentError, TransientError
from receivables.notifications.rules import Webhook
from receivables.secrets import SecretMissing, get_secret


def slack_payload(message: Outgoing) -> dict:
    """Slack incoming webhook: `text` is the notification and the fallback; a section block shows it."""
    text = f"*{message.subject}*\n{message.body}" if message.subject else message.body
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}]}


def teams_payload(message: Outgoing) -> dict:
    """Teams (Workflows "post to a channel when a webhook request is received"): an Adaptive Card."""
    body = []
    if message.subject:
        body.append({"type": "TextBlock", "text": message.subject, "weight": "Bolder", "size": "Medium", "wrap": True})
    body.extend({"type": "TextBlock", "text": line, "wrap": True} for line in message.body.splitlines() if line.strip())
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body, "msteams": {"width": "Full"}}
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}


PAYLOADS: dict[str, Callable[[Outgoing], dict]] = {"slack": slack_payload, "teams": teams_payload}


class WebhookTransport:
    """Posts chat messages to the named webhooks; URLs are looked up in the vault once per run."""

    batched = False

    def __init__(self, webhooks: Mapping[str, Webhook], timeout: float = 15.0,
                 secret: Callable[[str, tuple[str, ...]], dict[str, str]] = get_secret) -> None:
        self.webhooks, self.timeout, self._secret = webhooks, timeout, secret
        self._urls: dict[str, str] = {}

    def _url(self, name: str) -> str:
        if name not in self._urls:
            hook = self.webhooks.get(name)
            if hook is None:
                raise PermanentError(f"no webhook named {name!r} in the notification rules")
            try:
                url = self._secret(hook.secret, ("url",))["url"]
            except SecretMissing as exc:
                raise TransientError(str(exc)) from None  # the vault may be filled in before the next attempt
            if not url.startswith(("https://", "http://")):
                raise PermanentError(f"webhook {name!r}: the secret's url is not an http(s) URL")
            self._urls[name] = url
        return self._urls[name]

    def send(self, message: Outgoing) -> None:
        url = self._url(message.recipient)
        payload = PAYLOADS[self.webhooks[message.recipient].kind](message)
        request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                         method="POST", headers={"Content-Type": "application/json; charset=utf-8",
                                                                 "Idempotency-Key": message.message_id})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            error = f"webhook {message.recipient!r}: HTTP {exc.code}"
            raise (TransientError if exc.code >= 500 or exc.code == 429 else PermanentError)(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise TransientError(f"webhook {message.recipient!r}: {exc}") from None

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass
