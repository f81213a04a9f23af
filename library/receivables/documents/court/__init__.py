"""Court documents for the legal team: pozew, EPU data sheet, Mahnbescheid data, claim summary,
account statement, register warning. Templates (templates/<lang>/court/*.xml.j2) own the words;
`markup` turns them into blocks, `pdf` (reportlab platypus: a few documents per run, so layout
over throughput) and `word` (python-docx, for the lawyer to edit) draw the same blocks.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .markup import CourtBlock, render_court_blocks
    from .pdf import render_court_pdf
    from .word import render_court_docx

_EXPORTS = {"CourtBlock": ".markup", "render_court_blocks": ".markup", "render_court_pdf": ".pdf",
            "render_court_docx": ".word"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
