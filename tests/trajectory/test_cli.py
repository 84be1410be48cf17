"""The trajectory CLI: outputs, bad input (exit 2, one line, no traceback), Monte Carlo determinism and resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from equilibrium.cli.main import app

from .conftest import MM3, SCUD


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """A small case file in the validation format, authored here."""
    p = tmp_path / "cases.yaml"
    p.write_text(yaml.safe_dump({"cases": [
        {"id": "scud", "kind": "motor", "vehicle": SCUD, "expect": {"quantity": "max_range_km", "value": 380,
                                                                     "tolerance_pct": 10}},
        {"id": "mm3", "kind": "motor", "vehicle": MM3},
        {"id": "hs14", "kind": "loft", "template": "liquid-2stage",
         "observed": {"apogee_km": 2802, "ground_range_km": 933, "flight_time_s": 2280}},
    ]}))
    return p


def _err(r) -> str:  # type: ignore[no-untyped-def]
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    return r.output


def test_fly_json_and_history(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "fly", "--spec", str(spec), "--case", "scud", "--kick-deg", "25",
                         "--history", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["status"] == "impact" and 300 < d["range_km"] < 420  # altitude-compensated thrust (issue 12)
    h = d["history"]
    assert len(h["t_s"]) == len(h["altitude_km"]) > 10
    assert max(h["altitude_km"]) == pytest.approx(d["apogee_km"], rel=0.02)


def test_fly_to_burnout_angle(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "fly", "--spec", str(spec), "--case", "scud", "--burnout-angle", "35",
                         "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["burnout"]["angle_deg"] == pytest.approx(35, abs=0.3)


def test_fly_lofted_to_apogee(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "fly", "--spec", str(spec), "--case", "scud", "--apogee-km", "120",
                         "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["apogee_km"] == pytest.approx(120, rel=0.01)


def test_max_range_expectation_and_plot(cli, spec: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "t.png"
    r = cli.invoke(app, ["trajectory", "max-range", "--spec", str(spec), "--case", "scud", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert "Expected 342 km–418 km: pass" in r.output
    assert "non-rotating Earth" in r.output and "best azimuth" in r.output  # the launch geometry, stated
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    d = json.loads(cli.invoke(app, ["trajectory", "max-range", "--spec", str(spec), "--case", "scud", "--json"]).stdout)
    assert d["converged"] and d["launch_site"].startswith("the equator") and d["system"] is None


def test_payload_range_cli(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "payload-range", "--spec", str(spec), "--case", "scud", "--payloads",
                         "500,1000,1500", "--json"])
    assert r.exit_code == 0, r.output
    pts = json.loads(r.stdout)["points"]
    assert [p["payload_kg"] for p in pts] == [500, 1000, 1500]
    assert pts[0]["range_km"] > pts[1]["range_km"] > pts[2]["range_km"]


def test_loft_cli_from_numbers(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "loft", "--apogee-km", "2802", "--range-km", "933", "--time-s", "2280",
                         "--template", "liquid-2stage", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert 6_000 < d["standard_range_km"] < 8_000
    assert d["headline"]["method"] == "burnout-speed"
    assert [r["burnout_alt_km"] for r in d["burnout_speed"]["rows"]] == [150, 250, 350]
    assert set(d["template_fit"]["nominal_residuals_pct"]) == {"apogee", "range", "flight_time"}
    assert len(d["template_fit"]["members"]) >= 4 and "residual" in d["template_fit"]["rule"]


def test_size_cli_from_regions(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "size", "--payload-kg", "1000", "--template", "solid-3stage",
                         "--from", "PAK", "--to", "USA:conus", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["range_km"] == pytest.approx(9896, abs=25)
    assert d["achieved_range_km"] == pytest.approx(d["range_km"], rel=0.01)
    assert d["reported"]["country"] == "PAK" and d["reported"]["systems_with_range"] == []


def test_montecarlo_same_for_any_workers_and_resumes(cli, spec: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = ["trajectory", "montecarlo", "--spec", str(spec), "--case", "scud", "-n", "24", "--seed", "3",
            "--chunk", "8", "--json"]
    one = json.loads(cli.invoke(app, [*base, "--workers", "1"]).stdout)
    two = json.loads(cli.invoke(app, [*base, "--workers", "2"]).stdout)
    assert one["p50_km"] == two["p50_km"] and one["p5_km"] == two["p5_km"] and one["p95_km"] == two["p95_km"]
    assert one["p5_km"] < one["p50_km"] < one["p95_km"]
    out = tmp_path / "run"
    first = cli.invoke(app, [*base[:-1], "--out", str(out)])
    assert len(list(out.glob("part-*.parquet"))) == 3 and "(0 chunk(s) resumed)" in " ".join(first.output.split())
    again = cli.invoke(app, [*base[:-1], "--out", str(out)])
    assert "(3 chunk(s) resumed)" in " ".join(again.output.split())
    assert json.loads(cli.invoke(app, [*base, "--out", str(out)]).stdout)["p50_km"] == one["p50_km"]
    other = cli.invoke(app, [*base[:-1], "--seed", "4", "--out", str(out), "--json"])
    assert "different Monte Carlo run" in _err(other)


def test_montecarlo_on_dask(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    base = ["trajectory", "montecarlo", "--spec", str(spec), "--case", "scud", "-n", "16", "--seed", "3",
            "--chunk", "8", "--json"]
    local = json.loads(cli.invoke(app, base).stdout)
    r = cli.invoke(app, [*base, "--scheduler", "local", "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["p50_km"] == local["p50_km"]


def test_templates_list(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "templates", "--json"])
    assert r.exit_code == 0, r.output
    ids = {t["id"] for t in json.loads(r.stdout)["templates"]}
    assert ids == {"liquid-1stage", "liquid-2stage", "solid-2stage", "solid-3stage"}


# ---------------------------------------------------------------------------------------------- bad input


def test_unknown_case_suggests(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    out = _err(cli.invoke(app, ["trajectory", "max-range", "--spec", str(spec), "--case", "scdu"]))
    assert "unknown case 'scdu'" in out and "scud" in out


def test_unknown_template_suggests(cli) -> None:  # type: ignore[no-untyped-def]
    out = _err(cli.invoke(app, ["trajectory", "size", "--range-km", "3000", "--payload-kg", "1000", "--template",
                                "solid-2stag"]))
    assert "unknown template" in out and "solid-2stage" in out


def test_spec_that_does_not_parse_names_file_line_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n  - id: x\n    kind: motor\n    vehicle:\n      payload_kg: 100\n      stages:\n"
                   "        - {wet_mass_kg: 1000, propellant_mass_kg: 1200, isp_s: 250, burn_time_s: 60,"
                   " diameter_m: 0.5}\n")
    out = _err(cli.invoke(app, ["trajectory", "max-range", "--spec", str(bad), "--case", "x"]))
    assert f"{bad}:" in out and "stages.0" in out and "propellant heavier than the stage" in out
    bad.write_text("cases: [\n")
    assert "malformed YAML" in _err(cli.invoke(app, ["trajectory", "max-range", "--spec", str(bad)]))


@pytest.mark.parametrize("field,value,words", [
    ("isp_s", -5, "isp_s must be a positive number"),
    ("burn_time_s", 0, "burn_time_s must be a positive number"),
    ("wet_mass_kg", "nan", "wet_mass_kg must be a positive number"),
])
def test_unphysical_stage_refused(cli, tmp_path: Path, field: str, value: object, words: str) -> None:  # type: ignore[no-untyped-def]
    stage = dict(SCUD["stages"][0])  # type: ignore[index]
    stage[field] = float(value) if value == "nan" else value  # type: ignore[arg-type]
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump({"cases": [{"id": "c", "kind": "motor",
                                            "vehicle": {"payload_kg": 1000, "stages": [stage]}}]}))
    assert words in _err(cli.invoke(app, ["trajectory", "max-range", "--spec", str(p), "--case", "c"]))


def test_cannot_lift_off(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump({"cases": [{"id": "c", "kind": "motor", "vehicle": {**SCUD, "payload_kg": 9000}}]}))
    assert "thrust-to-weight at lift-off" in _err(cli.invoke(app, ["trajectory", "max-range", "--spec", str(p)]))


def test_unreachable_lofted_observation(cli) -> None:  # type: ignore[no-untyped-def]
    out = _err(cli.invoke(app, ["trajectory", "loft", "--apogee-km", "2802", "--range-km", "40000", "--template",
                                "liquid-1stage"]))
    assert "unreachable" in out or "reproduces" in out


def test_bad_numbers(cli, spec: Path) -> None:  # type: ignore[no-untyped-def]
    assert "--range-km: Input should be greater than 0" in _err(cli.invoke(
        app, ["trajectory", "size", "--range-km", "-10", "--payload-kg", "100", "--template", "solid-2stage"]))
    assert "launch.lat_deg" in _err(cli.invoke(app, ["trajectory", "fly", "--spec", str(spec), "--case", "scud",
                                                     "--lat", "95"]))
    assert "n: Input should be greater than or equal to 1" in _err(cli.invoke(
        app, ["trajectory", "montecarlo", "--spec", str(spec), "--case", "scud", "-n", "0"]))
    assert "give --spec FILE --case ID, or --system NAME" in _err(cli.invoke(app, ["trajectory", "max-range"]))


def test_non_ballistic_system_refused(cli) -> None:  # type: ignore[no-untyped-def]
    assert "not ballistic" in _err(cli.invoke(app, ["trajectory", "max-range", "--system", "Babur"]))
    assert "did you mean" in _err(cli.invoke(app, ["trajectory", "max-range", "--system", "Shaheen 9"]))


def test_size_a_catalogue_system(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "size", "--system", "Shaheen-II", "--payload-kg", "1000", "--range-km",
                         "3000", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["launch_mass_kg"] > 0 and d["reference"]["vehicle"] == "Shaheen-II"
    out = _err(cli.invoke(app, ["trajectory", "size", "--system", "Shaheen-II", "--calibrate-range",
                                "--payload-kg", "1000", "--from", "PAK", "--to", "USA:conus"]))
    assert "does not reach" in out
    assert "give template (an id) or system (a catalogue name)" in _err(cli.invoke(
        app, ["trajectory", "size", "--range-km", "3000", "--payload-kg", "1000"]))


def test_loft_toward_a_target(cli) -> None:  # type: ignore[no-untyped-def]
    """Hwasong-15 (29 November 2017) toward the contiguous United States from North Korea's nearest point: the
    burnout-speed method on the rotating Earth against the distance (issue 12: 'toward a stated target')."""
    r = cli.invoke(app, ["trajectory", "loft", "--apogee-km", "4475", "--range-km", "950", "--time-s", "3180",
                         "--template", "liquid-2stage", "--from", "PRK", "--to", "USA:conus", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    t = d["target"]
    assert t["from"]["spec"] == "PRK" and t["nearest_km"] == pytest.approx(7526, abs=30)
    assert t["reaches"] is True and t["rotating_range_km"] > t["nearest_km"]
    rows = d["burnout_speed"]["rows"]
    assert all(x["rotating_range_km"] is not None for x in rows)
    assert "azimuth" in t["words"] and any(s["name"] == "launch" for s in d["defaults"])
    half = cli.invoke(app, ["trajectory", "loft", "--apogee-km", "4475", "--range-km", "950", "--template",
                            "liquid-2stage", "--from", "PRK"])
    assert half.exit_code == 2 and "both from and to" in half.output
