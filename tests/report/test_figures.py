"""Reach maps: valid images of sensible size, drawn offline."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from equilibrium.errors import InvalidInput


def _png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert blob[12:16] == b"IHDR"
    w, h = struct.unpack(">II", blob[16:24])
    return int(w), int(h)


def test_reach_map_png_regional(atlas: None, tmp_path: Path) -> None:
    from equilibrium.report.figures import reach_map

    out = tmp_path / "map.png"
    blob = reach_map("PAK", systems=[], ranges_km=[1500.0, 2750.0], to="IND", out=out, dpi=80)
    assert out.read_bytes() == blob
    w, h = _png_size(blob)
    assert 700 <= w <= 2500 and 400 <= h <= 2500
    assert 30_000 < len(blob) < 5_000_000


def test_reach_map_with_catalogue_systems_world(atlas: None) -> None:
    from equilibrium.catalog import catalog
    from equilibrium.report.figures import reach_map

    try:
        name = catalog().find("Shaheen-III").name
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"catalogue without Shaheen-III: {exc}")
    blob = reach_map("PAK", [name], to="USA:conus", dpi=80)
    w, h = _png_size(blob)
    assert w > h > 300  # a world map is wider than tall


def test_reach_map_svg(atlas: None) -> None:
    from equilibrium.report.figures import reach_map

    svg = reach_map("IND", systems=[], ranges_km=[700.0], fmt="svg", dpi=72)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg[:2000]


def test_reach_map_rejects_bad_input() -> None:
    from equilibrium.report.figures import reach_map

    with pytest.raises(InvalidInput):
        reach_map("PAK", systems=[], ranges_km=[100.0], fmt="gif")
    with pytest.raises(InvalidInput):
        reach_map("PAK", systems=[], ranges_km=[-5.0])


def test_importing_report_does_not_import_matplotlib() -> None:
    code = ("import sys, equilibrium.report, equilibrium.report.figures, equilibrium.report.brief; "
            "print('matplotlib' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"
