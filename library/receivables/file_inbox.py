"""Inbox folders robots read files from: what is pending, and where a file goes after.

A file is moved only after the ledger has committed what it held, so a crash in between leaves
it in the inbox and the next run reads it again as a no-op. A file nobody can import goes to
quarantine/ with a `.error.txt` beside it that says why.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

SKIP_SUFFIXES = {".part", ".tmp", ".crdownload"}


def pending_files(inbox: Path) -> list[Path]:
    if not inbox.exists():
        return []
    return sorted(
        p for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in SKIP_SUFFIXES
    )


def mark_processed(path: Path, inbox: Path, today: date) -> Path:
    return move_into(path, inbox / "processed" / today.isoformat())


def quarantine(path: Path, folder: Path, reason: str) -> Path:
    target = move_into(path, folder)
    target.with_name(target.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def move_into(path: Path, folder: Path) -> Path:
    """Move without overwriting: a second file of the same name gets a counter."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    return target
