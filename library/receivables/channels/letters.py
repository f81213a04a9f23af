"""Letters for the post: every letter of a run concatenated into one print-ready PDF."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfWriter

from receivables.channels.outbox import Outgoing


class PrintBatch:
    """Collects the run's letters; `flush` writes them as one file (atomically) for the print room."""

    batched = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self._files: list[str] = []

    def send(self, message: Outgoing) -> None:
        missing = [f for f in message.files if not Path(f).exists()]
        if missing:
            raise FileNotFoundError(f"letter PDF missing: {missing[0]}")
        self._files += message.files

    def flush(self) -> None:
        if not self._files:
            return
        writer = PdfWriter()
        for name in self._files:
            writer.append(name)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            writer.write(fh)
        os.replace(tmp, self.path)

    @property
    def files(self) -> list[str]:
        return list(self._files)

    def close(self) -> None:
        pass
