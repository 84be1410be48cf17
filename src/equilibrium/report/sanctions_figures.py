"""Sanctions figures: the timeline of actions by target and the sanctions network.

matplotlib's object-oriented API on the Agg canvas (no pyplot), imported inside the functions through
:mod:`equilibrium.report.trajectory_figures`' helpers. Inputs are plain data (lanes of points, label spans) or the
:class:`networkx.MultiDiGraph` of :func:`equilibrium.sanctions.network.build_network`; each function returns the
image bytes and writes them to ``out`` when given (PNG, or SVG when ``out`` ends in ``.svg``).

Labels are placed greedily: each one tries a list of positions and takes the first whose box (measured by the
renderer) overlaps no label, marker or node box placed before it and stays inside the axes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equilibrium.report.plotting import new_figure as _fig
from equilibrium.report.plotting import save_figure as _save

TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "designation": ("o", "#1f5fa8", "designation on a list"),
    "menu-sanction": ("s", "#8e44ad", "menu sanction"),
    "statutory-sanction": ("D", "#c0392b", "statutory sanction"),
    "waiver": ("^", "#2a9d8f", "waiver"),
    "delisting": ("v", "#16a085", "delisting"),
    "determination-not-made": ("P", "#d08c00", "determination not made"),
    "statement": ("p", "#5d6d7e", "statement"),
    "legislative-measure": ("h", "#a04000", "legislative measure"),
}
"""Action type → (marker, colour, legend text)."""

KIND_STYLE: dict[str, tuple[str, str, float, str]] = {
    "sender": ("*", "#1d2327", 260.0, "sender"),
    "action": ("s", "#9aa5ad", 26.0, "action (hollow: unverified)"),
    "government": ("o", "#7b1e16", 150.0, "government"),
    "state-entity": ("o", "#c0392b", 80.0, "state entity"),
    "private-firm": ("o", "#1f5fa8", 60.0, "private firm"),
    "person": ("o", "#8e44ad", 60.0, "person"),
    "organisation": ("o", "#7f8c8d", 60.0, "organisation"),
    "authority": ("D", "#d08c00", 60.0, "legal authority"),
    "program": ("h", "#2a9d8f", 60.0, "programme"),
    "country": ("p", "#16a085", 110.0, "country (named in a title)"),
    "list-entry": ("v", "#5d6d7e", 40.0, "list entry (store)"),
}
"""Network node kind → (marker, colour, base size in pt², legend text)."""

LABEL_SIZE = 8.0


def year_fraction(date: str) -> float:
    """``1998`` → 1998.5, ``1998-05`` → the middle of May 1998, ``1998-05-13`` → that day (decimal years)."""
    parts = [int(p) for p in date.split("-")]
    y = parts[0]
    if len(parts) == 1:
        return y + 0.5
    if len(parts) == 2:
        return y + (parts[1] - 0.5) / 12.0
    d = dt.date(y, parts[1], parts[2])
    n = (dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days
    return y + (d.timetuple().tm_yday - 0.5) / n


@dataclass
class Lane:
    """One row of the timeline: a label and its points ``{"date", "type", "unverified"}``."""

    label: str
    points: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Span:
    """A labelled episode on lane ``lane`` from ``date0`` to ``date1`` (ISO dates)."""

    lane: int
    date0: str
    date1: str
    text: str


class _Placer:
    """Greedy non-overlapping placement of text boxes in display coordinates."""

    def __init__(self, fig: Any, ax: Any, pad: float = 2.0) -> None:
        self.fig, self.ax, self.pad = fig, ax, pad
        self.renderer = fig.canvas.get_renderer()
        self.boxes: list[Any] = []
        self.frame = ax.get_window_extent(self.renderer)

    def block(self, bbox: Any) -> None:
        self.boxes.append(bbox)

    def block_point(self, x: float, y: float, size_pt: float) -> None:
        """Reserve the box of a marker of ``size_pt`` points (diameter) at data (x, y)."""
        from matplotlib.transforms import Bbox

        px, py = self.ax.transData.transform((x, y))
        r = size_pt * self.fig.dpi / 72.0 / 2.0
        self.boxes.append(Bbox.from_extents(px - r, py - r, px + r, py + r))

    def _bad(self, bb: Any, inside: bool, skip: Any = None) -> float:
        """Overlap area (px²) with the reserved boxes (and outside the frame, when ``inside``); boxes containing the
        display point ``skip`` are ignored."""
        from matplotlib.transforms import Bbox

        p = self.pad
        b = Bbox.from_extents(bb.x0 - p, bb.y0 - p, bb.x1 + p, bb.y1 + p)
        area = 0.0
        for o in self.boxes:
            if skip is not None and o.x0 <= skip[0] <= o.x1 and o.y0 <= skip[1] <= o.y1:
                continue
            w = min(b.x1, o.x1) - max(b.x0, o.x0)
            h = min(b.y1, o.y1) - max(b.y0, o.y0)
            if w > 0 and h > 0:
                area += w * h
        if inside:
            f = self.frame
            out_w = max(0.0, f.x0 - bb.x0) + max(0.0, bb.x1 - f.x1)
            out_h = max(0.0, f.y0 - bb.y0) + max(0.0, bb.y1 - f.y1)
            area += 1e4 * (out_w + out_h)
        return area

    def _leader(self, bb: Any, anchor: tuple[float, float]) -> Any:
        """The box (display) of a leader line from ``anchor`` (data) to the nearest point of ``bb``, or ``None``
        when the anchor is inside ``bb``."""
        from matplotlib.transforms import Bbox

        ax_, ay_ = self.ax.transData.transform(anchor)
        ex, ey = min(max(ax_, bb.x0), bb.x1), min(max(ay_, bb.y0), bb.y1)
        if abs(ex - ax_) < 1 and abs(ey - ay_) < 1:
            return None
        return Bbox.from_extents(min(ax_, ex) - 0.5, min(ay_, ey) - 0.5, max(ax_, ex) + 0.5, max(ay_, ey) + 0.5)

    def place(self, text: Any, candidates: Sequence[tuple[float, float, str, str]], inside: bool = True,
              anchor: Callable[[tuple[float, float, str, str]], tuple[float, float]] | None = None) -> int:
        """Move ``text`` to the first candidate ``(x, y, ha, va)`` (data coordinates) with no overlap, else to
        the least-overlapping one; reserve its box (and the box of its leader line from ``anchor(candidate)``,
        which must not cross a reserved box either, the anchor's own box excepted) and return the index chosen."""
        best, best_i = None, 0
        for i, cand in enumerate(candidates):
            x, y, ha, va = cand
            text.set_position((x, y))
            text.set_ha(ha)
            text.set_va(va)
            bb = text.get_window_extent(self.renderer)
            bad = self._bad(bb, inside)
            if anchor is not None:
                lb = self._leader(bb, anchor(cand))
                if lb is not None:
                    bad += self._bad(lb, False, skip=self.ax.transData.transform(anchor(cand)))
            if bad == 0.0:
                best_i = i
                break
            if best is None or bad < best:
                best, best_i = bad, i
        cand = candidates[best_i]
        text.set_position(cand[:2])
        text.set_ha(cand[2])
        text.set_va(cand[3])
        bb = text.get_window_extent(self.renderer)
        self.boxes.append(bb)
        if anchor is not None:
            lb = self._leader(bb, anchor(cand))
            if lb is not None:
                self.boxes.append(lb)
        return best_i


def _stack(xs: Sequence[float], min_dx: float) -> list[int]:
    """Vertical slot (0, 1, -1, 2, -2, ...) of each point so that points closer than ``min_dx`` do not overlap."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    slots: list[int] = [0] * len(xs)
    placed: list[tuple[float, int]] = []
    seq = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5]
    for i in order:
        for s in seq:
            if all(abs(xs[i] - x) >= min_dx or s != t for x, t in placed):
                slots[i] = s
                break
        placed.append((xs[i], slots[i]))
    return slots


def timeline_figure(lanes: Sequence[Lane], spans: Sequence[Span] = (), out: Path | str | None = None,
                    title: str | None = None, fmt: str | None = None, first_year: int = 1979,
                    last_year: int = 2024, note: str = "") -> bytes:
    """Actions on a time axis, one lane per target (top to bottom in the given order); marker shape and colour
    by action type, hollow when unverified; ``spans`` labelled above or below their lane without overlap."""
    from matplotlib.lines import Line2D

    years = [year_fraction(p["date"]) for lane in lanes for p in lane.points]
    x0 = min([float(first_year), *years]) - 0.8
    x1 = max([float(last_year) + 1.0, *years]) + 0.8
    gap, dy, msize = 2.0, 0.15, 6.0
    n = max(1, len(lanes))
    fig = _fig(7.6, 1.3 + 1.35 * n)
    ax = fig.add_subplot(1, 1, 1)
    ys = [-i * gap for i in range(len(lanes))]
    ax.set_xlim(x0, x1)
    ax.set_ylim(-(n - 1) * gap - 0.8, 1.45)
    ax.set_yticks(ys, [lane.label for lane in lanes], fontsize=9)
    ax.tick_params(axis="y", length=0)
    step = 5
    ax.set_xticks(list(range((first_year // step) * step + (step if first_year % step else 0), int(x1) + 1, step)))
    ax.set_xticks(list(range(int(x0) + 1, int(x1) + 1)), minor=True)
    ax.tick_params(axis="x", labelsize=8.5)
    ax.grid(True, axis="x", which="major", color="#e3e6e8", linewidth=0.6)
    for s in ("top", "right", "left"):
        ax.spines[s].set_visible(False)
    for y in ys:
        ax.axhline(y, color="#c9cfd4", linewidth=0.8, zorder=0)
    if title:
        ax.set_title(title, fontsize=10.5, loc="left")
    fig.tight_layout()
    placer = _Placer(fig, ax)
    # Markers, stacked where they would overlap (min_dx ≈ one marker width in years).
    width_px = ax.get_window_extent(placer.renderer).width
    min_dx = (msize * 1.15 * fig.dpi / 72.0) / width_px * (x1 - x0)
    lane_stack: list[float] = []
    used: dict[str, bool] = {}
    any_unverified = False
    for y, lane in zip(ys, lanes, strict=True):
        xs = [year_fraction(p["date"]) for p in lane.points]
        slots = _stack(xs, min_dx)
        lane_stack.append(max([abs(s) for s in slots], default=0) * dy)
        for x, slot, p in zip(xs, slots, lane.points, strict=True):
            marker, color, _ = TYPE_STYLE.get(p["type"], ("o", "#555555", p["type"]))
            hollow = bool(p.get("unverified"))
            any_unverified |= hollow
            used[p["type"]] = True
            ax.plot([x], [y + slot * dy], linestyle="none", marker=marker, markersize=msize,
                    markerfacecolor="white" if hollow else color, markeredgecolor=color,
                    markeredgewidth=1.3 if hollow else 0.6, zorder=3)
            placer.block_point(x, y + slot * dy, msize + 1)
    # Span labels: a bracket just outside the lane's markers, the text beyond it, above or below.
    for sp in sorted(spans, key=lambda s: (year_fraction(s.date1) - year_fraction(s.date0), s.date0)):
        if not 0 <= sp.lane < len(lanes):
            continue
        y = ys[sp.lane]
        a, b = year_fraction(sp.date0), year_fraction(sp.date1)
        mid = (a + b) / 2.0
        txt = ax.text(mid, y, sp.text, fontsize=LABEL_SIZE, color="#1d2327", zorder=5,
                      bbox={"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
        cands: list[tuple[float, float, str, str]] = []
        edge = max(lane_stack[sp.lane], 0.0) + dy * 1.1
        shifts = ((0.0, "center"), (-0.4, "right"), (0.4, "left"), (-2.5, "right"), (2.5, "left"))
        for sign, levels in ((1, (0.0, 0.27, 0.54)), (-1, (0.0, 0.27))):  # above the lane first, then below
            for level in levels:
                ty = y + sign * (edge + 0.1 + level)
                va = "bottom" if sign > 0 else "top"
                cands += [(mid + dx, ty, ha, va) for dx, ha in shifts]
        def anchor(c: tuple[float, float, str, str], y: float = y, mid: float = mid, edge: float = edge
                   ) -> tuple[float, float]:
            return mid, y + (edge if c[3] == "bottom" else -edge)

        i = placer.place(txt, cands, anchor=anchor)
        tx, ty, ha, va = cands[i]
        sign = 1 if va == "bottom" else -1
        by = y + sign * edge
        if b - a > 0.15:
            ax.plot([a - 0.15, a - 0.15, b + 0.15, b + 0.15], [by - sign * 0.05, by, by, by - sign * 0.05],
                    color="#6b757d", linewidth=0.7, zorder=2)
        bb = txt.get_window_extent(placer.renderer)
        inv = ax.transData.inverted()
        lx0, _ = inv.transform((bb.x0, bb.y0))
        lx1, _ = inv.transform((bb.x1, bb.y0))
        ex = min(max(mid, lx0 + 0.1), lx1 - 0.1)
        ax.plot([mid, ex], [by, ty], color="#6b757d", linewidth=0.6, zorder=2)
    handles = [Line2D([], [], linestyle="none", marker=TYPE_STYLE[t][0], markersize=6, color=TYPE_STYLE[t][1],
                      markeredgecolor=TYPE_STYLE[t][1], label=TYPE_STYLE[t][2]) for t in TYPE_STYLE if t in used]
    if any_unverified:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                              markeredgecolor="#555555", markeredgewidth=1.3, label="hollow: unverified"))
    if handles:
        ax.legend(handles=handles, fontsize=8, ncol=min(4, len(handles)), loc="upper center",
                  bbox_to_anchor=(0.5, -0.09), frameon=False, handletextpad=0.3, columnspacing=1.2)
    if note:
        fig.text(0.01, -0.02, note, fontsize=7, color="#555555", va="top")
    return _save(fig, out, fmt)


def _layout(g: Any, seed: int) -> dict[Any, tuple[float, float]]:
    """Kamada–Kawai on the undirected simple graph, started from a seeded spring layout (deterministic);
    components laid out side by side."""
    import networkx as nx

    h = nx.Graph(g.to_undirected())
    if h.number_of_nodes() == 0:
        return {}
    start = nx.spring_layout(h, seed=seed)
    try:
        pos = nx.kamada_kawai_layout(h, pos=start)
    except (ImportError, ModuleNotFoundError):  # scipy absent: the spring layout alone
        pos = nx.spring_layout(h, seed=seed, iterations=200)
    return {k: (float(v[0]), float(v[1])) for k, v in pos.items()}


def network_figure(g: Any, out: Path | str | None = None, title: str | None = None, fmt: str | None = None,
                   label_nodes: Sequence[str] = (), seed: int = 7, note: str = "") -> bytes:
    """Draw a sanctions network (:func:`equilibrium.sanctions.network.build_network`): nodes coloured and shaped
    by ``kind`` with a legend, unverified actions hollow, ``mentions``/``concerns`` edges dashed, labels on
    ``label_nodes`` only (placed without overlap)."""
    from matplotlib.lines import Line2D

    fig = _fig(7.6, 6.4)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10.5, loc="left")
    pos = _layout(g, seed)
    if not pos:
        ax.text(0.5, 0.5, "no actions in the record", ha="center", va="center", fontsize=9, color="#555555",
                transform=ax.transAxes)
        return _save(fig, out, fmt)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    mx = (max(xs) - min(xs)) * 0.08 + 0.05
    my = (max(ys) - min(ys)) * 0.08 + 0.05
    ax.set_xlim(min(xs) - mx, max(xs) + mx)
    ax.set_ylim(min(ys) - my, max(ys) + my)
    for u, v, d in g.edges(data=True):
        kind = d.get("kind", "")
        dashed = kind in ("mentions", "concerns")
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="#8a949c" if dashed else "#b9c1c7",
                linewidth=0.8 if dashed else 0.6, linestyle=(0, (3, 2)) if dashed else "-", zorder=1)
    deg = dict(g.degree())
    sizes: dict[Any, float] = {}
    kinds_used: dict[str, bool] = {}
    for n, d in g.nodes(data=True):
        kind = d.get("kind", "organisation")
        marker, color, base, _ = KIND_STYLE.get(kind, ("o", "#555555", 50.0, kind))
        size = base
        if d.get("group") == "entity":
            size = base * (1.0 + 0.5 * max(0, int(d.get("actions", 1)) - 1) ** 0.5)
        elif kind in ("authority", "program"):
            size = base * (1.0 + 0.08 * max(0, deg.get(n, 1) - 1))
        sizes[n] = size
        kinds_used[kind] = True
        hollow = kind == "action" and bool(d.get("unverified"))
        ax.scatter([pos[n][0]], [pos[n][1]], s=size, marker=marker, c="white" if hollow else color,
                   edgecolors=color if hollow else "white", linewidths=1.1 if hollow else 0.5, zorder=3)
    fig.tight_layout()
    placer = _Placer(fig, ax, pad=1.5)
    for n in g.nodes:
        placer.block_point(pos[n][0], pos[n][1], max(4.0, sizes[n] ** 0.5))
    order = sorted((n for n in label_nodes if n in pos), key=lambda n: -sizes[n])
    for n in order:
        d = g.nodes[n]
        x, y = pos[n]
        r = (sizes[n] ** 0.5) * 0.6 / 72.0 * fig.dpi
        w = ax.get_window_extent(placer.renderer).width
        off = (r + 3.0) / w * (ax.get_xlim()[1] - ax.get_xlim()[0])
        color = KIND_STYLE.get(str(d.get("kind")), ("o", "#555555", 0.0, ""))[1]
        txt = ax.text(x, y, str(d.get("label", n)), fontsize=LABEL_SIZE, color="#1d2327", zorder=6,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": color,
                            "linewidth": 0.7, "alpha": 0.92})
        cands: list[tuple[float, float, str, str]] = []
        for k in (1.0, 2.4, 4.0, 6.0):
            o = off * k
            cands += [(x, y + o, "center", "bottom"), (x, y - o, "center", "top"), (x + o, y, "left", "center"),
                      (x - o, y, "right", "center"), (x + o, y + o, "left", "bottom"),
                      (x - o, y + o, "right", "bottom"), (x + o, y - o, "left", "top"), (x - o, y - o, "right", "top")]
        def at_node(_c: tuple[float, float, str, str], x: float = x, y: float = y) -> tuple[float, float]:
            return x, y

        placer.place(txt, cands, anchor=at_node)
        bb = txt.get_window_extent(placer.renderer)
        px, py = ax.transData.transform((x, y))
        ex, ey = min(max(px, bb.x0), bb.x1), min(max(py, bb.y0), bb.y1)  # nearest point of the label's box
        if (ex - px) ** 2 + (ey - py) ** 2 > (r + 2.0) ** 2:
            lx, ly = ax.transData.inverted().transform((ex, ey))
            ax.plot([x, lx], [y, ly], color=color, linewidth=0.7, zorder=2)
    handles = []
    for kind, (marker, color, _, text) in KIND_STYLE.items():
        if kind in kinds_used:
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=7 if kind != "sender" else 9,
                                  markerfacecolor=color, markeredgecolor="white", label=text))
    handles.append(Line2D([], [], color="#8a949c", linewidth=0.9, linestyle=(0, (3, 2)),
                          label="named in a note or title"))
    ax.legend(handles=handles, fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              frameon=False, handletextpad=0.3, columnspacing=1.0)
    if note:
        fig.text(0.01, -0.02, note, fontsize=7, color="#555555", va="top")
    return _save(fig, out, fmt)
