"""``equilibrium serve``: the web workbench and the HTTP API."""

from __future__ import annotations

import typer
import uvicorn

from equilibrium.cli.common import console, handle_errors
from equilibrium.settings import get_settings
from equilibrium.web.app import create_app


@handle_errors
def serve(
    host: str | None = typer.Option(None, help="Host (default: EQUILIBRIUM_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: EQUILIBRIUM_PORT or 8000)."),
) -> None:
    """Serve the web workbench and the HTTP API (OpenAPI at /docs)."""
    s = get_settings()
    h, p = host or s.host, port or s.port
    console.print(f"Equilibrium workbench on http://{h}:{p}/  (API docs: http://{h}:{p}/docs) — warming up first "
                  "(the opening map, the screening matcher, the physics workers), then serving")
    uvicorn.run(create_app(warm="before-ready"), host=h, port=p, log_level="info", timeout_graceful_shutdown=5)
