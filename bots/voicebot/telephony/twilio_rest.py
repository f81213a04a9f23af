"""The two Twilio REST calls the adapter needs: place an outbound call, and hang one up.

`base_url` is Twilio's API in production and a loopback fake in tests; nothing else differs.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

API_VERSION = "2010-04-01"
# Twilio error codes that mean the number itself is wrong: calling again will not help
WRONG_NUMBER_CODES = {13223, 13224, 21211, 21214, 21215, 21217}


class TwilioError(Exception):
    def __init__(self, message: str, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code

    @property
    def wrong_number(self) -> bool:
        return self.code in WRONG_NUMBER_CODES


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str


class TwilioRest:
    def __init__(self, base_url: str, account_sid: str, auth_token: str, timeout: float = 15.0) -> None:
        self.base_url, self.account_sid, self.timeout = base_url.rstrip("/"), account_sid, timeout
        self._auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()

    def _post(self, path: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        url = f"{self.base_url}/{API_VERSION}/Accounts/{self.account_sid}/{path}"
        request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                         headers={"Authorization": self._auth, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                body = json.loads(exc.read() or b"{}")
            except ValueError:
                body = {}
            raise TwilioError(f"Twilio {path}: HTTP {exc.code} {body.get('message', exc.reason)}",
                              exc.code, body.get("code")) from None
        except (urllib.error.URLError, OSError) as exc:
            raise TwilioError(f"Twilio {path}: {exc}") from None

    def create_call(self, to: str, from_: str, url: str, status_callback: str, timeout: int = 30,
                    machine_detection: bool = True) -> PlacedCall:
        fields = [("To", to), ("From", from_), ("Url", url), ("Method", "POST"), ("StatusCallback", status_callback),
                  ("StatusCallbackMethod", "POST"), ("Timeout", str(timeout))]
        fields += [("StatusCallbackEvent", e) for e in ("initiated", "ringing", "answered", "completed")]
        if machine_detection:
            fields.append(("MachineDetection", "Enable"))
        body = self._post("Calls.json", fields)
        return PlacedCall(body["sid"], body.get("status", "queued"))

    def hang_up(self, call_sid: str) -> None:
        self._post(f"Calls/{call_sid}.json", [("Status", "completed")])
