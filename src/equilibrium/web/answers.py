"""The web layer's answers: every registered question (:mod:`equilibrium.questions`) asked through one cache.

:class:`Answers` keeps, per question, the JSON text of recent answers (bounded LRU; concurrent identical requests
compute once), limits how many heavy misses run at once (:class:`Gate`), and sends the questions that need a time
budget or their own process to a worker pool (``runs_in``: ``"physics"`` or ``"screening"``,
:mod:`equilibrium.web.physics`). Nothing here computes an answer: the question function does, the same one the CLI,
the brief and the claims call.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from equilibrium.questions import get_question


class Gate:
    """At most ``n`` threads inside at once (re-entrant per thread: a gated computation calling another one does not
    take a second slot). Heavy geo computations on a 2-core machine gain nothing from running 40 at once, and each
    holds transient arrays of tens of MB: the gate bounds both the CPU contention and the server's peak memory."""

    def __init__(self, n: int) -> None:
        self.sem = threading.BoundedSemaphore(max(1, n))
        self.local = threading.local()

    def __enter__(self) -> None:
        depth = getattr(self.local, "depth", 0)
        if depth == 0:
            self.sem.acquire()
        self.local.depth = depth + 1

    def __exit__(self, *exc: object) -> None:
        self.local.depth -= 1
        if self.local.depth == 0:
            self.sem.release()
            trim_memory()  # the computation's transient arrays are free now: give the pages back (~10 ms)


def trim_memory() -> None:
    """Give freed heap memory back to the OS (glibc ``malloc_trim``); no effect elsewhere."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


class Memo:
    """``fn`` memoised on its (hashable) arguments, at most ``size`` results, least recently used first out.
    Concurrent calls with the same arguments compute once: the later ones wait for the first (a trajectory takes
    seconds). Errors are not cached, except a computation stopped by its time budget
    (:class:`~equilibrium.errors.Busy` with ``timed_out``): it is answered at once for ``timeout_ttl_s`` so that a
    client repeating it does not burn a core for another budget."""

    def __init__(self, fn: Callable[..., Any], size: int, timeout_ttl_s: float = 300.0,
                 gate: Gate | None = None) -> None:
        self.fn = fn
        self.gate = gate
        self.size = size
        self.timeout_ttl_s = timeout_ttl_s
        self.data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.failed: OrderedDict[tuple[Any, ...], tuple[float, Exception]] = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict[tuple[Any, ...], threading.Lock] = {}
        self.__doc__ = fn.__doc__

    def _hit(self, args: tuple[Any, ...]) -> tuple[bool, Any]:
        if args in self.data:
            self.data.move_to_end(args)
            return True, self.data[args]
        if args in self.failed:
            until, exc = self.failed[args]
            if time.monotonic() < until:
                raise exc
            del self.failed[args]
        return False, None

    def __call__(self, *args: Any) -> Any:
        with self.lock:
            found, value = self._hit(args)
            if found:
                return value
            key_lock = self.pending.setdefault(args, threading.Lock())
        with key_lock:
            with self.lock:
                found, value = self._hit(args)
                if found:
                    return value
            try:
                if self.gate is not None:
                    with self.gate:
                        value = self.fn(*args)
                else:
                    value = self.fn(*args)
            except Exception as exc:
                if getattr(exc, "timed_out", False):
                    with self.lock:
                        self.failed[args] = (time.monotonic() + self.timeout_ttl_s, exc)
                        while len(self.failed) > 256:
                            self.failed.popitem(last=False)
                raise
            finally:
                with self.lock:
                    self.pending.pop(args, None)
            with self.lock:
                self.data[args] = value
                while len(self.data) > self.size:
                    self.data.popitem(last=False)
            return value

    def __len__(self) -> int:
        return len(self.data)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()
            self.failed.clear()


class Answers:
    """The app's cached access to every question. ``runners`` maps a pool name (``physics``, ``screening``) to its
    ``call(task, *args)``; a question whose pool has no runner runs in the server process."""

    def __init__(self, runners: dict[str, Callable[..., Any]] | None = None, cache_scale: float = 1.0) -> None:
        self.runners = dict(runners or {})
        self.heavy = Gate(os.cpu_count() or 1)
        self.cache_scale = cache_scale
        self._memos: dict[str, Memo] = {}
        self._lock = threading.Lock()

    def _memo(self, name: str) -> Memo:
        with self._lock:
            memo = self._memos.get(name)
            if memo is None:
                q = get_question(name)
                size = max(1, int(q.cache * self.cache_scale)) if q.cache else 0
                memo = Memo(lambda key, _name=name: self._compute(_name, key), size,
                            gate=self.heavy if q.heavy else None)
                self._memos[name] = memo
            return memo

    def _compute(self, name: str, key: str) -> str:
        q = get_question(name)
        where = q.where(q.params.model_validate_json(key)) if callable(q.runs_in) else str(q.runs_in)
        runner = self.runners.get(where)
        if runner is not None:
            text: str = runner("ask", name, key)
            return text
        return str(q(q.params.model_validate_json(key)).to_json_text())

    def text(self, name: str, params: Any) -> str:
        """The JSON text of the answer to question ``name`` with ``params`` (a params model)."""
        memo = self._memo(name)
        key = params.key()
        if memo.size == 0:
            return self._compute(name, key)
        out: str = memo(key)
        return out

    def ask(self, name: str, params: Any) -> Any:
        """The answer model (parsed from the cached JSON text)."""
        return get_question(name).answer.model_validate_json(self.text(name, params))

    def clear(self) -> None:
        """Forget every cached answer (after a store change)."""
        with self._lock:
            for memo in self._memos.values():
                memo.clear()
