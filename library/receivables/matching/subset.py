"""Bounded subset-sum: which few open invoices add up to a payment (amounts in cents)."""

from __future__ import annotations

from math import comb


def combinations_tried(candidates: int, max_size: int, min_size: int = 2) -> int:
    """How many combinations a search of this size could have matched by chance."""
    return sum(comb(candidates, k) for k in range(min_size, min(max_size, candidates) + 1))


def find_combinations(amounts: list[int], target: int, tolerance: int, *, min_size: int = 2, max_size: int = 6,
                      budget: int = 20000, limit: int = 3) -> list[tuple[int, ...]]:
    """Index tuples (ascending) of `amounts` whose sum is within `tolerance` of `target`.

    Depth-first over amounts in descending order, pruned when the sum overshoots or when even the
    largest remaining amounts cannot reach the target; stops after `budget` steps or `limit` finds.
    Amounts must be positive.
    """
    order = sorted(range(len(amounts)), key=lambda i: (-amounts[i], i))
    values = [amounts[i] for i in order]
    n = len(values)
    low, high = target - tolerance, target + tolerance
    found: list[tuple[int, ...]] = []
    steps = 0
    chosen: list[int] = []

    def reach(start: int, slots: int) -> int:
        return sum(values[start:start + slots])

    def walk(start: int, total: int) -> bool:
        nonlocal steps
        for i in range(start, n):
            steps += 1
            if steps > budget:
                return False
            value = values[i]
            new_total = total + value
            if new_total > high:
                continue
            slots = max_size - len(chosen) - 1
            if new_total + reach(i + 1, slots) < low:
                return True  # smaller values later cannot reach either
            chosen.append(i)
            if len(chosen) >= min_size and new_total >= low:
                found.append(tuple(sorted(order[j] for j in chosen)))
                if len(found) >= limit:
                    chosen.pop()
                    return False
            if len(chosen) < max_size and not walk(i + 1, new_total):
                chosen.pop()
                return False
            chosen.pop()
        return True

    walk(0, 0)
    return found
