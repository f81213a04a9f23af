"""A loopback stand-in for Twilio, for tests and the demo: it accepts POST .../Calls.json like the REST
API (Basic auth, form fields, JSON answer) and then plays the callee, calling the webhooks back
signed exactly as Twilio signs them: the answer webhook (AnsweredBy human or machine_start), each
Gather's result (SpeechResult/Confidence or Digits, or nothing), <Play> fetches, and the final
status callback (completed with CallDuration, no-answer, busy, failed).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Literal

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, make_server

from voicebot.telephony.twilio_rest import API_VERSION
from voicebot.telephony.twilio_signature import compute_signature

SECONDS_PER_TURN = 7


@dataclass
class Callee:
    """What happens at one number. `answers` are Gather results in order; when they run out, or after
    `hang_up_after` TwiML documents, the callee hangs up."""

    pickup: Literal["human", "machine", "no-answer", "busy", "failed"] = "human"
    answers: list[dict[str, str]] = field(default_factory=list)
    hang_up_after: int | None = None


@dataclass
class FakeCall:
    sid: str
    params: dict[str, list[str]]
    twiml: list[str] = field(default_factory=list)
    played: list[int] = field(default_factory=list)  # bytes of each fetched <Play> file
    webhook_status: list[int] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str, callees: dict[str, Callee] | None = None,
                 host: str = "127.0.0.1") -> None:
        self.account_sid, self.auth_token, self.host = account_sid, auth_token, host
        self.callees = callees if callees is not None else {}
        self.calls: list[FakeCall] = []
        self._server: BaseWSGIServer | None = None
        self.app = self._build()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> FakeTwilio:
        self._server = make_server(self.host, 0, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-twilio", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _build(self) -> Flask:
        app = Flask(__name__)
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()

        @app.post(f"/{API_VERSION}/Accounts/<sid>/Calls.json")
        def create(sid: str) -> Response:
            if sid != self.account_sid or request.headers.get("Authorization") != expected:
                return _error(401, 20003, "Authenticate")
            params = request.form.to_dict(flat=False)
            to = request.form.get("To", "")
            if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
                return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
            call = FakeCall("CA" + secrets.token_hex(16), params)
            self.calls.append(call)
            threading.Thread(target=self._play, args=(call,), daemon=True).start()
            return Response(json.dumps({"sid": call.sid, "status": "queued", "to": to}), 201,
                            mimetype="application/json")

        @app.post(f"/{API_VERSION}/Accounts/<sid>/Calls/<call_sid>.json")
        def update(sid: str, call_sid: str) -> Response:
            if request.headers.get("Authorization") != expected:
                return _error(401, 20003, "Authenticate")
            return Response(json.dumps({"sid": call_sid, "status": request.form.get("Status")}), 200,
                            mimetype="application/json")

        return app

    def _post(self, call: FakeCall, url: str, fields: dict[str, str]) -> str:
        base = {"AccountSid": self.account_sid, "CallSid": call.sid, "From": call.params["From"][0],
                "To": call.params["To"][0], "Direction": "outbound-api", "ApiVersion": API_VERSION}
        data = {**base, **fields}
        req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST", headers={
            "X-Twilio-Signature": compute_signature(self.auth_token, url, data)})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                call.webhook_status.append(response.status)
                return response.read().decode()
        except urllib.error.HTTPError as exc:
            call.webhook_status.append(exc.code)
            return ""

    def _fetch(self, call: FakeCall, url: str) -> None:
        req = urllib.request.Request(url, headers={"X-Twilio-Signature": compute_signature(self.auth_token, url)})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                call.played.append(len(response.read()))
        except urllib.error.HTTPError as exc:
            call.webhook_status.append(exc.code)

    def _play(self, call: FakeCall) -> None:
        try:
            self._run(call)
        finally:
            call.done.set()

    def _run(self, call: FakeCall) -> None:
        callee = self.callees.get(call.params["To"][0], Callee())
        status_url = call.params["StatusCallback"][0]
        if callee.pickup in ("no-answer", "busy", "failed"):
            self._post(call, status_url, {"CallStatus": callee.pickup, "CallDuration": "0"})
            return
        answered_by = "human" if callee.pickup == "human" else "machine_start"
        twiml = self._post(call, call.params["Url"][0], {"CallStatus": "in-progress", "AnsweredBy": answered_by})
        answers = list(callee.answers)
        while twiml:
            call.twiml.append(twiml)
            root = ET.fromstring(twiml)
            for play in root.iter("Play"):
                self._fetch(call, play.text or "")
            gather = root.find("Gather")
            if gather is None or (callee.hang_up_after and len(call.twiml) >= callee.hang_up_after):
                break
            if not answers:
                break  # the callee hangs up instead of answering
            twiml = self._post(call, gather.attrib["action"], {"CallStatus": "in-progress", **answers.pop(0)})
        self._post(call, status_url, {"CallStatus": "completed", "AnsweredBy": answered_by,
                                      "CallDuration": str(SECONDS_PER_TURN * max(1, len(call.twiml)))})


def _error(status: int, code: int, message: str) -> Response:
    return Response(json.dumps({"code": code, "message": message, "status": status}), status,
                    mimetype="application/json")
