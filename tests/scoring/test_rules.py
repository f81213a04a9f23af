"""config/scoring.yaml: the shipped file, first-match segments, and errors that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from receivables.scoring.rules import Rules, RulesError, load_rules

CONFIG = Path(__file__).resolve().parents[2] / "config"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _shipped() -> dict:
    return yaml.safe_load((CONFIG / "scoring.yaml").read_text(encoding="utf-8"))


def test_the_shipped_rules_load_and_agree_with_the_dunning_policy():
    rules = load_rules(CONFIG / "scoring.yaml", CONFIG / "dunning.yaml")
    by_name = {s.name: s for s in rules.segments}
    assert by_name["chronic_late"].strategy.dunning_track == "chronic_late"
    assert by_name["key_account"].strategy.dunning_track == "key_account"
    assert not by_name["fraud_review"].strategy.call and not by_name["disputed"].strategy.call


def _measures(**kw) -> dict:
    base = {"open_amount_pln": 1000.0, "overdue_amount_pln": 1000.0, "max_days_overdue": 10.0, "settled": 6.0,
            "late_share": 0.0, "avg_days_late": 0.0, "broken_promises": 0.0, "kept_promises": 0.0,
            "open_disputes": 0.0, "risk": 0.1, "suspected_fraud": False, "is_consumer": False}
    return base | kw


@pytest.mark.parametrize(("measures", "segment"), [
    (_measures(suspected_fraud=True, open_disputes=2.0), "fraud_review"),  # the first match wins
    (_measures(open_disputes=1.0, late_share=0.9), "disputed"),
    (_measures(max_days_overdue=75.0, overdue_amount_pln=5000.0), "pre_legal"),
    (_measures(max_days_overdue=75.0, overdue_amount_pln=500.0, late_share=0.6), "chronic_late"),
    (_measures(broken_promises=2.0), "chronic_late"),  # the second condition set of chronic_late
    (_measures(late_share=1.0, settled=1.0), "new_customer"),  # chronic needs 3 paid invoices
    (_measures(late_share=0.6, settled=2.0), "occasional_late"),
    (_measures(open_amount_pln=80000.0, late_share=0.1), "key_account"),
    (_measures(risk=0.7), "high_risk"),
    (_measures(risk=None, late_share=0.2), "occasional_late"),  # a missing measure never matches a range
    (_measures(), "standard"),
])
def test_segments_first_match_wins(measures, segment):
    rules = load_rules(CONFIG / "scoring.yaml")
    assert rules.classify(measures).name == segment


def test_a_wrong_value_names_the_file_and_the_key(tmp_path):
    data = _shipped()
    data["segments"][3]["when"][0]["late_share"] = {"min": "half"}
    with pytest.raises(RulesError) as err:
        load_rules(_write(tmp_path, data))
    assert str(tmp_path / "scoring.yaml") in str(err.value)
    assert "segments.3.when.0.late_share.min" in str(err.value)


def test_an_unknown_measure_is_refused(tmp_path):
    data = _shipped()
    data["segments"][0]["when"] = {"days_late_avg": {"min": 3}}
    with pytest.raises(RulesError, match=r"segments\.0\.when\.0\.days_late_avg: unknown key"):
        load_rules(_write(tmp_path, data))


def test_every_customer_must_land_in_a_segment(tmp_path):
    data = _shipped()
    data["segments"][-1]["when"] = {"risk": {"max": 0.5}}
    with pytest.raises(RulesError, match="must have no `when`"):
        load_rules(_write(tmp_path, data))


def test_a_dunning_track_the_reminders_robot_would_not_use_is_refused(tmp_path):
    data = _shipped()
    pre_legal = next(i for i, s in enumerate(data["segments"]) if s["name"] == "pre_legal")
    data["segments"][pre_legal]["strategy"]["dunning_track"] = "chronic_late"
    with pytest.raises(RulesError, match=rf"segments\.{pre_legal}\.strategy\.dunning_track: .*picks the ladder"):
        load_rules(_write(tmp_path, data), CONFIG / "dunning.yaml")
    data["segments"][pre_legal]["strategy"]["dunning_track"] = "default"
    chronic = next(i for i, s in enumerate(data["segments"]) if s["name"] == "chronic_late")
    data["segments"][chronic]["strategy"]["dunning_track"] = "default"
    with pytest.raises(RulesError, match="dunning.yaml has a ladder for 'chronic_late'"):
        load_rules(_write(tmp_path, data), CONFIG / "dunning.yaml")


def test_a_bad_time_zone_is_refused():
    with pytest.raises(ValueError, match="not an IANA time zone"):
        Rules(segments=[{"name": "all", "strategy": {"call": True}}],
              call_list={"time_zones": {"PL": "Europe/Warschau", "default": "UTC"}})
