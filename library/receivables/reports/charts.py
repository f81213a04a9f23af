"""The report's charts as PNG (matplotlib, Agg): one figure per block, sized for a phone-width page.

matplotlib loads on the first chart, never at import: `receivables --help` stays fast.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from receivables.reports.figures import BUCKETS, Report
from receivables.reports.labels import Labels

WIDTH_IN = 3.54  # the PDF's text width (90 mm)
DPI = 170
BUCKET_COLORS = ("#4c9f70", "#f2c14e", "#f08a4b", "#d9534f", "#8b1e3f")
CURRENCY_COLORS = ("#1f5a96", "#c05a00", "#5b8c2a", "#7a4e9c")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "axes.titlesize": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def compact(value: float) -> str:
    """1 234 567 -> 1.2M, 45 600 -> 45.6k: axis ticks and bar labels that fit a phone."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{value / 1_000:.0f}k"
    if size >= 1_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:.0f}"


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    _pyplot().close(fig)
    return out.getvalue()


def _axis_money(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(lambda v, _: compact(v)))


def aging_chart(report: Report, words: Labels) -> bytes | None:
    """Open amount per aging bucket, one panel per currency."""
    rows = [report.aging[c] for c in report.currencies if c in report.aging]
    if not rows:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(len(rows), 1, figsize=(WIDTH_IN, 1.9 * len(rows) + 0.3), squeeze=False)
    names = [words("current") if b == "current" else b for b in BUCKETS]
    for ax, row in zip(axes[:, 0], rows):
        values = [float(row.buckets[b]) for b in BUCKETS]
        bars = ax.bar(names, values, color=BUCKET_COLORS)
        ax.bar_label(bars, labels=[compact(v) for v in values], fontsize=7, padding=1)
        ax.set_title(f"{row.currency}: {words.money(row.total, row.currency)}", loc="left")
        ax.set_ylim(0, max(values) * 1.18 or 1)
        _axis_money(ax)
    fig.suptitle(words("aging_chart"), fontsize=9, x=0.02, ha="left")
    fig.tight_layout()
    return _png(fig)


def aging_share_chart(report: Report, words: Labels) -> bytes | None:
    """One bar per currency split by aging bucket in percent of its open total: the first page's picture."""
    rows = [report.aging[c] for c in report.currencies if c in report.aging and report.aging[c].total > 0]
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.55 * len(rows) + 0.75))
    names = [words("current") if b == "current" else b for b in BUCKETS]
    for y, row in enumerate(rows):
        left = 0.0
        for color, bucket in zip(BUCKET_COLORS, BUCKETS):
            share = float(row.buckets[bucket] * 100 / row.total)
            ax.barh(y, share, left=left, color=color, height=0.6)
            if share >= 7:
                ax.text(left + share / 2, y, f"{share:.0f}%", ha="center", va="center", fontsize=7, color="white")
            left += share
    ax.set_yticks(range(len(rows)), [r.currency for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(left=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in BUCKET_COLORS]
    ax.legend(handles, names, ncol=5, fontsize=6.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              handlelength=1, columnspacing=0.8)
    ax.set_title(words("aging_chart"), loc="left")
    fig.tight_layout()
    return _png(fig)


def dso_chart(report: Report, words: Labels) -> bytes | None:
    """DSO per currency at each week end (days are comparable across currencies: one axis)."""
    series: dict[str, list[tuple[Any, float]]] = {}
    for p in report.dso:
        if p.dso is not None:
            series.setdefault(p.currency, []).append((p.day, float(p.dso)))
    if not series:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3))
    for color, (currency, points) in zip(CURRENCY_COLORS, sorted(series.items())):
        days, values = zip(*points)
        ax.plot(days, values, marker="o", markersize=3, color=color, label=currency)
        ax.annotate(f"{values[-1]:.0f}", (days[-1], values[-1]), textcoords="offset points", xytext=(3, 3),
                    fontsize=7, color=color)
    ax.set_ylabel(words("days"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False)
    ax.set_title(words("dso_chart", days=report.dso_days), loc="left")
    _week_ticks(ax, report)
    fig.tight_layout()
    return _png(fig)


def cash_chart(report: Report, words: Labels) -> bytes | None:
    """Cash applied per ISO week, one panel per currency; received bank credits as a line."""
    currencies = sorted({r.currency for r in report.cash})
    if not currencies:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(len(currencies), 1, figsize=(WIDTH_IN, 1.8 * len(currencies) + 0.3), squeeze=False)
    for ax, color, currency in zip(axes[:, 0], CURRENCY_COLORS, currencies):
        rows = [r for r in report.cash if r.currency == currency]
        x = range(len(rows))
        ax.bar(x, [float(r.applied) for r in rows], color=color, label=words("applied"))
        ax.plot(x, [float(r.received) for r in rows], color="#333333", marker=".", linewidth=1,
                label=words("received"))
        ax.set_xticks(list(x), [f"W{r.span.start.isocalendar()[1]:02d}" for r in rows], fontsize=6, rotation=90)
        total = sum((r.applied for r in rows), Decimal(0))
        ax.set_title(f"{currency}: {words.money(total, currency)}", loc="left")
        _axis_money(ax)
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.suptitle(words("cash_chart"), fontsize=9, x=0.02, ha="left")
    fig.legend(handles, names, fontsize=7, frameon=False, loc="lower center", ncol=2)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(fig)


def _week_ticks(ax: Any, report: Report) -> None:
    ends = [w.end for w in report.weeks]
    step = max(1, len(ends) // 6)
    shown = ends[::-1][::step][::-1]
    ax.set_xticks(shown, [d.strftime("%d.%m") for d in shown], fontsize=7)
