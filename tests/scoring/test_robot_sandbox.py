"""The call-list robot on the sandbox's reconciled ledger: a sensible, explained list; the model beats
the baseline; the same list on a re-run; parts as Robocorp work items; the CLI reads it back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from receivables.ledger.models import Customer, Invoice
from receivables.scoring.calllist import read_parts
from receivables.scoring.robot import build_call_list, call_list_folder
from tests.conftest import REPO

from .conftest import AS_OF, NOW, truth_profiles


@pytest.fixture
def robot_run(settings, sandbox_ledger, trained):
    """The robot with today's model already saved (the session's `trained`), as on a second run."""
    from receivables.scoring.model import save

    save(trained, settings.paths.output / "models" / "late-payment")

    def go(**kw):
        with sandbox_ledger.run("call-list") as r:
            return build_call_list(settings, sandbox_ledger, r, today=AS_OF, now=NOW, **kw)
    return go


def test_a_sensible_explained_call_list_from_the_sandbox(settings, sandbox, sandbox_ledger, robot_run):
    summary = robot_run()
    model = summary["model"]
    assert model["kind"] == "model" and model["how"] == "loaded"
    assert model["auc"] > model["baseline_auc"]
    entries = sorted((e for p in read_parts(call_list_folder(settings, AS_OF)) for e in p.entries),
                     key=lambda e: e.priority)
    assert len(entries) == summary["call_list"]["entries"] >= 20
    assert [e.priority for e in entries] == list(range(1, len(entries) + 1))
    assert all(a.score >= b.score for a, b in zip(entries, entries[1:]))

    with sandbox_ledger.session() as s:
        open_ = s.scalars(select(Invoice).where(Invoice.status.in_(("open", "partially_paid"))))
        invoices = {i.number: i for i in open_}
        segments = dict(s.execute(select(Customer.external_id, Customer.segment)).all())
    for e in entries:
        for line in e.invoices:
            inv = invoices[line.number]  # every invoice on the list is open in the ledger...
            assert line.open_amount == inv.open_amount and (AS_OF - inv.due_date).days >= 3  # ...and overdue
        assert e.segment == segments[e.customer]
        assert any(r.startswith("factor: ") for r in e.reasons)  # explained

    profiles = truth_profiles(sandbox.world)
    top = Counter(profiles[e.customer] for e in entries[:20])
    assert top["punctual"] <= 2  # the first calls go to people who really pay late (or not at all)
    assert top["defaulter"] + top["chronic"] + top["disputer"] >= 10
    chronic = [profiles[c] for c, seg in segments.items() if seg == "chronic_late"]
    assert chronic and sum(p in ("chronic", "defaulter", "late") for p in chronic) >= 0.8 * len(chronic)
    standard = [profiles[c] for c, seg in segments.items() if seg == "standard"]
    assert sum(p == "punctual" for p in standard) >= 0.6 * len(standard)


def test_the_same_day_gives_the_same_list_and_the_saved_model(settings, robot_run):
    first = robot_run(retrain=True)
    folder = call_list_folder(settings, AS_OF)
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("part-*.json"))}
    second = robot_run()
    assert first["model"]["how"] == "trained (forced)"
    assert second["model"]["how"] == "loaded" and second["model"]["version"] == first["model"]["version"]
    assert {p.name: p.read_bytes() for p in sorted(folder.glob("part-*.json"))} == files
    assert second["changed"] == 0 and first["changed"] > 0


def test_the_parts_become_output_work_items(settings, robot_run, tmp_path):
    robot_run()
    folder = call_list_folder(settings, AS_OF)
    seed = tmp_path / "in.json"
    seed.write_text(json.dumps([{"payload": {}, "files": {}}]), encoding="utf-8")
    env = {**os.environ, "RC_WORKITEM_ADAPTER": "FileAdapter", "RC_WORKITEM_INPUT_PATH": str(seed),
           "RC_WORKITEM_OUTPUT_PATH": str(tmp_path / "out.json")}
    summary = {"call_list": {"folder": str(folder)}}
    code = f"from receivables.scoring.workitems import emit_for; print(emit_for({summary!r}))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    items = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    parts = read_parts(folder)
    assert int(done.stdout.strip()) == len(parts) == len(items)
    assert [i["payload"] for i in items] == [p.model_dump(mode="json") for p in parts]


def test_the_cli_trains_explains_and_lists(settings, sandbox, sandbox_ledger, robot_run):
    import typer
    from typer.testing import CliRunner

    from receivables.scoring import cli

    robot_run()
    root = typer.Typer()
    root.add_typer(cli.app, name="scoring")
    root.add_typer(cli.calls_app, name="calls")
    env = {"RECEIVABLES_LEDGER_URL": sandbox_ledger.url, "RECEIVABLES_PATHS__OUTPUT": str(settings.paths.output)}
    runner = CliRunner()
    listed = runner.invoke(root, ["calls", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    parts = read_parts(call_list_folder(settings, AS_OF))
    assert len(data["entries"]) == sum(len(p.entries) for p in parts) and data["parts"] == len(parts)
    assert [e["priority"] for e in data["entries"]] == list(range(1, len(data["entries"]) + 1))
    first = data["entries"][0]["customer"]
    explained = runner.invoke(root, ["scoring", "explain", first, "--date", AS_OF.isoformat(), "--json"], env=env)
    assert explained.exit_code == 0, explained.output
    info = json.loads(explained.output)
    assert info["segment"] == data["entries"][0]["segment"] and info["open_invoices"]
    assert all(inv["factors"] for inv in info["open_invoices"])
    missing = runner.invoke(root, ["calls", "list", "--date", (AS_OF + timedelta(days=1)).isoformat()], env=env)
    assert missing.exit_code == 2 and "run `receivables run call-list` first" in missing.output
    unknown = runner.invoke(root, ["scoring", "explain", "K99999", "--date", "2026-05-29"], env=env)
    assert unknown.exit_code == 2 and "no customer 'K99999'" in unknown.output
    trained = runner.invoke(root, ["scoring", "train", "--date", date(2026, 5, 29).isoformat()], env=env)
    assert trained.exit_code == 0 and "vs baseline 'last delay repeats'" in trained.output


def test_outside_robocorp_no_work_items_are_made(tmp_path, monkeypatch):
    from receivables.scoring.workitems import emit_for

    monkeypatch.delenv("RC_WORKITEM_ADAPTER", raising=False)
    monkeypatch.delenv("RC_WORKSPACE_ID", raising=False)
    monkeypatch.chdir(tmp_path)
    assert emit_for({"call_list": {"folder": str(tmp_path)}}) == 0
    assert emit_for({"call_list": None}) == 0
    assert not (tmp_path / "output").exists()
