import shutil

import pytest

from receivables.config import SettingsError
from voicebot.flow import FLOWS_DIR, LANGUAGES, MESSAGES, PROMPTS, load_flow


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_prompt_and_message(lang):
    flow = load_flow(lang)
    assert set(flow.prompts) == set(PROMPTS)
    assert {k: set(v) for k, v in flow.messages.items()} == {k: set(v) for k, v in MESSAGES.items()}


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("pl", "Tak, słucham", True), ("pl", "Nie, to nie ja", False), ("pl", "Halo?", None),
    ("de", "Ja, genau", True), ("de", "Nein, falsch", False), ("en", "Yes, speaking", True),
    ("en", "No, that's not right", False), ("en", "nope yes", False),  # the first word wins
])
def test_yes_and_no_words(lang, text, expected):
    assert load_flow(lang).yes_no(text) is expected


def test_a_missing_prompt_or_a_template_error_names_file_and_key(tmp_path):
    shutil.copy(FLOWS_DIR / "en.yaml", tmp_path / "en.yaml")
    path = tmp_path / "en.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  transfer: >-\n", "  transferred: >-\n"), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"en\.yaml: key prompts\.transfer: missing"):
        load_flow("en", tmp_path)
    sub = tmp_path / "broken"
    sub.mkdir()
    (sub / "en.yaml").write_text(text.replace("{{ company }}, calling", "{{ company }, calling"), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"en\.yaml: key prompts\.greeting: template error"):
        load_flow("en", sub)
