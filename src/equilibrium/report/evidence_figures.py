"""Evidence figures: success shares with 95 % Wilson intervals, one dot and bar per data set × goal group.

matplotlib's object-oriented API on the Agg canvas (no pyplot), through :mod:`equilibrium.report.trajectory_figures`'
helpers. The input is plain data (:class:`IntervalRow`); the function returns the image bytes and writes them to
``out`` when given (PNG, or SVG when ``out`` ends in ``.svg``).

Layout: one horizontal row per share, grouped in blocks (one block per data set and measure, its title in bold on a
row of its own); the share and ``k/n`` are written in a column right of the axes, so labels never overlap the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from equilibrium.report.plotting import new_figure as _fig
from equilibrium.report.plotting import save_figure as _save

GROUP_STYLE: dict[str, tuple[str, str]] = {
    "all": ("#5d6d7e", "all goals"),
    "goal": ("#c0392b", "nonproliferation-type goals (codes in the text)"),
}
"""Goal group → (colour, legend text)."""

SENDER_MARKER: dict[bool, tuple[str, str]] = {False: ("o", "any sender"), True: ("s", "US among the senders")}
"""US-sender subset → (marker, legend text); US subsets are drawn hollow."""


@dataclass(frozen=True)
class IntervalRow:
    """One share: its block (data set and measure), row label, goal group (``all`` or ``goal``), whether it is the
    US-sender subset, and ``k`` of ``n`` with the 95 % interval (``None`` when ``n == 0``)."""

    block: str
    label: str
    group: str
    us: bool
    k: int
    n: int
    ci95: tuple[float, float] | None


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def interval_figure(rows: Sequence[IntervalRow], out: Path | str | None = None, title: str | None = None,
                    fmt: str | None = None) -> bytes:
    """Dot-and-interval chart of ``rows`` (share on the x axis, 0-100 %), blocks in the order given."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    blocks: list[str] = list(dict.fromkeys(r.block for r in rows))
    # y positions from the top: a title row per block, then its rows, then a gap
    items: list[tuple[float, str, IntervalRow | None]] = []
    y = 0.0
    for b in blocks:
        items.append((y, b, None))
        y += 1.0
        for row in (x for x in rows if x.block == b):
            items.append((y, row.label, row))
            y += 1.0
        y += 0.45
    height = 1.1 + 0.27 * y
    fig = _fig(7.8, height)
    bottom, top = 0.75 / height, 0.4 / height
    ax = fig.add_axes((0.3, bottom, 0.56, 1 - bottom - top))
    ax.set_xlim(-0.01, 1.0)
    ax.set_ylim(y - 0.2, -0.8)
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xticklabels(["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], fontsize=8)
    ax.grid(axis="x", color="#e3e7ea", linewidth=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, pad=9)
    ax.set_yticks([yy for yy, _, _ in items])
    ax.set_yticklabels(["" if item is None else lab for _, lab, item in items], fontsize=8, color="#3b4650")
    left = blended_transform_factory(fig.transFigure, ax.transData)
    for yy, lab, item in items:
        if item is None:
            ax.text(0.015, yy, lab, transform=left, fontsize=8.5, fontweight="bold", color="#1d2327", va="center",
                    ha="left")
    ax.text(1.02, -0.8, "share   k / n", transform=ax.get_yaxis_transform(), fontsize=7.5, color="#5b6670",
            va="center", ha="left")
    for yy, _, r in items:
        if r is None:
            if yy > 0:
                ax.axhline(yy - 0.72, color="#d9dee2", linewidth=0.6)
            continue
        colour = GROUP_STYLE[r.group][0]
        marker = SENDER_MARKER[r.us][0]
        if r.n == 0 or r.ci95 is None:
            ax.text(1.02, yy, "n = 0", transform=ax.get_yaxis_transform(), fontsize=7.5, va="center",
                    color="#5b6670")
            continue
        lo, hi = r.ci95
        share = r.k / r.n
        ax.plot([lo, hi], [yy, yy], color=colour, linewidth=2.0, solid_capstyle="butt")
        ax.plot([lo, lo], [yy - 0.22, yy + 0.22], color=colour, linewidth=1.0)
        ax.plot([hi, hi], [yy - 0.22, yy + 0.22], color=colour, linewidth=1.0)
        ax.plot([share], [yy], marker=marker, markersize=6.5, color=colour,
                markerfacecolor="white" if r.us else colour, markeredgewidth=1.4, linestyle="none", clip_on=False)
        ax.text(1.02, yy, f"{_pct(share):>5}   {r.k:,}/{r.n:,}", transform=ax.get_yaxis_transform(), fontsize=7.5,
                va="center", ha="left", color="#1d2327", family="monospace")
    ax.set_xlabel("share of the data set's counted outcomes that are successes (95 % Wilson interval)", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10, fontweight="bold", x=0.02, ha="left", y=1 - 0.12 / height)
    handles = [Line2D([], [], color=c, marker="o", linestyle="-", linewidth=2, markersize=6, label=t)
               for c, t in GROUP_STYLE.values()]
    handles.append(Line2D([], [], color="#1d2327", marker="s", markerfacecolor="white", linestyle="none",
                          markersize=6, label="US among the senders (hollow)"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.5 / ((1 - bottom - top) * height)),
              ncol=3, fontsize=7.5, frameon=False, handlelength=2.2, columnspacing=1.2)
    return _save(fig, out, fmt)
