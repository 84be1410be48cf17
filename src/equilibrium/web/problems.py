"""RFC 9457 problem details: every error the API answers is ``application/problem+json``.

* :class:`~equilibrium.errors.EquilibriumError` → its own ``status`` and :meth:`to_problem` body;
* request validation (FastAPI's 422) → ``Invalid input`` with an ``errors`` list (``loc``, ``msg``, ``type``);
* Starlette HTTP errors (404 for unknown paths, 405, ...) → their status;
* anything else → 500 ``Internal error`` with no traceback in the body (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from equilibrium.errors import EquilibriumError
from equilibrium.web.jsonio import dumps

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("equilibrium.web")


class ProblemDetails(BaseModel):
    """An RFC 9457 problem (``application/problem+json``); some problems add members (``suggestions``,
    ``errors``, ``missing``, ...)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="Problem type URI (always about:blank).")
    title: str = Field(description="Short, stable summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in one sentence or more.")
    instance: str | None = Field(None, description="The request path.")


PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Bad request: the body is not JSON (or not UTF-8).",
    404: "Not found: an unknown name (with `suggestions`) or path.",
    409: "Conflict: a data file the answer needs is not installed (who publishes it and how to obtain it).",
    413: "Content too large: the request body exceeds 1 MB.",
    422: "Invalid input: a malformed or unphysical parameter (`errors` lists each one).",
    503: ("Busy or unavailable: the computation did not finish within its time budget "
          "(EQUILIBRIUM_PHYSICS_TIMEOUT_S), the store is held by a writer, or boundary files are missing."),
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` documenting ``statuses`` as problem+json bodies (:class:`ProblemDetails`)."""
    ref = {"$ref": "#/components/schemas/ProblemDetails"}
    return {status: {"model": ProblemDetails, "description": PROBLEM_DESCRIPTIONS[status],
                     "content": {PROBLEM_JSON: {"schema": ref}}} for status in statuses}


API_PROBLEMS = problem_responses(404, 422, 503)
"""The problems every API route may answer."""


def problem_response(body: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    """A ``problem+json`` response with ``body`` (``status`` is set in the body too)."""
    body = {"type": "about:blank", **body, "status": status}
    return Response(dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _equilibrium_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EquilibriumError)
    body = exc.to_problem()
    body["instance"] = request.url.path
    return problem_response(body, exc.status)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        errors.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    detail = "; ".join(f"{'.'.join(e['loc'][1:] or e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
    body = {"title": "Invalid input", "detail": detail, "errors": errors, "instance": request.url.path}
    return problem_response(body, 422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    try:
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "HTTP error"
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such path {request.url.path!r}; the API is documented at /docs"
    allow = (getattr(exc, "headers", None) or {}).get("Allow")
    if exc.status_code == 405 and allow and detail == title:
        detail = f"{request.method} is not allowed on {request.url.path}; allowed: {allow}"
    body = {"title": title, "detail": detail, "instance": request.url.path}
    return problem_response(body, exc.status_code, headers=getattr(exc, "headers", None))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"title": "Internal error",
            "detail": "an unexpected error occurred; it has been logged on the server",
            "instance": request.url.path}
    return problem_response(body, 500)


def install_problem_handlers(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""
    app.add_exception_handler(EquilibriumError, _equilibrium_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
