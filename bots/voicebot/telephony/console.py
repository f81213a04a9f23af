"""The console: an analyst plays the debtor in the terminal (`receivables voice try --lang pl`).

A line of digits (and * #) is keypad input, an empty line is silence, any other line is speech,
`/quit` or end of input hangs up.
"""

from __future__ import annotations

import re
import sys
import time
from typing import IO

from voicebot.calls import CallResult, DialogSession, DialRequest, Utterance
from voicebot.clock import Clock

KEYPAD = re.compile(r"^[0-9*#]+$")


class ConsoleTelephony:
    def __init__(self, clock: Clock, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
        self.clock = clock
        self.stdin, self.stdout = stdin or sys.stdin, stdout or sys.stdout

    def _show(self, who: str, text: str) -> None:
        self.stdout.write(f"{who}: {text}\n")
        self.stdout.flush()

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        started, clock = self.clock.now(), time.monotonic()
        self._show("ringing", f"{request.phone} (caller id {request.caller_id or '-'})")
        turn = session.start()
        self._show("bot", turn.text)
        while not turn.end:
            self.stdout.write("you> ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line or line.strip() == "/quit":
                self._show("call", "hung up")
                break
            line = line.strip()
            answer = Utterance(digits=line) if KEYPAD.match(line) else Utterance(text=line or None)
            turn = session.hear(answer)
            self._show("bot", turn.text)
        return CallResult("answered", started, int((time.monotonic() - clock) * 1000), session.outcome)
