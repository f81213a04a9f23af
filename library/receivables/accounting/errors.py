"""The one exception every accounting source raises for input it cannot import whole."""

from __future__ import annotations

from pathlib import Path


class InvoiceSourceError(Exception):
    """A file (or one of its rows/elements) is not importable; nothing from it is imported.

    It names the file, where in it (line, sheet row or XML element), the field, what was
    expected and what was found, so an analyst can fix the export without reading code.
    """

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        where: str | None = None,
        field: str | None = None,
        expected: str | None = None,
        found: object = None,
    ) -> None:
        self.file = str(file)
        self.where = where
        self.field = field
        self.expected = expected
        self.found = found
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"field '{self.field}'")
        text = ": ".join(parts) + f": {self.reason}"
        if self.expected is not None:
            text += f" (expected {self.expected}, found {self.found!r})"
        return text


class FieldValueError(ValueError):
    """A single value failed to parse; callers add file and position and re-raise."""

    def __init__(self, expected: str, found: object) -> None:
        self.expected = expected
        self.found = found
        super().__init__(f"expected {expected}, found {found!r}")
