"""The sandbox mailbox and the mail rules file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from receivables.config import SettingsError
from receivables.mail.categories import CATEGORIES
from receivables.mail.mail_rules import load_mail_rules
from receivables.sandbox.mailbox import true_category, write_mailbox
from tests.mail.conftest import world_messages


def test_the_world_mailbox_has_every_category_and_is_reproducible(world, tmp_path):
    first = world_messages(world)
    assert set(Counter(true_category(raw) for raw in first)) == set(CATEGORIES)
    assert write_mailbox(world) == Counter(true_category(raw) for raw in first)
    assert world_messages(world) == first


def test_a_broken_rules_file_names_the_file_and_key(tmp_path: Path):
    rules = (Path(__file__).resolve().parents[2] / "config" / "mail_rules.yaml").read_text()
    broken = tmp_path / "mail_rules.yaml"
    broken.write_text(rules.replace("  other: other\n", "").replace("subject: '^(automatic", "subject: '^((automatic"))
    with pytest.raises(SettingsError) as failure:
        load_mail_rules(broken)
    text = str(failure.value)
    assert str(broken) in text and "folders" in text and "missing other" in text
    assert "rules.6.subject" in text and "regular expression" in text
