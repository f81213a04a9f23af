"""Bounded subset-sum and the matching config file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from receivables.matching import MatchConfig, MatchConfigError, load_match_config
from receivables.matching.subset import combinations_tried, find_combinations


def test_combinations_that_add_up():
    assert find_combinations([100, 200, 300, 400, 500], 700, 0, limit=10) == [(1, 4), (2, 3), (0, 1, 3)]
    assert find_combinations([100, 250, 300], 355, 5) == [(0, 1)]
    assert find_combinations([100, 250, 300], 355, 4) == []
    assert find_combinations([100, 200, 300, 400], 1000, 0, max_size=3) == []
    assert find_combinations([100, 200, 300, 400], 1000, 0, max_size=4) == [(0, 1, 2, 3)]


def test_search_stops_at_its_budget():
    amounts = [10_007 * (i + 1) for i in range(40)]
    assert find_combinations(amounts, 1, 0, budget=50) == []
    assert find_combinations(amounts, amounts[0] + amounts[39], 0, budget=50, limit=1) != []
    assert combinations_tried(20, 6) == 60439


def test_the_shipped_config_loads_and_defaults_agree():
    assert load_match_config() == MatchConfig()


def test_a_bad_config_names_the_key(tmp_path):
    path = tmp_path / "matching.yaml"
    path.write_text("auto_threshold: 1.5\nweights:\n  iban: strong\n")
    with pytest.raises(MatchConfigError) as caught:
        load_match_config(path)
    assert "auto_threshold" in str(caught.value) and "weights.iban" in str(caught.value)
    path.write_text("amount_tolerance_abs: '0.50'\n")
    assert load_match_config(path).amount_tolerance_abs == Decimal("0.50")
    with pytest.raises(MatchConfigError, match="no such file"):
        load_match_config(tmp_path / "missing.yaml")
