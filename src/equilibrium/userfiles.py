"""Reading a file a user hands in (a screening CSV, a YAML spec) within a stated size: one place for the bounded
read and its one-line errors; and the per-context data path a user gives (the CLI's ``--path``). No side effects at
import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from equilibrium.errors import DataError


def read_bounded(path: Path, max_bytes: int, what: str, hint: str = "") -> bytes:
    """The bytes of ``path`` if it holds at most ``max_bytes`` bytes; :class:`DataError` naming the file when it
    cannot be read or is larger (``what`` names the kind of file, ``hint`` is appended: "; split it")."""
    try:
        with Path(path).open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise DataError(f"{path} is larger than {max_bytes:,} bytes, the limit for {what}{hint}")
    return raw


class PathOverride:
    """A data path that, within a block, stands in for ``$EQUILIBRIUM_DATA_DIR`` (the CLI's ``--path``), per
    context (thread or task). ``name`` names the context variable (one per data domain)."""

    def __init__(self, name: str) -> None:
        self._var: ContextVar[Path | None] = ContextVar(name, default=None)

    @contextmanager
    def use(self, path: str | Path | None) -> Iterator[None]:
        """Within the block :meth:`get` gives ``path`` (user-expanded; ``None`` clears it)."""
        token = self._var.set(Path(path).expanduser() if path is not None else None)
        try:
            yield
        finally:
            self._var.reset(token)

    def get(self) -> Path | None:
        """The path set by the innermost :meth:`use`, if any."""
        return self._var.get()
