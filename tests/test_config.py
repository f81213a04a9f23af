"""Settings: a wrong or missing setting names the file, the key and what was expected."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from receivables.config import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / "config" / "settings.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_settings_load(tmp_path):
    s = load_settings(REPO / "config" / "settings.yaml", environ={}, root=tmp_path)
    assert s.company.nip == "5252448487"
    assert s.company.bank_accounts["PLN"].startswith("PL")
    assert s.ledger_url == f"sqlite:///{tmp_path / 'output' / 'ledger.sqlite'}"


def test_environment_overrides_file(tmp_path):
    env = {"RECEIVABLES_SANDBOX__SEED": "7", "RECEIVABLES_LEDGER_URL": "postgresql+psycopg://x@h/db"}
    s = load_settings(write(tmp_path, GOOD), environ=env)
    assert s.sandbox.seed == 7
    assert s.ledger_url == "postgresql+psycopg://x@h/db"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('nip: "5252448487"', 'nip: "5252448480"', ["company.nip", "valid Polish NIP", "5252448480"]),
        ("seed: 42", "seed: many", ["sandbox.seed", "valid integer", "'many'"]),
        ('  email: "windykacja@nordwind.example"\n', "", ["company.email", "missing"]),
        ("  port: 8765", "  prot: 8765", ["sandbox.prot", "unknown key"]),
        ('PLN: "PL94105014451000009071219812"', 'PLN: "PL00105014451000009071219812"', ["bank_accounts", "IBAN"]),
    ],
)
def test_wrong_setting_names_file_key_and_expectation(tmp_path, old, new, expected):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(SettingsError) as err:
        load_settings(path, environ={})
    message = str(err.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("ledger:\n", "ledger: [\n", 1))
    with pytest.raises(SettingsError, match=r"settings\.yaml: line \d+, column \d+: not valid YAML"):
        load_settings(path, environ={})


def test_cli_stops_with_clear_message_and_nonzero_exit(tmp_path):
    path = write(tmp_path, GOOD.replace("seed: 42", "seed: -x-"))
    env = {**os.environ, "RECEIVABLES_CONFIG": str(path), "RECEIVABLES_LEDGER_URL": f"sqlite:///{tmp_path}/l.sqlite"}
    proc = subprocess.run([sys.executable, "-m", "receivables", "status"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{path}: invalid settings" in proc.stderr
    assert "sandbox.seed: expected" in proc.stderr
    assert not (tmp_path / "l.sqlite").exists()  # stopped before touching the ledger
