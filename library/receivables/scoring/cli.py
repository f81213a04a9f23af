"""`receivables scoring ...` (the risk model, segments, one customer explained) and `receivables calls list`.

Cheap to import: pandas and scikit-learn load when a command runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(help="Late-payment risk model and customer segments.", no_args_is_help=True)
calls_app = typer.Typer(help="The prioritised call list the voice-calls task consumes.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
DayOpt = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD; default today")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _print(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _settings() -> Any:
    from receivables.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--date: expected YYYY-MM-DD, got {text!r}")


def _model_context(day: date | None) -> tuple[Any, Any, Any, Any, date]:
    """settings, rules, history, ledger and the day, for commands that look at the model."""
    from zoneinfo import ZoneInfo

    from receivables.config import SettingsError
    from receivables.dunning.fx import default_fx_table
    from receivables.ledger import open_ledger
    from receivables.ledger.types import utcnow
    from receivables.scoring.history import load_history
    from receivables.scoring.robot import load_scoring_rules
    from receivables.scoring.settings import scoring_settings

    settings = _settings()
    ss = scoring_settings(settings)
    try:
        rules = load_scoring_rules(ss)
    except SettingsError as exc:
        _fail(str(exc))
    day = day or utcnow().astimezone(ZoneInfo(ss.timezone)).date()
    ledger = open_ledger(settings.ledger_url)
    return settings, rules, load_history(ledger, day, default_fx_table(settings.paths.output)), ledger, day


@app.command()
def train(day: DayOpt = None, json_out: JsonOpt = False) -> None:
    """Train the late-payment model now (time-split validation, versioned under output/models)."""
    from receivables.scoring.model import current_model
    from receivables.scoring.robot import in_output
    from receivables.scoring.settings import scoring_settings

    settings, rules, history, ledger, today = _model_context(_day(day))
    ledger.dispose()
    ss = scoring_settings(settings)
    model, how = current_model(history, today, rules.model, in_output(settings, ss.models_folder),
                               ss.retrain_after_days, force=True)
    data = {"how": how, "kind": model.kind, "version": model.version, **model.metrics}
    if json_out:
        _print(data)
        return
    if model.kind != "model":
        typer.echo(f"no model: {model.reason}; the call list uses the rules")
        return
    test = model.metrics["test"]
    typer.echo(f"{model.version}: {model.metrics['estimator']}, time split at {model.metrics['cutoff']}")
    typer.echo(f"  AUC {test['auc']} vs baseline 'last delay repeats' {test['baseline_auc']} "
               f"(invoices on issue day: {test['issue_day']['auc']} vs {test['issue_day']['baseline_auc']})")
    typer.echo(f"  Brier {test['calibration']['brier']}, ECE {test['calibration']['ece']}, "
               f"days-late MAE {test['days_late_mae']} vs {test['baseline_days_late_mae']}")


@app.command()
def explain(customer: Annotated[str, typer.Argument(help="external id, e.g. K00012")], day: DayOpt = None,
            json_out: JsonOpt = False) -> None:
    """One customer: segment measures, risk per open invoice and its top factors."""
    from receivables.scoring import segments as seg
    from receivables.scoring.model import current_model, score_open
    from receivables.scoring.robot import in_output
    from receivables.scoring.settings import scoring_settings

    settings, rules, history, ledger, today = _model_context(_day(day))
    ledger.dispose()
    found = history.customers[history.customers["external_id"] == customer]
    if found.empty:
        _fail(f"no customer {customer!r} in the ledger")
    cid = int(found["id"].iloc[0])
    ss = scoring_settings(settings)
    model, _how = current_model(history, today, rules.model, in_output(settings, ss.models_folder),
                                ss.retrain_after_days)
    scored = score_open(history, model, today)
    measures = seg.customer_measures(history, scored.set_index("id")["p_late"], today, rules.model.late_days)
    segment = seg.classify(rules, measures.loc[[cid]])[cid]
    mine = scored[scored["customer_id"] == cid]
    numbers = dict(zip(history.invoices["id"], history.invoices["number"], strict=True))
    factors = model.explain(mine) if len(mine) else []
    data = {
        "customer": customer, "segment": segment.name, "about": segment.about,
        "strategy": segment.strategy.model_dump(), "source": model.describe_source(),
        "measures": {k: (None if v != v else v) for k, v in measures.loc[cid].to_dict().items()},
        "open_invoices": [{"invoice": numbers[int(r.id)], "days_overdue": int(r.days_overdue),
                           "p_late": round(float(r.p_late), 3), "expected_days_late": round(float(r.days_late), 1),
                           "factors": [f.to_json() for f in fs]}
                          for r, fs in zip(mine.itertuples(), factors, strict=True)],
    }
    if json_out:
        _print(data)
        return
    typer.echo(f"{customer}: segment {segment.name} ({segment.about}); {data['source']}")
    for inv in data["open_invoices"]:
        days = inv["days_overdue"]
        age = f"{days} days overdue" if days > 0 else f"due in {-days} days"
        typer.echo(f"  {inv['invoice']}: {age}, risk {inv['p_late']}, "
                   f"expected {inv['expected_days_late']} days late")
        for f in inv["factors"]:
            typer.echo(f"    - {f['text']}" + ("" if f["effect"] is None else f" ({f['effect']:+.2f})"))


@calls_app.command("list")
def list_calls(day: DayOpt = None, json_out: JsonOpt = False) -> None:
    """Show the call list the call-list robot wrote (the newest day, or --date)."""
    from receivables.scoring.calllist import CallListError, latest_folder, read_parts
    from receivables.scoring.robot import in_output
    from receivables.scoring.settings import scoring_settings

    settings = _settings()
    root = in_output(settings, scoring_settings(settings).call_list_folder)
    wanted = _day(day)
    folder: Path | None = root / wanted.isoformat() if wanted else latest_folder(root)
    if folder is None or not folder.is_dir():
        _fail(f"no call list in {root}{'' if wanted is None else ' for ' + str(wanted)}; "
              "run `receivables run call-list` first")
    try:
        parts = read_parts(folder)
    except CallListError as exc:
        _fail(str(exc))
    entries = sorted((e for p in parts for e in p.entries), key=lambda e: e.priority)
    if json_out:
        _print({"folder": str(folder), "parts": len(parts),
                "entries": [e.model_dump(mode="json") for e in entries]})
        return
    typer.echo(f"{folder}: {len(entries)} debtors in {len(parts)} parts")
    for e in entries:
        totals = ", ".join(f"{v} {c}" for c, v in sorted(e.totals.items()))
        typer.echo(f"{e.priority:>4}  {e.customer:10} {e.name[:32]:32} {e.segment or '':16} score {e.score:>12}  "
                   f"{totals}")
