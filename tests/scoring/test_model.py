"""The risk model on the sandbox's history: beats 'the last delay repeats' on a time split, is
versioned on disk, is explained in words, and gives way to rules (saying so) when history is thin."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from receivables.scoring import model as risk
from receivables.scoring.rules import ModelRules

from .conftest import AS_OF, truth_profiles


def test_the_model_beats_the_baseline_on_the_time_split(trained):
    assert trained.kind == "model"
    test = trained.metrics["test"]
    assert test["rows"] > 300 and 0.1 < test["late_share"] < 0.7
    assert test["auc"] > test["baseline_auc"] + 0.02
    assert test["issue_day"]["auc"] > test["issue_day"]["baseline_auc"]
    assert test["days_late_mae"] < test["baseline_days_late_mae"]
    assert test["calibration"]["brier"] < 0.2
    assert sum(b["n"] for b in test["calibration"]["bins"]) == test["rows"]
    cutoff = pd.Timestamp(trained.metrics["cutoff"]).date()
    assert AS_OF - timedelta(days=200) < cutoff < AS_OF  # the newest part of the history is held out


def test_risk_follows_the_customers_true_payment_habits(sandbox, sandbox_history, trained):
    """The world gives each customer a consistent profile: chronic late payers must score higher."""
    scored = risk.score_open(sandbox_history, trained, AS_OF)
    fresh = scored[scored["days_past_due"] < 0]  # not yet due: the model's own opinion, no certainty by age
    profiles = truth_profiles(sandbox.world)
    ext = sandbox_history.customers.set_index("id")["external_id"]
    by_profile = fresh.groupby(fresh["customer_id"].map(ext).map(profiles))["p_late"].mean()
    assert by_profile["chronic"] > by_profile["late"] > by_profile["punctual"]
    assert by_profile["punctual"] < 0.15 and by_profile["chronic"] > 0.5


def test_an_invoice_past_the_limit_is_late_for_certain(sandbox_history, trained):
    scored = risk.score_open(sandbox_history, trained, AS_OF)
    old = scored[scored["days_past_due"] > 30]
    assert len(old) > 0
    assert (old["p_late"] == 1.0).all()
    assert (old["days_late"] >= old["days_past_due"]).all()


def test_explanations_name_the_habit_in_words(sandbox, sandbox_history, trained):
    scored = risk.score_open(sandbox_history, trained, AS_OF)
    profiles = truth_profiles(sandbox.world)
    ext = sandbox_history.customers.set_index("id")["external_id"]
    chronic = scored[(scored["customer_id"].map(ext).map(profiles) == "chronic") & (scored["n_settled"] >= 3)
                     & (scored["days_past_due"] < 0)]
    factors = trained.explain(chronic)
    assert len(factors) == len(chronic) > 0
    lateness = [f for fs in factors for f in fs if f.name == "lateness"]
    assert len(lateness) >= 0.8 * len(chronic)  # the habit is among the top factors of most of them
    assert all(f.effect > 0 and "more than 30 days late" in f.text for f in lateness)
    old = scored[scored["days_past_due"] > 30].head(3)
    for fs, days in zip(trained.explain(old), old["days_past_due"], strict=True):
        assert fs[0].text == f"already {days:.0f} days past due: paid late for certain"


def test_versions_are_saved_loaded_and_retrained_when_stale(tmp_path, sandbox_history, trained):
    folder = tmp_path / "models"
    path = risk.save(trained, folder)
    assert (path / "model.joblib").exists() and (path / "metrics.json").exists()
    loaded, how = risk.current_model(sandbox_history, AS_OF + timedelta(days=2), ModelRules(), folder, 7)
    assert how == "loaded" and loaded.version == trained.version
    scored = risk.score_open(sandbox_history, trained, AS_OF)
    again = risk.score_open(sandbox_history, loaded, AS_OF)
    np.testing.assert_array_equal(scored["p_late"], again["p_late"])
    later = AS_OF + timedelta(days=7)
    newer, how = risk.current_model(sandbox_history, later, ModelRules(), folder, 7)
    assert how.startswith("trained (trained on 2026-05-29, retrained every 7 days")
    assert newer.version.startswith(later.isoformat())
    assert [v for v, _ in risk.versions(folder)] == [trained.version, newer.version]
    changed, how = risk.current_model(sandbox_history, later, ModelRules(late_days=14), folder, 7)
    assert how == "trained (late_days changed)" and changed.late_days == 14


def test_thin_history_falls_back_to_rules_and_says_why(sandbox_history):
    few = sandbox_history.customers["id"].iloc[:8]
    thin = type(sandbox_history)(**{**sandbox_history.__dict__,
                                    "invoices": sandbox_history.invoices[sandbox_history.invoices["customer_id"]
                                                                         .isin(few)].reset_index(drop=True)})
    model = risk.train(thin, AS_OF, ModelRules())
    assert model.kind == "rules"
    assert model.reason.startswith("not enough history:") and "customers (need 20)" in model.reason
    assert model.describe_source().startswith("rules, no model: not enough history")
    scored = risk.score_open(thin, model, AS_OF)
    fresh = scored[scored["days_past_due"] <= 30]
    # rules: (late invoices + 0.2 x 3) / (paid invoices + 3)
    expected = (np.nan_to_num(fresh["share_late_n"]) * fresh["n_settled"] + 0.6) / (fresh["n_settled"] + 3)
    np.testing.assert_allclose(fresh["p_late"], expected)
    assert all(f.effect is None for fs in model.explain(scored.head(5)) for f in fs)


def test_a_model_needs_late_and_on_time_outcomes(sandbox_history):
    with pytest.raises(Exception):  # noqa: B017 - pydantic refuses the nonsense threshold itself
        ModelRules(min_late=1)
    model = risk.train(sandbox_history, AS_OF, ModelRules(min_labelled=10 ** 6))
    assert model.kind == "rules" and f"(need {10 ** 6})" in model.reason
