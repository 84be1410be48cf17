"""Reading a file a user hands in (a screening CSV, a YAML spec) within a stated size: one place for the bounded
read and its one-line errors. No side effects at import."""

from __future__ import annotations

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
