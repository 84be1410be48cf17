"""Boundary files: Natural Earth 4.1.0 admin-0 (npm world-atlas 2.0.2) and US Census states (npm us-atlas 3.0.1).

``make setup`` (``scripts/copy_atlas.py``) copies ``countries-10m.json``, ``countries-50m.json`` and
``states-10m.json`` plus ``versions.json`` into the folder named by the ``atlas_dir`` setting
(``EQUILIBRIUM_ATLAS_DIR``). Everything is loaded lazily and cached per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from equilibrium.errors import InvalidInput, MissingDependency
from equilibrium.geo.caches import register
from equilibrium.settings import get_settings

RESOLUTIONS: tuple[str, ...] = ("10m", "50m")
"""Natural Earth scales available: 1:10 million (default) and 1:50 million."""


def atlas_dir() -> Path:
    """The folder holding the TopoJSON files (the ``atlas_dir`` setting)."""
    return get_settings().atlas_dir


def check_resolution(resolution: str) -> str:
    """Return ``resolution`` if it is one of :data:`RESOLUTIONS`, else raise :class:`InvalidInput`."""
    if resolution not in RESOLUTIONS:
        raise InvalidInput(f"unknown boundary resolution {resolution!r}; use one of {', '.join(RESOLUTIONS)}")
    return resolution


@cache
def _load(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise MissingDependency(
            f"boundary file {p} is missing: run `make setup` (copies npm world-atlas/us-atlas into the atlas "
            f"folder) or set EQUILIBRIUM_ATLAS_DIR")
    with p.open(encoding="utf-8") as f:
        doc: dict[str, Any] = json.load(f)
    return doc


register("atlas._load", _load, "path of an atlas file (countries-10m/-50m, states-10m)",
         "fixed small set; unbounded; ~55 MB per parsed 1:10m TopoJSON")


def topology(name: str) -> dict[str, Any]:
    """Parsed TopoJSON ``name`` (e.g. ``countries-10m.json``); :class:`MissingDependency` if absent."""
    return _load(str(atlas_dir() / name))


def versions() -> dict[str, Any]:
    """Contents of ``versions.json`` (package versions and sha256 of each file), or ``{}`` if absent."""
    p = atlas_dir() / "versions.json"
    if not p.is_file():
        return {}
    return dict(json.loads(p.read_text(encoding="utf-8")))
