"""The FastAPI app factory of the web workbench.

``create_app()`` builds the app with its routers (``/api/catalog``, ``/api/reach``, ``/api/trajectory``,
``/api/...`` meta), the RFC 9457 problem+json error handlers, per-app caches of the heavy geo and trajectory calls,
OpenAPI docs at ``/docs``, and the built front-end at ``/`` (``static/``, made by
``cd web && npm ci && npm run build``). Nothing happens at import.

Run it with ``uvicorn --factory equilibrium.web.app:create_app`` or :func:`serve`.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from equilibrium import __version__
from equilibrium.questions import get_question, load_all
from equilibrium.web.answers import Answers, trim_memory
from equilibrium.web.http import HttpLayer
from equilibrium.web.jsonio import SafeJSONResponse
from equilibrium.web.physics import WorkerPool
from equilibrium.web.problems import install_problem_handlers
from equilibrium.web.routes import meta
from equilibrium.web.routes.questions import add_question_routes

log = logging.getLogger("equilibrium.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""Where ``npm run build`` (in ``web/``) writes the front-end."""

NO_FRONTEND_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Equilibrium — front-end not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:.1em .3em;border-radius:3px}</style></head>
<body><h1>Equilibrium</h1>
<p>The web front-end has not been built yet. Run <code>make setup</code> (or
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload this page.</p>
<p>The HTTP API works without it: see <a href="/docs">/docs</a>.</p></body></html>
"""

DESCRIPTION = """Geodesic reach of catalogued missile systems between real regions, with every figure sourced.

Errors are RFC 9457 `application/problem+json` (4xx); unknown names answer 404 with `suggestions`.
Distances are km on the WGS-84 ellipsoid; boundaries are Natural Earth de-facto lines (the point of view is
stated in every `boundary` object)."""


WARM_PAIR = ("PAK", "IND", 2750.0)
"""The map the page opens on (``main.js``: DEFAULT_FROM, DEFAULT_TO, range): warmed at start."""


class EquilibriumApp(FastAPI):
    """FastAPI with :class:`~equilibrium.web.http.HttpLayer` outside every other layer (so that its headers are on
    every answer, the 500s of Starlette's error middleware included)."""

    def build_middleware_stack(self) -> ASGIApp:
        return HttpLayer(super().build_middleware_stack())


class _StaticFallback:
    """What answers a path no route matches: the built front-end for ``GET``/``HEAD``; other methods 404 under
    ``/api`` and 405 (``Allow: GET, HEAD``) elsewhere. Being the router's default rather than a mount at ``/``, it
    lets the router answer 405 with ``Allow`` for a wrong method on an API route (a mount at ``/`` matched every
    path first, so ``GET`` on a ``POST`` route answered 404)."""

    def __init__(self, directory: Path) -> None:
        self.files = StaticFiles(directory=directory, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            if scope["path"].startswith("/api/") or scope["path"] in ("/api", "/docs", "/openapi.json"):
                raise HTTPException(status_code=404)
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        await self.files(scope, receive, send)


def warm_up(app: FastAPI, *, start_workers: bool = True) -> dict[str, float | str]:
    """Load what the first requests need in the server process (the atlas and geo indexes of the opening map, the
    catalogue and bibliography), and start the worker processes (screening: the matcher warms up in its own
    process; physics). Returns seconds (or the error) per step, also kept as ``app.state.warm``."""
    import time

    answers: Answers = app.state.answers
    frm, to, rng = WARM_PAIR
    done: dict[str, float | str] = {}
    app.state.warm = done
    if start_workers:
        # The workers import in their own processes, at the same time as the map below (a second core helps).
        for name in ("screening", "physics"):
            pool = getattr(app.state, name, None)
            if pool is not None:
                pool.start()
    steps: dict[str, Any] = {  # the opening map first: what a first visitor waits for
        "field": lambda: _ask(answers, "reach.field", {"from": frm, "to": to, "resolution_deg": 0.5}),
        "coverage": lambda: _ask(answers, "reach.coverage", {"from": frm, "to": to, "range_km": rng}),
        "distance": lambda: _ask(answers, "reach.distance", {"from": frm, "to": to}),
        "systems": lambda: _ask(answers, "reach.systems", {"from": frm, "to": to}),
        "catalogue": lambda: __import__("equilibrium.catalog", fromlist=["catalog"]).catalog(),
        "sources": lambda: __import__("equilibrium.provenance", fromlist=["bibliography"]).bibliography(),
        "regions": lambda: _ask(answers, "regions.search", {}),
    }
    for name, fn in steps.items():
        t = time.perf_counter()
        try:
            fn()
            done[name] = round(time.perf_counter() - t, 3)
        except Exception as exc:  # a missing atlas or store: the request will say so itself
            done[name] = f"{type(exc).__name__}: {exc}"
    trim_memory()
    return done


def _ask(answers: Answers, name: str, params: dict[str, Any]) -> str:
    """The cached JSON text of question ``name`` (what a first request for it gets)."""
    return answers.text(name, get_question(name).parse(params))


def _wait_workers(app: FastAPI, done: dict[str, float | str]) -> None:
    """Wait until the screening and physics workers have warmed up (recorded in ``done`` as seconds)."""
    import time

    for name in ("screening", "physics"):
        pool = getattr(app.state, name, None)
        if pool is not None:
            t = time.perf_counter()
            ready = pool.wait_ready()
            done[f"{name} workers"] = round(time.perf_counter() - t, 3) if ready else "not ready"


def _limit_malloc_arenas() -> None:
    """Fewer glibc malloc arenas (2 instead of 8 per core): a threaded server otherwise keeps hundreds of MB of
    freed, fragmented memory per arena; and a fixed 1 MB mmap threshold, so that the large transient arrays of a
    geo computation are mapped and given back to the system when freed (glibc otherwise raises the threshold after
    the first large free, up to 32 MB, and serves such arrays from the heap, which then stays fragmented). No
    effect off glibc."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD (setting it also stops its dynamic growth)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass




def _trimmer(stop: threading.Event, every_s: float = 30.0) -> None:
    while not stop.wait(every_s):
        trim_memory()


def _chain_signals(pools: list[WorkerPool]) -> dict[int, Any]:
    """On SIGTERM/SIGINT kill the physics workers first (a request still computing then answers 503 at once, so
    the server's graceful shutdown does not wait for it), then hand the signal to the server's own handler."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous: dict[int, Any] = {}

    def handler(sig: int, frame: Any) -> None:
        for pool in pools:
            threading.Thread(target=pool.close, daemon=True).start()
        prev = previous.get(sig)
        if callable(prev):
            prev(sig, frame)
        elif sig == signal.SIGINT:
            raise KeyboardInterrupt
        else:
            os._exit(128 + sig)

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[sig] = signal.getsignal(sig)
            signal.signal(sig, handler)
        except (ValueError, OSError):  # pragma: no cover - not the main thread of the interpreter
            previous.pop(sig, None)
    return previous


WARM_MODES = ("background", "before-ready", "off")
"""When the app warms up: ``background`` (default; readiness does not wait — tests, development),
``before-ready`` (``equilibrium serve``: the server accepts connections once the opening map, the screening
matcher and the physics workers are warm, so no first request pays for them), ``off``."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm up (in the background, or before accepting connections: ``app.state.warm_mode``); on shutdown kill the
    worker processes."""
    import gc

    import anyio

    pools = [p for p in (getattr(app.state, "physics", None), getattr(app.state, "screening", None)) if p]
    _limit_malloc_arenas()
    previous = _chain_signals(pools)
    stop = threading.Event()
    mode = getattr(app.state, "warm_mode", "background")
    if mode == "before-ready":
        done = await anyio.to_thread.run_sync(warm_up, app)
        await anyio.to_thread.run_sync(_wait_workers, app, done)
        gc.freeze()  # the warm data stays: collections never walk it again (no long pauses under load)
        log.info("warm: %s", done)
    elif mode == "background":
        threading.Thread(target=warm_up, args=(app,), name="equilibrium-warm-up", daemon=True).start()
    threading.Thread(target=_trimmer, args=(stop,), name="equilibrium-trim", daemon=True).start()
    try:
        yield
    finally:
        stop.set()
        for pool in pools:
            pool.close()
        for sig, prev in previous.items():
            try:
                if prev is not None:
                    signal.signal(sig, prev)
            except (ValueError, OSError):  # pragma: no cover
                pass


def create_app(static_dir: Path | None = None,
               physics_workers: int | None = None, screening_worker: bool = True,
               warm: str = "background") -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    static_dir
        Folder of the built front-end served at ``/`` (default: the package's ``web/static``). When it has no
        ``index.html``, ``/`` answers a short page saying to run ``make setup``.
    physics_workers
        Worker processes of the physics pool (default 2, or 1 on a single core). Every trajectory computation runs
        there under the time budget ``physics_timeout_s`` (:mod:`equilibrium.web.physics`).
    screening_worker
        Screen names in a worker process of their own (default; ``False``: in the server process).
    warm
        When to warm up: one of :data:`WARM_MODES`.
    """
    if warm not in WARM_MODES:
        raise ValueError(f"warm must be one of {WARM_MODES}, not {warm!r}")
    app = EquilibriumApp(
        title="Equilibrium",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=SafeJSONResponse,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    if physics_workers is None:
        physics_workers = 2 if (os.cpu_count() or 1) > 1 else 1
    app.state.physics = WorkerPool(physics_workers)
    # (never recycled: a fresh matcher takes ~10 s to warm up, and the matcher's own caches are bounded)
    app.state.screening = WorkerPool(1, kind="screening", max_tasks=None) if screening_worker else None
    app.state.warm_mode = warm
    app.state.warm = {}
    runners: dict[str, Any] = {"physics": app.state.physics.call}
    if app.state.screening is not None:
        runners["screening"] = app.state.screening.call
    app.state.answers = Answers(runners)
    install_problem_handlers(app)
    questions = APIRouter()
    add_question_routes(questions, load_all().values())
    app.include_router(questions)
    app.include_router(meta.router)

    static = static_dir or STATIC_DIR
    if (static / "index.html").is_file():
        app.router.default = _StaticFallback(static)
    else:
        @app.get("/", include_in_schema=False, response_class=HTMLResponse)
        def no_frontend() -> HTMLResponse:
            return HTMLResponse(NO_FRONTEND_HTML)

    return app


def serve(host: str | None = None, port: int | None = None) -> None:
    """Run the app with uvicorn on ``host``:``port`` (default: settings ``host``/``port``)."""
    import uvicorn

    from equilibrium.settings import get_settings

    settings = get_settings()
    log.info("warming up (the opening map, the screening matcher, the physics workers) before serving…")
    uvicorn.run(create_app(warm="before-ready"), host=host or settings.host, port=port or settings.port,
                timeout_graceful_shutdown=5)
