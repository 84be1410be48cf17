"""A small content-keyed disk cache for derived data that is slow to rebuild and safe to rebuild.

Used for parsed YAML data files (:mod:`equilibrium.provenance.yamlio`) and decoded boundary geometries
(:mod:`equilibrium.geo.countries`), so a short command does not re-parse the same unchanged files. Entries live
under ``$EQUILIBRIUM_CACHE_DIR/<namespace>/`` (default ``~/.cache/equilibrium``), keyed by the caller (a content
hash of the input, a format version); a missing, corrupt or foreign entry is simply rebuilt. Values are plain data
only (dicts, lists, tuples, strings, bytes, numbers, dates): the unpickler refuses anything else, so a planted file
cannot run code. Writes are atomic; a folder that cannot be written (read-only) means no cache, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from equilibrium.settings import get_settings

__all__ = ["cache_dir", "digest", "load", "store"]


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles only plain data: builtins containers and scalars and ``datetime`` values."""

    ALLOWED = {("builtins", n) for n in ("dict", "list", "tuple", "set", "frozenset", "str", "int", "float", "bool",
                                         "bytes", "complex")} | {("datetime", n) for n in (
                                             "date", "datetime", "time", "timedelta", "timezone")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the disk cache")


def cache_dir(namespace: str) -> Path | None:
    """``<cache_dir>/<namespace>`` (setting ``EQUILIBRIUM_CACHE_DIR``, default ``~/.cache/equilibrium``), or
    ``None`` when the settings cannot be read."""
    try:
        settings = get_settings()
        base = settings.cache_dir or settings.home / "cache"
        return base / namespace
    except Exception:  # noqa: BLE001 - no home, no cache
        return None


def digest(*parts: bytes | str) -> str:
    """SHA-256 (hex) over ``parts``."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def load(namespace: str, key: str) -> Any | None:
    """The value stored under ``key``, or ``None`` (absent, unreadable, corrupt or not plain data)."""
    d = cache_dir(namespace)
    if d is None:
        return None
    f = d / f"{key}.pickle"
    try:
        with f.open("rb") as fh:
            return _PlainUnpickler(fh).load()
    except Exception:  # noqa: BLE001 - a missing or bad entry is rebuilt by the caller
        return None


def store(namespace: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``key`` (atomically; any failure is ignored)."""
    d = cache_dir(namespace)
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"{key}.pickle"
        tmp = f.with_name(f"{f.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, f)
    except OSError:
        pass
