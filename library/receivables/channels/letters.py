"""Letters for the post: every letter of a run concatenated into one print-ready PDF."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from receivables.channels.outbox import Outgoing

KEYS_FIELD = "/ReceivablesOutboxKeys"  # PDF metadata: the outbox keys of the letters in the file


class PrintBatch:
    """Collects the run's letters; `flush` writes them as one file (atomically) for the print room.

    The file lists its letters' outbox keys in its metadata, so a letter a killed run already
    flushed into a file is not added again (the outbox notes the file before the flush).
    """

    batched = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self._files: list[str] = []
        self.keys: list[str] = []
        self._printed: dict[str, frozenset[str]] = {}

    def send(self, message: Outgoing) -> None:
        if message.batch_file and message.key in self._keys_in(message.batch_file):
            return
        missing = [f for f in message.files if not Path(f).exists()]
        if missing:
            raise FileNotFoundError(f"letter PDF missing: {missing[0]}")
        self._files += message.files
        self.keys.append(message.key)

    def _keys_in(self, batch_file: str) -> frozenset[str]:
        """The keys a print file written earlier holds; none if it was never written."""
        if batch_file not in self._printed:
            keys: frozenset[str] = frozenset()
            if Path(batch_file).exists():
                metadata = PdfReader(batch_file).metadata or {}
                keys = frozenset(str(metadata.get(KEYS_FIELD, "")).split("\n"))
            self._printed[batch_file] = keys
        return self._printed[batch_file]

    def flush(self) -> None:
        if not self._files:
            return
        writer = PdfWriter()
        for name in self._files:
            writer.append(name)
        writer.add_metadata({KEYS_FIELD: "\n".join(self.keys)})
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
