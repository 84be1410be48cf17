"""Limits of the web service: the physics time budget (worker processes killed and replaced), ETag/304, security
headers, the request-size limit, 405 with ``Allow``, strict JSON bodies, and a clean SIGTERM under load."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import psutil
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"
BUDGET_S = 2.0
SPEC = {"name": "test SRBM", "payload_kg": 500.0,
        "stages": [{"wet_mass_kg": 6000.0, "propellant_mass_kg": 5000.0, "isp_s": 250.0, "burn_time_s": 60.0,
                    "diameter_m": 0.8}]}
TINY_BURN = {"vehicle": {**SPEC, "stages": [{**SPEC["stages"][0], "burn_time_s": 1e-9}]}}
# A computation that takes far longer than the 2 s budget: 25 payloads of a catalogue system calibrated on its range.
SLOW = {"system": "Scud-B", "payloads_kg": [100.0 + 40 * i for i in range(25)]}


@pytest.fixture(scope="module")
def limited(geo_ready: None, tmp_path_factory: pytest.TempPathFactory):
    """An app with a 2 s physics budget and one worker, lifespan run (workers started, killed at the end)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUILIBRIUM_PHYSICS_TIMEOUT_S", str(BUDGET_S))
    mp.setenv("EQUILIBRIUM_HOME", str(tmp_path_factory.mktemp("home")))
    from equilibrium.web.app import create_app

    app = create_app(physics_workers=1)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client
    mp.undo()


def problem(r, status: int | tuple[int, ...]) -> dict:
    statuses = (status,) if isinstance(status, int) else status
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM), r.headers
    body = r.json()
    assert body["status"] == r.status_code and body["title"] and body["detail"]
    return body


def wait_ready(app) -> list[int]:
    pool = app.state.physics
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60:
        pids = pool.pids()
        if pids and all(w.ready or w.wait_ready(0.1) for w in list(pool.workers)):
            return pids
    raise AssertionError("physics workers did not start")


# ------------------------------------------------------------------------------------------------ time budget

def test_tiny_burn_answers_within_budget(limited) -> None:
    app, client = limited
    wait_ready(app)
    t0 = time.monotonic()
    r = client.post("/api/trajectory/max-range", json=TINY_BURN)
    elapsed = time.monotonic() - t0
    problem(r, (422, 503))
    assert elapsed < BUDGET_S + 3, elapsed


def test_timeout_kills_and_replaces_the_worker(limited) -> None:
    app, client = limited
    before = wait_ready(app)
    t0 = time.monotonic()
    r = client.post("/api/trajectory/payload-range", json=SLOW)
    elapsed = time.monotonic() - t0
    body = problem(r, 503)
    assert "did not finish within 2 s" in body["detail"]
    assert elapsed < BUDGET_S + 3, elapsed
    for pid in before:  # the busy worker was killed (not left spinning a core)
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    after = app.state.physics.pids()
    assert len(after) == 1 and not set(after) & set(before)
    # the same request again answers at once (remembered), without busying the new worker
    t0 = time.monotonic()
    problem(client.post("/api/trajectory/payload-range", json=SLOW), 503)
    assert time.monotonic() - t0 < 0.5
    # and the replacement answers tasks (a cheap one: a flight may not fit in 2 s on a loaded test machine)
    assert '"templates"' in app.state.physics.call("ask", "trajectory.templates", "{}", timeout_s=60)
    assert app.state.physics.pids() == after


def test_errors_in_the_worker_keep_their_class_and_status(limited) -> None:
    _, client = limited
    body = problem(client.post("/api/trajectory/max-range", json={"system": "Tomahawk"}), (404, 422))
    assert "Traceback" not in body["detail"]


def test_error_transport_rebuilds_the_class() -> None:
    from equilibrium.errors import NotFound
    from equilibrium.web.physics import _pack_error, _unpack_error

    exc = _unpack_error(_pack_error(NotFound("system", "Scud-Z", ["Scud-B"])))
    assert type(exc) is NotFound and exc.status == 404
    assert exc.suggestions == ["Scud-B"] and "Scud-Z" in str(exc)
    assert exc.to_problem()["suggestions"] == ["Scud-B"]


# --------------------------------------------------------------------------------------------------- HTTP layer

def test_etag_and_304(limited) -> None:
    _, client = limited
    r = client.get("/api/catalog/systems")
    assert r.status_code == 200
    etag = r.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert r.headers["cache-control"] == "public, max-age=3600"
    r2 = client.get("/api/catalog/systems", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""
    assert r2.headers["etag"] == etag
    # the identity and gzip variants revalidate against each other
    r3 = client.get("/api/catalog/systems", headers={"Accept-Encoding": "identity"})
    assert r3.headers["etag"] != etag and r3.json() == r.json()
    assert client.get("/api/catalog/systems", headers={"If-None-Match": r3.headers["etag"]}).status_code == 304
    assert client.get("/api/catalog/systems", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/health").headers["cache-control"] == "no-store"


def test_store_backed_answers_revalidate(limited) -> None:
    _, client = limited
    r = client.get("/api/sanctions/snapshots")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-cache" and r.headers["etag"]
    assert client.get("/api/sanctions/snapshots",
                      headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_security_headers(limited) -> None:
    _, client = limited
    for path in ("/api/health", "/api/catalog/systems", "/api/nope", "/"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-eval'" not in csp and "default-src 'self'" in csp
    assert "cdn.jsdelivr.net" in client.get("/docs").headers["content-security-policy"]


def test_body_over_1mb_is_413(limited) -> None:
    _, client = limited
    big = b'{"system": "' + b"x" * 2_000_000 + b'"}'
    body = problem(client.post("/api/trajectory/max-range", content=big,
                               headers={"content-type": "application/json"}), 413)
    assert "1,000,000" in body["detail"]

    def stream():  # no Content-Length: chunked
        for _ in range(20):
            yield b"x" * 100_000

    problem(client.post("/api/trajectory/max-range", content=stream(),
                        headers={"content-type": "application/json"}), 413)


def test_wrong_method_is_405_with_allow(limited) -> None:
    _, client = limited
    r = client.get("/api/trajectory/max-range")
    body = problem(r, 405)
    assert r.headers["allow"] == "POST" and "allowed: POST" in body["detail"]
    r = client.post("/api/catalog/systems")
    problem(r, 405)
    assert "GET" in r.headers["allow"]
    problem(client.post("/api/no-such-route"), 404)


@pytest.mark.parametrize("body, loc", [
    ({"vehicle": SPEC, "history": 0}, "history"),
    ({"vehicle": SPEC, "launch": {"azimuth_deg": False}}, "azimuth_deg"),
    ({"vehicle": SPEC, "launch": {"lat_deg": "10"}}, "lat_deg"),
    ({"system": "Shaheen-III", "non_rotating": "true"}, "non_rotating"),
    ({"vehicle": {**SPEC, "payload_kg": True}}, "payload_kg"),
])
def test_strict_json_bodies(limited, body: dict, loc: str) -> None:
    _, client = limited
    problem_body = problem(client.post("/api/trajectory/max-range", json=body), 422)
    assert loc in problem_body["detail"]


def test_json_integers_are_numbers(limited) -> None:
    _, client = limited
    spec = {**SPEC, "payload_kg": 500, "stages": [{**SPEC["stages"][0], "wet_mass_kg": 6000, "burn_time_s": 60}]}
    r = client.post("/api/trajectory/max-range", json={"vehicle": spec, "launch": {"azimuth_deg": 90}})
    assert r.status_code in (200, 503), r.text  # validated; the flight itself may outlast the 2 s test budget


def test_openapi_documents_problems(limited) -> None:
    _, client = limited
    spec = client.get("/openapi.json").json()
    assert "ProblemDetails" in spec["components"]["schemas"]
    op = spec["paths"]["/api/trajectory/max-range"]["post"]
    for status in ("404", "413", "422", "503"):
        assert PROBLEM in op["responses"][status]["content"], status
    assert "503" in spec["paths"]["/api/evidence/base-rate"]["get"]["responses"]  # a data file not installed


# ---------------------------------------------------------------------------------------------------- shutdown

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sigterm_is_clean_during_a_physics_request(geo_ready: None, tmp_path: Path) -> None:
    import httpx

    port = _free_port()
    env = {**os.environ, "EQUILIBRIUM_PHYSICS_TIMEOUT_S": "60", "EQUILIBRIUM_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "equilibrium.web.app:create_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        t0 = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() - t0 < 60, "server did not start"
            time.sleep(0.2)
        result: dict[str, object] = {}

        def slow() -> None:
            try:
                result["r"] = httpx.post(base + "/api/trajectory/payload-range", json=SLOW, timeout=60)
            except httpx.HTTPError as exc:
                result["r"] = exc

        th = threading.Thread(target=slow)
        th.start()
        time.sleep(1.5)  # the request is computing in a worker (started after the warm-up, or by the request)
        workers = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        assert workers, "no physics worker process"
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=15)
        elapsed = time.monotonic() - t0
        th.join(timeout=10)
        assert elapsed < 8, elapsed
        out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        # uvicorn shuts down gracefully, then re-raises the signal it caught (exit status -SIGTERM) by design
        assert rc in (0, -signal.SIGTERM), (rc, out)
        assert "Traceback" not in out, out
        time.sleep(0.5)
        alive = [p for p in workers if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        assert not alive, alive
        r = result.get("r")
        if isinstance(r, httpx.Response):  # answered before the server closed: a clean 503
            assert r.status_code == 503 and r.headers["content-type"].startswith(PROBLEM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------------------------- screening worker

def test_screening_runs_in_its_own_worker_and_survives_its_death(geo_ready: None, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are screened in a worker process (the matcher's ~570 MB and its seconds of start-up stay out of the
    server); a killed worker is replaced and the next screening answers."""
    from equilibrium.sanctions.store import ingest
    from equilibrium.web.app import create_app

    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    sdn = tmp_path / "sdn_2025-01-02.csv"  # synthetic rows in the official layout (not real entries)
    sdn.write_text('52049,"NATIONAL DEVELOPMENT COMPLEX",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
                   '7,"GAMMA TRADING LTD",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a',
                   encoding="latin-1")
    ingest(sdn)
    app = create_app(physics_workers=1, warm="before-ready")
    with TestClient(app, raise_server_exceptions=False) as client:  # lifespan: warm before the first request
        assert isinstance(app.state.warm.get("screening workers"), float), app.state.warm
        pids = app.state.screening.pids()
        assert len(pids) == 1 and pids[0] != os.getpid()
        r = client.get("/api/sanctions/screen", params={"q": "National Development Complex"})
        assert r.status_code == 200 and r.json()["candidates"][0]["id"] == "OFAC-52049"
        os.kill(pids[0], signal.SIGKILL)
        time.sleep(0.5)
        r = client.get("/api/sanctions/screen", params={"q": "Gamma Trading"})
        if r.status_code == 503:  # the request that met the dead worker; the next one gets the fresh worker
            r = client.get("/api/sanctions/screen", params={"q": "Gamma Trading"})
        assert r.status_code == 200 and r.json()["candidates"][0]["id"] == "OFAC-7"
        assert app.state.screening.pids() and app.state.screening.pids() != pids
    assert not psutil.pid_exists(pids[0]) or psutil.Process(pids[0]).status() == psutil.STATUS_ZOMBIE
