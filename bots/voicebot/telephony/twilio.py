"""The `twilio` telephony adapter: places each call through Twilio's REST API, drives the DialogSession
from Twilio's webhooks (`twilio_app`), and returns when the status callback says the call is over.

Twilio must reach the webhook app: run it behind an https reverse proxy and set `voice.twilio.public_url`.
Speech recognition is Twilio's own (<Gather input="speech">); no audio passes through this process.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections.abc import Callable
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, make_server

from receivables.ledger.types import utcnow
from voicebot.calls import CallResult, DialogSession, DialRequest, DialResult, Turn
from voicebot.speech.tts import EspeakTts
from voicebot.telephony.twilio_app import MACHINE, LiveCall, Webhooks
from voicebot.telephony.twilio_rest import TwilioError, TwilioRest
from voicebot.telephony.twilio_settings import TwilioSettings

STATUS_RESULTS: dict[str, DialResult] = {"busy": "busy", "no-answer": "no_answer", "canceled": "no_answer",
                                         "failed": "failed"}


class TwilioTelephony:
    """Use as a context manager (sync or async): it starts and stops the webhook server."""

    def __init__(self, settings: TwilioSettings, account_sid: str, auth_token: str, default_caller_id: str | None = None,
                 voicemail: Callable[[DialRequest], Turn | None] | None = None, tts: EspeakTts | None = None) -> None:
        """`tts` is required when settings.speech is "espeak"; `voicemail` gives what an answering machine hears."""
        if settings.speech == "espeak" and tts is None:
            raise ValueError("voice.twilio.speech is espeak: pass the EspeakTts whose cached prompts Twilio plays")
        self.settings = settings
        self.rest = TwilioRest(settings.api_base, account_sid, auth_token)
        self.default_caller_id = default_caller_id
        self.voicemail = voicemail
        self.webhooks = Webhooks(settings, auth_token, settings.public_url or "http://unset",
                                 tts if settings.speech == "espeak" else None)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_vault(cls, settings: TwilioSettings, default_caller_id: str | None = None,
                   voicemail: Callable[[DialRequest], Turn | None] | None = None,
                   tts: EspeakTts | None = None) -> TwilioTelephony:
        from receivables.secrets import get_secret

        creds = get_secret(settings.secret, ("account_sid", "auth_token"))
        return cls(settings, creds["account_sid"], creds["auth_token"], default_caller_id, voicemail, tts)

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = make_server(self.settings.listen_host, self.settings.listen_port, self.webhooks.app, threaded=True)
        if not self.settings.public_url:
            self.webhooks.public_url = f"http://{self.settings.listen_host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="twilio-webhooks",
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> TwilioTelephony:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> TwilioTelephony:
        self.start()
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        self.start()
        loop = asyncio.get_running_loop()
        token = secrets.token_urlsafe(16)
        live = LiveCall(token, session, request.entry.language, loop, loop.create_future(),
                        self.voicemail(request) if self.voicemail else None)
        started, clock = utcnow(), time.monotonic()
        self.webhooks.calls[token] = live
        try:
            caller = request.caller_id or self.default_caller_id
            if not caller:
                raise ValueError("no caller id: the dial request has none and no default is configured")
            try:
                placed = await asyncio.to_thread(
                    self.rest.create_call, request.phone, caller, self.webhooks.url("answer", token),
                    self.webhooks.url("status", token), self.settings.ring_timeout_seconds)
            except TwilioError as exc:
                return CallResult("wrong_number" if exc.wrong_number else "failed", started, 0)
            try:
                status = await asyncio.wait_for(live.done, self.settings.max_call_seconds)
            except TimeoutError:
                await asyncio.to_thread(self._hang_up_quietly, placed.sid)
                return CallResult("failed", started, int((time.monotonic() - clock) * 1000),
                                  session.outcome if live.dialog_started else None)
        finally:
            self.webhooks.calls.pop(token, None)
        duration = status.get("CallDuration")
        duration_ms = int(duration) * 1000 if duration and duration.isdigit() else int((time.monotonic() - clock) * 1000)
        result = self._result(status, live)
        return CallResult(result, started, duration_ms, session.outcome if result == "answered" else None)

    def _hang_up_quietly(self, sid: str) -> None:
        try:
            self.rest.hang_up(sid)
        except TwilioError:
            pass  # the call may already be over; the timeout result stands

    @staticmethod
    def _result(status: dict[str, str], live: LiveCall) -> DialResult:
        call_status = status.get("CallStatus", "failed")
        if call_status in STATUS_RESULTS:
            return STATUS_RESULTS[call_status]
        answered_by = status.get("AnsweredBy") or live.answered_by
        if answered_by in MACHINE:
            return "voicemail"
        return "answered" if live.dialog_started else "failed"
