import pytest

from receivables.config import SettingsError
from voicebot.settings import VoiceSettings, load_voice_config


def test_the_shipped_voice_yaml_is_valid_and_has_the_issues_defaults():
    config = load_voice_config()
    assert config.schedule.attempts_per_day == 3
    assert (config.schedule.cap_attempts, config.schedule.cap_days) == (7, 7)
    assert config.caller_pool("DE") != config.caller_pool("XX") == config.caller_ids["default"]


@pytest.mark.parametrize(("yaml", "message"), [
    ("schedule:\n  attempts_per_dy: 3\n", r"schedule\.attempts_per_dy: unknown key"),
    ("schedule:\n  hours: [20, 9]\n", r"schedule: expected hours must be \[from, to\)"),
    ("instalments:\n  min_first_share: '1.5'\n", r"instalments\.min_first_share: expected"),
    ("caller_ids:\n  DE: ['+4930']\n", r"caller_ids needs a non-empty 'default' pool"),
])
def test_a_wrong_voice_yaml_names_the_file_and_the_key(tmp_path, yaml, message):
    path = tmp_path / "voice.yaml"
    path.write_text(yaml, encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as err:
        load_voice_config(path)
    assert str(path) in str(err.value)


def test_voice_settings_refuse_unknown_keys():
    with pytest.raises(ValueError, match="extra"):
        VoiceSettings(telephony="simulated", concurency=3)
