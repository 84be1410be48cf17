"""The command line: --json output mirrors the API, user errors exit 2 with one line and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    res = cli.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def test_version(cli: CliRunner) -> None:
    code, out, _ = run(cli, "--version")
    assert code == 0 and "equilibrium" in out


def test_data_check(cli: CliRunner) -> None:
    code, out, err = run(cli, "data", "check", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] and data["counts"]["systems"] >= 40 and data["counts"]["sources"] >= 20
    # every bibliography entry is cited by a data file or by the code that uses it (no orphan, no superseded entry)
    assert data["warnings"] == [] and data["counts"]["sources_cited"] == data["counts"]["sources"], data["warnings"]


def test_catalog_list_json(cli: CliRunner) -> None:
    code, out, _ = run(cli, "catalog", "list", "--country", "PAK", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["systems"] and all(s["country"] == "PAK" for s in data["systems"])
    r = data["systems"][0]["range_km"]
    assert r["low"] <= r["nominal"] <= r["high"] and r["sources"]


def test_catalog_list_class_filter(cli: CliRunner) -> None:
    code, out, _ = run(cli, "catalog", "list", "--class", "ICBM", "--json")
    assert code == 0
    assert all(s["class"] == "ICBM" for s in json.loads(out)["systems"])


def test_catalog_show_fuzzy(cli: CliRunner) -> None:
    code, out, _ = run(cli, "catalog", "show", "Hatf-VI", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Shaheen-II"
    assert data["sources"] and all("title" in s for s in data["sources"])


def test_catalog_show_table(cli: CliRunner) -> None:
    code, out, _ = run(cli, "catalog", "show", "Shaheen 3")
    assert code == 0 and "Shaheen-III" in out


def test_unknown_system_one_line_exit_2(cli: CliRunner) -> None:
    code, out, err = run(cli, "catalog", "show", "Shaheen 9")
    assert code == 2
    assert "Traceback" not in out + err
    assert "did you mean" in err and len(err.strip().splitlines()) == 1


def test_unknown_region_suggests(cli: CliRunner) -> None:
    code, out, err = run(cli, "reach", "distance", "Pakistn", "IND", "--json")
    assert code == 2 and "Traceback" not in err
    assert "did you mean" in err


def test_malformed_coordinates(cli: CliRunner) -> None:
    code, _, err = run(cli, "reach", "distance", "95,200", "IND", "--json")
    assert code == 2 and "Traceback" not in err and err.strip()


def test_negative_range(cli: CliRunner) -> None:
    code, _, err = run(cli, "reach", "coverage", "PAK", "IND", "--range-km", "-5", "--json")
    assert code == 2 and "range" in err


def test_reach_distance_json_reference(cli: CliRunner) -> None:
    code, out, err = run(cli, "reach", "distance", "PAK", "USA:conus", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert abs(data["nearest_km"] - 9896) <= 25
    assert data["nearest_km"] <= data["full_coverage_km"] <= data["single_site_km"]
    assert "pov" in data["boundary"]


def test_reach_coverage_json(cli: CliRunner) -> None:
    code, out, err = run(cli, "reach", "coverage", "PAK", "IND", "--range-km", "2750", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert 0.9 <= data["area_fraction"] <= 1.0
    assert data["cities_in_range"] <= data["cities_total"]


def test_reach_systems_json(cli: CliRunner) -> None:
    code, out, err = run(cli, "reach", "systems", "PAK", "USA:conus", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["systems"] and all(s["reaches_nearest"] == "no" for s in data["systems"])


def test_reach_ring_geojson(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ring.geojson"
    code, _, err = run(cli, "reach", "ring", "PAK", "--range-km", "2750", "--geojson", str(out))
    assert code == 0, err
    feature = json.loads(out.read_text())
    assert feature["type"] == "Feature" and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.slow
def test_reach_map_png(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    code, _, err = run(cli, "reach", "map", "PAK", "--systems", "Shaheen-III,Ababeel", "--to", "IND", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
