"""The late-payment risk model: trained on the ledger's own history, validated on a time split, versioned.

The question: will this invoice be paid more than `late_days` after its due date? Candidates
(gradient-boosted trees, logistic regression) are compared on the newest part of the training
period; the winner is measured on the held-out newest quarter against the baseline "the last delay
repeats", then refitted on everything known and written to output/models/late-payment/<version>/
(model.joblib + metrics.json). Too little history: the rules estimate (the customer's own share of
late invoices, shrunk towards a prior) stands in, and the metrics say why.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from receivables.scoring.explain import Factor, describe, explain_rows
from receivables.scoring.features import FEATURES, build_features, outcomes, snapshots
from receivables.scoring.rules import ModelRules

if TYPE_CHECKING:
    import pandas as pd

    from receivables.scoring.history import History

log = logging.getLogger(__name__)
SEASON_MONTHS = 24  # a shorter history has not seen every month, so the issue month is left out
DAYS_CAP = (-30.0, 180.0)  # expected days late is fitted on delays clipped to this range
MODEL_FILE, METRICS_FILE = "model.joblib", "metrics.json"


@dataclass
class RiskModel:
    kind: Literal["model", "rules"]
    late_days: int
    version: str | None = None
    classifier: Any = None
    regressor: Any = None
    reference: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    rules: ModelRules = field(default_factory=ModelRules)
    columns: list[str] = field(default_factory=lambda: list(FEATURES))  # the features the estimators take

    @property
    def reason(self) -> str | None:
        return self.metrics.get("fallback_reason")

    def _proba(self, x: np.ndarray) -> np.ndarray:
        return self.classifier.predict_proba(x)[:, 1]

    def predict(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(probability paid more than late_days late, expected days late) per row.

        A row already more than late_days past due is late for certain; its expected delay is at
        least its age.
        """
        past = features["days_past_due"].to_numpy()
        if self.kind == "model":
            x = features[self.columns].to_numpy(dtype=float)
            with single_threaded():
                p = self._proba(x)
                days = self.regressor.predict(x)
        else:
            n = features["n_settled"].to_numpy()
            late = np.nan_to_num(features["share_late_n"].to_numpy()) * n
            p = (late + self.rules.prior_late * self.rules.prior_weight) / (n + self.rules.prior_weight)
            days = np.nan_to_num(features["avg_days_late"].to_numpy(), nan=0.0)
        p = np.where(past > self.late_days, 1.0, p)
        days = np.maximum(days, past)
        return p, days

    def explain(self, features: pd.DataFrame, top: int = 3) -> list[list[Factor]]:
        """Top factors per row. An invoice already more than late_days overdue is late for certain:
        that comes first, and the factors explain the customer's record instead: the model's view of
        the same invoice on the day it was issued."""
        past = features["days_past_due"].to_numpy()
        decided = [Factor("age", None, f"already {d:.0f} days past due: paid late for certain") if d > self.late_days
                   else None for d in past]
        if self.kind == "rules":
            rows = features.to_dict("records")
            found = [[Factor(name, None, describe(name, r, self.late_days)) for name in ("lateness", "overdue_now")]
                     for r in rows]
        else:
            x = features[self.columns].to_numpy(dtype=float, copy=True)
            on_issue = -features["terms_days"].to_numpy(dtype=float) - 1
            x[:, self.columns.index("days_past_due")] = np.where(past > self.late_days, on_issue, past)
            with single_threaded():
                found = explain_rows(self._proba, x, self.columns, self.reference, self.late_days, top + 1)
        return [([d] if d else []) + [f for f in fs if not (d and f.name == "age")][:top]
                for d, fs in zip(decided, found, strict=True)]

    def describe_source(self) -> str:
        if self.kind == "model":
            auc = self.metrics.get("test", {}).get("auc")
            return f"model {self.version} ({self.metrics.get('estimator')}, time-split AUC {auc})"
        return f"rules, no model: {self.reason}"


# -- training ----------------------------------------------------------------------------------

def _candidates() -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "hist_gradient_boosting": HistGradientBoostingClassifier(  # 60 trees validate as well as 150, score 2.5x faster
            max_iter=60, learning_rate=0.12, max_leaf_nodes=15, min_samples_leaf=20, l2_regularization=1.0,
            early_stopping=False, random_state=0),
        "logistic_regression": make_pipeline(SimpleImputer(strategy="median", add_indicator=True,
                                                           keep_empty_features=True),
                                              StandardScaler(), LogisticRegression(C=0.5, max_iter=500)),
    }


def _regressor() -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=60, learning_rate=0.12, max_leaf_nodes=15, min_samples_leaf=20,
                                         early_stopping=False, random_state=0)


@dataclass
class TrainingSet:
    rows: pd.DataFrame  # snapshot rows (invoice columns + at)
    x: pd.DataFrame  # FEATURES
    late_days: int


def training_set(history: History, late_days: int) -> TrainingSet:
    inv = history.invoices
    rows = snapshots(inv, late_days)
    x = build_features(inv, rows, late_days, history.promises, history.disputes)
    return TrainingSet(rows.reset_index(drop=True), x, late_days)


def _labels(ts: TrainingSet, horizon: np.datetime64) -> pd.DataFrame:
    o = outcomes(ts.rows, horizon, ts.late_days)
    o["known"] &= ts.rows["at"] < horizon
    return o


def _baseline_score(x: pd.DataFrame, fill: float) -> np.ndarray:
    """'The last delay repeats': the customer's last delay (the training median when none)."""
    return np.nan_to_num(x["last_days_late"].to_numpy(dtype=float), nan=fill)


def _calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss

    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    table, ece = [], 0.0
    for b in range(max(len(edges) - 1, 1)):
        mask = which == b
        if not mask.any():
            continue
        pred, seen = float(p[mask].mean()), float(y[mask].mean())
        ece += mask.mean() * abs(pred - seen)
        table.append({"predicted": round(pred, 3), "observed": round(seen, 3), "n": int(mask.sum())})
    return {"brier": round(float(brier_score_loss(y, p)), 4), "ece": round(ece, 4), "bins": table}


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, score)), 4) if 0 < y.sum() < len(y) else None


def _fallback(rules: ModelRules, reason: str, counts: dict[str, Any]) -> RiskModel:
    return RiskModel("rules", rules.late_days, rules=rules, metrics={"fallback_reason": reason, **counts})


def single_threaded() -> Any:
    """OpenMP and OpenBLAS threads spin-wait: on a busy 2-core machine two threads made training 20x slower."""
    import sklearn.ensemble  # noqa: F401 - limits reach only the thread pools loaded before they are set
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def train(history: History, today: date, rules: ModelRules) -> RiskModel:
    """Validate on a time split, then fit on all outcomes known today; rules if history is too thin."""
    with single_threaded():
        return _train(history, today, rules)


def _train(history: History, today: date, rules: ModelRules) -> RiskModel:
    from sklearn.base import clone
    from sklearn.metrics import mean_absolute_error

    started = datetime.now(UTC)
    n_days = rules.late_days
    ts = training_set(history, n_days)
    now = np.datetime64(today + timedelta(days=1), "s")  # everything dated today is known
    known = _labels(ts, now)
    eligible = known["known"].to_numpy()
    y_all = known["late"].to_numpy(dtype=int)
    customers = ts.rows.loc[eligible, "customer_id"].nunique()
    counts = {"labelled": int(eligible.sum()), "late": int(y_all[eligible].sum()), "customers": int(customers)}
    short = [text for text, lacking in (
        (f"{counts['labelled']} known outcomes (need {rules.min_labelled})", counts["labelled"] < rules.min_labelled),
        (f"{counts['late']} late ones (need {rules.min_late})", counts["late"] < rules.min_late),
        (f"{customers} customers (need {rules.min_customers})", customers < rules.min_customers)) if lacking]
    if short:
        return _fallback(rules, "not enough history: " + ", ".join(short), counts)

    columns, dropped = list(FEATURES), {}
    months = (today - ts.rows["issue_date"].min().date()).days / 30.4
    if months < SEASON_MONTHS:
        columns.remove("issue_month")
        dropped["issue_month"] = f"the history covers {months:.0f} months; the month is used from {SEASON_MONTHS} on"
    at = ts.rows["at"].to_numpy()
    cutoff = np.quantile(at[eligible].astype("int64"), 1 - rules.test_share).astype("datetime64[s]")
    at_cutoff = _labels(ts, cutoff)
    train_mask = at_cutoff["known"].to_numpy()
    test_mask = eligible & (at >= cutoff)
    x = ts.x[columns].to_numpy(dtype=float)
    y_train, y_test = at_cutoff["late"].to_numpy(dtype=int)[train_mask], y_all[test_mask]
    if min(y_train.sum(), len(y_train) - y_train.sum(), y_test.sum(), len(y_test) - y_test.sum()) < 5:
        return _fallback(rules, "the time split leaves too few late or on-time outcomes on one side", counts)

    # model choice: the newest fifth of the training period validates the candidates
    train_at = at[train_mask]
    inner_cut = np.quantile(train_at.astype("int64"), 0.8).astype("datetime64[s]")
    inner_fit, inner_val = train_at < inner_cut, train_at >= inner_cut
    x_train = x[train_mask]
    choice: dict[str, float | None] = {}
    for name, est in _candidates().items():
        if y_train[inner_val].sum() in (0, inner_val.sum()) or y_train[inner_fit].sum() in (0, inner_fit.sum()):
            choice[name] = None
            continue
        fitted = clone(est).fit(x_train[inner_fit], y_train[inner_fit])
        choice[name] = _auc(y_train[inner_val], fitted.predict_proba(x_train[inner_val])[:, 1])
    best = max(choice, key=lambda k: -1 if choice[k] is None else choice[k])
    candidates = _candidates()
    clf = clone(candidates[best]).fit(x_train, y_train)
    x_test = x[test_mask]
    p_test = clf.predict_proba(x_test)[:, 1]
    fill = float(np.nanmedian(ts.x.loc[train_mask, "last_days_late"])) if train_mask.any() else 0.0
    base_test = _baseline_score(ts.x[test_mask], fill)
    issue_rows = (ts.x.loc[test_mask, "days_past_due"] < 0).to_numpy()

    days_all = known["days_late"].to_numpy(dtype=float)
    days_train = np.clip(at_cutoff["days_late"].to_numpy(dtype=float)[train_mask], *DAYS_CAP)
    reg = _regressor().fit(x_train, days_train)
    days_test = np.clip(days_all[test_mask], *DAYS_CAP)

    test = {
        "rows": int(test_mask.sum()), "late_share": round(float(y_test.mean()), 4),
        "auc": _auc(y_test, p_test), "baseline_auc": _auc(y_test, base_test),
        "issue_day": {"rows": int(issue_rows.sum()), "auc": _auc(y_test[issue_rows], p_test[issue_rows]),
                      "baseline_auc": _auc(y_test[issue_rows], base_test[issue_rows])},
        "baseline_accuracy": round(float(((base_test > n_days).astype(int) == y_test).mean()), 4),
        "accuracy": round(float(((p_test >= 0.5).astype(int) == y_test).mean()), 4),
        "calibration": _calibration(y_test, p_test),
        "days_late_mae": round(float(mean_absolute_error(days_test, np.clip(reg.predict(x_test), *DAYS_CAP))), 2),
        "baseline_days_late_mae": round(float(mean_absolute_error(days_test, np.clip(base_test, *DAYS_CAP))), 2),
    }

    # the model in use: everything known today
    x_all, y_fit = x[eligible], y_all[eligible]
    final = clone(candidates[best]).fit(x_all, y_fit)
    final_reg = _regressor().fit(x_all, np.clip(days_all[eligible], *DAYS_CAP))
    reference = {f: float(np.nanmedian(ts.x.loc[eligible, f])) if ts.x.loc[eligible, f].notna().any() else float("nan")
                 for f in FEATURES}
    digest = hashlib.sha256(np.ascontiguousarray(x_all).tobytes() + y_fit.tobytes()
                            + f"{best}{n_days}{columns}".encode()).hexdigest()
    metrics = {
        "question": f"paid more than {n_days} days after the due date",
        "trained_on": today.isoformat(), "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "estimator": best, "candidates_validation_auc": choice, "features": list(FEATURES), "columns": columns,
        "dropped": dropped,
        "cutoff": str(cutoff)[:10], "train_rows": int(train_mask.sum()), "test": test, **counts,
        "training_seconds": round((datetime.now(UTC) - started).total_seconds(), 2),
        "sklearn": _sklearn_version(), "digest": digest,
    }
    return RiskModel("model", n_days, f"{today.isoformat()}-{digest[:8]}", final, final_reg, reference, metrics, rules,
                     columns)


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


# -- versions on disk -------------------------------------------------------------------------

def save(model: RiskModel, folder: Path) -> Path:
    """output/models/late-payment/<version>/: model.joblib and metrics.json (written last: marks it complete)."""
    import joblib

    if model.kind != "model" or model.version is None:
        raise ValueError("only a trained model is saved; the rules need no file")
    target = folder / model.version
    target.mkdir(parents=True, exist_ok=True)
    joblib.dump({"classifier": model.classifier, "regressor": model.regressor, "reference": model.reference,
                 "late_days": model.late_days, "columns": model.columns}, target / MODEL_FILE)
    tmp = target / (METRICS_FILE + ".tmp")
    tmp.write_text(json.dumps(model.metrics, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(target / METRICS_FILE)
    return target


def versions(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """Complete versions (with metrics.json), oldest first."""
    found = []
    for metrics in folder.glob(f"*/{METRICS_FILE}"):
        try:
            data = json.loads(metrics.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append((metrics.parent.name, data))
    return sorted(found, key=lambda v: (v[1].get("trained_at", ""), v[0]))


def load(folder: Path, version: str, rules: ModelRules) -> RiskModel:
    import joblib

    data = joblib.load(folder / version / MODEL_FILE)  # our own file, written by save()
    metrics = json.loads((folder / version / METRICS_FILE).read_text(encoding="utf-8"))
    return RiskModel("model", data["late_days"], version, data["classifier"], data["regressor"], data["reference"],
                     metrics, rules, data["columns"])


def stale_reason(metrics: dict[str, Any], today: date, rules: ModelRules, retrain_after_days: int) -> str | None:
    trained = date.fromisoformat(metrics["trained_on"])
    if metrics.get("features") != list(FEATURES):
        return "the features changed"
    if metrics.get("question") != f"paid more than {rules.late_days} days after the due date":
        return "late_days changed"
    if metrics.get("sklearn") != _sklearn_version():
        return f"scikit-learn {metrics.get('sklearn')} -> {_sklearn_version()}"
    if (today - trained).days >= retrain_after_days or today < trained:
        return f"trained on {trained}, retrained every {retrain_after_days} days"
    return None


def current_model(history: History, today: date, rules: ModelRules, folder: Path, retrain_after_days: int,
                  force: bool = False) -> tuple[RiskModel, str]:
    """The newest saved model when fresh, else a new one (saved when it is a model); with what was done."""
    found = versions(folder)
    if found and not force:
        version, metrics = found[-1]
        reason = stale_reason(metrics, today, rules, retrain_after_days)
        if reason is None:
            return load(folder, version, rules), "loaded"
    else:
        reason = "forced" if force else "no saved model"
    model = train(history, today, rules)
    if model.kind == "model":
        save(model, folder)
        return model, f"trained ({reason})"
    log.warning("late-payment risk from rules: %s", model.reason)
    return model, f"rules ({model.reason})"


# -- scoring today ------------------------------------------------------------------------------

def score_open(history: History, model: RiskModel, today: date) -> pd.DataFrame:
    """Open invoices with their features as of today, p_late, days_late (expected) and days_overdue."""
    from receivables.scoring.history import OPEN_STATUSES

    inv = history.invoices
    rows = inv[inv["status"].isin(OPEN_STATUSES) & (inv["open_pln"] > 0)].assign(at=np.datetime64(today, "s"))
    x = build_features(inv, rows, model.late_days, history.promises, history.disputes)
    p, days = model.predict(x)
    rows = rows.reset_index(drop=True)
    return x.assign(id=rows["id"].to_numpy(), customer_id=rows["customer_id"].to_numpy(),
                    open_pln=rows["open_pln"].to_numpy(), p_late=p, days_late=days,
                    days_overdue=x["days_past_due"].to_numpy())
