"""Fixtures for the trajectory tests: the shared validation spec and small vehicles defined here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from equilibrium.trajectory import Vehicle

REPO = Path(__file__).resolve().parents[2]
DEV_SPEC = Path(os.environ.get("EQUILIBRIUM_VALIDATION_SPEC", REPO.parent / "shared" / "validation" /
                               "trajectory_dev.yaml"))

# Forden (2007) Table 1 Scud-B, as in the shared validation file (kg, s, m); authored here so that the physics
# tests run without ../shared.
SCUD = {"payload_kg": 1000,
        "drag": {"cd_mach": [[0, 0.20], [0.85, 0.20], [1.0, 0.27], [1.2, 0.27], [2.0, 0.20], [4.5, 0.20]]},
        "stages": [{"wet_mass_kg": 4897, "propellant_mass_kg": 3699, "isp_s": 230, "isp_reference": "sea_level",
                    "burn_time_s": 75, "diameter_m": 0.84}]}
# Minuteman III stage data (PyTraj / Wright), as in the shared validation file.
MM3 = {"payload_kg": 900, "shroud": {"mass_kg": 150, "jettison_time_s": 76},
       "stages": [{"wet_mass_kg": 23230, "propellant_mass_kg": 20780, "isp_s": 267, "isp_reference": "sea_level",
                   "burn_time_s": 61, "diameter_m": 1.68},
                  {"wet_mass_kg": 7270, "propellant_mass_kg": 6240, "isp_s": 287, "isp_reference": "vacuum",
                   "burn_time_s": 66, "diameter_m": 1.33},
                  {"wet_mass_kg": 3710, "propellant_mass_kg": 3306, "isp_s": 285, "isp_reference": "vacuum",
                   "burn_time_s": 61, "diameter_m": 1.32}]}


@pytest.fixture
def scud() -> Vehicle:
    """Scud-B (Forden Table 1)."""
    return Vehicle.model_validate(SCUD)


@pytest.fixture
def mm3() -> Vehicle:
    """Minuteman III."""
    return Vehicle.model_validate(MM3)


@pytest.fixture
def dev_spec() -> Path:
    """The shared development validation cases; skips when ../shared is absent."""
    if not DEV_SPEC.is_file():
        pytest.skip(f"validation spec {DEV_SPEC} is absent")
    return DEV_SPEC
