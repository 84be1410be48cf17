"""Trajectory figures: altitude against downrange, payload–range, Monte Carlo histogram.

matplotlib's object-oriented API on the Agg canvas (no pyplot, no global state), imported inside the functions.
Inputs are the JSON-ready dicts of :mod:`equilibrium.trajectory` (km, kg, s). Each function returns the image
bytes and writes them to ``out`` when given (PNG, or SVG when ``out`` ends in ``.svg``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from equilibrium.report.plotting import new_figure as _fig
from equilibrium.report.plotting import save_figure as _save

MODEL_NOTE = ("3-DOF point mass, WGS-84 ellipsoid with J2 gravity, US Standard Atmosphere 1976; "
              "Equilibrium trajectory engine")


def trajectory_figure(flights: Sequence[tuple[str, dict[str, Any]]], out: Path | str | None = None,
                      title: str | None = None, fmt: str | None = None) -> bytes:
    """Altitude (km) against downrange distance (km) for flights with a ``history``; burnout and apogee marked."""
    fig = _fig()
    ax = fig.add_subplot(1, 1, 1)
    for label, d in flights:
        h = d.get("history")
        if not h:
            continue
        x, y = np.asarray(h["downrange_km"]), np.asarray(h["altitude_km"])
        line, = ax.plot(x, y, linewidth=1.6,
                        label=f"{label}: {d['range_km']:,.0f} km, apogee {d['apogee_km']:,.0f} km")
        t = np.asarray(h["t_s"])
        bo = d["burnout"]["time_s"]
        if np.isfinite(bo):
            i = int(np.argmin(np.abs(t - bo)))
            ax.plot([x[i]], [y[i]], "o", color=line.get_color(), markersize=4)
    ax.set_xlabel("Downrange distance along the ground track (km)")
    ax.set_ylabel("Altitude above the WGS-84 ellipsoid (km)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.25)  # head-room so the legend sits above the arcs
    ax.legend(fontsize=8, loc="upper center", framealpha=0.9, ncol=1)
    ax.set_title(title or "Trajectory (dot: burnout)", fontsize=11, loc="left")
    fig.text(0.01, -0.02, MODEL_NOTE, fontsize=7, color="#555555")
    return _save(fig, out, fmt)


def payload_range_figure(points: Sequence[dict[str, Any]], out: Path | str | None = None,
                         title: str | None = None, fmt: str | None = None,
                         reference_km: Sequence[tuple[str, float]] = ()) -> bytes:
    """Maximum range (km) against payload (kg), with optional labelled reference distances (km)."""
    fig = _fig(6.8, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    p = np.array([x["payload_kg"] for x in points])
    r = np.array([x["range_km"] for x in points])
    ax.plot(p, r, "o-", color="#1f5fa8", linewidth=1.6, markersize=4)
    for label, km in reference_km:
        ax.axhline(km, color="#b33", linewidth=0.9, linestyle="--")
        ax.text(p.min(), km, f" {label} ({km:,.0f} km)", fontsize=7.5, color="#b33", va="bottom")
    ax.set_xlabel("Payload (kg)")
    ax.set_ylabel("Maximum range (km)")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_title(f"Payload–range{': ' + title if title else ''}", fontsize=11, loc="left")
    fig.text(0.01, -0.02, MODEL_NOTE, fontsize=7, color="#555555")
    return _save(fig, out, fmt)


def montecarlo_figure(ranges_km: np.ndarray, summary: dict[str, Any], out: Path | str | None = None,
                      title: str | None = None, fmt: str | None = None) -> bytes:
    """Histogram of the sampled maximum ranges (km) with P5, P50 and P95 marked."""
    fig = _fig(6.8, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    r = np.asarray(ranges_km, float)
    r = r[np.isfinite(r)]
    ax.hist(r, bins=min(60, max(10, int(np.sqrt(len(r))))), color="#7aa6d6", edgecolor="white")
    for key, style in (("p5_km", ":"), ("p50_km", "-"), ("p95_km", ":")):
        v = summary.get(key)
        if v is not None and np.isfinite(v):
            ax.axvline(v, color="#222222", linestyle=style, linewidth=1.1)
            ax.text(v, ax.get_ylim()[1] * 0.97, f" {key[:-3].upper()} {v:,.0f}", fontsize=7.5, va="top")
    ax.set_xlabel("Maximum range (km)")
    ax.set_ylabel("Samples")
    ax.set_title(f"Monte Carlo, {summary.get('n', len(r)):,} samples{': ' + title if title else ''}", fontsize=11,
                 loc="left")
    fig.text(0.01, -0.02, MODEL_NOTE + f"; seed {summary.get('seed')}", fontsize=7, color="#555555")
    return _save(fig, out, fmt)
