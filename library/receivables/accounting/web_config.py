"""What differs between accounting web apps: paths, CSS selectors, how values are shown.

Read from config/accounting_apps/<name>.yaml; a field is "selector" (its text) or
"selector @attribute". The scraper (web_source) only knows the shape login -> lists -> details
-> export, so another product of that shape is a new YAML file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import yaml

from receivables.browser import WebStepError

_REQUIRED: dict[str, tuple[str, ...]] = {
    "paths": ("login", "customers", "invoices", "customer", "invoice", "export"),
    "login": ("user", "password", "submit", "error", "done"),
    "customer_list": ("row", "external_id", "link", "modified_at", "next", "total"),
    "invoice_list": ("row", "number", "link", "kind", "customer_external_id", "modified_at", "next", "total"),
    "customer": ("external_id", "name", "tax_id", "regon", "street", "postal_code", "city", "country", "emails",
                 "phones", "language", "account_manager", "ibans", "is_consumer", "modified_at"),
    "invoice": ("number", "kind", "issuer_tax_id", "customer_external_id", "issue_date", "due_date",
                "payment_terms_days", "currency", "payee_iban", "corrects", "credit_notes", "net", "vat", "gross",
                "modified_at"),
    "invoice_line": ("row", "description", "quantity", "unit_price", "net", "vat_rate", "vat", "gross"),
    "export": ("csv", "xlsx"),
}
# Fields that take every match (possibly none) and fields a page may lack altogether.
MANY = {("customer", "emails"), ("customer", "phones"), ("customer", "ibans"), ("invoice", "credit_notes")}
OPTIONAL = {("invoice", "corrects"), ("customer_list", "next"), ("invoice_list", "next")}


class AccountingAppError(WebStepError):
    """The accounting app refused us or did not look as configured."""


@dataclass(frozen=True)
class AppConfig:
    """One accounting product: base URL, paths, selectors per page, display formats."""

    name: str
    base_url: str
    paths: Mapping[str, str]
    selectors: Mapping[str, Mapping[str, str]]
    kinds: Mapping[str, str]
    decimal_separator: str = ","
    thousands_separator: str = " "
    date_format: str = "%d.%m.%Y"
    consumer_yes: tuple[str, ...] = ("Yes",)
    per_page_param: str | None = None
    per_page: int | None = None
    concurrency: int = 8
    step_timeout_ms: int = 15_000
    download_timeout_ms: int = 60_000

    def url(self, key: str, **values: str) -> str:
        path = self.paths[key].format(**{k: quote(v, safe="") for k, v in values.items()})
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def sel(self, page: str, key: str) -> str:
        return self.selectors[page][key]


def load_app_config(name: str, config_dir: Path | None = None, base_url: str | None = None) -> AppConfig:
    """Read <config_dir>/accounting_apps/<name>.yaml (default: the repo's config); `base_url` overrides."""
    if config_dir is None:
        from receivables.config import config_dir as default_dir

        config_dir = default_dir()
    path = Path(config_dir) / "accounting_apps" / f"{name}.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AccountingAppError(f"cannot read {path}: {exc}", step="config") from exc
    missing = [f"{group}.{key}" for group, keys in _REQUIRED.items() for key in keys
               if not isinstance(data.get(group), dict) or key not in data[group]]
    if not (base_url or data.get("base_url")):
        missing.append("base_url")
    kinds = data.get("kinds") or {}
    if sorted(set(kinds.values())) != ["credit_note", "invoice"]:
        missing.append("kinds (shown text -> invoice and credit_note)")
    if missing:
        raise AccountingAppError(f"{path} lacks {', '.join(missing)}", step="config")
    display, listing, timeouts = data.get("display") or {}, data.get("list") or {}, data.get("timeouts") or {}
    return AppConfig(
        name=data.get("name", name),
        base_url=base_url or data["base_url"],
        paths=dict(data["paths"]),
        selectors={group: dict(data[group]) for group in _REQUIRED if group != "paths"},
        kinds={str(shown): kind for shown, kind in kinds.items()},
        decimal_separator=str(display.get("decimal_separator", ",")),
        thousands_separator=str(display.get("thousands_separator", " ")),
        date_format=str(display.get("date_format", "%d.%m.%Y")),
        consumer_yes=tuple(str(v) for v in data.get("consumer_yes", ["Yes"])),
        per_page_param=listing.get("per_page_param"),
        per_page=int(listing["per_page"]) if listing.get("per_page") else None,
        concurrency=max(1, int(data.get("concurrency", 8))),
        step_timeout_ms=int(timeouts.get("step_ms", 15_000)),
        download_timeout_ms=int(timeouts.get("download_ms", 60_000)),
    )


def plan(config: AppConfig, page: str) -> dict[str, Any]:
    """The extraction plan the in-browser reader runs for one kind of page."""

    def field(group: str, key: str) -> dict[str, Any]:
        selector, _, attr = config.sel(group, key).partition(" @")
        return {"sel": selector.strip(), "attr": attr.strip() or None, "many": (group, key) in MANY,
                "optional": (group, key) in OPTIONAL, "label": f"{group}.{key}"}

    def fields(group: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        return {key: field(group, key) for key in config.selectors[group] if key not in ("row", *skip)}

    if page in ("customer_list", "invoice_list"):
        rows = {"sel": config.sel(page, "row"), "rows": fields(page, ("next", "total")), "label": f"{page}.row"}
        return {"rows": rows, "next": field(page, "next"), "total": field(page, "total")}
    if page == "invoice":
        return {**fields("invoice"), "lines": {"sel": config.sel("invoice_line", "row"), "rows": fields("invoice_line"),
                                               "label": "invoice_line.row"}}
    return fields(page)


def parse_stamp(text: str) -> datetime:
    """An ISO 8601 timestamp as aware UTC (a value without zone counts as UTC)."""
    value = datetime.fromisoformat(text.strip())
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
