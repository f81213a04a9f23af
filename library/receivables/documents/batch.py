"""Write many letters to files, in parallel worker processes (the reminders robot's bulk path)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from receivables.documents.model import Letter

FORMATS = ("pdf", "docx")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(letter: Letter) -> str:
    return _UNSAFE.sub("-", letter.number).strip("-") or "letter"


def write_letter(letter: Letter, folder: Path, formats: Sequence[str] = ("pdf",)) -> list[Path]:
    from receivables.documents.pdf import render_pdf
    from receivables.documents.word import render_docx

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = folder / f"{file_stem(letter)}.{fmt}"
        path.write_bytes(render_pdf(letter) if fmt == "pdf" else render_docx(letter))
        paths.append(path)
    return paths


def _warm_worker() -> None:
    from receivables.documents.pdf import glyphs

    glyphs()  # fonts, glyph tables and templates once per worker, not per letter
    gc.freeze()  # long-lived font and template objects leave the collector's scans


def _write_job(job: tuple[Letter, Path, tuple[str, ...]]) -> list[Path]:
    return write_letter(*job)


def write_letters(letters: Iterable[Letter], folder: Path, *, formats: Sequence[str] = ("pdf",),
                  workers: int | None = None, chunksize: int = 16) -> list[Path]:
    """Render every letter into `folder` as <number>.pdf / .docx; returns the paths in input order."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; known: {FORMATS}")
    jobs = [(letter, folder, tuple(formats)) for letter in letters]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 2 * chunksize:
        return [p for job in jobs for p in _write_job(job)]
    folder.mkdir(parents=True, exist_ok=True)
    with multiprocessing.get_context().Pool(workers, initializer=_warm_worker) as pool:
        return [p for paths in pool.imap(_write_job, jobs, chunksize=chunksize) for p in paths]
