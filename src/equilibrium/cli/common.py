"""Shared helpers for CLI commands: error handling, JSON output, consoles."""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from equilibrium.errors import EquilibriumError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn any :class:`EquilibriumError` into one line on stderr and exit status 2 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except EquilibriumError as exc:
            first, *rest = str(exc).splitlines() or [""]
            err_console.print(f"[bold red]error:[/] {first}", highlight=False, markup=True, soft_wrap=True)
            for line in rest:
                err_console.print(line, highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def _clean(obj: Any) -> Any:
    if isinstance(obj, float):
        return None if not math.isfinite(obj) else obj
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return _clean(obj.item())
    return obj


def print_json(obj: Any) -> None:
    """Print ``obj`` as one JSON object on stdout (non-finite floats become null)."""
    sys.stdout.write(json.dumps(_clean(obj), ensure_ascii=False, indent=2) + "\n")


def fmt_km(x: float | None) -> str:
    """``12,345 km`` formatting for a distance in km."""
    return "—" if x is None else f"{x:,.0f} km"


def fmt_num(x: float) -> str:
    """``12,345`` for large numbers, up to two decimals for small ones (``1.4``)."""
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def fmt_interval(low: float, high: float, unit: str = "km") -> str:
    """``1,500–2,000 km`` or ``2,750 km`` when low equals high; ``1.4 m`` for small values."""
    if abs(high - low) < 1e-9:
        return f"{fmt_num(low)} {unit}"
    return f"{fmt_num(low)}–{fmt_num(high)} {unit}"
