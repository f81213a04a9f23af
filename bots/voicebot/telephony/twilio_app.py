"""The webhook app Twilio calls during a call: it answers with TwiML (Say/Play inside a speech-and-keypad
Gather in the debtor's language), feeds each Gather result to the call's DialogSession, and hands the
final status callback (completed, no-answer, busy, failed, canceled) back to the waiting adapter.

Every request must carry a valid X-Twilio-Signature over the public URL Twilio used; anything else
gets 403 and touches no session. Live calls are keyed by a random token in the webhook URLs, so a
webhook that arrives before the REST call has returned still finds its session.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request, send_file

from voicebot.calls import DialogSession, Turn, Utterance
from voicebot.speech.tts import EspeakTts
from voicebot.telephony.twilio_settings import TwilioSettings
from voicebot.telephony.twilio_signature import is_valid

log = logging.getLogger(__name__)
FINAL_STATUSES = {"completed", "no-answer", "busy", "failed", "canceled"}
MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")


@dataclass
class LiveCall:
    token: str
    session: DialogSession
    language: str
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future
    voicemail: Turn | None = None  # what to leave on an answering machine; None: hang up
    answered_by: str | None = None
    dialog_started: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    audio: dict[str, Path] = field(default_factory=dict)

    def finish(self, status: dict[str, str]) -> None:
        def _set() -> None:
            if not self.done.done():
                self.done.set_result(status)

        self.loop.call_soon_threadsafe(_set)


class Webhooks:
    def __init__(self, settings: TwilioSettings, auth_token: str, public_url: str, tts: EspeakTts | None = None) -> None:
        self.settings, self.auth_token, self.tts = settings, auth_token, tts
        self.public_url = public_url.rstrip("/")
        self.calls: dict[str, LiveCall] = {}
        self.rejected = 0
        self.app = self._build()

    def url(self, route: str, token: str) -> str:
        return f"{self.public_url}/twilio/{route}?call={token}"

    def _build(self) -> Flask:
        app = Flask(__name__)

        @app.before_request
        def _signed() -> None:
            query = request.query_string.decode()
            url = self.public_url + request.path + (f"?{query}" if query else "")
            params = list(request.form.items(multi=True)) if request.method == "POST" else []
            if not is_valid(self.auth_token, url, params, request.headers.get("X-Twilio-Signature")):
                self.rejected += 1
                log.warning("rejected an unsigned or forged request to %s", request.path)
                abort(403)

        @app.post("/twilio/answer")
        def answer() -> Response:
            live = self._live()
            if live is None:
                return _twiml(_hangup())
            with live.lock:
                live.answered_by = request.form.get("AnsweredBy")
                if live.answered_by in MACHINE:
                    if live.voicemail is None or self.settings.answering_machine == "hangup":
                        return _twiml(_hangup())
                    return _twiml(self._say_then_hang_up(live.voicemail, live))
                live.dialog_started = True
                return _twiml(self._turn(live.session.start(), live))

        @app.post("/twilio/gather")
        def gather() -> Response:
            live = self._live()
            if live is None or not live.dialog_started:
                return _twiml(_hangup())
            form = request.form
            confidence = form.get("Confidence")
            heard = Utterance(text=(form.get("SpeechResult") or "").strip() or None,
                              digits=(form.get("Digits") or "").strip() or None,
                              confidence=float(confidence) if confidence else None)
            with live.lock:
                return _twiml(self._turn(live.session.hear(heard), live))

        @app.post("/twilio/status")
        def status() -> Response:
            live = self._live()
            form = request.form.to_dict()
            if live is not None and form.get("CallStatus") in FINAL_STATUSES:
                live.finish(form)
            return Response("", 204)

        @app.get("/twilio/audio/<name>")
        def audio(name: str) -> Response:
            live = self._live()
            path = live.audio.get(name) if live else None
            if path is None:
                abort(404)
            return send_file(path, mimetype="audio/mpeg" if path.suffix.lower() == ".mp3" else "audio/wav")

        return app

    def _live(self) -> LiveCall | None:
        return self.calls.get(request.args.get("call", ""))

    def _speak(self, parent: ET.Element, turn: Turn, live: LiveCall) -> None:
        if turn.audio is not None:
            self._play(parent, turn.audio, live)
        if not turn.text.strip():
            return
        if self.tts is not None:  # our espeak voice, from the prompt cache, instead of Twilio's
            self._play(parent, self.tts.speak(turn.speech, turn.language), live)
            return
        attrs = {"language": self.settings.languages.get(turn.language, turn.language)}
        if turn.language in self.settings.voices:
            attrs["voice"] = self.settings.voices[turn.language]
        ET.SubElement(parent, "Say", attrs).text = turn.text  # Twilio's voices read numbers and dates themselves

    def _play(self, parent: ET.Element, path: Path, live: LiveCall) -> None:
        name = f"{len(live.audio)}{path.suffix.lower()}"
        live.audio[name] = path
        ET.SubElement(parent, "Play").text = f"{self.public_url}/twilio/audio/{name}?call={live.token}"

    def _turn(self, turn: Turn, live: LiveCall) -> ET.Element:
        if turn.end:
            return self._say_then_hang_up(turn, live)
        root = ET.Element("Response")
        gather = ET.SubElement(root, "Gather", {
            "input": "speech dtmf" if turn.keypad else "speech",
            "language": self.settings.languages.get(turn.language, turn.language),
            "speechTimeout": "auto", "timeout": str(self.settings.gather_timeout_seconds),
            "action": self.url("gather", live.token), "method": "POST", "actionOnEmptyResult": "true"})
        self._speak(gather, turn, live)
        return root

    def _say_then_hang_up(self, turn: Turn, live: LiveCall) -> ET.Element:
        root = ET.Element("Response")
        self._speak(root, turn, live)
        transfer = self.settings.transfer_to.get(turn.language) or self.settings.transfer_to.get("default")
        if transfer and live.dialog_started and live.session.outcome.kind == "transfer":
            ET.SubElement(root, "Dial").text = transfer  # connect the debtor to a consultant
        else:
            ET.SubElement(root, "Hangup")
        return root


def _hangup() -> ET.Element:
    root = ET.Element("Response")
    ET.SubElement(root, "Hangup")
    return root


def _twiml(root: ET.Element) -> Response:
    body: Any = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="UTF-8"?>' + body, mimetype="application/xml")
