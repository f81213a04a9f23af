"""SMS: GSM-7/UCS-2 part counting and two gateways (a JSON-lines file outbox, an SMSAPI-like HTTP API).

A text fits GSM 03.38 or is sent as UCS-2: one Polish "ą" turns 160 characters per SMS into 70.
Concatenated messages lose room to the UDH: 153 GSM-7 septets or 67 UCS-2 units per part.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables.channels.outbox import Outgoing, PermanentError, TransientError
from receivables.ledger.types import utcnow

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # escape + char: two septets each


@dataclass(frozen=True)
class SmsParts:
    encoding: str  # GSM-7 | UCS-2
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int


def count_parts(text: str) -> SmsParts:
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    parts = 1 if units <= single else -(-units // multi)
    return SmsParts(encoding, units, parts)


class FileSmsGateway:
    """The demo's gateway: one JSON line per SMS in <folder>/sms-<date>.jsonl."""

    batched = False

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder, self.sender = folder, sender

    def send(self, message: Outgoing) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        parts = count_parts(message.body)
        line = {"message_id": message.message_id, "key": message.key, "from": self.sender, "to": message.recipient,
                "text": message.body, "encoding": parts.encoding, "parts": parts.parts, "at": utcnow().isoformat()}
        with (self.folder / f"sms-{date.today().isoformat()}.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class HttpSmsGateway:
    """SMSAPI-style: POST form fields with a bearer token; `idx` (our Message-ID) with `check_idx`
    makes the gateway refuse a second send of the same message after a crash."""

    batched = False

    def __init__(self, url: str, token: str, sender: str, timeout: float = 15.0) -> None:
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def send(self, message: Outgoing) -> None:
        fields = {"to": message.recipient, "message": message.body, "from": self.sender, "format": "json",
                  "encoding": "utf-8", "idx": message.message_id.strip("<>"), "check_idx": "1"}
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                         headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            error = f"SMS gateway HTTP {exc.code}"
            raise (TransientError if exc.code >= 500 or exc.code == 429 else PermanentError)(error) from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise TransientError(f"SMS gateway: {exc}") from None
        if "error" in reply:
            if str(reply["error"]) == "105":  # SMSAPI: idx already used = this message was sent before
                return
            raise PermanentError(f"SMS gateway error {reply['error']}: {reply.get('message', '')}")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass
