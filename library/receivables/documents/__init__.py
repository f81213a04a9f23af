"""Documents: reminder letters, final demands and interest notes as PDF and DOCX, in pl, de, en.

    letter = Letter(kind="reminder", number=..., debtor=Debtor(...), creditor=settings.company, items=(...), ...)
    pdf_bytes, docx_bytes = render_pdf(letter), render_docx(letter)
    write_letters(letters, folder, formats=("pdf", "docx"))   # many, in worker processes

Texts come from templates/<lang>/letters/ (see templates.py); renderers load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import write_letter, write_letters
    from .builders import interest_note_item, reminder_item
    from .model import Debtor, Letter, LetterError, LetterItem, Totals
    from .payment import payment_title
    from .pdf import render_pdf
    from .templates import TemplateError
    from .word import render_docx

_EXPORTS = {
    "Debtor": ".model", "Letter": ".model", "LetterError": ".model", "LetterItem": ".model", "Totals": ".model",
    "TemplateError": ".templates", "interest_note_item": ".builders", "payment_title": ".payment",
    "reminder_item": ".builders", "render_docx": ".word", "render_pdf": ".pdf",
    "write_letter": ".batch", "write_letters": ".batch",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
