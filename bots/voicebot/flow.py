"""The conversation as data: templates/voice/<lang>.yaml, one flow per language, editable without code.

A flow holds the bot's prompts (Jinja templates), the words that mean yes and no, the words that
point to a question's topic, and the confirmation messages. Every language must define every
prompt and message the dialog uses; a missing key or a template syntax error names file and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from receivables.config import PROJECT_ROOT, SettingsError, load_yaml
from receivables.nlu.text import fold

FLOWS_DIR = PROJECT_ROOT / "templates" / "voice"
LANGUAGES = ("pl", "de", "en")
PROMPTS = (
    "greeting", "identity_again", "who_calls", "tax_id", "tax_id_again", "identity_failed", "not_debtor",
    "wrong_person", "debt", "ask_date", "details", "answer_amount", "answer_bank_account", "answer_interest",
    "read_back", "too_late", "promise_done", "offer_plan", "plan_read_back", "plan_done", "callback_ask",
    "callback_done", "transfer", "paid_ask", "paid_done", "dispute_ask", "dispute_done", "refuse_once",
    "refusal_done", "silence", "not_understood", "no_outcome",
)
MESSAGES = {"promise": ("sms", "subject", "email"), "instalments": ("sms", "subject", "email"),
            "callback": ("sms", "subject", "email"), "dispute": ("sms", "subject", "email"),
            "not_reached": ("sms",)}
TOPICS = ("invoice", "amount", "bank_account", "interest")
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _matcher(phrases: list[str]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(fold(p)) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


@dataclass(frozen=True)
class Flow:
    language: str
    prompts: dict[str, Template]
    messages: dict[str, dict[str, Template]]
    yes: re.Pattern[str]
    no: re.Pattern[str]
    topics: dict[str, re.Pattern[str]]
    path: Path

    def yes_no(self, text: str) -> bool | None:
        """True for yes, False for no, None if neither; the earlier word wins ("nie, tak" is no)."""
        folded = fold(text)
        y, n = self.yes.search(folded), self.no.search(folded)
        if y and n:
            return y.start() < n.start()
        return True if y else False if n else None

    def topic(self, text: str) -> str | None:
        folded = fold(text)
        hits = [(m.start(), name) for name, rx in self.topics.items() if (m := rx.search(folded))]
        return min(hits)[1] if hits else None


def load_flow(language: str, folder: Path = FLOWS_DIR) -> Flow:
    return _load(language, folder.resolve())


@lru_cache(maxsize=16)
def _load(language: str, folder: Path) -> Flow:
    if language not in LANGUAGES:
        raise SettingsError(f"no voice flow for language {language!r}; languages: {', '.join(LANGUAGES)}")
    path = folder / f"{language}.yaml"
    data = load_yaml(path)
    prompts_raw = _section(path, data, "prompts")
    prompts = {key: _compile(path, f"prompts.{key}", prompts_raw.get(key)) for key in PROMPTS}
    messages_raw = _section(path, data, "messages")
    messages = {}
    for kind, fields in MESSAGES.items():
        block = messages_raw.get(kind)
        if not isinstance(block, dict):
            raise SettingsError(f"{path}: key messages.{kind}: missing (expected {', '.join(fields)})")
        messages[kind] = {f: _compile(path, f"messages.{kind}.{f}", block.get(f)) for f in fields}
    words = _section(path, data, "words")
    topics_raw = _section(path, data, "topics")
    for key in ("yes", "no"):
        if not isinstance(words.get(key), list) or not words[key]:
            raise SettingsError(f"{path}: key words.{key}: expected a non-empty list of words")
    topics = {}
    for key in TOPICS:
        if not isinstance(topics_raw.get(key), list) or not topics_raw[key]:
            raise SettingsError(f"{path}: key topics.{key}: expected a non-empty list of words")
        topics[key] = _matcher([str(w) for w in topics_raw[key]])
    return Flow(language, prompts, messages, _matcher([str(w) for w in words["yes"]]),
                _matcher([str(w) for w in words["no"]]), topics, path)


def _section(path: Path, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise SettingsError(f"{path}: key {key}: missing or not a mapping")
    return value


def _compile(path: Path, key: str, source: Any) -> Template:
    if not isinstance(source, str) or not source.strip():
        raise SettingsError(f"{path}: key {key}: missing (expected a text template)")
    try:
        return _ENV.from_string(" ".join(source.split()) if "\n" not in source.strip() else source.strip())
    except TemplateSyntaxError as exc:
        raise SettingsError(f"{path}: key {key}: template error on its line {exc.lineno}: {exc.message}") from None
