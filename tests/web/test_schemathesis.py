"""Property-based fuzzing of the whole HTTP API with schemathesis, against the ASGI app (no server): every operation
of the OpenAPI document, every check (server errors, status codes, content types, response schemas and headers,
positive data accepted, negative data rejected, unsupported methods answered 405 with ``Allow``...), a bounded and
deterministic number of examples without shrinking, so that the module runs in about two minutes.

Configured, not excluded (each for a reason the schema cannot express):

* ``not_a_server_error`` also accepts 503: the physics time budget (set to 3 s here) stops a random vehicle that
  flies too long, and answers the documented 503 problem; a 500 is still a failure;
* ``positive_data_acceptance`` also accepts 422: a schema-valid vehicle can be unphysical (no lift-off, a stage that
  cannot burn), a schema-valid name can be no region, template or data-set code, and a schema-valid pair of
  options can contradict (``since`` after ``until``); each answers a documented 422 problem.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

BUDGET_S = 3.0
MAX_EXAMPLES = 25

CONFIG = f"""
[generation]
max-examples = {MAX_EXAMPLES}
deterministic = true
no-shrink = true

[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "503"]

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "404", "409", "422", "503"]
"""


def _app():
    from equilibrium.web.app import create_app

    app = create_app(physics_workers=1)  # nothing starts here: the worker starts on the first physics request
    app.state.physics.timeout_s = BUDGET_S
    return app


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_str(CONFIG))


@pytest.fixture(scope="module", autouse=True)
def _fuzz_env(geo_ready: None, tmp_path_factory: pytest.TempPathFactory):
    """An empty store (no screening lists) and the physics worker killed at the end."""
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUILIBRIUM_HOME", str(tmp_path_factory.mktemp("home")))
    yield
    APP.state.physics.close()
    mp.undo()


@schema.parametrize()
def test_api(case) -> None:
    case.call_and_validate()
