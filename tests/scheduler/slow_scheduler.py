"""A scheduler process whose one robot takes a while: the stop tests send it SIGTERM mid-run.

Usage: python slow_scheduler.py LEDGER_URL MARKER_FOLDER
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from receivables.ledger import open_ledger
from receivables.scheduler.cli import serve
from receivables.scheduler.plan import Plan


def main(url: str, folder: Path) -> int:
    ledger = open_ledger(url)

    def slow_robot(robot: str, **options) -> None:
        with ledger.run(robot) as run:
            (folder / f"started-{run.id}").touch()
            time.sleep(1.5)
            (folder / f"finished-{run.id}").touch()

    plan = Plan(jobs=[{"robot": "reconcile", "every": "1 seconds"}], lock={"heartbeat_seconds": 0.2,
                                                                          "stale_after_seconds": 5})
    try:
        return serve(plan, ledger, slow_robot)
    finally:
        ledger.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
