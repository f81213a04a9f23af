"""Benchmark: generate a sandbox world of N invoices; prints seconds, invoices/s and peak memory.

    python tests/benchmarks/bench_sandbox.py --invoices 1000000

Each size runs in its own process, so the peak resident memory (ru_maxrss) belongs to it alone;
tracemalloc is not used because it slows the generator several times over.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from receivables.sandbox.world import WorldGenerator, WorldSpec

ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}


def run(invoices: int, months: int) -> dict:
    spec = WorldSpec(seed=1, customers=200, invoices=invoices, months=months, as_of=date(2026, 11, 27))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        manifest = WorldGenerator(spec, "5252448487", ACCOUNTS).write(Path(tmp) / "world")
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    return {
        "invoices": invoices, "months": months, "seconds": round(seconds, 2),
        "invoices_per_s": round(invoices / seconds), "bank_transactions": manifest["counts"]["bank_transactions"],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "files_mb": round(size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    results = []
    for n in args.invoices:
        with ProcessPoolExecutor(max_workers=1) as pool:
            results.append(pool.submit(run, n, args.months).result())
    print(json.dumps({"benchmark": "sandbox_generate", "runs": results}, indent=2))


if __name__ == "__main__":
    main()
