"""Cutting the quoted message off a reply, in the ways pl/de/en mail clients write it.

Debtors answer our reminders with "Reply": without this the reminder's own words
("overdue", "Zahlungserinnerung", "wezwanie do zapłaty") would decide every category.
A forward keeps what it forwards when nothing was written above it (a bank's confirmation
passed on as is).
"""

from __future__ import annotations

import re

_REPLY_LINE = re.compile(
    r"^\s*(?:"
    r"on\b.{4,200}\bwrote:|am\b.{4,200}\bschrieb\b.{0,120}:|w dniu\b.{4,200}\b(?:pisze|napisał|napisała|napisał\(a\)):?"
    r"|dnia\b.{4,200}\bnapisał\w*:?|.{4,200}\b(?:napisał|napisała|schrieb|wrote):"
    r"|-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|wiadomość oryginalna|oryginalna wiadomość)\s*-{2,}"
    r")\s*$",
    re.IGNORECASE,
)
_FORWARD_LINE = re.compile(
    r"^\s*-{2,}\s*(?:forwarded message|weitergeleitete nachricht|przekazana wiadomość|wiadomość przekazana)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|von|od|nadawca):\*?\s+\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*\*?(?:sent|gesendet|wysłano|wysłane|date|datum|data|to|an|do|subject|betreff|temat):\*?\s",
                          re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*_{8,}\s*$")


def _is_header_block(lines: list[str], index: int) -> bool:
    """An Outlook-style "From: ... / Sent: ..." block that starts the quoted message."""
    if not _HEADER_FROM.match(lines[index]):
        return False
    return any(_HEADER_NEXT.match(line) for line in lines[index + 1 : index + 5])


def strip_quotes(text: str) -> str:
    """The part of a reply its sender wrote: quoted lines and the quoted message removed."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _FORWARD_LINE.match(line):
            above = "\n".join(lines[:i]).strip()
            if len(above.split()) < 3:
                return "\n".join(lines[i + 1 :]).strip()
            lines = lines[:i]
            break
        if _REPLY_LINE.match(line) or _SEPARATOR.match(line) or _is_header_block(lines, i):
            lines = lines[:i]
            break
        if i + 1 < len(lines) and re.match(r"^\s*(?:on|am|w dniu)\b", line, re.I) and _REPLY_LINE.match(
            f"{line} {lines[i + 1]}"
        ):
            lines = lines[:i]  # the attribution line wrapped in two
            break
    kept = [line for line in lines if not line.lstrip().startswith(">")]
    return "\n".join(kept).strip()
