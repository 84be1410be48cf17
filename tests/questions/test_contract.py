"""The question-layer contract: every question answers the same through the Python API, the CLI's ``--json`` and
the HTTP API (``result.to_json()`` == ``--json`` == the HTTP body), for every worked example it registers.

Questions that need data the test machine may lack (a loaded list, ``../shared/data``) declare it in their example
by raising :class:`~equilibrium.errors.MissingDependency`: the three edges must then agree on the error instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.errors import EquilibriumError
from equilibrium.questions import REGISTRY, Answer, Example, Question, load_all

load_all()

REQUIRED = {
    # the questions the issue names, by domain; each must be registered with a CLI command or an HTTP route
    "catalog.list", "catalog.show",
    "reach.distance", "reach.coverage", "reach.systems", "reach.ring",
    "regions.search",
    "trajectory.fly", "trajectory.max_range", "trajectory.payload_range", "trajectory.loft", "trajectory.size",
    "trajectory.montecarlo",
    "sanctions.actions", "sanctions.asymmetry", "sanctions.network", "sanctions.screen", "sanctions.history",
    "evidence.base_rate", "evidence.cases", "evidence.model", "evidence.findings",
}


def _cases() -> Iterator[Any]:
    for q in REGISTRY.values():
        for i, ex in enumerate(q.examples):
            marks = [pytest.mark.slow] if ex.slow else []
            yield pytest.param(q, ex, id=f"{q.name}[{i}]", marks=marks)


def _drop(obj: Any, paths: list[list[str]]) -> Any:
    """``obj`` without the dotted ``paths`` (``*`` matches every list item or key)."""
    if not paths:
        return obj
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            sub = [p[1:] for p in paths if p and p[0] in (k, "*")]
            if any(not p for p in sub):
                continue
            out[k] = _drop(v, sub)
        return out
    if isinstance(obj, list):
        sub = [p[1:] for p in paths if p and p[0] == "*"]
        return [_drop(v, sub) for v in obj] if sub else obj
    return obj


def _python(q: Question[Any, Any], ex: Example) -> tuple[str, Any]:
    try:
        answer = q(dict(ex.params))
    except EquilibriumError as exc:
        return "error", (exc.status, str(exc).splitlines()[0])
    assert isinstance(answer, Answer)
    assert answer.question == q.name
    return "ok", answer.to_json()


def _cli(q: Question[Any, Any], ex: Example) -> tuple[str, Any]:
    result = CliRunner().invoke(cli_app, [*q.cli, *ex.cli, "--json"])
    if result.exit_code == 2:
        return "error", result.stderr.strip().splitlines()[0] if result.stderr else result.output
    assert result.exit_code == 0, result.output
    return "ok", json.loads(result.stdout)


def _http(client: TestClient, q: Question[Any, Any], ex: Example) -> tuple[str, Any]:
    assert q.http is not None
    method, path = q.http
    params = dict(ex.params)
    for name in re.findall(r"{(\w+)}", path):
        path = path.replace("{" + name + "}", str(params.pop(name)))
    if method == "GET":
        r = client.get(path, params=params)
    else:
        r = client.post(path, json=params)
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
        return "error", (r.status_code, r.json()["detail"])
    assert r.status_code == 200, r.text
    return "ok", r.json()


def test_required_questions_registered() -> None:
    missing = REQUIRED - set(REGISTRY)
    assert not missing, f"questions not registered: {sorted(missing)}"


@pytest.mark.parametrize("q", list(REGISTRY.values()), ids=lambda q: q.name)
def test_question_declares_edges_and_examples(q: Question[Any, Any]) -> None:
    assert q.cli or q.http, f"{q.name} is served by no edge"
    assert q.examples, f"{q.name} has no worked example for the contract test"
    assert issubclass(q.answer, Answer)
    assert q.answer.model_fields["question"].default == q.name
    schema = q.answer.model_json_schema()
    assert schema.get("properties"), f"{q.name}: the answer has no schema"


@pytest.mark.parametrize(("q", "ex"), list(_cases()))
def test_params_round_trip(q: Question[Any, Any], ex: Example) -> None:
    """The web layer re-validates the canonical JSON of validated parameters in a worker: it must give them back."""
    try:
        p = q.parse(dict(ex.params))
    except EquilibriumError:
        return
    assert q.params.model_validate_json(p.key()) == p


@pytest.mark.parametrize(("q", "ex"), list(_cases()))
def test_python_cli_http_agree(q: Question[Any, Any], ex: Example, client: TestClient) -> None:
    drop = [p.split(".") for p in ex.volatile]
    py_kind, py = _python(q, ex)
    results = {"python": py}
    if q.cli:
        kind, out = _cli(q, ex)
        assert kind == py_kind, f"CLI {kind} where Python {py_kind}: {out}"
        results["cli"] = out
    if q.http:
        kind, out = _http(client, q, ex)
        assert kind == py_kind, f"HTTP {kind} where Python {py_kind}: {out}"
        results["http"] = out
    if py_kind == "error":
        status, message = py
        if "http" in results:
            assert results["http"][0] == status
        if "cli" in results:  # the CLI names a parameter as its option (`--range-km: …` for `range_km: …`)
            assert message.split(": ", 1)[-1] in results["cli"], (message, results["cli"])
        return
    ref = _drop(py, drop)
    for edge, out in results.items():
        assert _drop(out, drop) == ref, f"{q.name}: {edge} differs from the Python answer"


def test_openapi_documents_every_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for q in REGISTRY.values():
        if q.http is None:
            continue
        method, path = q.http
        op = spec["paths"][path][method.lower()]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema.get("$ref", "").endswith("/" + q.answer.__name__), (q.name, schema)


def test_bad_parameters_are_one_line_everywhere(client: TestClient) -> None:
    from equilibrium.errors import InvalidInput

    q = REGISTRY["catalog.list"]
    with pytest.raises(InvalidInput, match="country"):
        q(country="PAKI")
    r = client.get("/api/catalog/systems", params={"country": "PAKI"})
    assert r.status_code == 422
    result = CliRunner().invoke(cli_app, ["catalog", "list", "--country", "PAKI"])
    assert result.exit_code == 2 and "country" in result.stderr
