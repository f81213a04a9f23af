"""The call list as Robocorp output work items: one per part, so parallel voice-calls workers share a campaign.

Control Room reserves the producer's input item before the task starts; locally the FileAdapter
needs one too (config/devdata/work-items-in/call-list/work-items.json). Outputs are tied to that
input, so a re-run is a new set of items for a new run; the files on disk stay the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from receivables.scoring.calllist import read_parts


def emit_parts(folder: Path) -> int:
    """Create one output work item per part file in `folder` (payload: the CallListPart as JSON)."""
    from robocorp import workitems

    parts = read_parts(folder)
    for part in parts:
        workitems.outputs.create(payload=part.model_dump(mode="json"))
    return len(parts)


def under_robocorp() -> bool:
    """Control Room (or a local run set up for work items, config/devdata/env-call-list.json)."""
    return bool(os.environ.get("RC_WORKITEM_ADAPTER") or os.environ.get("RC_WORKSPACE_ID"))


def emit_for(summary: dict[str, Any]) -> int:
    """After the call-list robot: its parts as output work items when running under Robocorp; else none."""
    listed = summary.get("call_list")
    if not listed or not under_robocorp():
        return 0
    return emit_parts(Path(listed["folder"]))
