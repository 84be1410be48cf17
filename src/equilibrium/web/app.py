"""The FastAPI app factory of the web workbench.

``create_app()`` builds the app with its routers (``/api/catalog``, ``/api/reach``, ``/api/trajectory``,
``/api/...`` meta), the RFC 9457 problem+json error handlers, per-app caches of the heavy geo and trajectory calls,
OpenAPI docs at ``/docs``, and the built front-end at ``/`` (``static/``, made by
``cd web && npm ci && npm run build``). Nothing happens at import.

Run it with ``uvicorn --factory equilibrium.web.app:create_app`` or :func:`serve`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from equilibrium import __version__
from equilibrium.web.jsonio import SafeJSONResponse
from equilibrium.web.problems import install_problem_handlers
from equilibrium.web.routes import catalog, evidence, meta, reach, sanctions, trajectory
from equilibrium.web.service import GeoService, TrajectoryService

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


def create_app(static_dir: Path | None = None, geo: GeoService | None = None) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    static_dir
        Folder of the built front-end served at ``/`` (default: the package's ``web/static``). When it has no
        ``index.html``, ``/`` answers a short page saying to run ``make setup``.
    geo
        The cached library service (default: a fresh :class:`GeoService`; tests may pass their own).
    """
    app = FastAPI(
        title="Equilibrium",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=SafeJSONResponse,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.geo = geo or GeoService()
    app.state.trajectory = TrajectoryService(app.state.geo)
    install_problem_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.include_router(meta.router)
    app.include_router(catalog.router)
    app.include_router(reach.router)
    app.include_router(sanctions.router)
    app.include_router(trajectory.router)
    app.include_router(evidence.router)

    static = static_dir or STATIC_DIR
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="static")
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
    uvicorn.run(create_app(), host=host or settings.host, port=port or settings.port)
