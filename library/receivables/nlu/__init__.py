"""Language understanding for debtors' answers: payment dates, amounts and intents (pl/de/en).

Shared by the voicebot and the mail classifier, and knows nothing of either::

    >>> from datetime import date
    >>> understand("zapłacę mój dług do tygodnia", date(2024, 5, 6)).to_json_dict()["date"]
    '2024-05-13'

Names are loaded on first use, so importing the CLI module does not compile the rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .intents import INTENTS
    from .language import detect_language
    from .model import Installment, Understanding
    from .pipeline import understand

_EXPORTS = {
    "INTENTS": ".intents",
    "Installment": ".model",
    "Understanding": ".model",
    "detect_language": ".language",
    "understand": ".pipeline",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
