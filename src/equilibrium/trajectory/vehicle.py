"""Vehicle specifications: stages, shroud, drag, payload; checked for physical sense.

Units: masses kg, specific impulse s, times s, lengths m, areas m², thrust kgf (as in the open literature's
tables) or kN. A stage's ``wet_mass_kg`` is its mass with propellant, without payload or upper stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from equilibrium.errors import InvalidInput
from equilibrium.trajectory.assumptions import assumptions as _assumptions
from equilibrium.trajectory.dragtables import drag_tables
from equilibrium.trajectory.earth import G0

DEFAULT_CD_MACH: tuple[tuple[float, float], ...] = (
    (0.0, 0.20), (0.85, 0.20), (1.0, 0.27), (1.2, 0.27), (2.0, 0.20), (4.5, 0.20))
"""Default drag coefficient against Mach number: the curve of Forden (2007), Figure 1, used by his GUI_Missile_
Flyout for Scud-class missiles (source ``forden-2007-gmf``). Above Mach 4.5 the last value holds."""

VERTICAL_SPEED_M_S = 50.0
"""Default end of the vertical rise: the time (s) at which the lift-off thrust-to-weight ratio would have given
the vehicle this vertical speed (m/s), Δv = (T/W − 1)·g0·t, kept within [2, 30] s. A gravity turn started
slower than this topples a low-thrust vehicle (e.g. Titan II, T/W ≈ 1.26), started much later wastes energy."""

DEFAULT_VERTICAL_S = None
"""``None``: the vertical rise is derived from the vehicle (see :data:`VERTICAL_SPEED_M_S`)."""
DEFAULT_KICK_S = 5.0
"""Default duration (s) of the pitch-over manoeuvre after the vertical rise."""


BURN_TIME_MIN_S = 0.5
"""Shortest stage burn time accepted (s). Real motors burn for seconds to minutes: the fastest fielded stage, the
Sprint interceptor's first stage, burned about 1.2 s; ballistic-missile stages burn 40–200 s. A shorter burn is a
typing error (ms for s) and would make the integrator resolve an impulse of near-infinite thrust."""
BURN_TIME_MAX_S = 1_000.0
"""Longest stage burn time accepted (s): the longest single stage burns flown (hydrogen upper stages such as
Centaur, S-IVB) last up to about 12–13 min; ballistic-missile stages at most about 200 s."""
ISP_MIN_S = 150.0
"""Lowest specific impulse accepted (s): early double-base solids and the V-2's alcohol–oxygen motor (203 s at
sea level) lie above it; below it no chemical rocket motor of a missile or launcher operates."""
ISP_MAX_S = 480.0
"""Highest specific impulse accepted (s): hydrogen–oxygen in vacuum, the best chemical propellant flown, reaches
about 465 s (RL10B-2); more is not a chemical rocket."""
MASS_FLOW_MAX_KG_S = 50_000.0
"""Largest propellant mass flow of one stage accepted (kg/s): the largest stages flown burn about 13,000 kg/s
(Saturn V S-IC) and about 23,000 kg/s (Super Heavy, 33 Raptors); 50,000 kg/s leaves room for any real stage."""
PROPELLANT_FRACTION_MIN = 0.30
"""Smallest propellant fraction (propellant / wet mass, –) of a stage accepted: real stages hold 0.69 (V-2, with
its warhead section) to 0.96; below 0.3 the "stage" is mostly structure and the entry is very likely wrong."""
PROPELLANT_FRACTION_MAX = 0.97
"""Largest propellant fraction (–) accepted: the lightest structures flown (Atlas balloon tanks, Falcon 9 first
stage) reach about 0.95–0.96; tanks, engines and casing cannot weigh less than 3 % of the stage."""
LIFTOFF_TW_MIN = 1.0
"""Lift-off thrust-to-weight ratio (–) of stage 1 at sea level that must be exceeded: at or below it the vehicle
cannot leave the pad. (Upper stages may ignite below 1: they fly on the speed already gained.)"""
TW_MAX = 100.0
"""Largest thrust-to-weight ratio (–) of any stage at its ignition accepted: about 100 g is the Sprint
interceptor's acceleration, the highest of any fielded missile; ballistic missiles ignite at 1.2–4."""


P0_PA = 101325.0
"""Sea-level pressure (Pa) of the 1976 standard atmosphere: the pressure at which a sea-level Isp holds."""

EXPANSION_BASES = ("exit area", "both Isp figures", "assumed ratio", "not applicable")
"""How a stage's thrust at altitude is known (see :meth:`Stage.expansion`)."""


@dataclass(frozen=True)
class Expansion:
    """A stage's nozzle expansion: sea-level and vacuum specific impulse (s), nozzle exit area (m²) and how they
    are known (``basis``: one of :data:`EXPANSION_BASES`). Thrust at ambient pressure p (Pa) is
    F = Isp_vac·g0·ṁ − p·A_e; at sea level it is Isp_sl·g0·ṁ."""

    isp_sea_level_s: float
    isp_vacuum_s: float
    exit_area_m2: float
    basis: str

    @property
    def assumed(self) -> bool:
        """True when one specific impulse was filled from the stated default ratio."""
        return self.basis == "assumed ratio"


DERIVED = "derived"
"""Validation-context key: ``Vehicle.model_validate(data, context={DERIVED: True})`` skips the physical bounds
above, for a vehicle this package derived itself (a template scaled or with a calibrated specific impulse, which
may lie outside the bounds a user-written spec must meet) and passed on as JSON."""


class InvalidVehicle(InvalidInput, ValueError):
    """A vehicle or stage spec that does not validate: an :class:`InvalidInput` (one line, HTTP 422) that is also
    a ``ValueError`` like pydantic's own validation error."""


def _one_line(kind: str, exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e["loc"])
        msg = str(e["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return f"invalid {kind}: " + "; ".join(parts)


class _Model(BaseModel):
    """Strict fields; built directly (``Stage(...)``, ``Vehicle.model_validate(...)``) an invalid spec raises
    :class:`InvalidVehicle` (an :class:`InvalidInput`); nested in a case file or a request body, pydantic's located
    errors stay (the caller names ``file:line`` or the JSON path)."""

    model_config = ConfigDict(extra="forbid")

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidVehicle(_one_line(type(self).__name__, exc)) from None

    # Not a custom __init__ to pydantic: nested validation keeps building instances without it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:
        """As pydantic's, raising :class:`InvalidVehicle` on an invalid spec."""
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise InvalidVehicle(_one_line(cls.__name__, exc)) from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Any:
        """As pydantic's, raising :class:`InvalidVehicle` on an invalid spec."""
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            raise InvalidVehicle(_one_line(cls.__name__, exc)) from None


class Stage(_Model):
    """One stage. Give ``burn_time_s`` or a thrust (``thrust_kgf`` or ``thrust_kn``); with a thrust the burn
    time is propellant / mass flow, mass flow = thrust / (Isp·g0) at the Isp's reference condition."""

    wet_mass_kg: float
    propellant_mass_kg: float
    isp_s: float
    isp_reference: Literal["sea_level", "vacuum"] = "vacuum"
    burn_time_s: float | None = None
    thrust_kgf: float | None = None
    thrust_kn: float | None = None
    diameter_m: float | None = None
    isp_vacuum_s: float | None = Field(
        default=None, description="vacuum specific impulse (s) when isp_s is the sea-level figure")
    isp_sea_level_s: float | None = Field(
        default=None, description="sea-level specific impulse (s) when isp_s is the vacuum figure")
    nozzle_exit_area_m2: float | None = Field(
        default=None, description="nozzle exit area (m²). Thrust varies with altitude, F = F_vac − p(h)·A_e; the "
                                  "exit area, or both Isp figures, fix A_e; with only one Isp figure the other is "
                                  "filled from the stated default ratio (an assumption every answer names)")
    coast_s: float = Field(default=0.0, description="coast (s) between the previous stage's burnout and ignition")
    name: str | None = None

    @model_validator(mode="after")
    def _physical(self) -> Stage:
        for key in ("wet_mass_kg", "propellant_mass_kg", "isp_s"):
            v = getattr(self, key)
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"{key} must be a positive number, not {v}")
        if self.propellant_mass_kg >= self.wet_mass_kg:
            raise ValueError(f"propellant_mass_kg {self.propellant_mass_kg:g} is not less than the stage's "
                             f"wet_mass_kg {self.wet_mass_kg:g}: propellant heavier than the stage")
        given = [k for k in ("burn_time_s", "thrust_kgf", "thrust_kn") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of burn_time_s, thrust_kgf, thrust_kn" +
                             (f" (got {', '.join(given)})" if given else ""))
        for key in (*given, "diameter_m", "nozzle_exit_area_m2", "isp_vacuum_s", "isp_sea_level_s"):
            v = getattr(self, key)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise ValueError(f"{key} must be a positive number, not {v}")
        if self.isp_vacuum_s is not None and self.isp_reference != "sea_level":
            raise ValueError("isp_vacuum_s is given but isp_s is already the vacuum figure (isp_reference vacuum)")
        if self.isp_sea_level_s is not None and self.isp_reference != "vacuum":
            raise ValueError("isp_sea_level_s is given but isp_s is already the sea-level figure "
                             "(isp_reference sea_level)")
        other = [k for k in ("isp_vacuum_s", "isp_sea_level_s", "nozzle_exit_area_m2") if getattr(self, k) is not None]
        if len(other) > 1:
            raise ValueError(f"give the nozzle exit area or the second Isp figure, not both ({', '.join(other)})")
        if self.isp_vacuum_s is not None and self.isp_vacuum_s < self.isp_s:
            raise ValueError(f"isp_vacuum_s {self.isp_vacuum_s:g} s is below the sea-level isp_s {self.isp_s:g} s: a "
                             "nozzle gives more thrust in vacuum than at sea level")
        if self.isp_sea_level_s is not None and self.isp_sea_level_s > self.isp_s:
            raise ValueError(f"isp_sea_level_s {self.isp_sea_level_s:g} s is above the vacuum isp_s {self.isp_s:g} s: "
                             "a nozzle gives more thrust in vacuum than at sea level")
        if not (math.isfinite(self.coast_s) and self.coast_s >= 0):
            raise ValueError(f"coast_s must be a non-negative number, not {self.coast_s}")
        return self

    def check_bounds(self, label: str = "stage") -> None:
        """Raise ``ValueError`` naming ``label`` when the burn time, mass flow, specific impulse or propellant
        fraction lies outside the physical bounds of this module (``BURN_TIME_MIN_S`` ...)."""
        burn, mdot = self.burn_s, self.mass_flow_kg_s
        frac = self.propellant_mass_kg / self.wet_mass_kg
        if not math.isfinite(burn) or burn < BURN_TIME_MIN_S:
            raise ValueError(f"{label} burn time {burn:.3g} s is below the minimum {BURN_TIME_MIN_S:g} s")
        if burn > BURN_TIME_MAX_S:
            raise ValueError(f"{label} burn time {burn:,.4g} s is above the maximum {BURN_TIME_MAX_S:,.0f} s")
        if mdot > MASS_FLOW_MAX_KG_S:
            raise ValueError(f"{label} mass flow {mdot:,.4g} kg/s is above the maximum {MASS_FLOW_MAX_KG_S:,.0f} "
                             "kg/s (the largest stages flown burn about 20,000 kg/s)")
        if not ISP_MIN_S <= self.isp_s <= ISP_MAX_S:
            raise ValueError(f"{label} specific impulse {self.isp_s:g} s lies outside [{ISP_MIN_S:g}, "
                             f"{ISP_MAX_S:g}] s, the range of chemical rocket motors")
        if not PROPELLANT_FRACTION_MIN <= frac <= PROPELLANT_FRACTION_MAX:
            raise ValueError(f"{label} propellant fraction {frac:.3f} (propellant / wet mass) lies outside "
                             f"[{PROPELLANT_FRACTION_MIN:g}, {PROPELLANT_FRACTION_MAX:g}]")

    @property
    def mass_flow_kg_s(self) -> float:
        """Propellant mass flow (kg/s), constant over the burn."""
        if self.burn_time_s is not None:
            return self.propellant_mass_kg / self.burn_time_s
        thrust_n = self.thrust_kgf * G0 if self.thrust_kgf is not None else float(self.thrust_kn or 0.0) * 1e3
        return thrust_n / (self.isp_s * G0)

    def expansion(self, default_ratio: float) -> Expansion:
        """Sea-level and vacuum Isp (s) and nozzle exit area (m²) of the stage: from the exit area, from both Isp
        figures, or — when only one figure is given — with the other filled from ``default_ratio`` (sea-level /
        vacuum Isp, –; the stated assumption of :mod:`~equilibrium.trajectory.assumptions`). The mass flow (kg/s)
        links them: A_e = (Isp_vac − Isp_sl)·g0·ṁ / p0."""
        mdot = self.mass_flow_kg_s
        k = G0 * mdot / P0_PA  # m² per second of specific impulse
        if self.nozzle_exit_area_m2 is not None:
            ae = self.nozzle_exit_area_m2
            if self.isp_reference == "sea_level":
                sl, vac = self.isp_s, self.isp_s + ae / k
            else:
                sl, vac = self.isp_s - ae / k, self.isp_s
            return Expansion(sl, vac, ae, "exit area")
        if self.isp_vacuum_s is not None:
            return Expansion(self.isp_s, self.isp_vacuum_s, (self.isp_vacuum_s - self.isp_s) * k, "both Isp figures")
        if self.isp_sea_level_s is not None:
            return Expansion(self.isp_sea_level_s, self.isp_s, (self.isp_s - self.isp_sea_level_s) * k,
                             "both Isp figures")
        if not 0.0 < default_ratio <= 1.0:
            raise InvalidInput(f"the sea-level / vacuum Isp ratio must lie in (0, 1], not {default_ratio:g}")
        if self.isp_reference == "sea_level":
            sl, vac = self.isp_s, self.isp_s / default_ratio
        else:
            sl, vac = self.isp_s * default_ratio, self.isp_s
        return Expansion(sl, vac, (vac - sl) * k, "assumed ratio")

    @property
    def burn_s(self) -> float:
        """Burn time (s)."""
        return self.propellant_mass_kg / self.mass_flow_kg_s

    @property
    def dry_mass_kg(self) -> float:
        """Stage mass without propellant (kg)."""
        return self.wet_mass_kg - self.propellant_mass_kg


class Shroud(_Model):
    """Payload shroud of ``mass_kg`` (kg) dropped at ``jettison_time_s`` (s after launch)."""

    mass_kg: float = Field(gt=0)
    jettison_time_s: float = Field(gt=0)


class Drag(_Model):
    """Drag model: ``cd_mach`` pairs ``[mach, cd]`` (increasing Mach) or ``table``, the id of a class table in
    ``data/trajectory/drag.yml`` (``forden-scud``, ``large-solid``, ``large-liquid``, ``v2``); and optionally the
    re-entry vehicle's ballistic coefficient ``reentry_beta_kg_m2`` (kg/m², m/(Cd·A)) and ``separate``: a
    multi-stage vehicle's payload separates at the last burnout by default and re-enters alone (with the given
    coefficient, else the stated default); a single stage keeps its warhead on the body unless ``separate`` or a
    coefficient is given."""

    cd_mach: list[tuple[float, float]] | None = None
    table: str | None = None
    reentry_beta_kg_m2: float | None = Field(default=None, gt=0)
    separate: bool | None = Field(default=None, description="whether the payload separates at the last burnout "
                                  "(default: yes for multi-stage vehicles, with the stated default ballistic "
                                  "coefficient unless reentry_beta_kg_m2 is given; no for single stages)")

    @model_validator(mode="after")
    def _table(self) -> Drag:
        if self.cd_mach is not None:
            if len(self.cd_mach) < 1:
                raise ValueError("cd_mach needs at least one [mach, cd] pair")
            machs = [m for m, _ in self.cd_mach]
            if any(b <= a for a, b in zip(machs, machs[1:], strict=False)):
                raise ValueError("cd_mach Mach numbers must increase")
            if any(m < 0 or c < 0 or not math.isfinite(c) for m, c in self.cd_mach):
                raise ValueError("cd_mach values must be non-negative")
        if self.cd_mach is not None and self.table is not None:
            raise ValueError("give cd_mach or table, not both")
        if self.separate is False and self.reentry_beta_kg_m2 is not None:
            raise ValueError("reentry_beta_kg_m2 is given but separate is false")
        if self.table is not None:
            if self.table not in drag_tables():
                raise ValueError(f"unknown drag table {self.table!r}; known: {', '.join(drag_tables())}")
        return self


class Vehicle(_Model):
    """A multi-stage ballistic missile: stages bottom to top, payload (kg) above the last stage."""

    payload_kg: float
    stages: list[Stage] = Field(min_length=1)
    shroud: Shroud | None = None
    drag: Drag | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _physical(self, info: ValidationInfo) -> Vehicle:
        if not (math.isfinite(self.payload_kg) and self.payload_kg > 0):
            raise ValueError(f"payload_kg must be a positive number, not {self.payload_kg}")
        if isinstance(info.context, dict) and info.context.get(DERIVED):
            return self  # a vehicle this package derived (calibrated Isp, scaled masses) and serialised
        for k, s in enumerate(self.stages):
            s.check_bounds(f"stage {k + 1}")
        self.check_thrust_to_weight(liftoff=False)
        return self

    @property
    def launch_mass_kg(self) -> float:
        """Lift-off mass (kg): stages, shroud and payload."""
        return sum(s.wet_mass_kg for s in self.stages) + self.payload_kg + (self.shroud.mass_kg if self.shroud else 0.0)

    @property
    def cd_table(self) -> tuple[tuple[float, float], ...]:
        """Cd(Mach) pairs in use: the spec's own, its named class table, else the default (Forden's Scud curve)."""
        if self.drag and self.drag.cd_mach:
            return tuple(self.drag.cd_mach)
        if self.drag and self.drag.table:
            return drag_tables()[self.drag.table].pairs
        return DEFAULT_CD_MACH

    def diameters_m(self) -> list[float]:
        """Body diameter (m) of each stage; a stage without one takes the one below it (or above, for the first)."""
        ds = [s.diameter_m for s in self.stages]
        known = [d for d in ds if d is not None]
        if not known:
            raise InvalidInput("the vehicle needs at least one stage diameter_m (m) for drag")
        out: list[float] = []
        last = known[0]
        for d in ds:
            last = d if d is not None else last
            out.append(last)
        return out

    def liftoff_tw(self) -> float:
        """Thrust-to-weight ratio (–) of stage 1 at sea level at lift-off."""
        s = self.stages[0]
        if s.isp_reference == "sea_level":
            f_sl = s.mass_flow_kg_s * s.isp_s * G0
        else:
            f_sl = s.mass_flow_kg_s * s.expansion(_default_ratio()).isp_sea_level_s * G0
        return f_sl / (self.launch_mass_kg * G0)

    def ignition_tw(self) -> list[float]:
        """Thrust-to-weight ratio (–) of each stage at its ignition, with the nominal thrust (Isp·g0·ṁ) over the
        weight of that stage and everything above it."""
        above = self.payload_kg + (self.shroud.mass_kg if self.shroud else 0.0)
        out = []
        for s in reversed(self.stages):
            above += s.wet_mass_kg
            out.append(s.mass_flow_kg_s * s.isp_s / above)
        return out[::-1]

    def check_thrust_to_weight(self, *, liftoff: bool = True) -> None:
        """Raise ``ValueError`` when a stage's thrust-to-weight at ignition exceeds :data:`TW_MAX`; with
        ``liftoff``, :class:`InvalidInput` as well when stage 1 cannot lift the vehicle (:data:`LIFTOFF_TW_MIN`)."""
        for k, tw in enumerate(self.ignition_tw()):
            if tw > TW_MAX:
                raise InvalidVehicle(f"stage {k + 1} thrust-to-weight at ignition {tw:,.4g} > {TW_MAX:g}: no "
                                     "missile accelerates that hard")
        if liftoff:
            tw = self.liftoff_tw()
            if not tw > LIFTOFF_TW_MIN:
                rel = "<" if tw < LIFTOFF_TW_MIN else "≤"
                raise InvalidInput(f"stage 1 thrust-to-weight at lift-off {tw:.2f} {rel} {LIFTOFF_TW_MIN:g}: the "
                                   f"vehicle cannot lift off ({self.launch_mass_kg:,.0f} kg)")

    def check_liftoff(self) -> None:
        """Refuse a vehicle whose first stage cannot lift it (thrust-to-weight at sea level ≤ 1) or a stage that
        ignites with a thrust-to-weight above :data:`TW_MAX` (both :class:`InvalidInput`)."""
        self.check_thrust_to_weight(liftoff=True)

    def expansions(self) -> list[Expansion]:
        """Each stage's :class:`Expansion` (Isp at sea level and in vacuum, s; exit area, m²), the stated default
        ratio filling a missing figure."""
        r = _default_ratio()
        return [s.expansion(r) for s in self.stages]

    def assumed_expansion(self) -> list[int]:
        """Stage numbers (1-based) whose second Isp figure comes from the stated default ratio."""
        return [k + 1 for k, e in enumerate(self.expansions()) if e.assumed]

    @property
    def separates(self) -> bool:
        """True when the payload separates at the last burnout: as the spec's ``drag.separate`` says, else by
        default for a multi-stage vehicle (its re-entry vehicle), not for a single stage (Scud-class warheads stay
        on the body unless the spec says otherwise)."""
        if self.drag is not None and self.drag.separate is not None:
            return self.drag.separate
        if self.drag is not None and self.drag.reentry_beta_kg_m2 is not None:
            return True
        return len(self.stages) >= 2

    def reentry_beta_kg_m2(self) -> float | None:
        """Ballistic coefficient (kg/m²) of the separated payload: the spec's, else the stated default; None when
        the payload does not separate (the spent last stage stays attached) or no default is sourced."""
        if not self.separates:
            return None
        if self.drag is not None and self.drag.reentry_beta_kg_m2 is not None:
            return self.drag.reentry_beta_kg_m2
        return _assumptions().reentry_beta_kg_m2

    def with_payload(self, payload_kg: float) -> Vehicle:
        """A copy carrying ``payload_kg`` (kg)."""
        return self.model_copy(update={"payload_kg": payload_kg})

    def with_isp_factor(self, factor: float) -> Vehicle:
        """A copy with every stage's specific impulse multiplied by ``factor`` (–) at unchanged mass flow and burn
        time (a more or less efficient motor of the same size)."""
        stages = []
        for s in self.stages:
            upd: dict[str, float | None] = {"isp_s": s.isp_s * factor, "burn_time_s": s.burn_s, "thrust_kgf": None,
                                            "thrust_kn": None}
            for key in ("isp_vacuum_s", "isp_sea_level_s"):
                if getattr(s, key) is not None:
                    upd[key] = getattr(s, key) * factor
            stages.append(s.model_copy(update=upd))
        return self.model_copy(update={"stages": stages})

    def with_burn_factor(self, factor: float) -> Vehicle:
        """A copy with every stage's burn time multiplied by ``factor`` (–) at unchanged masses and specific
        impulse: the same propellant burned faster (factor < 1: more thrust, higher thrust-to-weight) or slower."""
        stages = []
        for s in self.stages:
            upd: dict[str, float | None] = {"burn_time_s": s.burn_s * factor, "thrust_kgf": None, "thrust_kn": None}
            if s.nozzle_exit_area_m2 is not None:  # the nozzle grows with the mass flow: same Isp at sea level/vacuum
                upd["nozzle_exit_area_m2"] = s.nozzle_exit_area_m2 / factor
            stages.append(s.model_copy(update=upd))
        return self.model_copy(update={"stages": stages})

    def scaled(self, factor: float) -> Vehicle:
        """A copy with every stage's masses (and thrust, at fixed burn time) multiplied by ``factor`` (–);
        diameters grow as factor^(1/3) (same density and proportions), nozzle exit areas as the factor (the mass
        flow: the motor keeps its sea-level and vacuum specific impulse)."""
        stages = []
        for s in self.stages:
            upd: dict[str, float | None] = {"wet_mass_kg": s.wet_mass_kg * factor,
                                            "propellant_mass_kg": s.propellant_mass_kg * factor,
                                            "burn_time_s": s.burn_s, "thrust_kgf": None, "thrust_kn": None}
            if s.diameter_m is not None:
                upd["diameter_m"] = s.diameter_m * factor ** (1 / 3)
            if s.nozzle_exit_area_m2 is not None:  # grows with the mass flow: the same Isp at sea level and vacuum
                upd["nozzle_exit_area_m2"] = s.nozzle_exit_area_m2 * factor
            stages.append(s.model_copy(update=upd))
        shroud = self.shroud.model_copy(update={"mass_kg": self.shroud.mass_kg * factor ** (2 / 3)}) \
            if self.shroud else None
        return self.model_copy(update={"stages": stages, "shroud": shroud})


def _default_ratio() -> float:
    return _assumptions().isp_ratio
