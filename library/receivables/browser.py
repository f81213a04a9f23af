"""What every web robot shares: Debian's Chromium for Playwright, and evidence when a step fails.

Playwright drives the system Chromium (nothing is downloaded); `RECEIVABLES_CHROMIUM` points at
another binary. A failed step leaves a full-page screenshot and the page's HTML, named by time,
site and step, so an analyst sees what the robot saw.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class WebStepError(RuntimeError):
    """A site refused a robot or did not look as configured: names the step, the selector and
    URL where known, and the evidence files once `save_evidence` has written them."""

    def __init__(self, message: str, *, step: str, url: str | None = None, selector: str | None = None) -> None:
        self.message, self.step, self.url, self.selector = message, step, url, selector
        self.screenshot: Path | None = None
        self.html: Path | None = None
        super().__init__(message)

    def __str__(self) -> str:
        text = f"{self.step}: {self.message}"
        if self.selector:
            text += f" [selector {self.selector!r}]"
        if self.url:
            text += f" (at {self.url})"
        if self.screenshot or self.html:
            text += f" [screenshot: {self.screenshot}, html: {self.html}]"
        return text


def save_evidence(page: Any, failure_dir: Path, site: str, step: str) -> tuple[Path | None, Path | None]:
    """Screenshot and HTML of `page` as it is now; either is None if the page could not give it."""
    failure_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}_{site}_{slug(step)}"
    screenshot, html = failure_dir / f"{stem}.png", failure_dir / f"{stem}.html"
    shot = safe(lambda: page.screenshot(path=str(screenshot), full_page=True))
    content = safe(page.content)
    if content is not None:
        html.write_text(content, encoding="utf-8")
    return (screenshot if shot is not None else None), (html if content is not None else None)


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def safe(call: Any) -> Any:
    try:
        return call()
    except Exception:  # the page may be gone; evidence is best effort, the original error wins
        return None
