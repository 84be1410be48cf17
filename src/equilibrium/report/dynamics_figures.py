"""Dynamics figures: military expenditure by year on a log axis with the tested break years, and scenario fan charts
(P5–P95 band and median per year) of a scenario beside the scenario it is compared with.

matplotlib's object-oriented API on the Agg canvas (no pyplot), through :mod:`equilibrium.report.plotting`. The
inputs are plain data (:class:`Fan`, dicts of lists); each function returns the image bytes and writes them to ``out``
when given (PNG, or SVG when ``out`` ends in ``.svg``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from equilibrium.report.plotting import new_figure as _fig
from equilibrium.report.plotting import save_figure as _save

__all__ = ["Band", "Fan", "fan_figure", "series_figure"]

COUNTRY_COLOUR: dict[str, str] = {"CHN": "#c0392b", "IND": "#d97706", "PAK": "#15803d"}
SCENARIO_COLOUR = "#b4441f"
BASELINE_COLOUR = "#5d6675"


@dataclass(frozen=True)
class Band:
    """One scenario's percentiles per year (same length as the fan's years)."""

    label: str
    p5: Sequence[float]
    p50: Sequence[float]
    p95: Sequence[float]


@dataclass(frozen=True)
class Fan:
    """One panel: the output's title and unit, the years, the scenario's band and (optionally) the compared one."""

    title: str
    unit: str
    years: Sequence[int]
    scenario: Band
    baseline: Band | None = None
    ylim: tuple[float, float] | None = None


def fan_figure(fans: Sequence[Fan], out: Path | str | None = None, title: str | None = None,
               fmt: str | None = None) -> bytes:
    """Fan charts side by side, one panel per :class:`Fan`: the scenario's P5–P95 band and median (solid), the
    compared scenario's band and median (grey, dashed)."""
    n = max(1, len(fans))
    fig = _fig(3.0 * n + 0.6, 3.3)
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, f in zip(axes, fans, strict=False):
        yrs = list(f.years)
        if f.baseline is not None:
            b = f.baseline
            ax.fill_between(yrs, b.p5, b.p95, color=BASELINE_COLOUR, alpha=0.16, linewidth=0,
                            label=f"{b.label}: P5–P95")
            ax.plot(yrs, b.p50, color=BASELINE_COLOUR, linewidth=1.3, linestyle=(0, (5, 3)), label=f"{b.label}: median")
        s = f.scenario
        ax.fill_between(yrs, s.p5, s.p95, color=SCENARIO_COLOUR, alpha=0.22, linewidth=0, label=f"{s.label}: P5–P95")
        ax.plot(yrs, s.p50, color=SCENARIO_COLOUR, linewidth=1.8, label=f"{s.label}: median")
        ax.set_title(f.title, fontsize=8.5, loc="left")
        ax.set_ylabel(f.unit, fontsize=7.5, color="#3b4650")
        if f.ylim is not None:
            ax.set_ylim(*f.ylim)
        ax.tick_params(labelsize=7.5)
        ax.grid(color="#e3e7ea", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=7.5, frameon=False,
               bbox_to_anchor=(0.5, -0.02))
    if title:
        fig.suptitle(title, fontsize=9.5, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.1, 1, 0.95 if title else 1))
    return _save(fig, out, fmt)


def series_figure(years: Sequence[int], values: Mapping[str, Sequence[float | None]], *,
                  tested: Sequence[int] = (), found: Mapping[int, str] | None = None,
                  out: Path | str | None = None, title: str | None = None, fmt: str | None = None) -> bytes:
    """Military expenditure (US$ m, constant 2022) per country and year on a log axis; ``tested``: candidate break
    years (dashed grey), ``found``: break year → the equation whose break it is (solid, labelled)."""
    fig = _fig(7.2, 3.4)
    ax = fig.add_subplot(1, 1, 1)
    last = -100
    for year in sorted(tested):
        ax.axvline(year, color="#8a94a0", linestyle=(0, (4, 3)), linewidth=0.8)
        near = year - last < 5  # a label close to the previous one goes to its right, not on top of it
        ax.text(year, 1.0, f" {year}" if near else f"{year}", transform=ax.get_xaxis_transform(), fontsize=7,
                color="#5d6675", va="bottom", ha="left" if near else "right")
        last = year
    for year, actor in (found or {}).items():
        ax.axvline(year, color=COUNTRY_COLOUR.get(actor, "#333333"), linewidth=1.6)
        ax.text(year + 0.6, 0.03, f"break ({actor} equation) {year}", transform=ax.get_xaxis_transform(), fontsize=7,
                color=COUNTRY_COLOUR.get(actor, "#333333"), fontweight="bold", va="bottom", ha="left")
    for iso, vals in values.items():
        pts = [(y, v) for y, v in zip(years, vals, strict=True) if v is not None and v > 0]
        if not pts:
            continue
        xs, ys = zip(*pts, strict=True)
        colour = COUNTRY_COLOUR.get(iso, "#333333")
        ax.plot(xs, ys, color=colour, linewidth=1.7, label=iso)
        ax.text(xs[-1] + 0.8, ys[-1], iso, color=colour, fontsize=8, fontweight="bold", va="center")
    ax.set_yscale("log")
    ax.set_ylabel("US$ m, constant 2022 (log scale)", fontsize=8)
    ax.tick_params(labelsize=7.5)
    ax.grid(color="#e3e7ea", linewidth=0.6, which="major")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=9, loc="left", pad=14)
    fig.tight_layout()
    return _save(fig, out, fmt)
