"""The call-list robot: segment every customer, score open invoices for late payment, write today's call list.

The model is the newest saved version unless it is stale (then retrained); with too little history
the rules stand in and the summary says so. Segments are always written; the list only when the
bank statements were imported and reconciled recently (a debtor who paid yesterday is not called).
The list lands in output/call-list/<date>/ as work-item parts (JSON), CSV and XLSX; under Control
Room the task also emits the parts as output work items (`receivables.scoring.workitems.emit_for`).
Same day, same ledger: the same list, rewritten.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from receivables.config import Settings, config_dir
from receivables.ledger.db import Ledger
from receivables.ledger.models import Run
from receivables.ledger.types import utcnow
from receivables.scoring.rules import Rules, load_rules
from receivables.scoring.settings import ScoringSettings, scoring_settings


def _in_config(path: Path) -> Path:
    return path if path.is_absolute() else config_dir() / path


def in_output(settings: Settings, path: Path) -> Path:
    return path if path.is_absolute() else settings.paths.output / path


def load_scoring_rules(ss: ScoringSettings) -> Rules:
    return load_rules(_in_config(ss.rules), _in_config(ss.dunning_policy))


def call_list_folder(settings: Settings, day: date) -> Path:
    return in_output(settings, scoring_settings(settings).call_list_folder) / day.isoformat()


def build_call_list(settings: Settings, ledger: Ledger, run: Run, today: date | None = None, retrain: bool = False,
                    now: datetime | None = None, scoring: ScoringSettings | None = None, dry_run: bool = False,
                    **_: Any) -> dict[str, Any]:
    """`dry_run`: score and segment, report what the list would be, write nothing (no model either)."""
    from receivables.dunning.fx import default_fx_table
    from receivables.dunning.ledger_view import stale_sources
    from receivables.dunning.policy import load_policy
    from receivables.scoring import calllist, model as risk, segments as seg
    from receivables.scoring.history import load_history, pln_factors

    ss = scoring or scoring_settings(settings)
    rules = load_scoring_rules(ss)  # a bad file stops here, before anything is written
    policy = load_policy(_in_config(ss.dunning_policy))
    now = now or utcnow()
    today = today or now.astimezone(ZoneInfo(ss.timezone)).date()
    fx = default_fx_table(settings.paths.output)
    history = load_history(ledger, today, fx)
    models = in_output(settings, ss.models_folder)
    if dry_run:
        model, how = _model_for_dry_run(history, today, rules, models, ss.retrain_after_days)
    else:
        model, how = risk.current_model(history, today, rules.model, models, ss.retrain_after_days, force=retrain)
    scored = risk.score_open(history, model, today)
    measures = seg.customer_measures(history, scored.set_index("id")["p_late"], today, rules.model.late_days)
    segments = seg.classify(rules, measures)
    seg_summary = seg.write_segments(ledger, history, segments, run.id, dry_run=dry_run)
    with ledger.session() as s:
        stale = stale_sources(s, now, ss.freshness_hours)
    if stale:
        return {"date": today.isoformat(), "model": _model_summary(model, how), "open_invoices_scored": len(scored),
                **seg_summary, "call_list": None,
                "blocked": [f"not_fresh: no successful {r} run in the last {ss.freshness_hours:g} h; "
                            "today's list is not written" for r in stale]}
    factors = pln_factors(fx, today, set(history.invoices["currency"]))
    the_list = calllist.build_call_list(ledger, history, scored, segments, model, rules.call_list, policy, today,
                                        now, factors)
    folder = in_output(settings, ss.call_list_folder) / today.isoformat()
    summary: dict[str, Any] = {
        "date": today.isoformat(),
        "model": _model_summary(model, how),
        "open_invoices_scored": len(scored),
        **seg_summary,
        "call_list": {
            "campaign": the_list.campaign, "entries": len(the_list.entries),
            "parts": len(the_list.parts(rules.call_list.part_size)), "folder": str(folder),
            "over_capacity": the_list.over_capacity,
            "not_called": _count(x.reason for x in the_list.excluded),
            "invoices_skipped": dict(the_list.invoice_skips),
            "first": [{"priority": e.priority, "customer": e.customer, "score": str(e.score), "segment": e.segment}
                      for e in the_list.entries[:5]],
        },
    }
    if dry_run:
        summary["dry_run"] = True
    else:
        calllist.write_call_list(the_list, folder, rules.call_list.part_size, summary)
    return summary


def _model_for_dry_run(history: Any, today: date, rules: Rules, folder: Path, retrain_after_days: int) -> tuple:
    """The saved model if fresh, else one trained in memory and not saved."""
    from receivables.scoring import model as risk

    found = risk.versions(folder)
    if found and risk.stale_reason(found[-1][1], today, rules.model, retrain_after_days) is None:
        return risk.load(folder, found[-1][0], rules.model), "loaded"
    model = risk.train(history, today, rules.model)
    return model, "trained in memory (dry run: not saved)" if model.kind == "model" else f"rules ({model.reason})"


def _count(items: Any) -> dict[str, int]:
    from collections import Counter

    return dict(Counter(items))


def _model_summary(model: Any, how: str) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": model.kind, "how": how, "late_days": model.late_days}
    if model.kind == "model":
        test = model.metrics.get("test", {})
        out.update(version=model.version, estimator=model.metrics.get("estimator"),
                   auc=test.get("auc"), baseline_auc=test.get("baseline_auc"),
                   issue_day_auc=test.get("issue_day", {}).get("auc"),
                   issue_day_baseline_auc=test.get("issue_day", {}).get("baseline_auc"),
                   brier=test.get("calibration", {}).get("brier"), trained_on=model.metrics.get("trained_on"))
    else:
        out["reason"] = model.reason
    return out
