"""HTTP routes built from the question registry: one route per question that declares ``http``.

A GET route reads the question's parameters from the query string (and ``{name}`` path segments), a POST route from
a JSON body; either way the params model validates them (bounds and cross-field rules defined once, in
:mod:`equilibrium.questions`), the app's :class:`~equilibrium.web.answers.Answers` answers, and the route sends the
answer's JSON text unchanged: what ``--json`` prints on the CLI. Each route declares the answer model as its
``response_model``, so ``/openapi.json`` documents every answer.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response

from equilibrium.questions import Question
from equilibrium.web.problems import API_PROBLEMS, problem_responses

__all__ = ["add_question_routes", "question_endpoint"]

_PATH_FIELD = re.compile(r"{(\w+)}")


def _field_params(q: Question[Any, Any], path: str) -> list[inspect.Parameter]:
    """One FastAPI parameter per params field: ``Path`` for ``{name}`` segments, ``Query`` otherwise, with the
    field's alias, description, examples and constraints (so OpenAPI shows the same bounds the model checks)."""
    in_path = set(_PATH_FIELD.findall(path))
    out = []
    for name, f in q.params.model_fields.items():
        public = f.alias or name
        kw: dict[str, Any] = {"description": f.description}
        if f.examples:
            kw["examples"] = f.examples
        if public in in_path:
            marker: Any = Path(**kw)
            default: Any = inspect.Parameter.empty
        else:
            if public != name:
                kw["alias"] = public
            marker = Query(**kw)
            default = inspect.Parameter.empty if f.is_required() else None
        ann: Any = f.annotation
        if default is None and ann is not None:
            ann = ann | None
        out.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                     annotation=Annotated[(ann, *f.metadata, marker)]))
    return out


def question_endpoint(q: Question[Any, Any], method: str, path: str) -> Callable[..., Response]:
    """The route function of ``q``: parse, ask :class:`~equilibrium.web.answers.Answers`, send the JSON text."""

    def endpoint(request: Request, **kwargs: Any) -> Response:
        if method == "POST":
            params = q.parse(kwargs["body"])
        else:
            fields = q.params.model_fields
            params = q.parse({(fields[k].alias or k): v for k, v in kwargs.items() if v is not None})
        text = request.app.state.answers.text(q.name, params)
        return Response(content=text.encode("utf-8"), media_type="application/json")

    params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    if method == "POST":
        params.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY,
                                        annotation=Annotated[q.params, Body(
                                            openapi_examples={f"example {i + 1}": {"value": dict(e.params)}
                                                              for i, e in enumerate(q.examples)} or None)]))
        params.extend(p for p in _field_params(q, path) if f"{{{p.name}}}" in path)
    else:
        params.extend(_field_params(q, path))
    endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = q.name.replace(".", "_")
    endpoint.__doc__ = (q.fn.__doc__ or q.summary).strip()
    return endpoint


def add_question_routes(router: APIRouter, questions: Iterable[Question[Any, Any]]) -> None:
    """Add a route to ``router`` for every question of ``questions`` that declares ``http``."""
    for q in questions:
        if q.http is None:
            continue
        method, path = q.http
        tag = q.name.split(".", 1)[0]
        extra = problem_responses(400, 413) if method == "POST" else {}
        router.add_api_route(
            path, question_endpoint(q, method, path), methods=[method], response_model=q.answer,
            summary=q.summary, tags=[tag], responses={**API_PROBLEMS, **extra}, name=q.name,
            operation_id=q.name.replace(".", "_"),
        )
