"""Trajectory engine: multi-stage ballistic flight on a rotating WGS-84 Earth with J2 gravity and the 1976
standard atmosphere; maximum range, payload–range, lofted-test conversion, motor sizing, Monte Carlo.

Public API (units in the names: km, kg, s, deg):

- :class:`Vehicle`, :class:`Stage` — vehicle specs; :func:`load_case` — case files (validation format);
- :func:`fly`, :func:`max_range`, :func:`payload_range`, :func:`fly_constrained` — analyses;
- :func:`loft_fit`, :func:`size` — design questions; :func:`montecarlo` — uncertainty;
- :func:`get_template`, :func:`system_vehicle` — templates and catalogue vehicles.
"""

from equilibrium.trajectory.analyses import (
    Flight,
    Guidance,
    MaxRange,
    NotConverged,
    default_payloads,
    fly,
    fly_constrained,
    max_range,
    payload_range,
)
from equilibrium.trajectory.design import LoftFit, Sizing, loft_fit, size
from equilibrium.trajectory.earth import WGS84, EarthModel
from equilibrium.trajectory.engine import Launch, Options
from equilibrium.trajectory.montecarlo import MonteCarloResult, Spread, montecarlo
from equilibrium.trajectory.spec import Case, load_case, load_cases
from equilibrium.trajectory.systems import SystemVehicle, system_vehicle
from equilibrium.trajectory.templates import Template, get_template, templates
from equilibrium.trajectory.vehicle import Stage, Vehicle

__all__ = ["WGS84", "Case", "EarthModel", "Flight", "Guidance", "Launch", "LoftFit", "MaxRange", "MonteCarloResult",
           "NotConverged", "Options", "Sizing", "Spread", "Stage", "SystemVehicle", "Template", "Vehicle",
           "default_payloads", "fly", "fly_constrained", "get_template", "load_case", "load_cases", "loft_fit",
           "max_range", "montecarlo", "payload_range", "size", "system_vehicle", "templates"]
