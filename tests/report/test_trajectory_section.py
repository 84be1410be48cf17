"""The brief's trajectory section: built by its builder, its numbers match direct API calls, citations resolve."""

from __future__ import annotations

import re

import pytest

from equilibrium.report.brief import SECTION_BUILDERS, BriefContext, Section

pytestmark = pytest.mark.slow  # flies every case of the section (about a minute of CPU on a cold cache)


@pytest.fixture(scope="module")
def section(brief_context: BriefContext) -> tuple[Section, str]:
    from equilibrium.report.reach_section import reach_section as _reach_builder
    from equilibrium.report.trajectory_section import trajectory_section as _trajectory_builder

    assert SECTION_BUILDERS.index(_trajectory_builder) == SECTION_BUILDERS.index(_reach_builder) + 1
    sec = _trajectory_builder(brief_context)
    return sec, brief_context.number_citations(str(sec.html))


def _cell(text: str, attr: str, key: str) -> str:
    m = re.search(rf'<tr data-{attr}="{re.escape(key)}"[^>]*>(.*?)</tr>', text, flags=re.S)
    assert m, f"no row {attr}={key}"
    return m.group(1)


def test_section_exists_with_figures(section: tuple[Section, str]) -> None:
    sec, text = section
    assert sec.id == "trajectory" and "Trajectories" in sec.title
    assert "<figure>" in text and 'src="data:image/png;base64,' in text
    assert "solid-2stage" in text and "upper-end estimate" in text
    for h in ("A Shaheen-class motor flown by the physics", "What the contiguous United States would require",
              "How far to trust the physics: validation cases", "Model and limitations"):
        assert h in text


def test_distances_match_geo(section: tuple[Section, str]) -> None:
    from equilibrium.geo.distance import distance

    _, text = section
    for spec in ("USA:conus", "IND:andaman-nicobar"):
        row = _cell(text, "target", spec)
        shown = float(re.findall(r'data-km="([\d.]+)"', row)[-1])
        assert shown == pytest.approx(distance("PAK", spec).to_dict()["nearest_km"], abs=1e-3)
    assert "9,896 km" in text and "2,589 km" in text and "7,242 km" in text


def test_motor_range_matches_max_range(section: tuple[Section, str]) -> None:
    from equilibrium.geo.distance import distance
    from equilibrium.trajectory import WGS84, Launch, max_range, system_vehicle

    _, text = section
    d = distance("PAK", "USA:conus").to_dict()
    (lat0, lon0), (lat1, lon1) = d["nearest_points"]["from"], d["nearest_points"]["to"]
    az, _, _ = WGS84.geod().inv(lon0, lat0, lon1, lat1)
    sv = system_vehicle("Shaheen-II")
    assert sv.template.id == "solid-2stage" and sv.vehicle.launch_mass_kg == pytest.approx(23_600)
    r = max_range(sv.vehicle, Launch.toward(lat0, lon0, az)).flight.range_km  # the catalogue payload, 1,230 kg
    cells = [float(x) for x in re.findall(r'data-km="([\d.]+)"', _cell(text, "target", "USA:conus"))]
    assert any(abs(c - r) < 1.0 for c in cells), (cells, r)
    assert f"{r:,.0f} km" in text


def test_sizing_matches_size(section: tuple[Section, str]) -> None:
    from equilibrium.geo.distance import distance
    from equilibrium.trajectory import WGS84, Launch, get_template, size

    _, text = section
    d = distance("PAK", "USA:conus").to_dict()
    (lat0, lon0), (lat1, lon1) = d["nearest_points"]["from"], d["nearest_points"]["to"]
    az, _, _ = WGS84.geod().inv(lon0, lat0, lon1, lat1)
    sz = size(get_template("solid-3stage"), d["nearest_km"], 1000.0, launch=Launch.toward(lat0, lon0, az))
    row = _cell(text, "template", "solid-3stage")
    lift, prop = (float(x) for x in re.findall(r'data-kg="([\d.]+)"', row))
    assert lift == pytest.approx(sz.launch_mass_kg, abs=0.5)  # written to the page with limited decimals
    assert prop == pytest.approx(sz.propellant_mass_kg, abs=0.5)
    assert f"{round(sz.launch_mass_kg, -1):,.0f} kg" in row
    assert f"{sz.diameter_m:.1f} m" in row
    assert _cell(text, "template", "solid-2stage")


def test_validation_table(section: tuple[Section, str]) -> None:
    from equilibrium.report.trajectory_section import validation_spec
    from equilibrium.trajectory import load_cases

    _, text = section
    spec = validation_spec()
    if spec is None:
        assert "no validation table is shown" in text
        return
    for cid in load_cases(spec):
        row = _cell(text, "case", cid)
        assert "pass" in row or "fail" in row


def test_every_citation_resolves(section: tuple[Section, str], brief_context: BriefContext) -> None:
    _, text = section
    assert "\u27e6" not in text and "\u27e7" not in text
    assert re.search(r'<sup class="cite">\[<a href="#ref-\d+">', text)
    cited = {sid for sid, n in brief_context.refs.items() if n}
    assert cited
    missing = [sid for sid in cited if sid not in brief_context.bibliography]
    assert not missing, missing
    assert all(r["resolved"] for r in brief_context.references())
