"""A local SMTP server (aiosmtpd on loopback) that files every message it accepts as an .eml file.

The demo sends its reminders here, and the tests read back what a debtor would receive.
`python -m receivables.sandbox.smtp_sink FOLDER PORT` runs it as its own process until SIGTERM,
as a real mail server would be (benchmarks use that, so the server does not share the sender's GIL).
"""

from __future__ import annotations

import itertools
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _Filer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._n = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            n = next(self._n)
        (self.folder / f"{n:06d}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 OK"


class SmtpSink:
    """`with SmtpSink(folder) as sink:` -> sink.host, sink.port; sink.messages() parses what arrived."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_Filer(folder), hostname=host, port=port or _free_port(host),
                                      data_size_limit=50_000_000)

    @property
    def host(self) -> str:
        return self._controller.hostname

    @property
    def port(self) -> int:
        return self._controller.port

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._controller.stop()

    def messages(self) -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(p.read_bytes()) for p in sorted(self.folder.glob("*.eml"))]


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> None:
    import signal
    import sys

    folder, port = (argv if argv is not None else sys.argv[1:])[:2]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SmtpSink(Path(folder), port=int(port)):
        print("ready", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
