"""Bounds on user input: every bad parameter, file or output path is refused before any work, as one line on
stderr with exit status 2 (CLI) or an :class:`InvalidInput`/:class:`DataError` (Python API); nothing hangs.

Covered: output paths (``-o``/``--out``/``--plot``/``--geojson``: a folder, a missing folder, a wrong extension),
hostile YAML (alias bomb, oversized, deeply nested, not UTF-8), screening input (a Latin-1 CSV, a 100 kB name, a
missing ``name`` column, too many rows), unphysical stages (burn time, mass flow, specific impulse, propellant
fraction, thrust-to-weight) through the CLI and the Python API, the integrator's step limit, ``--range-km 1e308``;
and a property test: any stage within the stated bounds flies to a finite range or raises InvalidInput, in bounded
time.
"""

from __future__ import annotations

import copy
import math
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.errors import DataError, InvalidInput
from equilibrium.trajectory import Guidance, Vehicle, fly, max_range
from equilibrium.trajectory import vehicle as vmod
from equilibrium.trajectory.engine import MAX_STEPS, Launch, Options, VehicleArrays, fly_batch

# Forden (2007) Table 1 Scud-B (kg, s, m), as in tests/trajectory/conftest.py.
SCUD: dict[str, Any] = {
    "payload_kg": 1000,
    "stages": [{"wet_mass_kg": 4897, "propellant_mass_kg": 3699, "isp_s": 230, "isp_reference": "sea_level",
                "burn_time_s": 75, "diameter_m": 0.84}]}


def _scud(**stage: Any) -> dict[str, Any]:
    d = copy.deepcopy(SCUD)
    d["stages"][0].update(stage)
    return d


def _refused(r: Any, *needles: str) -> str:
    """Exit 2, exactly one line on stderr (containing every needle), no traceback; returns that line."""
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private EQUILIBRIUM_HOME: no test touches (or creates) the user's store."""
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))


# --- output paths, checked before any work ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["reach", "map", "PAK", "-o", "{dir}"],
    ["reach", "map", "PAK", "-o", "/nonexistent/map.png"],
    ["reach", "map", "PAK", "-o", "{dir}/map.pdf"],
    ["reach", "ring", "PAK", "--range-km", "2750", "--geojson", "{dir}"],
    ["brief", "-o", "{dir}"],
    ["brief", "-o", "/nonexistent/x.html"],
    ["brief", "-o", "{dir}/brief.txt"],
    ["sanctions", "export", "-o", "{dir}"],
    ["sanctions", "network", "PAK", "-o", "/nonexistent/g.graphml"],
    ["trajectory", "max-range", "--system", "Shaheen-II", "--plot", "{dir}"],
    ["trajectory", "fly", "--system", "Shaheen-II", "--plot", "/nonexistent/t.png"],
    ["trajectory", "payload-range", "--system", "Shaheen-II", "--plot", "{dir}/p.gif"],
    ["trajectory", "montecarlo", "--system", "Shaheen-II", "--plot", "{dir}"],
    ["trajectory", "montecarlo", "--system", "Shaheen-II", "-n", "4", "--out", "{file}"],
], ids=lambda a: " ".join(a[:2] + a[-2:-1]) + " " + a[-1].replace("{", "").replace("}", ""))
def test_output_path_refused_before_work(cli: CliRunner, tmp_path: Path, args: list[str]) -> None:
    f = tmp_path / "a-file"
    f.write_text("x")
    argv = [a.format(dir=tmp_path, file=f) for a in args]
    t0 = time.perf_counter()
    r = cli.invoke(app, argv)
    elapsed = time.perf_counter() - t0
    _refused(r, argv[-1])
    assert elapsed < 2.0, f"refused only after {elapsed:.1f} s: the check must come before the work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "home"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]  # nothing written


def test_output_path_helper(tmp_path: Path) -> None:
    from equilibrium.cli.common import check_output_path

    ok = tmp_path / "brief.html"
    assert check_output_path(ok, (".html",)) == ok and not ok.exists()  # the probe file is removed
    ok.write_text("kept")
    check_output_path(ok, (".HTML",))
    assert ok.read_text() == "kept"  # an existing file is not truncated by the check
    with pytest.raises(InvalidInput, match="is a folder"):
        check_output_path(tmp_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        check_output_path(tmp_path / "missing" / "x.html")
    with pytest.raises(InvalidInput, match="not a folder"):
        check_output_path(ok / "x.html")
    assert check_output_path(tmp_path / "new" / "deeper", option="--out", folder=True)  # created later
    with pytest.raises(InvalidInput, match="is a file"):
        check_output_path(ok, option="--out", folder=True)


# --- --range-km ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["reach", "coverage", "PAK", "IND", "--range-km", "1e308"],
    ["reach", "ring", "PAK", "--range-km", "1e308", "--geojson", "{dir}/r.geojson"],
    ["reach", "map", "PAK", "--range-km", "1e308", "-o", "{dir}/m.png"],
    ["reach", "coverage", "PAK", "IND", "--range-km", "-1"],
    ["reach", "coverage", "PAK", "IND", "--range-km", "nan"],
])
def test_range_km_bounded(cli: CliRunner, tmp_path: Path, args: list[str]) -> None:
    r = cli.invoke(app, [a.format(dir=tmp_path) for a in args])
    line = _refused(r, "--range-km").replace(",", "")
    assert "40075" in line or "finite" in line or "0 (got -1" in line, line  # the bound it breaks


@pytest.mark.parametrize("args", [
    ["trajectory", "size", "--range-km", "1e308", "--payload-kg", "1000", "--template", "solid-2stage"],
    ["trajectory", "loft", "--apogee-km", "500", "--range-km", "1e308", "--template", "solid-2stage"],
    ["trajectory", "loft", "--apogee-km", "500", "--range-km", "nan", "--template", "solid-2stage"],
    ["trajectory", "max-range", "--system", "Shaheen-II", "--azimuth", "400"],
])
def test_trajectory_bounds_from_the_params_model(cli: CliRunner, args: list[str]) -> None:
    """The trajectory questions' bounds are defined once, in their params models; the CLI names the parameter."""
    r = cli.invoke(app, args)
    _refused(r, "launch.azimuth_deg" if "--azimuth" in args else "--range-km")


# --- hostile YAML as --spec ------------------------------------------------------------------------------

def _alias_bomb(path: Path, levels: int = 12) -> Path:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    lines.append(f"cases: [{{id: x, kind: motor, vehicle: {{payload_kg: 1, stages: *a{levels - 1}}}}}]")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("kind, needle", [("bomb", "anchor"), ("big", "larger than 1,000,000 bytes"),
                                          ("deep", "nested deeper than"), ("latin1", "not UTF-8"),
                                          ("merge", "anchor")])
def test_hostile_yaml_spec(cli: CliRunner, tmp_path: Path, kind: str, needle: str) -> None:
    p = tmp_path / f"{kind}.yaml"
    if kind == "bomb":
        _alias_bomb(p)
    elif kind == "big":
        p.write_text("cases:\n" + "  - {id: c, kind: motor}\n" * 50_000)
    elif kind == "deep":
        p.write_text("cases: " + "[" * 5_000 + "]" * 5_000 + "\n")
    elif kind == "latin1":
        p.write_bytes("cases:\n  - id: caf\xe9\n    kind: motor\n".encode("latin-1"))
    else:
        p.write_text("base: &b {kind: motor}\ncases:\n  - <<: *b\n    id: c\n")
    t0 = time.perf_counter()
    r = cli.invoke(app, ["trajectory", "max-range", "--spec", str(p)])
    assert time.perf_counter() - t0 < 5.0
    line = _refused(r, needle, str(p))
    if kind in ("bomb", "deep", "latin1", "merge"):
        assert f"{p}:" in line  # file:line


def test_yaml_limits_python_api(tmp_path: Path) -> None:
    from equilibrium.provenance.yamlio import MAX_YAML_BYTES, load_yaml
    from equilibrium.trajectory import load_cases

    with pytest.raises(DataError, match="anchor &a0"):
        load_cases(_alias_bomb(tmp_path / "bomb.yaml", levels=30))
    p = tmp_path / "ok.yaml"
    p.write_text(yaml.safe_dump({"cases": [{"id": "scud", "kind": "motor", "vehicle": SCUD}]}))
    assert load_yaml(p).data == yaml.safe_load(p.read_text()) and load_yaml(p).line_of(("cases", 0, "id")) == 2
    assert MAX_YAML_BYTES == 1_000_000


# --- screening input ---------------------------------------------------------------------------------------

def test_screen_latin1_csv_refused(cli: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "names.csv"
    p.write_bytes("name,country\nJosé Müller,DEU\nFrançois Café,FRA\n".encode("latin-1"))
    _refused(cli.invoke(app, ["sanctions", "screen", "--input", str(p)]), str(p), "not UTF-8", "iconv", "line 2")


def test_screen_csv_reader(tmp_path: Path) -> None:
    from equilibrium.sanctions.screening import MAX_INPUT_ROWS, read_screening_csv

    p = tmp_path / "utf16.csv"
    p.write_bytes("name,country\nJosé Müller,DEU\n".encode("utf-16"))  # with a BOM: unambiguous
    got = read_screening_csv(p)
    assert got.rows == [(2, {"name": "José Müller", "country": "DEU"})] and got.encoding.startswith("utf")
    assert got.note and "not UTF-8" in got.note
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffname\nAlpha Works\n".encode())
    assert read_screening_csv(p).rows == [(2, {"name": "Alpha Works"})] and read_screening_csv(p).note is None
    p = tmp_path / "many.csv"
    p.write_text("name\n" + "x\n" * (MAX_INPUT_ROWS + 1))
    with pytest.raises(DataError, match="more than 10,000 rows"):
        read_screening_csv(p)
    p = tmp_path / "long.csv"
    p.write_text("name\nok\n" + "y" * 600 + "\n")
    with pytest.raises(DataError, match=r"long.csv:3: the name is 600 characters; the limit is 500"):
        read_screening_csv(p)
    p = tmp_path / "huge-field.csv"
    p.write_text('name\n"' + "z" * 200_000 + '"\n')
    with pytest.raises(DataError, match="malformed CSV|the limit is 500"):
        read_screening_csv(p)


@pytest.mark.parametrize("content, needle", [("schema,country\nPerson,PAK\n", "'name' column"),
                                             ("name,country\n ,PAK\n", ":2: empty name"),
                                             ("", "'name' column")])
def test_screen_csv_bad_rows(cli: CliRunner, tmp_path: Path, content: str, needle: str) -> None:
    p = tmp_path / "names.csv"
    p.write_text(content)
    _refused(cli.invoke(app, ["sanctions", "screen", "--input", str(p)]), needle)


def test_screen_long_name_refused(cli: CliRunner) -> None:
    t0 = time.perf_counter()
    r = cli.invoke(app, ["sanctions", "screen", "A" * 100_000])
    assert time.perf_counter() - t0 < 2.0
    _refused(r, "query is 100,000 characters; the limit is 500")


# --- unphysical stages -------------------------------------------------------------------------------------

BAD_STAGES = [
    ({"burn_time_s": 1e-9}, "stage 1 burn time 1e-09 s is below the minimum 0.5 s"),
    ({"burn_time_s": 5_000}, "above the maximum 1,000 s"),
    ({"wet_mass_kg": 5e7, "propellant_mass_kg": 4e7, "burn_time_s": 100}, "mass flow 4e+05 kg/s is above"),
    ({"burn_time_s": None, "thrust_kn": 1e9}, "burn time"),
    ({"isp_s": 1_000}, "specific impulse 1000 s lies outside [150, 480] s"),
    ({"isp_s": 20}, "specific impulse 20 s"),
    ({"propellant_mass_kg": 4_890}, "propellant fraction 0.999"),
    ({"propellant_mass_kg": 100}, "propellant fraction 0.020"),
    ({"burn_time_s": 0.7, "wet_mass_kg": 40_000, "propellant_mass_kg": 30_000}, "thrust-to-weight at ignition"),
]


@pytest.mark.parametrize("stage, needle", BAD_STAGES, ids=[n for _, n in BAD_STAGES])
def test_unphysical_stage_python_api(stage: dict[str, Any], needle: str) -> None:
    with pytest.raises(InvalidInput, match=needle.replace("[", r"\[").replace("]", r"\]").replace("+", r"\+")):
        Vehicle.model_validate(_scud(**stage))
    with pytest.raises(InvalidInput):  # direct construction as well
        Vehicle(**_scud(**stage))


@pytest.mark.parametrize("stage, needle", BAD_STAGES[:4] + BAD_STAGES[-1:], ids=lambda x: str(x)[:30])
def test_unphysical_stage_cli(cli: CliRunner, tmp_path: Path, stage: dict[str, Any], needle: str) -> None:
    p = tmp_path / "c.yaml"
    veh = _scud(**stage)
    veh["stages"][0] = {k: v for k, v in veh["stages"][0].items() if v is not None}
    p.write_text(yaml.safe_dump({"cases": [{"id": "c", "kind": "motor", "vehicle": veh}]}))
    t0 = time.perf_counter()
    r = cli.invoke(app, ["trajectory", "max-range", "--spec", str(p)])
    assert time.perf_counter() - t0 < 5.0
    _refused(r, needle.split(" 1e")[0], f"{p}:")


def test_cannot_lift_off() -> None:
    v = Vehicle.model_validate({**SCUD, "payload_kg": 9000})  # a valid spec, too heavy for its motor
    with pytest.raises(InvalidInput, match=r"stage 1 thrust-to-weight at lift-off 0\.82 < 1: the vehicle cannot"):
        max_range(v)
    with pytest.raises(InvalidInput, match="cannot lift off"):
        fly(v, guidance=Guidance(kick_deg=20))


def test_bounds_documented() -> None:
    for name in ("BURN_TIME_MIN_S", "BURN_TIME_MAX_S", "ISP_MIN_S", "ISP_MAX_S", "MASS_FLOW_MAX_KG_S",
                 "PROPELLANT_FRACTION_MIN", "PROPELLANT_FRACTION_MAX", "LIFTOFF_TW_MIN", "TW_MAX"):
        assert isinstance(getattr(vmod, name), float)
    src = Path(vmod.__file__).read_text(encoding="utf-8")
    assert src.count('"""Shortest stage burn time accepted (s)') == 1


# --- the integrator's step limit -------------------------------------------------------------------------

def _unchecked(**stage: Any) -> Vehicle:
    """A Scud with stage fields changed without validation (as derived vehicles are built)."""
    v = Vehicle.model_validate(SCUD)
    return v.model_copy(update={"stages": [v.stages[0].model_copy(update=stage)]})


def test_integrator_stops_on_impulsive_burn() -> None:
    va = VehicleArrays.from_vehicle(_unchecked(burn_time_s=1e-9), 9)
    t0 = time.perf_counter()
    with pytest.raises(InvalidInput, match="integration did not finish"):
        fly_batch(va, Launch(), kick_deg=np.linspace(1.0, 40.0, 9))
    assert time.perf_counter() - t0 < 10.0


def test_integrator_step_limit() -> None:
    va = VehicleArrays.from_vehicle(Vehicle.model_validate(SCUD), 2)
    with pytest.raises(InvalidInput, match="integration did not finish in 30 steps"):
        fly_batch(va, Launch(), kick_deg=np.array([10.0, 20.0]), options=Options(max_steps=30))
    res = fly_batch(va, Launch(), kick_deg=np.array([10.0, 20.0]))
    assert list(res.status) == [0, 0] and np.all(np.isfinite(res.range_m))
    assert Options().max_steps == MAX_STEPS and Options().h_min_s > 0


# --- property: within the bounds, a flight ends (finite range) or is refused -------------------------------

_stage = st.fixed_dictionaries({
    "wet_mass_kg": st.floats(100.0, 60_000.0),
    "propellant_fraction": st.floats(vmod.PROPELLANT_FRACTION_MIN, vmod.PROPELLANT_FRACTION_MAX),
    "isp_s": st.floats(vmod.ISP_MIN_S, vmod.ISP_MAX_S),
    "isp_reference": st.sampled_from(["sea_level", "vacuum"]),
    # short burns (high thrust, stiff), missile-like burns (most of them fly), anything within the bounds
    "burn_time_s": st.one_of(st.floats(vmod.BURN_TIME_MIN_S, 5.0), st.floats(30.0, 150.0),
                             st.floats(vmod.BURN_TIME_MIN_S, vmod.BURN_TIME_MAX_S)),
    "diameter_m": st.floats(0.3, 3.0),
})


@settings(max_examples=20, deadline=timedelta(seconds=90), derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(stages=st.lists(_stage, min_size=1, max_size=3), payload_kg=st.floats(10.0, 5_000.0))
def test_in_bounds_vehicles_fly_or_are_refused(stages: list[dict[str, Any]], payload_kg: float) -> None:
    spec = {"payload_kg": payload_kg, "stages": [
        {"wet_mass_kg": s["wet_mass_kg"], "propellant_mass_kg": s["wet_mass_kg"] * s["propellant_fraction"],
         "isp_s": s["isp_s"], "isp_reference": s["isp_reference"], "burn_time_s": s["burn_time_s"],
         "diameter_m": s["diameter_m"]} for s in stages]}
    try:
        m = max_range(Vehicle.model_validate(spec), strict=True)
    except InvalidInput:  # refused (T/W, mass flow), no impact, or not converged: all one-line user errors
        return
    assert m.flight.status == "impact" and math.isfinite(m.flight.range_km) and m.flight.range_km >= 0
