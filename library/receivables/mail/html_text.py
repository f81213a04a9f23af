"""HTML-only mail bodies as plain text, without the quoted message a reply carries.

Mail clients put the message being answered in a <blockquote> (Apple, Thunderbird), a
`gmail_quote` block (Gmail) or after a `divRplyFwdMsg` header (Outlook); those are dropped
here, so the classifier reads what the sender wrote, not our own reminder.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr", "pre"}
_SKIP = {"script", "style", "head", "title"}
_QUOTE_CLASSES = re.compile(r"gmail_quote|moz-cite-prefix|yahoo_quoted|OutlookMessageHeader", re.I)
_QUOTE_IDS = re.compile(r"divRplyFwdMsg|appendonsend|mail-editor-reference-message-container", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.cut = False  # an Outlook reply header: everything after it is the quoted message
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cut:
            return
        values = dict(attrs)
        if tag in _SKIP:
            self.skip_depth += 1
        quote = tag == "blockquote" or bool(_QUOTE_CLASSES.search(values.get("class") or ""))
        if _QUOTE_IDS.search(values.get("id") or ""):
            self.cut = True
            return
        if tag not in {"br", "hr", "img", "meta", "link", "input", "wbr"}:
            self.stack.append((tag, quote))
            self.quote_depth += quote
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        while self.stack:
            open_tag, quote = self.stack.pop()
            self.quote_depth -= quote
            if open_tag == tag:
                break
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not (self.cut or self.skip_depth or self.quote_depth):
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, one line per block, quoted replies left out."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        return unescape(re.sub(r"<[^>]*>", " ", html))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
