"""The reach and regions questions: stated defaults, boundary notes, verdicts, the physics note, suggestions."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.errors import NotFound
from equilibrium.questions import ask
from equilibrium.questions.reach import verdict

GEO = Path(__file__).resolve().parents[2] / "src" / "equilibrium" / "geo"


def test_verdicts() -> None:
    assert verdict(100, 200, 300) == "no"
    assert verdict(2000, 3200, 2500) == "depends-on-source"
    assert verdict(3500, 4000, 3000) == "yes"
    assert verdict(3000, 3000, 3000) == "yes"


def test_distance_states_its_defaults() -> None:
    a = ask("reach.distance", {"from": "PAK", "to": "USA:conus"})
    names = {s.name for s in a.defaults}
    assert {"launch", "earth", "boundaries", "pov", "data:atlas"} <= names
    b = a.stated("boundaries")
    assert b is not None and "Natural Earth" in b.value and "US Census" in b.value
    assert a.boundary.pov and "disputed" in a.boundary.pov


def test_points_have_no_kashmir_note_and_cities_are_not_a_boundary_set() -> None:
    a = ask("reach.distance", {"from": "33.7,73.1", "to": "city:Karachi, PK"})
    assert a.stated("pov") is None and a.boundary.pov is None
    assert not a.boundary.dataset.startswith("GeoNames")
    assert "point" in a.stated("boundaries").value  # type: ignore[union-attr]
    c = ask("reach.coverage", {"from": "PAK", "to": "city:Karachi, PK", "range_km": 100})
    assert not c.boundary.dataset.startswith("GeoNames") and "Natural Earth" in c.boundary.dataset


def test_systems_answer() -> None:
    a = ask("reach.systems", {"from": "PAK", "to": "IND"})
    assert a.systems and all(s.country == "PAK" for s in a.systems)
    assert a.stated("data:catalogue") is not None and a.stated("range").source == "assumed"  # type: ignore[union-attr]
    assert a.to_json()["systems"][0]["class"]


def test_unknown_specs_suggest_every_kind() -> None:
    with pytest.raises(NotFound) as exc:
        ask("reach.distance", {"from": "site:karachi", "to": "IND"})
    assert "city:Karachi, PK" in exc.value.suggestions
    with pytest.raises(NotFound) as exc:
        ask("reach.distance", {"from": "PAKK", "to": "IND"})
    assert "PAK" in exc.value.suggestions


def test_regions_search() -> None:
    a = ask("regions.search", {"query": "Karachi"})
    assert a.regions[0].spec == "city:Karachi, PK"
    k = ask("regions.search", {"query": "Kashmir"})
    specs = [r.spec for r in k.regions[:4]]
    assert specs[0] == "area:siachen-glacier" and {"PAK", "IND", "CHN"} <= set(specs)
    listing = ask("regions.search", {})
    kinds = {r.kind for r in listing.regions}
    assert {"country", "subregion", "area", "site"} <= kinds and "city" not in kinds
    assert ask("regions.search", {"query": "pakistan", "kind": "country"}).regions[0].spec == "PAK"


def test_regions_cli() -> None:
    r = CliRunner().invoke(cli_app, ["regions", "Kashmir"])
    assert r.exit_code == 0 and "area:siachen-glacier" in r.stdout
    r = CliRunner().invoke(cli_app, ["regions", "Karachi", "--json"])
    assert json.loads(r.stdout)["regions"][0]["spec"] == "city:Karachi, PK"


def test_degenerate_interval_prints_one_value() -> None:
    r = CliRunner().invoke(cli_app, ["reach", "systems", "PAK", "IND"])
    assert r.exit_code == 0, r.output
    a = ask("reach.systems", {"from": "PAK", "to": "IND"})
    for s in a.systems:
        if s.range_km.low == s.range_km.high:
            value = f"{s.range_km.low:,.0f} km"
            assert value in r.stdout and f"{s.range_km.low:,.0f}–{s.range_km.low:,.0f}" not in r.stdout


def test_ring_cli_writes_geojson(tmp_path: Path) -> None:
    out = tmp_path / "ring.geojson"
    r = CliRunner().invoke(cli_app, ["reach", "ring", "PAK", "--range-km", "300", "--geojson", str(out)])
    assert r.exit_code == 0, r.output
    f = json.loads(out.read_text())
    assert set(f) == {"type", "geometry", "properties"} and f["properties"]["range_km"] == 300


@pytest.mark.slow
def test_physics_says_why_it_differs_from_the_catalogue() -> None:
    a = ask("reach.distance", {"from": "PAK", "to": "USA:conus", "system": "Minuteman-III"})
    assert a.physics is not None and a.stated("physics") is not None
    assert any("catalogue" in n and "not calibrated to the published range" in n and "rotating Earth" in n
               for n in a.notes)


def test_geo_region_modules_import_no_cycle() -> None:
    """countries, sites and cities never import the dispatcher (regions); project imports sit at module level."""
    def imports(name: str) -> set[str]:
        tree = ast.parse((GEO / f"{name}.py").read_text())
        return {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("equilibrium.geo.")}

    assert "regions" not in imports("countries") | imports("sites") | imports("cities")
    assert "sites" not in imports("cities") and "cities" not in imports("countries")
    for name in ("regions", "countries", "sites", "cities", "names", "samples", "distance", "coverage", "field",
                 "rings"):
        tree = ast.parse((GEO / f"{name}.py").read_text())
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                for n in ast.walk(fn):
                    if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("equilibrium"):
                        raise AssertionError(f"{name}.{fn.name} imports {n.module} inside a function")
