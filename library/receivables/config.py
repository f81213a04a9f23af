"""Typed settings from config/settings.yaml, overridden by RECEIVABLES_* environment variables.

A wrong or missing setting stops a robot before it touches anything: `load_settings` raises
`SettingsError` naming the file, the key and what was expected.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from receivables.court.settings import CourtSettings
from receivables.dunning.settings import RemindersSettings
from receivables.mail.settings import MailSettings
from receivables.notifications.settings import NotificationsSettings
from receivables.reports.settings import ReportsSettings
from receivables.scoring.settings import ScoringSettings
from voicebot.settings import VoiceSettings

ENV_PREFIX = "RECEIVABLES_"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"


class SettingsError(Exception):
    """A setting is missing or wrong; the message names file, key and expectation."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Strict):
    street: str
    postal_code: str
    city: str
    country: str = Field(pattern=r"^[A-Z]{2}$")


class Company(_Strict):
    """The creditor: documents, reminders and court claims print these."""

    name: str = Field(min_length=2)
    address: Address
    nip: str | None = None
    vat_id: str | None = None
    regon: str | None = None
    krs: str | None = None
    email: str
    phone: str
    bank_accounts: dict[str, str] = Field(description="currency -> IBAN the debtors pay into")

    @field_validator("nip")
    @classmethod
    def _nip(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from stdnum.pl import nip

        if not nip.is_valid(value):
            raise ValueError("a valid Polish NIP (10 digits with check digit)")
        return nip.compact(value)

    @field_validator("regon")
    @classmethod
    def _regon(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from stdnum.pl import regon

        if not regon.is_valid(value):
            raise ValueError("a valid REGON (9 or 14 digits with check digit)")
        return regon.compact(value)

    @field_validator("bank_accounts")
    @classmethod
    def _ibans(cls, value: dict[str, str]) -> dict[str, str]:
        from schwifty import IBAN
        from schwifty.exceptions import SchwiftyException

        out = {}
        for currency, iban in value.items():
            try:
                out[currency.upper()] = IBAN(iban).compact
            except SchwiftyException as exc:
                raise ValueError(f"a valid IBAN for {currency} ({exc})") from None
        return out


class LedgerSettings(_Strict):
    url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite file in the output folder"
    )
    echo: bool = False


class SandboxSettings(_Strict):
    seed: int = 42
    customers: int = Field(default=200, ge=1)
    invoices: int = Field(default=2000, ge=1)
    months: int = Field(default=12, ge=1, le=120)
    as_of: date | None = Field(default=None, description="last day of the world; default today")
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)


class BankPortalSettings(_Strict):
    """Web banking the bank-statements robot logs into; the login itself lives in the vault."""

    enabled: bool = False
    portal: str = Field(default="sandbox_bank", description="config/portals/<portal>.yaml")
    base_url: str | None = None
    format: Literal["mt940", "camt053"] = "mt940"
    secret: str = Field(default="bank_portal", description="vault secret with user, password, totp_secret")
    first_lookback_days: int = Field(default=35, ge=1, le=400)


class AccountingSettings(_Strict):
    """Where the accounting-sync robot reads invoices and customers; several sources may be on."""

    sources: list[Literal["web", "export", "einvoices"]] = Field(default_factory=lambda: ["einvoices"])
    app: str = Field(default="sandbox_app", description="config/accounting_apps/<app>.yaml (web source)")
    base_url: str | None = None
    secret: str = Field(default="accounting_app", description="vault secret with user, password")
    export_path: Path | None = Field(default=None, description="a CSV export folder or XLSX workbook")
    export_mapping: str | None = Field(default=None, description="config/accounting/<name>.yaml; default: detect")
    export_is_complete: bool = Field(default=True, description="invoices the export lacks are flagged missing")


class Paths(_Strict):
    output: Path = Path("output")
    sandbox: Path = Path("output/sandbox")
    statement_inbox: Path = Path("output/inbox/statements")
    einvoice_inbox: Path = Path("output/inbox/einvoices")

    def resolve(self, root: Path) -> "Paths":
        return Paths(**{k: (v if v.is_absolute() else root / v) for k, v in self})


class Settings(_Strict):
    company: Company
    ledger: LedgerSettings = LedgerSettings()
    sandbox: SandboxSettings = SandboxSettings()
    bank_portal: BankPortalSettings = BankPortalSettings()
    accounting: AccountingSettings = AccountingSettings()
    mail: MailSettings = MailSettings()
    reminders: RemindersSettings = RemindersSettings()
    notifications: NotificationsSettings = NotificationsSettings()
    court: CourtSettings = CourtSettings()
    reports: ReportsSettings = ReportsSettings()
    scoring: ScoringSettings = ScoringSettings()
    voice: VoiceSettings = VoiceSettings()
    paths: Paths = Paths()
    debug: bool = Field(default=False, description="show personal data in logs")
    source_file: Path | None = Field(default=None, exclude=True)

    @property
    def ledger_url(self) -> str:
        if self.ledger.url:
            return self.ledger.url
        return f"sqlite:///{self.paths.output / 'ledger.sqlite'}"


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """RECEIVABLES_SANDBOX__SEED=7 -> {"sandbox": {"seed": "7"}}; RECEIVABLES_LEDGER_URL too."""
    tree: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key.startswith(ENV_PREFIX + "SECRET_"):
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name == "ledger_url":
            parts = ["ledger", "url"]
        elif name in {"config", "config_dir"}:
            continue
        else:
            parts = name.split("__")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def config_dir() -> Path:
    return Path(os.environ.get("RECEIVABLES_CONFIG_DIR", DEFAULT_CONFIG_DIR))


def load_yaml(path: Path) -> dict[str, Any]:
    """Read one config file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: file not found") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SettingsError(f"{path}:{where}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of sections at the top level")
    return data


def describe_validation_error(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: invalid settings"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "missing":
            lines.append(f"  {key}: missing (required)")
        elif err["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key (not a setting; check the spelling)")
        else:
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) else f"; found {got!r}"
            lines.append(f"  {key}: expected {err['msg'].removeprefix('Value error, ')}{shown}")
    return "\n".join(lines)


def load_settings(
    path: Path | None = None, environ: dict[str, str] | None = None, root: Path | None = None
) -> Settings:
    """Settings for one robot run; relative paths are taken from `root` (the project)."""
    environ = dict(os.environ if environ is None else environ)
    path = path or Path(environ.get("RECEIVABLES_CONFIG", config_dir() / "settings.yaml"))
    data = _merge(load_yaml(path), _env_overrides(environ))
    try:
        settings = Settings(**data, source_file=path)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
    base = root or Path(environ.get("RECEIVABLES_HOME", PROJECT_ROOT))
    return settings.model_copy(update={"paths": settings.paths.resolve(base)})
