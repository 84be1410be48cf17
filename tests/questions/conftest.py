"""Shared by the question tests: one in-process web client per module, and one question asked on its three edges
(Python, CLI ``--json``, HTTP) for the agreement tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.errors import EquilibriumError


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    from equilibrium.web.app import create_app

    with TestClient(create_app(warm="off", screening_worker=False, physics_workers=1)) as c:
        yield c


def edges(client: TestClient, question: Any, params: dict[str, Any], cli: list[str]) -> dict[str, Any]:
    """``question`` with ``params`` (``cli``: the same as CLI arguments) asked in Python, by the CLI with ``--json``
    and over HTTP: each edge's answer JSON, or ``("error", status or exit code, message or problem)``."""
    out: dict[str, Any] = {}
    try:
        out["python"] = question(params).to_json()
    except EquilibriumError as exc:
        out["python"] = ("error", exc.status, str(exc).splitlines()[0])
    r = CliRunner().invoke(cli_app, [*question.cli, *cli, "--json"])
    out["cli"] = json.loads(r.stdout) if r.exit_code == 0 else ("error", r.exit_code, r.stderr)
    method, path = question.http
    h = client.get(path, params=params) if method == "GET" else client.post(path, json=params)
    out["http"] = h.json() if h.status_code == 200 else ("error", h.status_code, h.json())
    return out
