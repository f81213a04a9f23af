"""Reading config/reports.yaml; a wrong entry stops the robot with the file and key named."""

from __future__ import annotations

from pydantic import ValidationError

from receivables.config import SettingsError, config_dir, describe_validation_error, load_yaml
from receivables.reports.settings import Recipients, ReportsSettings


def reports_settings(settings: object) -> ReportsSettings:
    return getattr(settings, "reports", None) or ReportsSettings()


def load_recipients(rs: ReportsSettings) -> Recipients:
    """No file means no mapping: managers written as e-mail addresses still get their reports."""
    path = rs.managers_file if rs.managers_file.is_absolute() else config_dir() / rs.managers_file
    if not path.exists():
        return Recipients()
    try:
        return Recipients(**load_yaml(path))
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
    except TypeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
