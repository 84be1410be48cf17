"""Benchmark of the web service under load (plain script).

    python benchmarks/bench_service.py [--clients 50] [--seconds 15] [--mixed-s 60]   # --mixed-s 600: the 10-min run

Starts the server (uvicorn in a subprocess on a free loopback port, a fresh ``EQUILIBRIUM_HOME`` in a temporary
folder, the OFAC SDN 2024-05-03 of ../shared/data loaded into its store — or the small test fixture when absent —
and ../shared/data/evidence as ``EQUILIBRIUM_DATA_DIR`` when present), then measures:

* cold start: server ready (``/api/health`` answers) → first map (``/api/reach/field`` + ``/api/reach/coverage`` of
  the opening PAK → IND view) and → first screening answer (targets 3 s and 2 s);
* 50 concurrent clients (httpx, one asyncio loop, on the same host as in the audit) per endpoint: the catalogue
  list, a cached reach distance PAK → IND, a GSDB base rate (skipped with a note without the data file) and
  screening (a different name each request): throughput, p50/p95/p99, errors, the p99 against the target (200 ms;
  1 s for screening) and against the audit's figures (2026-12: catalogue 29 req/s p99 4,330 ms; reach 434 req/s
  p99 263 ms; screening 50 req/s p99 2,257 ms; base rate 321 req/s p99 303 ms);
* the server's RSS (and its worker processes': physics and screening) at start, after the first calls, after the
  load and during a mixed run of every kind of request (target < 600 MB).

The per-endpoint load runs with wrk (a C load generator) when it is installed (``apt-get install wrk``; ``--httpx``
forces the Python client): a Python client on the same 2 cores measures mostly itself. The mixed run uses httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _table import print_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SDN = SHARED / "sanctions" / "ofac_sdn_2024-05-03.csv"
FIXTURE_SDN = ROOT / "tests" / "fixtures" / "sanctions" / "ofac_sdn_layout.csv"
EVIDENCE = SHARED / "evidence"

TARGET_P99_MS = {"catalogue": 200.0, "reach": 200.0, "base rate": 200.0, "screening": 1000.0}
AUDIT = {"catalogue": (29, 4330), "reach": (434, 263), "screening": (50, 2257), "base rate": (321, 303)}
TARGET_COLD_S = {"first map": 3.0, "first screening": 2.0}
RSS_TARGET_MB = 600.0

NAMES = ["Abdul Qadeer Khan", "Khan Research Laboratories", "Mohammad Farooq", "Islamic Revolutionary Guard",
         "Bank Melli", "Hezbollah", "Al Qaida", "Rosoboronexport", "Korea Mining Development", "Shahid Hemmat",
         "Pakistan Atomic Energy", "National Development Complex", "Tanvir Ahmad", "Ali Akbar", "Defence Industries",
         "Global Trading Company", "Mahan Air", "Sepah Bank", "Aerospace Industries Organization", "Wang Wei"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(proc: psutil.Process) -> tuple[float, float]:
    """RSS of the server process and of its children (the physics and screening workers), MB."""
    try:
        own = proc.memory_info().rss / 1e6
        kids = sum(c.memory_info().rss for c in proc.children(recursive=True)) / 1e6
    except psutil.Error:
        return float("nan"), float("nan")
    return round(own, 1), round(kids, 1)


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


async def load(base: str, make_url, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` coroutines requesting ``make_url(i)`` for ``seconds``; latencies in ms."""
    lat: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        stop = time.perf_counter() + seconds
        counter = 0

        async def one() -> None:
            nonlocal errors, counter
            while time.perf_counter() < stop:
                counter += 1
                url = make_url(counter)
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                    what = str(r.status_code)
                except httpx.HTTPError as exc:
                    ok = False
                    what = type(exc).__name__
                lat.append((time.perf_counter() - t) * 1e3)
                errors += not ok
                if not ok:
                    kinds[what] = kinds.get(what, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        wall = time.perf_counter() - t0
    return {"n": len(lat), "rps": len(lat) / wall, "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99),
            "errors": errors, "error_kinds": kinds}


WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d %%f %%f %%f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def load_wrk(base: str, make_url, clients: int, seconds: float) -> dict[str, float]:
    """The same load with wrk (a C load generator, 2 threads, ``clients`` connections, keep-alive, gzip accepted):
    a Python client on the same 2 cores measures mostly itself. Latencies in ms; errors: connect/read/write/timeout
    and non-2xx answers."""
    from urllib.parse import quote

    paths = [quote(make_url(i), safe="/?=&") for i in range(1, 200)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_LUA % ", ".join(f'"{p}"' for p in paths))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s", "-s", fh.name,
                              base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    n, dur_us, err, p50, p95, p99 = line.split()[1:]
    return {"n": int(n), "rps": int(n) / (int(dur_us) / 1e6), "p50": float(p50), "p95": float(p95),
            "p99": float(p99), "errors": int(err)}


def start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    # What `make run` runs: `equilibrium serve`, which accepts connections once warm (the opening map, the screening
    # matcher and the physics workers): "ready" below is the moment a browser would first get an answer.
    proc = subprocess.Popen([str(Path(sys.executable).parent / "equilibrium"), "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server exited at start")
        time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=15.0, help="duration of each endpoint's load (s)")
    ap.add_argument("--mixed-s", type=float, default=60.0, help="duration of the mixed run (s); 600 for 10 minutes")
    ap.add_argument("--httpx", action="store_true", help="load with httpx even when wrk is installed")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "EQUILIBRIUM_HOME": home}
        env.pop("EQUILIBRIUM_DATA_DIR", None)
        if (EVIDENCE / "GSDB_R3.csv").is_file():
            env["EQUILIBRIUM_DATA_DIR"] = str(EVIDENCE)
        sdn = SDN if SDN.is_file() else FIXTURE_SDN
        t = time.perf_counter()
        cli = str(Path(sys.executable).with_name("equilibrium"))
        subprocess.run([cli, "sanctions", "ingest", str(sdn)], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"store: {sdn.name} loaded in {time.perf_counter() - t:.1f} s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc, ready_s = start_server(env, port)
        server = psutil.Process(proc.pid)
        rss = {"ready": rss_mb(server)}
        try:
            # --- cold start: the opening map and a first screening, both sent as soon as the server is ready ---
            cold: dict[str, float] = {}
            t_ready = time.perf_counter()

            def first_map() -> None:
                httpx.get(base + "/api/reach/field", params={"from": "PAK", "to": "IND", "resolution_deg": 0.5},
                          timeout=120).raise_for_status()
                httpx.get(base + "/api/reach/coverage", params={"from": "PAK", "to": "IND", "range_km": 2750},
                          timeout=120).raise_for_status()
                cold["first map"] = time.perf_counter() - t_ready

            def first_screen() -> None:
                httpx.get(base + "/api/sanctions/screen", params={"q": "Abdul Qadeer Khan"},
                          timeout=120).raise_for_status()
                cold["first screening"] = time.perf_counter() - t_ready

            threads = [threading.Thread(target=first_map), threading.Thread(target=first_screen)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            print(f"server ready in {ready_s:.2f} s (process start → /api/health)")
            print_table(["cold start (from ready)", "s", "target s", "ratio"],
                        [[k, f"{v:.2f}", f"{TARGET_COLD_S[k]:.0f}", f"{v / TARGET_COLD_S[k]:.2f}"]
                         for k, v in cold.items()])

            # one call of each (fills the caches)
            for url in ("/api/catalog/systems", "/api/reach/distance?from=PAK&to=IND",
                        "/api/evidence/base-rate?dataset=gsdb", "/api/sanctions/screen?q=Khan"):
                httpx.get(base + url, timeout=120)
            rss["after one call of each"] = rss_mb(server)

            # --- load per endpoint ---------------------------------------------------------------------------
            gsdb = httpx.get(base + "/api/evidence/base-rate", params={"dataset": "gsdb"}, timeout=120)
            endpoints = {
                "catalogue": lambda i: "/api/catalog/systems",
                "reach": lambda i: "/api/reach/distance?from=PAK&to=IND",
                "base rate": lambda i: "/api/evidence/base-rate?dataset=gsdb",
                "screening": lambda i: f"/api/sanctions/screen?q={NAMES[i % len(NAMES)]} {i % 97}",
            }
            rows = []
            use_wrk = shutil.which("wrk") is not None and not args.httpx
            print(f"\nload generator: {'wrk (2 threads)' if use_wrk else 'httpx (one asyncio loop)'}, "
                  f"{args.clients} connections on the same host")
            for name, make in endpoints.items():
                if name == "base rate" and gsdb.status_code != 200:
                    print(f"\nbase rate skipped: GSDB R3 is not under {EVIDENCE} ({gsdb.status_code})")
                    continue
                res = (load_wrk(base, make, args.clients, args.seconds) if use_wrk
                       else asyncio.run(load(base, make, args.clients, args.seconds)))
                a_rps, a_p99 = AUDIT[name]
                rows.append([name, f"{res['rps']:.0f}", f"{res['p50']:.0f}", f"{res['p95']:.0f}", f"{res['p99']:.0f}",
                             int(res["errors"]), f"{res['p99'] / TARGET_P99_MS[name]:.2f}",
                             f"{res['rps'] / a_rps:.1f}×", f"{a_p99 / res['p99']:.1f}×"])
            print_table(["endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "p99/target",
                         "req/s vs audit", "p99 better than audit"], rows)
            rss["after the load"] = rss_mb(server)

            # --- mixed run ----------------------------------------------------------------------------------
            rnd = random.Random(1)
            specs = ["PAK", "IND", "CHN", "IRN", "ISR", "PRK", "USA:conus", "RUS", "FRA", "GBR"]

            def mixed(i: int) -> str:
                a, b = rnd.sample(specs, 2)
                k = rnd.randrange(8)
                if k == 0:
                    return "/api/catalog/systems"
                if k == 1:
                    return f"/api/reach/distance?from={a}&to={b}"
                if k == 2:
                    return f"/api/reach/coverage?from={a}&to={b}&range_km={rnd.randrange(500, 12000, 250)}"
                if k == 3:
                    return f"/api/reach/field?from={a}&to={b}&resolution_deg=1"
                if k == 4:
                    return f"/api/sanctions/screen?q={rnd.choice(NAMES)} {rnd.randrange(1000)}"
                if k == 5:
                    return "/api/evidence/base-rate?dataset=gsdb&by=decade"
                if k == 6:
                    return f"/api/reach/systems?from={a}&to={b}"
                return "/api/sanctions/actions?target_country=PAK"

            samples: list[float] = []
            kids: list[float] = []
            done = threading.Event()

            def sample() -> None:
                while not done.wait(2.0):
                    own, k = rss_mb(server)
                    samples.append(own)
                    kids.append(k)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            res = asyncio.run(load(base, mixed, args.clients, args.mixed_s))
            done.set()
            rss["after the mixed run"] = rss_mb(server)
            print(f"\nmixed run, {args.clients} clients × {args.mixed_s:.0f} s: {res['rps']:.0f} req/s, "
                  f"p50/p95/p99 {res['p50']:.0f}/{res['p95']:.0f}/{res['p99']:.0f} ms, {int(res['errors'])} errors "
                  f"{res.get('error_kinds') or ''} (non-200 or a client timeout of 60 s; store-less data sets and "
                  "unknown pairs excluded from the requests)")
            print_table(["RSS", "server MB", "workers MB (physics + screening)"], [[k, *v] for k, v in rss.items()])
            peak = max(samples, default=float("nan"))
            print(f"\npeak server RSS during the mixed run {peak:.0f} MB (target < {RSS_TARGET_MB:.0f} MB: "
                  f"ratio {peak / RSS_TARGET_MB:.2f}); mean of the last samples "
                  f"{statistics.mean(samples[-5:]) if samples else float('nan'):.0f} MB; audit: 76 MB → 1.6 GB")
        finally:
            t = time.perf_counter()
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            print(f"shutdown on SIGTERM: {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
