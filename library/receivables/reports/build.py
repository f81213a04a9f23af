"""One report from facts to files: the figures, the XLSX workbook and the PDF, named by date and scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables.reports.facts import LedgerFacts
from receivables.reports.figures import Options, Report, build_report
from receivables.reports.labels import labels
from receivables.reports.pdf import write_pdf
from receivables.reports.settings import ReportsSettings
from receivables.reports.xlsx import write_workbook

ALL = "all"


@dataclass(frozen=True)
class BuiltReport:
    scope: str  # "" = whole portfolio, else the account manager
    slug: str
    language: str
    report: Report
    pdf: Path
    xlsx: Path


def slug(scope: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", scope.lower()).strip("-") or ALL


def options(rs: ReportsSettings) -> Options:
    return Options(weeks=rs.weeks, dso_days=rs.dso_days, contact_days=rs.contact_days, results_days=rs.results_days)


def manager_facts(facts: LedgerFacts, manager: str) -> LedgerFacts:
    return facts.only({c.id for c in facts.customers.values() if (c.manager or "") == manager})


def figures_of(facts: LedgerFacts, as_of: date, rs: ReportsSettings, scope: str = "") -> Report:
    """The figures of the whole portfolio (scope "") or of one manager's customers."""
    return build_report(manager_facts(facts, scope) if scope else facts, as_of, options(rs), scope)


def write_files(report: Report, folder: Path, rs: ReportsSettings, language: str | None = None) -> BuiltReport:
    language = language or rs.language
    words = labels(language)
    stem = f"receivables-{report.as_of.isoformat()}-{slug(report.scope)}"
    xlsx = write_workbook(report, words, folder / f"{stem}.xlsx")
    pdf = write_pdf(report, words, folder / f"{stem}.pdf", top=rs.top_customers)
    return BuiltReport(report.scope, slug(report.scope), language, report, pdf, xlsx)


def build_files(facts: LedgerFacts, as_of: date, folder: Path, rs: ReportsSettings, scope: str = "",
                language: str | None = None) -> BuiltReport:
    return write_files(figures_of(facts, as_of, rs, scope), folder, rs, language)
