"""Shared helpers for CLI commands: error handling, JSON output, consoles."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from equilibrium.errors import EquilibriumError, InvalidInput

P = ParamSpec("P")
R = TypeVar("R")

console = Console(emoji=False)  # "USA:guam:" is a region spec, not an emoji code
err_console = Console(stderr=True, emoji=False)


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


def check_output_path(path: Path, suffixes: Sequence[str] = (), *, option: str = "-o", folder: bool = False) -> Path:
    """Refuse an output location before any work starts (:class:`InvalidInput`, one line): a file path that is a
    folder, whose folder is missing or not a folder, that is not writable, or (with ``suffixes``, e.g.
    ``(".png", ".svg")``) whose extension is not one of them. With ``folder``, ``path`` is a results folder: it
    may exist (as a folder) or will be created, and the nearest existing folder above it must be writable.
    Nothing is left behind: a probe file created to test writing is removed."""
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise InvalidInput(f"{option} {path} is a file, not a folder")
        base = path
        while not base.exists():
            if base.parent == base:
                break
            base = base.parent
        if not base.is_dir():
            raise InvalidInput(f"{option} {path}: {base} is not a folder")
        if not os.access(base, os.W_OK | os.X_OK):
            raise InvalidInput(f"{option} {path}: cannot write in {base} (permission denied)")
        return path
    if path.is_dir():
        example = f" (e.g. {path / ('out' + suffixes[0])})" if suffixes else ""
        raise InvalidInput(f"{option} {path} is a folder; give a file name{example}")
    if suffixes and path.suffix.lower() not in {s.lower() for s in suffixes}:
        raise InvalidInput(f"{option} {path}: the file name must end in {' or '.join(suffixes)}")
    parent = path.parent
    if not parent.exists():
        raise InvalidInput(f"{option} {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise InvalidInput(f"{option} {path}: {parent} is not a folder")
    existed = path.exists()
    try:  # the real test of writability (permissions, read-only file systems), before the work
        with path.open("ab" if existed else "xb"):
            pass
    except OSError as exc:
        raise InvalidInput(f"{option} {path}: cannot write there ({exc.strerror})") from None
    if not existed:
        with contextlib.suppress(OSError):
            path.unlink()
    return path


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` about ``path`` raised inside the block (disk full, removed folder) into
    :class:`InvalidInput` ``cannot write PATH: reason``; other errors pass unchanged."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and Path(exc.filename) == Path(path):
            raise InvalidInput(f"cannot write {path}: {exc.strerror}") from None
        raise


def check_range_km(value: float | None, option: str = "--range-km") -> float | None:
    """``value`` (km) when it is finite and within [0, ``MAX_RANGE_KM``] (one Earth circumference, the HTTP API's
    bound too); else :class:`InvalidInput`."""
    from equilibrium.trajectory.earth import MAX_RANGE_KM  # local: every command (and --help) imports this module

    if value is None:
        return None
    if not (math.isfinite(value) and 0 <= value <= MAX_RANGE_KM):
        raise InvalidInput(f"{option} must be a finite number of km from 0 to {MAX_RANGE_KM:,.0f} (one Earth "
                           f"circumference), not {value:g}")
    return value


def ask(q: Any, as_json: bool, /, **params: Any) -> Any:
    """Ask the question ``q`` (a :class:`~equilibrium.questions.Question`) with the CLI's ``params`` (Python names;
    ``None`` means "not given", so the question's own default applies). With ``as_json`` print the answer's JSON
    (the HTTP API's answer, byte for byte after parsing) and return ``None``; else return the answer to render."""
    try:
        parsed = q.parse(params)
    except InvalidInput as exc:
        raise InvalidInput(cli_names(str(exc), q)) from None
    answer = q.fn(parsed)
    if as_json:
        sys.stdout.write(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) + "\n")
        return None
    return answer


def cli_names(message: str, q: Any) -> str:
    """``message`` (a parameter error naming the question's parameters, ``range_km: …``) with each parameter named
    as the running command spells it (``--range-km: …``, ``FROM: …``), so the user sees the option they typed."""
    try:
        from typer._click.globals import get_current_context  # Typer's Click; no public alias in Typer 0.29

        ctx = get_current_context(silent=True)
    except ImportError:  # pragma: no cover - a Typer without its own Click
        ctx = None
    if ctx is None:
        return message
    spelled: dict[str, str] = {}
    for prm in getattr(ctx.command, "params", []):
        name = getattr(prm, "name", None)
        if name:
            opts = [o for o in getattr(prm, "opts", []) if str(o).startswith("--")]
            spelled[name] = max(opts, key=len) if opts else str(getattr(prm, "metavar", None) or name.upper())
    for name, f in q.params.model_fields.items():
        cli = spelled.get(name)
        if cli:
            public = re.escape(f.alias or name)
            message = re.sub(rf"(^|; ){public}(?=[:\[.])", rf"\g<1>{cli.replace(chr(92), chr(92) * 2)}", message)
    return message


def print_stated(answer: Any, names: Sequence[str] | None = None) -> None:
    """Print the defaults an answer states (``launch: …``), dimmed, one per line; only ``names`` when given."""
    for s in answer.defaults:
        if names is not None and s.name not in names:
            continue
        mark = " [yellow](assumed)[/]" if s.source == "assumed" else ""
        note = f" — {s.note}" if s.note else ""
        console.print(f"[dim]{s.name}: {s.value}{note}[/]{mark}", highlight=False)
    for n in answer.notes:
        console.print(f"[dim]note: {n}[/]", highlight=False)
