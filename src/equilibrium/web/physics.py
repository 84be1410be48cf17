"""Physics (and screening) under a time budget: trajectory computations run in worker processes that are killed when
the budget (setting ``physics_timeout_s``, env ``EQUILIBRIUM_PHYSICS_TIMEOUT_S``) ends.

The same pool, of kind ``"screening"``, runs name screening in its own process: the matcher (nomenklatura, and
rigour's name tagger built on first use: ~6 s and ~570 MB) then lives outside the server, which stays small and
never stalls while it loads; the worker is warmed at start like the physics ones.

A thread cannot be stopped in Python, and a flight with an absurd vehicle (a 1 ns burn, say) can integrate for
ever: so every physics call of the web app is sent to a small dedicated pool of fresh processes (``python -c``,
no fork of a threaded server). Each worker imports the trajectory engine and loads its numba kernel when it
starts (the app's lifespan starts them, so a request does not pay the start),
then answers tasks one at a time over a socket.

* a task that finishes in time answers its (JSON-ready) result; an :class:`~equilibrium.errors.EquilibriumError`
  raised in the worker is raised again in the parent as the same class with the same attributes (so the web layer
  answers its status, e.g. 422);
* a task still running when the budget ends is answered :class:`~equilibrium.errors.Busy` (503) at once; its worker
  is killed (SIGKILL) and a fresh one is started in its place;
* a worker that dies on its own (a crash, out of memory) is answered as a 503 too and replaced;
* :meth:`WorkerPool.close` (the app's shutdown) kills every worker: a request that is still computing does not
  hold up SIGTERM.

Workers watch their parent and exit when it disappears, so a killed server leaves no orphan spinning a core.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from equilibrium.errors import Busy, EquilibriumError
from equilibrium.questions import get_question
from equilibrium.settings import get_settings

log = logging.getLogger("equilibrium.web.physics")

START_TIMEOUT_S = 120.0
"""How long a request waits for a starting worker to finish its imports (first start after a cold disk)."""


# ------------------------------------------------------------------------------------------------ worker side

def _warm() -> None:
    """Import what the trajectory questions need (the engine, the question module, the catalogue, the templates, the
    launch sites) and load (or compile) the numba kernel, so the first task flies at full speed."""
    # local: the worker side only; the server that imports this module never loads the engine or the catalogue
    from equilibrium.catalog import catalog
    from equilibrium.questions.trajectory import country_site, trajectory_templates
    from equilibrium.trajectory import _kernel

    _kernel.available()
    trajectory_templates({})
    catalog()
    country_site("PAK")  # the named sites; capitals load on the first system without one


def _warm_screening() -> None:
    """Import the question layer the ``ask`` task uses, then the matcher, and screen one listed name, which builds
    rigour's name tagger (seconds, once per process); a store with no list loaded has nothing to warm. The worker
    reads the store named by its environment (``EQUILIBRIUM_DATABASE_URL`` / ``EQUILIBRIUM_HOME``, inherited from
    the server when the pool starts)."""
    from equilibrium.sanctions.screening import warm_up  # local: the screening worker only (sqlalchemy, numpy)

    get_question("sanctions.screen")  # imports every question module (seconds on a cold disk)
    warm_up()


KINDS: dict[str, Callable[[], None]] = {"physics": _warm, "screening": _warm_screening}
"""Worker kinds and their warm-ups. Every worker answers one task, ``ask`` (:func:`_ask`): a registered question,
run where its ``runs_in`` says."""


def _ask(name: str, key: str) -> str:
    """Task ``ask``: the JSON text of the answer to the registered question ``name`` with the parameters ``key``
    (their canonical JSON, :meth:`equilibrium.questions.Params.key`)."""
    q = get_question(name)
    return str(q(q.params.model_validate_json(key)).to_json_text())


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _pack_error(exc: EquilibriumError) -> dict[str, Any]:
    attrs = {k: v for k, v in vars(exc).items() if not k.startswith("_")}
    return {"module": type(exc).__module__, "name": type(exc).__qualname__, "message": str(exc), "attrs": attrs}


def _unpack_error(data: dict[str, Any]) -> EquilibriumError:
    """The worker's error as the same :class:`EquilibriumError` subclass (``__init__`` signatures differ, so the
    instance is rebuilt from its attributes rather than by calling the class)."""
    cls: Any = EquilibriumError
    try:
        obj: Any = importlib.import_module(data["module"])
        for part in data["name"].split("."):
            obj = getattr(obj, part)
        if isinstance(obj, type) and issubclass(obj, EquilibriumError):
            cls = obj
    except (ImportError, AttributeError):
        pass
    exc = cls.__new__(cls)
    Exception.__init__(exc, data["message"])
    exc.message = data["message"]
    for k, v in data["attrs"].items():
        setattr(exc, k, v)
    return exc


def worker_main(fd: int, parent: int, kind: str = "physics") -> None:  # pragma: no cover - runs in the child
    """Entry point of a worker (``python -c``, so no server module is imported again): warm up, say ``ready`` on
    the socket ``fd``, then answer ``(task, args[, kwargs])`` messages until EOF."""
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        KINDS[kind]()
    except Exception as exc:  # still serve: each task imports what it needs and reports its own errors
        log.warning("%s worker warm-up failed: %s", kind, exc)
    gc.freeze()  # what the warm-up loaded is never collected: no long pauses over it later
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        task, args = msg[0], msg[1]
        kwargs = msg[2] if len(msg) > 2 else {}
        try:
            if task != "ask":
                raise ValueError(f"unknown task {task!r}: a worker answers only 'ask'")
            reply: tuple[str, Any] = ("ok", _ask(*args, **kwargs))
        except EquilibriumError as exc:
            reply = ("error", _pack_error(exc))
        except Exception as exc:  # an engine bug: the parent answers 500 and logs it
            reply = ("crash", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result or error that does not pickle
            conn.send(("crash", f"unsendable result: {type(exc).__name__}: {exc}"))


# ------------------------------------------------------------------------------------------------ parent side

_CHILD = ("import sys; from equilibrium.web.physics import worker_main; "
          "worker_main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])")


class _Worker:
    """One worker process (``python -c`` + a socket pair: unlike multiprocessing's spawn, this never imports the
    server's ``__main__`` again)."""

    def __init__(self, kind: str = "physics") -> None:
        mine, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(theirs.fileno()), str(os.getpid()), kind],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(mine.detach())
        self.ready = False
        self.tasks = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> bool:
        if self.ready:
            return True
        if self.conn.poll(timeout):
            try:
                msg = self.conn.recv()
            except (EOFError, OSError):
                return False
            self.ready = msg[0] == "ready"
        return self.ready

    def kill(self, close_conn: bool = True) -> None:
        """SIGKILL the process and reap it; ``close_conn=False`` leaves the pipe to the thread still waiting on it
        (it reads EOF and replaces the worker)."""
        try:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if close_conn:
            try:
                self.conn.close()
            except OSError:
                pass


class WorkerPool:
    """``size`` worker processes of one ``kind`` (:data:`KINDS`: physics, screening) answering tasks under a time
    budget of ``timeout_s`` seconds each.

    :meth:`call` is blocking (call it from a worker thread, as FastAPI does for ``def`` routes). The budget covers
    the whole request: waiting for a free worker and computing.
    """

    def __init__(self, size: int = 1, timeout_s: float | None = None, max_tasks: int | None = 500,
                 kind: str = "physics") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown worker kind {kind!r}")
        self.kind = kind
        self.size = max(1, int(size))
        self.timeout_s = float(timeout_s if timeout_s is not None else get_settings().physics_timeout_s)
        self.idle: queue.Queue[_Worker | None] = queue.Queue()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.started = False
        self.timeouts = 0
        self.max_tasks = max_tasks

    # --- life cycle -------------------------------------------------------------------------------------
    def start(self) -> WorkerPool:
        """Start the workers (they import and warm up in the background; :meth:`call` waits for them)."""
        with self.lock:
            if self.started or self.closed:
                return self
            self.started = True
            for _ in range(self.size):
                self._spawn_locked()
        return self

    def _spawn_locked(self) -> None:
        w = _Worker(self.kind)
        self.workers.add(w)
        self.idle.put(w)

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self.lock:
            self.workers.discard(w)
            if not self.closed:
                self._spawn_locked()

    def close(self) -> None:
        """Kill every worker now (running tasks answer 503); later calls answer 503."""
        with self.lock:
            self.closed = True
            workers = list(self.workers)
            self.workers.clear()
        idle = set()
        while True:
            try:
                idle.add(self.idle.get_nowait())
            except queue.Empty:
                break
        for w in workers:
            w.kill(close_conn=w in idle)
        self.idle.put(None)  # wake the requests waiting for a worker: they answer 503

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self.lock:
            return [w.pid for w in self.workers if w.pid is not None]

    # --- calls ------------------------------------------------------------------------------------------
    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> bool:
        """Start the workers if needed and wait until every one has warmed up (or ``timeout_s`` seconds)."""
        self.start()
        deadline = time.monotonic() + timeout_s
        with self.lock:
            workers = list(self.workers)
        ok = True
        for w in workers:
            if w.ready:
                continue
            # (an idle worker's pipe is read only here and by the request that takes it; none is running yet)
            ok = w.wait_ready(max(0.0, deadline - time.monotonic())) and ok
        return ok

    def call(self, task: str, *args: Any, timeout_s: float | None = None, **kwargs: Any) -> Any:
        """Run task ``ask`` (``ask, name, key``: a registered question) or ``_<task>(*args, **kwargs)`` of this
        pool's kind (the screening tasks for screening) in a worker and return its JSON-ready result."""
        if not self.started:
            self.start()
        budget = self.timeout_s if timeout_s is None else float(timeout_s)
        deadline = time.monotonic() + budget
        w: _Worker | None = self._acquire(deadline, budget)
        assert w is not None
        try:
            if not w.ready:
                # A worker still importing (the first request after start, or after a replacement): the budget
                # counts from the moment it can take the task.
                if not w.wait_ready(START_TIMEOUT_S):
                    raise RuntimeError(f"the {self.kind} worker did not start")
                deadline = time.monotonic() + budget
            w.conn.send((task, args, kwargs) if kwargs else (task, args))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self.timeouts += 1
                self._replace(w)
                w = None
                exc = Busy(f"the computation did not finish within {budget:g} s and was stopped; try a simpler "
                           "request (a physically reasonable vehicle, fewer payloads), or ask the operator to "
                           "raise EQUILIBRIUM_PHYSICS_TIMEOUT_S")
                exc.timed_out = True  # type: ignore[attr-defined]
                raise exc
            kind, value = w.conn.recv()
            w.tasks += 1
        except (EOFError, OSError, BrokenPipeError, RuntimeError) as exc:
            if w is not None:
                self._replace(w)
                w = None
            if self.closed:
                raise Busy("the server is shutting down; try again later") from None
            raise Busy(f"the {self.kind} worker stopped unexpectedly ({type(exc).__name__}); try again") from None
        finally:
            if w is not None:
                if self.max_tasks is not None and w.tasks >= self.max_tasks:  # recycle: bounds what it accumulates
                    self._replace(w)
                else:
                    self.idle.put(w)
        if kind == "ok":
            return value
        if kind == "error":
            raise _unpack_error(value)
        raise RuntimeError(f"physics worker: {value}")

    def _acquire(self, deadline: float, budget: float) -> _Worker:
        while True:
            if self.closed:
                raise Busy("the server is shutting down; try again later")
            try:
                # One wait for the whole remaining budget: waiters are then served in arrival order (re-waiting in
                # short slices put a waiter behind later arrivals each time — seconds of tail latency under load).
                # close() wakes every waiter with a None.
                w = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy(f"every {self.kind} worker stayed busy for {budget:g} s; try again later") from None
            if w is None:
                self.idle.put(None)  # pass the wake-up on to the next waiter
                continue
            if w in self.workers and w.alive():
                return w
            # a worker killed or dead while idle: replace it and try again
            self._replace(w)
