"""Per-process caches of the geo package: a bounded LRU for caches keyed by user-supplied specs, and
:func:`cache_info`, the size and bound of every cache (for the web layer's memory report).

Policy: a cache whose key a client can vary freely (a ``lat,lon`` point, a ``city:`` spec, a FROM/TO pair)
is bounded by entry count and, where one entry can hold large numpy arrays, by an approximate byte budget,
so the geo caches together stay under ~100 MB. Caches keyed by a fixed, small set (the atlas files, the
boundary resolutions, the country and sub-region list, argument-less tables) stay unbounded or have a bound
at least the size of that set, so they never evict.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from importlib import import_module
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_REGISTRY: dict[str, tuple[Any, str, str]] = {}
"""Cache name → (cache object, what its key is, note on its bound / bytes per entry)."""

_MODULES = ("atlas", "countries", "regions", "cities", "sites", "geodesic", "samples", "coverage", "field")
"""Geo modules that register caches on import (imported by :func:`cache_info`; none loads data on import)."""


class BoundedCache(Generic[V]):
    """Thread-safe LRU cache bounded by entry count (``maxsize``) and optionally by ``max_bytes``.

    ``sizer(value)`` estimates an entry's bytes (needed for ``max_bytes``; also reported by :meth:`info`).
    Values are computed outside the lock (two threads missing the same key may both compute it; the first
    stored wins, as with :func:`functools.lru_cache`). The newest entry is never evicted, even if it alone
    exceeds ``max_bytes``.
    """

    def __init__(self, maxsize: int, max_bytes: int | None = None,
                 sizer: Callable[[V], int] | None = None) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        if max_bytes is not None and sizer is None:
            raise ValueError("max_bytes needs a sizer")
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._sizer = sizer
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, default: V | None = None) -> V | None:
        """The cached value (marking it most recently used), else ``default``."""
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return default
            self._data.move_to_end(key)
            return item[0]

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of ``key``, computing and storing ``compute()`` on a miss."""
        with self._lock:
            item = self._data.get(key)
            if item is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return item[0]
            self.misses += 1
        value = compute()
        return self.put(key, value)

    def put(self, key: Hashable, value: V) -> V:
        """Store ``value`` (unless another thread stored ``key`` first: that value is kept and returned)."""
        nbytes = self._sizer(value) if self._sizer is not None else 0
        with self._lock:
            item = self._data.get(key)
            if item is not None:
                self._data.move_to_end(key)
                return item[0]
            self._data[key] = (value, nbytes)
            self._bytes += nbytes
            while len(self._data) > 1 and (len(self._data) > self.maxsize or (
                    self.max_bytes is not None and self._bytes > self.max_bytes)):
                _, (_, old) = self._data.popitem(last=False)
                self._bytes -= old
        return value

    def __getitem__(self, key: Hashable) -> V:
        with self._lock:
            value, _ = self._data[key]
            self._data.move_to_end(key)
            return value

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._data)

    def clear(self) -> None:
        """Drop every entry and reset the statistics."""
        with self._lock:
            self._data.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def cache_clear(self) -> None:
        """Alias of :meth:`clear` (the :func:`functools.lru_cache` name)."""
        self.clear()

    def info(self) -> dict[str, Any]:
        """``{"size", "maxsize", "bytes", "max_bytes", "hits", "misses"}`` (bytes: the sizer's estimate)."""
        with self._lock:
            return {"size": len(self._data), "maxsize": self.maxsize,
                    "bytes": self._bytes if self._sizer is not None else None, "max_bytes": self.max_bytes,
                    "hits": self.hits, "misses": self.misses}


def register(name: str, cache: Any, key: str, note: str = "") -> None:
    """Register ``cache`` (a :class:`BoundedCache` or a ``functools`` cached function) for :func:`cache_info`."""
    _REGISTRY[name] = (cache, key, note)


def nbytes(*arrays: Any) -> int:
    """Total ``nbytes`` of the numpy arrays among ``arrays`` (other objects count 0)."""
    return sum(int(getattr(a, "nbytes", 0)) for a in arrays)


def cache_info() -> dict[str, dict[str, Any]]:
    """Every geo cache by name (``module.function``): its current ``size`` (entries), bound ``maxsize``
    (``None``: unbounded, keyed by a fixed small set), ``bytes`` / ``max_bytes`` (estimated, where tracked),
    ``hits`` / ``misses``, and ``key`` / ``note`` describing the key and the bytes per entry."""
    for mod in _MODULES:
        import_module(f"equilibrium.geo.{mod}")
    out: dict[str, dict[str, Any]] = {}
    for name, (cache, key, note) in sorted(_REGISTRY.items()):
        if isinstance(cache, BoundedCache):
            row = cache.info()
        else:
            ci = cache.cache_info()
            row = {"size": ci.currsize, "maxsize": ci.maxsize, "bytes": None, "max_bytes": None,
                   "hits": ci.hits, "misses": ci.misses}
        out[name] = {**row, "key": key, "note": note}
    return out
