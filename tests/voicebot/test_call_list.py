import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from voicebot.call_list import CallListError, read_batch_file, split, work_items_json
from voicebot.sample import sample_entry

HEADER = "campaign;customer;name;language;country;time_zone;phones;tax_id_last3;priority;invoice;due_date;open_amount;interest;currency;description"


def test_csv_batch_file_merges_rows_per_customer(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("\n".join([
        HEADER,
        "may;K1;Transpol;pl;PL;Europe/Warsaw;+48600100200|+48 22 111 22 33;218;2;FV/1;2026-04-15;1 200,00;34,56;PLN;transport",
        "may;K1;Transpol;pl;PL;Europe/Warsaw;+48600100200|+48 22 111 22 33;218;2;FV/2;2026-04-20;850,00;;PLN;",
        "may;K2;Müller;de;DE;Europe/Berlin;+4915112345678;;1;FVE/9;2026-04-01;99,90;0;EUR;Fracht",
    ]), encoding="utf-8")
    parts = read_batch_file(path, created=date(2026, 5, 6), resolve_customer={"K1": 11, "K2": 12}.get)
    assert len(parts) == 1 and parts[0].campaign == "may"
    first, second = parts[0].entries  # priority 1 first
    assert (first.customer, first.customer_id, second.customer) == ("K2", 12, "K1")
    assert second.phones == ["+48600100200", "+48 22 111 22 33"]
    assert second.totals == {"PLN": Decimal("2084.56")}  # 1200.00 + 34.56 + 850.00 + 0
    assert [i.number for i in second.invoices] == ["FV/1", "FV/2"]


def test_txt_batch_file_is_tab_separated(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(HEADER.replace(";", "\t") + "\ncampaign-x\tK1\tA\ten\tGB\tEurope/London\t+447700900123\t\t1\tINV-1\t2026-04-01\t10.00\t0\tGBP\t\n",
                    encoding="utf-8")
    parts = read_batch_file(path, resolve_customer=lambda _: 5)
    assert parts[0].entries[0].language == "en" and parts[0].entries[0].totals == {"GBP": Decimal("10.00")}


@pytest.mark.parametrize(("row", "message"), [
    ("may;K1;T;pl;PL;Europe/Warsaw;+48600100200;;1;FV/1;2026-04-15;12,3x;0;PLN;", r"line 2: field open_amount: not an amount"),
    ("may;K1;T;xx;PL;Europe/Warsaw;+48600100200;;1;FV/1;2026-04-15;12,30;0;PLN;", r"line 2: field language"),
    ("may;K1;T;pl;PL;Europe/Warsaw;;;1;FV/1;2026-04-15;12,30;0;PLN;", r"line 2: field phones is empty"),
    ("may;K9;T;pl;PL;Europe/Warsaw;+48600100200;;1;FV/1;2026-04-15;12,30;0;PLN;", r"customer 'K9' is not in the ledger"),
    ("may;K1;T;pl;PL;Europe/Warsaw;+48600100200;;1;FV/1;15.04.2026;12,30;0;PLN;", r"line 2: field due_date: expected a date as YYYY-MM-DD"),
])
def test_bad_rows_name_the_file_line_and_field(tmp_path, row, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CallListError, match=message) as err:
        read_batch_file(path, resolve_customer={"K1": 1}.get)
    assert str(path) in str(err.value)


def test_unknown_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ";colour\n", encoding="utf-8")
    with pytest.raises(CallListError, match=r"line 1: unknown column\(s\) colour"):
        read_batch_file(path)


def test_large_lists_split_into_parts_by_priority():
    entries = [sample_entry("pl", date(2026, 5, 6)).model_copy(update={"customer_id": n, "priority": 1 + n % 4})
               for n in range(25)]
    parts = split("big", entries, date(2026, 5, 6), size=10)
    assert [len(p.entries) for p in parts] == [10, 10, 5]
    assert [(p.part, p.parts) for p in parts] == [(1, 3), (2, 3), (3, 3)]
    priorities = [e.priority for p in parts for e in p.entries]
    assert priorities == sorted(priorities)
    assert sorted(e.customer_id for p in parts for e in p.entries) == list(range(25))


def test_work_items_through_robocorps_file_adapter(tmp_path):
    """The parts as a FileAdapter input file are read back by robocorp-workitems as they are."""
    entries = [sample_entry(lang, date(2026, 5, 6)) for lang in ("pl", "de", "en")]
    parts = split("wi", entries, date(2026, 5, 6), size=2)
    (tmp_path / "in.json").write_text(json.dumps(work_items_json(parts)), encoding="utf-8")
    code = ("from robocorp import workitems\nfrom voicebot.call_list import part_from_payload\n"
            "for item in workitems.inputs:\n    p = part_from_payload(item.payload, 'item')\n"
            "    print(p.campaign, p.part, p.parts, len(p.entries), p.entries[0].language)\n    item.done()\n")
    env = {**os.environ, "RC_WORKITEM_ADAPTER": "FileAdapter", "RC_WORKITEM_INPUT_PATH": str(tmp_path / "in.json"),
           "RC_WORKITEM_OUTPUT_PATH": str(tmp_path / "out.json")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["wi 1 2 2 pl", "wi 2 2 1 en"]


def test_the_devdata_work_items_are_valid_parts():
    from receivables.config import PROJECT_ROOT
    from voicebot.call_list import part_from_payload

    env = json.loads((PROJECT_ROOT / "config/devdata/env-voice-calls.json").read_text(encoding="utf-8"))
    items = json.loads((PROJECT_ROOT / env["RC_WORKITEM_INPUT_PATH"]).read_text(encoding="utf-8"))
    parts = [part_from_payload(item["payload"], "devdata") for item in items]
    assert {e.language for p in parts for e in p.entries} == {"pl", "de", "en"}
    assert env["RC_WORKITEM_ADAPTER"] == "FileAdapter"
