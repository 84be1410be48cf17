"""The batched 3-DOF engine: many ballistic-missile flights integrated at once.

Physics (SI units throughout): a point mass in the Earth-centred inertial frame (ECI, equal to ECEF at launch),
WGS-84 ellipsoid with J2 gravity, Earth rotation (the launch site moves with the Earth: initial velocity ω × r;
the air co-rotates: drag acts on the velocity relative to the air, v − ω × r), US Standard Atmosphere 1976,
drag ½ρ|v_r|v_r·Cd(M)·A, thrust of each stage with a back-pressure correction F = F_vac − p(h)·A_e, mass
decreasing at the constant mass flow of the burning stage, stages dropped at burnout, shroud at its jettison time.

Guidance: vertical rise (``vertical_s``), a pitch-over of ``kick_deg`` from the vertical towards the launch
azimuth over ``kick_s`` seconds, then a gravity turn (thrust along the air-relative velocity) with an optional
``bias_deg`` (thrust tilted above the velocity, in the vertical plane) from ``Params.t_bias`` on: first-stage burnout
for a multi-stage vehicle, the end of the pitch-over for a single stage.

Integration: Dormand–Prince 5(4) with a step size per trajectory; steps never cross a discontinuity (ignition,
burnout, jettison, end of a guidance phase): they are shortened to land on it, and the stages that would fall at
the step's end are evaluated ε = 1 ns before it (the left limit), so the jump is never sampled inside a step.
Impact is the first crossing of the ellipsoid (h = 0), located on the cubic Hermite interpolant of the step (65
samples, then Newton); the apogee is refined the same way. Two loops implement this: a fused compiled loop
(``_kernel.fly``: one trajectory at a time, the batch split over threads; the default) and a loop vectorised over
the batch in numpy around the compiled or numpy right-hand side (time histories, ``Options.record``, and the
reference the tests compare with), which drops finished trajectories from its working arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from equilibrium.errors import InvalidInput
from equilibrium.trajectory import _kernel
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.earth import G0, WGS84, EarthModel
from equilibrium.trajectory.vehicle import (
    DEFAULT_KICK_S,
    DEFAULT_VERTICAL_S,
    VERTICAL_SPEED_M_S,
    Vehicle,
)

Array = NDArray[np.float64]
P0 = 101325.0
"""Sea-level pressure (Pa) of the 1976 standard: converts a sea-level Isp to vacuum."""

# Dormand–Prince 5(4) tableau.
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
_A = ((),
      (1 / 5,),
      (3 / 40, 9 / 40),
      (44 / 45, -56 / 15, 32 / 9),
      (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
      (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
      (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84))
_B5 = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0)
MAX_STEPS = 20_000
"""Most integration steps (accepted or rejected) of one flight. Nominal flights take 100–500 steps; recorded
histories (steps at most 10 s apart) at most 1,440 over the longest flight (``t_max_s`` 4 h). Past this the flight
is stopped (status 3) instead of integrating for ever (e.g. an absurd thrust that forces microsecond steps); a pass
over a batch of 9 flights takes about 0.35 ms, so the limit costs at most about 7 s."""
MIN_STEP_S = 1e-7
"""Shortest step (s) a rejected step may be cut to: below it the dynamics are not those of a rocket (status 3)."""

_E = (71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40)  # b5 − b4


@dataclass
class Params:
    """Per-trajectory parameters as arrays: ``(n,)`` or ``(n, S)`` for S stages (SI units).

    Stage arrays: ``t_on``/``t_off`` ignition/burnout times (s), ``mdot`` mass flow (kg/s), ``f_vac`` vacuum thrust
    (N), ``ae`` nozzle exit area (m²), ``dry``/``prop`` dry and propellant masses (kg), ``area`` drag reference area
    (m²) while that stage is the lowest one attached. Others: ``payload`` (kg), ``shroud`` (kg), ``t_jet`` shroud
    jettison (s, inf without), ``cd_scale`` drag multiplier (–), ``beta_rv`` re-entry ballistic coefficient (kg/m²,
    NaN when the spent last stage stays attached), launch geometry (``up``, ``hdir``: ECEF unit vectors (3, n);
    ``r0``, ``v0``: ECI position (m) and velocity (m/s)), guidance (``t_vert``, ``t_kick`` end of pitch-over (s),
    ``kick`` and ``bias`` (rad), ``t_bias`` (s) time from which the tilt ``bias`` applies).
    """

    t_on: Array
    t_off: Array
    mdot: Array
    f_vac: Array
    ae: Array
    dry: Array
    prop: Array
    area: Array
    payload: Array
    shroud: Array
    t_jet: Array
    cd_scale: Array
    beta_rv: Array
    up: Array
    hdir: Array
    r0: Array
    v0: Array
    t_vert: Array
    t_kick: Array
    kick: Array
    bias: Array
    t_bias: Array
    events: Array = field(init=False)
    _packed: Any = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.events = np.column_stack([self.t_vert, self.t_kick, self.t_on, self.t_off,
                                       np.where(np.isfinite(self.t_jet), self.t_jet, np.inf), self.t_bias])

    @property
    def n(self) -> int:
        """Number of trajectories."""
        return len(self.payload)

    def take(self, idx: NDArray[np.intp]) -> Params:
        """The parameters of trajectories ``idx``."""
        out = {}
        for f in fields(self):
            if not f.init:
                continue
            v = getattr(self, f.name)
            out[f.name] = v[:, idx] if f.name in ("up", "hdir", "r0", "v0") else v[idx]
        return Params(**out)


@dataclass
class VehicleArrays:
    """Vehicles as arrays ``(n, S)`` (SI units), built from :class:`Vehicle` specs and perturbed in place for
    Monte Carlo: ``isp_vac`` (s), ``mdot`` (kg/s), ``prop``/``dry`` (kg), ``coast`` (s), ``ae`` (m²), ``diam`` (m),
    ``payload``/``shroud`` (kg), ``t_jet`` (s), ``cd_scale`` (–), ``beta_rv`` (kg/m²; NaN: no separation)."""

    isp_vac: Array
    mdot: Array
    prop: Array
    dry: Array
    coast: Array
    ae: Array
    diam: Array
    payload: Array
    shroud: Array
    t_jet: Array
    cd_scale: Array
    beta_rv: Array
    cd_mach: Array
    cd_value: Array

    @classmethod
    def from_vehicle(cls, v: Vehicle, n: int = 1) -> VehicleArrays:
        """``n`` copies of vehicle ``v``."""
        diam = np.array(v.diameters_m())
        s = len(v.stages)
        isp_vac, mdot, prop, dry, coast, ae = (np.zeros(s) for _ in range(6))
        for k, (st, ex) in enumerate(zip(v.stages, v.expansions(), strict=True)):
            mdot[k] = st.mass_flow_kg_s
            ae[k] = ex.exit_area_m2  # thrust at ambient pressure p: Isp_vac·g0·ṁ − p·A_e
            isp_vac[k] = ex.isp_vacuum_s
            prop[k], dry[k], coast[k] = st.propellant_mass_kg, st.dry_mass_kg, st.coast_s
        table = np.array(v.cd_table, float)

        def rep(a: Array) -> Array:
            return np.repeat(a[None, :], n, axis=0)

        def full(x: float) -> Array:
            return np.full(n, float(x))

        beta_rv = v.reentry_beta_kg_m2()
        beta = beta_rv if beta_rv is not None else math.nan
        return cls(isp_vac=rep(isp_vac), mdot=rep(mdot), prop=rep(prop), dry=rep(dry), coast=rep(coast), ae=rep(ae),
                   diam=rep(diam), payload=full(v.payload_kg), shroud=full(v.shroud.mass_kg if v.shroud else 0.0),
                   t_jet=full(v.shroud.jettison_time_s if v.shroud else math.inf), cd_scale=full(1.0),
                   beta_rv=full(beta), cd_mach=table[:, 0].copy(), cd_value=table[:, 1].copy())

    @classmethod
    def concat(cls, parts: Sequence[VehicleArrays]) -> VehicleArrays:
        """Stack batches of vehicles with the same number of stages and the same Cd table."""
        first = parts[0]
        out = {}
        for f in fields(cls):
            if f.name in ("cd_mach", "cd_value"):
                out[f.name] = getattr(first, f.name)
            else:
                out[f.name] = np.concatenate([getattr(p, f.name) for p in parts], axis=0)
        return cls(**out)

    def take(self, idx: NDArray[np.intp]) -> VehicleArrays:
        """Vehicles ``idx``."""
        return replace(self, **{f.name: getattr(self, f.name)[idx] for f in fields(self)
                                if f.name not in ("cd_mach", "cd_value")})

    @property
    def n(self) -> int:
        """Number of vehicles."""
        return len(self.payload)

    def liftoff_tw(self) -> Array:
        """Thrust-to-weight ratio at lift-off (–), sea-level thrust over weight."""
        f_sl = np.maximum(self.isp_vac[:, 0] * G0 * self.mdot[:, 0] - P0 * self.ae[:, 0], 0.0)
        return f_sl / (self.launch_mass() * G0)

    def auto_vertical_s(self) -> Array:
        """Default vertical rise (s) per vehicle: see ``vehicle.VERTICAL_SPEED_M_S``."""
        excess = np.maximum(self.liftoff_tw() - 1.0, 1e-3)
        return np.clip(VERTICAL_SPEED_M_S / (excess * G0), 2.0, 30.0)

    def launch_mass(self) -> Array:
        """Lift-off mass (kg) of each vehicle."""
        out: Array = (self.prop + self.dry).sum(axis=1) + self.payload + self.shroud
        return out


LAUNCH_BOUNDS: dict[str, tuple[float, float]] = {"lat_deg": (-90.0, 90.0), "lon_deg": (-180.0, 360.0),
                                                 "azimuth_deg": (0.0, 360.0)}
"""Bounds (deg) of a launch: geodetic latitude, longitude (east, either convention), azimuth clockwise from north.
:class:`Launch` checks them; the question layer's parameters declare the same."""


@dataclass(frozen=True)
class Launch:
    """Launch point (geodetic lat/lon, deg) and azimuth (deg clockwise from north) for a batch, broadcast."""

    lat_deg: float | Array = 0.0
    lon_deg: float | Array = 0.0
    azimuth_deg: float | Array = 90.0

    def __post_init__(self) -> None:
        for name, what, (lo, hi) in (("lat_deg", "latitude", LAUNCH_BOUNDS["lat_deg"]),
                                     ("lon_deg", "longitude", LAUNCH_BOUNDS["lon_deg"]),
                                     ("azimuth_deg", "azimuth", LAUNCH_BOUNDS["azimuth_deg"])):
            v = np.asarray(getattr(self, name), dtype=float)
            bad = ~(np.isfinite(v) & (v >= lo) & (v <= hi))
            if bad.any():
                x = float(v[bad].flat[0]) if v.ndim else float(v)
                raise InvalidInput(f"launch {what} ({name}) must be a finite number of degrees in [{lo:g}, {hi:g}], "
                                   f"not {x:g}")

    @classmethod
    def toward(cls, lat_deg: float, lon_deg: float, azimuth_deg: float) -> Launch:
        """A launch from (``lat_deg``, ``lon_deg``) towards ``azimuth_deg`` given in any turn (a geodesic's azimuth
        in [−180°, 180°], say), normalised into [0°, 360°)."""
        return cls(float(lat_deg), float(lon_deg), float(azimuth_deg) % 360.0)


@dataclass(frozen=True)
class Options:
    """Integration options: ``rtol`` relative tolerance (–), ``atol_m``/``atol_m_s`` absolute tolerances on
    position (m) and velocity (m/s), ``t_max_s`` longest flight (s), ``h0_s`` first step (s), ``h_max_s`` longest
    step (s), ``record`` keep every accepted step (time histories), ``max_steps`` most step attempts per flight
    (accepted or rejected; 0: :data:`MAX_STEPS`), ``h_min_s`` shortest step (s) a rejected step may shrink to
    (0: :data:`MIN_STEP_S`), ``threads`` threads of the fused compiled loop (0: every core this process may use;
    results do not depend on it). A flight that exceeds either stops with status 3."""

    rtol: float = 1e-7
    atol_m: float = 1e-2
    atol_m_s: float = 1e-5
    t_max_s: float = 14_400.0
    h0_s: float = 0.5
    h_max_s: float = 120.0
    record: bool = False
    max_steps: int = 0
    h_min_s: float = 0.0
    threads: int = 0

    def __post_init__(self) -> None:
        if self.max_steps <= 0:
            object.__setattr__(self, "max_steps", MAX_STEPS)
        if self.h_min_s <= 0:
            object.__setattr__(self, "h_min_s", MIN_STEP_S)


@dataclass
class BatchResult:
    """Per-trajectory results (arrays of length n, SI units).

    ``status``: 0 impact found, 1 no impact before ``t_max_s`` (orbital or escaping), 2 failed (non-finite state),
    3 stopped: more than ``Options.max_steps`` steps, or a step shorter than ``Options.h_min_s``.
    ``range_m`` ground range (WGS-84 geodesic from launch to impact, m), ``downrange_m`` the same, negative when
    the impact lies behind the launch azimuth (a near-vertical shot drifting west with the Earth's rotation),
    ``t_impact`` (s), impact geodetic
    ``impact_lat``/``impact_lon`` (deg), ``impact_speed`` (m/s, inertial), ``apogee_m`` (m above the ellipsoid),
    burnout ``bo_t`` (s), ``bo_alt`` (m), ``bo_speed`` (m/s, inertial), ``bo_angle`` (rad, inertial flight-path
    angle above the local geocentric horizontal), ``bo_speed_rel`` (m/s, relative to the rotating Earth).
    ``history``: per trajectory ``(t (k,), state (6, k))`` when recorded. ``steps`` step attempts (accepted or
    rejected) and ``nfev`` right-hand-side evaluations of each flight (–).
    """

    status: NDArray[np.int8]
    range_m: Array
    downrange_m: Array
    t_impact: Array
    impact_lat: Array
    impact_lon: Array
    impact_speed: Array
    apogee_m: Array
    bo_t: Array
    bo_alt: Array
    bo_speed: Array
    bo_angle: Array
    bo_speed_rel: Array
    history: list[tuple[Array, Array]] | None = None
    steps: Array | None = None
    nfev: Array | None = None


def build_params(va: VehicleArrays, launch: Launch, earth: EarthModel, *, kick_deg: float | Array,
                 bias_deg: float | Array = 0.0, vertical_s: float | Array | None = DEFAULT_VERTICAL_S,
                 kick_s: float | Array = DEFAULT_KICK_S) -> Params:
    """Integrator parameters for vehicles ``va`` launched per ``launch`` with the given guidance (deg, s)."""
    n = va.n
    bc = np.broadcast_to
    lat = bc(np.asarray(launch.lat_deg, float), (n,))
    lon = bc(np.asarray(launch.lon_deg, float), (n,))
    az = np.radians(bc(np.asarray(launch.azimuth_deg, float), (n,)))
    la, lo = np.radians(lat), np.radians(lon)
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    east = np.array([-np.sin(lo), np.cos(lo), np.zeros(n)])
    north = np.array([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)])
    hdir = np.sin(az) * east + np.cos(az) * north
    r0 = earth.geodetic_to_ecef(lat, lon, 0.0)
    v0 = np.array([-earth.omega * r0[1], earth.omega * r0[0], np.zeros(n)])
    burn = va.prop / va.mdot
    s = va.prop.shape[1]
    t_on = np.zeros((n, s))
    t_off = np.zeros((n, s))
    t = np.zeros(n)
    for k in range(s):
        t_on[:, k] = t + va.coast[:, k]
        t_off[:, k] = t_on[:, k] + burn[:, k]
        t = t_off[:, k]
    # Drag reference area while stage k is the lowest attached: the widest stage from k up.
    dmax = np.maximum.accumulate(va.diam[:, ::-1], axis=1)[:, ::-1]
    t_vert = va.auto_vertical_s() if vertical_s is None else bc(np.asarray(vertical_s, float), (n,)).copy()
    t_kick = t_vert + bc(np.asarray(kick_s, float), (n,))
    # The tilt applies from first-stage burnout (upper stages), or from the end of the pitch-over for one stage.
    t_bias = t_off[:, 0].copy() if s >= 2 else t_kick.copy()
    return Params(t_on=t_on, t_off=t_off, mdot=va.mdot.copy(), f_vac=va.isp_vac * G0 * va.mdot, ae=va.ae.copy(),
                  dry=va.dry.copy(), prop=va.prop.copy(), area=math.pi * dmax ** 2 / 4, payload=va.payload.copy(),
                  shroud=va.shroud.copy(), t_jet=va.t_jet.copy(), cd_scale=va.cd_scale.copy(),
                  beta_rv=va.beta_rv.copy(), up=up, hdir=hdir, r0=r0, v0=v0, t_vert=t_vert,
                  t_kick=t_kick, kick=np.radians(bc(np.asarray(kick_deg, float), (n,))).copy(),
                  bias=np.radians(bc(np.asarray(bias_deg, float), (n,))).copy(), t_bias=t_bias)


class Dynamics:
    """The right-hand side dY/dt for a batch: ``Y`` is ``(6, n)`` (ECI position m, velocity m/s)."""

    def __init__(self, earth: EarthModel, atmosphere: Atmosphere, cd_mach: Array, cd_value: Array,
                 compiled: bool | None = None) -> None:
        self.earth = earth
        self.atm = atmosphere
        self.cd_mach = np.asarray(cd_mach, float)
        self.cd_value = np.asarray(cd_value, float)
        self.compiled = _kernel.available() if compiled is None else compiled

    def __call__(self, t: Array, y: Array, p: Params) -> Array:
        """dY/dt ``(6, n)`` at times ``t`` (s) for states ``y`` (6, n): the compiled kernel when numba is
        available, else :meth:`numpy_rhs` (the reference form)."""
        if self.compiled:
            return _kernel.rhs(self, t, y, p)
        return self.numpy_rhs(t, y, p)

    def mass_thrust(self, t: Array, p: Params, pres: Array) -> tuple[Array, Array, Array, Array]:
        """Mass (kg), thrust (N) at ambient pressure ``pres`` (Pa), drag reference area (m²) and lowest attached
        stage index at times ``t`` (s)."""
        s = p.t_on.shape[1]
        tt = t[:, None]
        burned = np.clip(tt - p.t_on, 0.0, p.t_off - p.t_on) * p.mdot
        attached = tt < p.t_off
        if s:
            attached[:, -1] |= ~np.isfinite(p.beta_rv)  # the spent last stage stays on unless the RV separates
        m = p.payload + np.where(t < p.t_jet, p.shroud, 0.0) + ((p.dry + p.prop - burned) * attached).sum(axis=1)
        burning = (tt >= p.t_on) & (tt < p.t_off)
        thrust = (burning * np.maximum(p.f_vac - pres[:, None] * p.ae, 0.0)).sum(axis=1)
        low = np.minimum((~attached).sum(axis=1), s - 1)
        area = np.take_along_axis(p.area, low[:, None], axis=1)[:, 0]
        return m, thrust, area, low

    def numpy_rhs(self, t: Array, y: Array, p: Params) -> Array:
        """dY/dt ``(6, n)`` in plain numpy (the reference form of the equations)."""
        e = self.earth
        x, yy, z, vx, vy, vz = y
        h = e.altitude(x, yy, z)
        gx, gy, gz = e.gravity(x, yy, z)
        # Velocity relative to the rotating air.
        vrx, vry, vrz = vx + e.omega * yy, vy - e.omega * x, vz
        vr = np.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        rho, pres, a_snd = self.atm(h)
        m, thrust, area, low = self.mass_thrust(t, p, pres)
        ax, ay, az = gx, gy, gz
        if self.atm.enabled:
            cd = np.interp(vr / a_snd, self.cd_mach, self.cd_value) * p.cd_scale
            k = 0.5 * rho * vr * cd * area / m
            rv = (t >= p.t_off[:, -1]) & np.isfinite(p.beta_rv)
            if rv.any():
                k = np.where(rv, 0.5 * rho * vr / np.where(rv, p.beta_rv, 1.0), k)
            ax, ay, az = ax - k * vrx, ay - k * vry, az - k * vrz
        on = thrust > 0.0
        if on.any():
            ux, uy, uz = self._attitude(t, y, p, vrx, vry, vrz, vr)
            f = thrust / m
            ax, ay, az = ax + f * ux, ay + f * uy, az + f * uz
        return np.array([vx, vy, vz, ax, ay, az])

    def _attitude(self, t: Array, y: Array, p: Params, vrx: Array, vry: Array, vrz: Array,
                  vr: Array) -> tuple[Array, Array, Array]:
        """Unit thrust direction (ECI) from the guidance law."""
        th = self.earth.omega * t
        c, s = np.cos(th), np.sin(th)

        def to_eci(v: Array) -> tuple[Array, Array, Array]:
            return c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]

        upx, upy, upz = to_eci(p.up)
        hx, hy, hz = to_eci(p.hdir)
        frac = np.clip((t - p.t_vert) / np.maximum(p.t_kick - p.t_vert, 1e-9), 0.0, 1.0)
        ang = p.kick * frac
        ca, sa = np.cos(ang), np.sin(ang)
        px, py, pz = ca * upx + sa * hx, ca * upy + sa * hy, ca * upz + sa * hz
        turn = (t >= p.t_kick) & (vr > 1.0)
        if not turn.any():
            return px, py, pz
        vr_safe = np.where(vr > 0, vr, 1.0)
        vx, vy, vz = vrx / vr_safe, vry / vr_safe, vrz / vr_safe
        bias = np.where(t >= p.t_bias, p.bias, 0.0)
        if np.any(bias != 0.0):
            x, yy, z = y[0], y[1], y[2]
            r = np.sqrt(x * x + yy * yy + z * z)
            rx, ry, rz = x / r, yy / r, z / r
            d = np.clip(rx * vx + ry * vy + rz * vz, -1.0, 1.0)
            bias = np.minimum(bias, 0.5 * np.pi - np.arcsin(d))  # never tilted past the local vertical
            nx, ny, nz = rx - d * vx, ry - d * vy, rz - d * vz
            nn = np.sqrt(nx * nx + ny * ny + nz * nz)
            vert = nn <= 1e-9  # a vertical velocity: a negative tilt turns toward the launch azimuth
            nx, ny, nz = np.where(vert, -hx, nx), np.where(vert, -hy, ny), np.where(vert, -hz, nz)
            nn = np.where(vert, 1.0, nn)
            cb, sb = np.cos(bias), np.sin(bias)
            vx, vy, vz = cb * vx + sb * nx / nn, cb * vy + sb * ny / nn, cb * vz + sb * nz / nn
        return np.where(turn, vx, px), np.where(turn, vy, py), np.where(turn, vz, pz)


def _hermite(y0: Array, y1: Array, f0: Array, f1: Array, h: Array, s: Array) -> tuple[Array, Array]:
    """Cubic Hermite position (m) and velocity (m/s) at fraction ``s`` of steps of length ``h`` (s)."""
    s2, s3 = s * s, s * s * s
    h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
    p0, p1, v0, v1 = y0[:3], y1[:3], y0[3:], y1[3:]
    pos = h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1
    d00, d10, d01, d11 = 6 * s2 - 6 * s, 3 * s2 - 4 * s + 1, -6 * s2 + 6 * s, 3 * s2 - 2 * s
    vel = (d00 * p0 + d01 * p1) / h + d10 * v0 + d11 * v1
    del f0, f1
    return pos, vel


def fly_batch(va: VehicleArrays, launch: Launch, *, kick_deg: float | Array, bias_deg: float | Array = 0.0,
              vertical_s: float | Array | None = DEFAULT_VERTICAL_S, kick_s: float | Array = DEFAULT_KICK_S,
              earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None,
              options: Options | None = None) -> BatchResult:
    """Fly every vehicle of ``va`` once with its guidance (deg, s); return per-trajectory results (SI units)."""
    atm = atmosphere or Atmosphere()
    opt = options or Options()
    p = build_params(va, launch, earth, kick_deg=kick_deg, bias_deg=bias_deg, vertical_s=vertical_s, kick_s=kick_s)
    dyn = Dynamics(earth, atm, va.cd_mach, va.cd_value)
    return integrate(dyn, p, opt, launch)


def integrate(dyn: Dynamics, p_all: Params, opt: Options, launch: Launch, *, loop: str = "auto") -> BatchResult:
    """Integrate a batch from lift-off to impact (see module docstring). ``loop``: ``"fused"`` (compiled, one
    trajectory at a time), ``"numpy"`` (vectorised over the batch) or ``"auto"``: fused unless ``opt.record`` asks for
    histories or the right-hand side is not compiled (numba missing, or ``Dynamics(compiled=False)``)."""
    if loop not in ("auto", "fused", "numpy"):
        raise ValueError(f"loop must be 'auto', 'fused' or 'numpy', not {loop!r}")
    if loop == "fused" or (loop == "auto" and not opt.record and dyn.compiled and _kernel.available()):
        if opt.record:
            raise InvalidInput("the fused loop records no histories: use loop='numpy' with Options(record=True)")
        return _integrate_fused(dyn, p_all, opt, launch)
    return _integrate_numpy(dyn, p_all, opt, launch)


def _integrate_fused(dyn: Dynamics, p_all: Params, opt: Options, launch: Launch) -> BatchResult:
    """:func:`integrate` through the fused compiled loop (``_kernel.fly``)."""
    r = _kernel.fly(dyn, p_all, opt, opt.threads)
    if p_all.n and np.all(r.status == 3):
        why = {"t": float(np.nanmax(r.t_stop))}
        if np.isfinite(r.h_stop).any():
            why["step"] = float(np.nanmin(r.h_stop))
        _refuse_stopped(opt, why)
    res = _finish(r.status, r.t_imp, r.pos_imp, r.spd_imp, r.apogee, r.bo, p_all, launch, dyn.earth, None)
    res.steps, res.nfev = r.steps, r.nfev
    return res


def _refuse_stopped(opt: Options, why: dict[str, float]) -> None:
    """Every flight stopped (status 3): the vehicle, not one guidance, is at fault."""
    what = (f" in {opt.max_steps:,} steps" if "step" not in why else
            f": its step fell below {opt.h_min_s:g} s")
    raise InvalidInput(f"integration did not finish{what} (flight time reached {why['t']:.3g} s); the "
                       "vehicle's thrust, mass flow or burn times are not those of a rocket")


def _integrate_numpy(dyn: Dynamics, p_all: Params, opt: Options, launch: Launch) -> BatchResult:
    """:func:`integrate` vectorised over the batch in numpy (histories when ``opt.record``)."""
    n = p_all.n
    earth = dyn.earth
    status = np.full(n, 1, np.int8)
    t_imp = np.full(n, np.nan)
    pos_imp = np.full((3, n), np.nan)
    spd_imp = np.full(n, np.nan)
    apogee = np.zeros(n)
    bo = np.full((7, n), np.nan)  # t, state
    hist: list[list[tuple[float, Array]]] | None = [[] for _ in range(n)] if opt.record else None

    ids = np.arange(n)
    p = p_all
    y = np.vstack([p.r0, p.v0])
    t = np.zeros(n)
    h = np.full(n, opt.h0_s)
    t_last_bo = p.t_off[:, -1].copy()
    if hist is not None:
        for i in range(n):
            hist[i].append((0.0, y[:, i].copy()))
    rtol = opt.rtol
    atol = np.array([opt.atol_m] * 3 + [opt.atol_m_s] * 3)[:, None]
    eps = 1e-9
    steps = 0
    attempts = np.zeros(n, np.int64)
    why: dict[str, float] = {}
    while len(ids):
        steps += 1  # every live flight attempts one step per pass: the loop ends after at most max_steps passes
        ev = np.where(p.events > (t + eps)[:, None], p.events, np.inf).min(axis=1)
        limit = np.minimum(ev, opt.t_max_s)
        h = np.minimum(np.minimum(h, opt.h_max_s), limit - t)
        clamp = h >= (limit - t) - 1e-12
        attempts[ids] += 1
        t_end = t + h - eps  # left limit at the step's end: a discontinuity there is not crossed
        ks: list[Array] = []
        for i in range(6):
            yi = y if i == 0 else y + h * sum(a * k for a, k in zip(_A[i], ks, strict=False))
            ks.append(dyn(np.minimum(t + _C[i] * h, t_end), yi, p))
        y5 = y + h * sum(b * k for b, k in zip(_B5, ks, strict=False) if b != 0.0)
        ks.append(dyn(t_end, y5, p))
        err_vec = h * sum(e * k for e, k in zip(_E, ks, strict=False) if e != 0.0)
        scale = atol + rtol * np.maximum(np.abs(y), np.abs(y5))
        err = np.sqrt(np.mean((err_vec / scale) ** 2, axis=0))
        bad = ~np.isfinite(err)
        accept = (err <= 1.0) & ~bad
        fac = np.where(err > 0, 0.9 * np.maximum(err, 1e-10) ** -0.2, 5.0)
        h_next = h * np.clip(fac, 0.2, 5.0)
        t_new = np.where(accept & clamp, limit, t + h)
        y_old, t_old, h_used = y, t, h
        y = np.where(accept, y5, y)
        t = np.where(accept, t_new, t)
        h = np.where(accept, np.where(clamp, np.maximum(h_next, h_used), h_next), np.minimum(h_next, h_used * 0.5))
        done = np.zeros(len(ids), bool)
        if bad.any():
            status[ids[bad]] = 2
            done |= bad
        stuck = ~done & ~accept & (h_used <= opt.h_min_s)
        if stuck.any():
            status[ids[stuck]] = 3
            done |= stuck
            why["step"] = float(h_used[stuck].min())
            why["t"] = max(why.get("t", 0.0), float(t[stuck].max()))
        # Burnout of the last stage: record its state.
        at_bo = accept & (t == t_last_bo)
        if at_bo.any():
            bo[0, ids[at_bo]] = t[at_bo]
            bo[1:, ids[at_bo]] = y[:, at_bo]
        if hist is not None:
            for jr in np.flatnonzero(accept):
                hist[ids[jr]].append((float(t[jr]), y[:, jr].copy()))
        # Apogee: at step ends, and refined inside steps where the radial speed changes sign.
        alt = earth.altitude(y[0], y[1], y[2])
        acc_ids = ids[accept]
        apogee[acc_ids] = np.maximum(apogee[acc_ids], alt[accept])
        rd0 = np.einsum("ij,ij->j", y_old[:3], y_old[3:])
        rd1 = np.einsum("ij,ij->j", y[:3], y[3:])
        peak = accept & (rd0 > 0) & (rd1 <= 0)
        if peak.any():
            jp = np.flatnonzero(peak)
            apogee[ids[jp]] = np.maximum(apogee[ids[jp]], _refine_apogee(earth, y_old[:, jp], y[:, jp], h_used[jp]))
            del jp
        # Impact: first crossing of h = 0 after lift-off.
        hit = accept & (alt < 0.0) & (t > 1.0)
        if hit.any():
            j = np.flatnonzero(hit)
            s_root = _bisect_impact(earth, y_old[:, j], y[:, j], h_used[j])
            pos, vel = _hermite(y_old[:, j], y[:, j], None, None, h_used[j], s_root)  # type: ignore[arg-type]
            t_imp[ids[j]] = t_old[j] + s_root * h_used[j]
            pos_imp[:, ids[j]] = pos
            spd_imp[ids[j]] = np.sqrt((vel * vel).sum(axis=0))
            status[ids[j]] = 0
            done[j] = True
        over = accept & (t >= opt.t_max_s) & ~done
        done |= over
        if steps >= opt.max_steps and not done.all():
            status[ids[~done]] = 3
            why["steps"] = steps
            why["t"] = max(why.get("t", 0.0), float(t[~done].max()))
            done[:] = True
        if done.any():
            keep = np.flatnonzero(~done)
            ids, p, y, t, h, t_last_bo = ids[keep], p.take(keep), y[:, keep], t[keep], h[keep], t_last_bo[keep]
    if n and np.all(status == 3):  # every flight stopped: the vehicle, not one guidance, is at fault
        _refuse_stopped(opt, why)
    res = _finish(status, t_imp, pos_imp, spd_imp, apogee, bo, p_all, launch, earth, hist)
    res.steps = attempts.astype(np.float64)
    res.nfev = (7 * attempts).astype(np.float64)
    return res


_S = np.linspace(0.0, 1.0, 65)[:, None]
"""Fractions of a step at which the Hermite interpolant is sampled to locate an apogee or an impact."""


def _alt_on_grid(earth: EarthModel, y0: Array, y1: Array, h: Array, s: Array) -> Array:
    """Altitude (m) of the Hermite interpolant at step fractions ``s`` (k, n) for n steps."""
    pos, _ = _hermite(y0[:, None, :], y1[:, None, :], None, None, h, s)  # type: ignore[arg-type]
    return earth.altitude(pos[0], pos[1], pos[2])


def _refine_apogee(earth: EarthModel, y0: Array, y1: Array, h: Array) -> Array:
    """Highest altitude (m) inside steps whose radial speed changes sign: the Hermite interpolant sampled at 65
    points, then the vertex of the parabola through the highest sample and its neighbours."""
    alt = _alt_on_grid(earth, y0, y1, h, np.broadcast_to(_S, (len(_S), len(h))))
    j = np.clip(np.argmax(alt, axis=0), 1, len(_S) - 2)
    cols = np.arange(len(h))
    a0, a1, a2 = alt[j - 1, cols], alt[j, cols], alt[j + 1, cols]
    den = a0 - 2 * a1 + a2
    with np.errstate(invalid="ignore", divide="ignore"):
        peak = np.where(den < 0, a1 - (a2 - a0) ** 2 / (8 * den), a1)
    out: Array = np.maximum(peak, alt.max(axis=0))
    return out


def _bisect_impact(earth: EarthModel, y0: Array, y1: Array, h: Array) -> Array:
    """Fraction of each step (–) where the Hermite interpolant first crosses the ellipsoid (h = 0) going down:
    the first sign change among 65 samples, then bisection inside that sub-interval."""
    n = len(h)
    alt = _alt_on_grid(earth, y0, y1, h, np.broadcast_to(_S, (len(_S), n)))
    below = alt < 0.0
    first = np.where(below.any(axis=0), np.argmax(below, axis=0), len(_S) - 1)
    first = np.maximum(first, 1)
    s0, s1 = _S[first - 1, 0], _S[first, 0]
    cols = np.arange(n)
    a0, a1 = alt[first - 1, cols], alt[first, cols]
    s = np.where(a0 != a1, s0 + (s1 - s0) * a0 / np.where(a0 != a1, a0 - a1, 1.0), s1)
    # Newton on the height, d(alt)/ds ≈ h·(r̂·v) near the surface; kept inside the bracketing sub-interval.
    for _ in range(4):
        pm, vm = _hermite(y0, y1, None, None, h, s)  # type: ignore[arg-type]
        f = earth.altitude(pm[0], pm[1], pm[2])
        rn = np.sqrt((pm * pm).sum(axis=0))
        df = h * (pm * vm).sum(axis=0) / rn
        s = np.clip(s - f / np.where(df != 0, df, -1.0), s0, s1)
    out: Array = s
    return out


def _finish(status: NDArray[np.int8], t_imp: Array, pos_imp: Array, spd_imp: Array, apogee: Array, bo: Array,
            p: Params, launch: Launch, earth: EarthModel,
            hist: list[list[tuple[float, Array]]] | None) -> BatchResult:
    n = len(status)
    lat0 = np.broadcast_to(np.asarray(launch.lat_deg, float), (n,))
    lon0 = np.broadcast_to(np.asarray(launch.lon_deg, float), (n,))
    rng = np.full(n, np.nan)
    down = np.full(n, np.nan)
    ilat = np.full(n, np.nan)
    ilon = np.full(n, np.nan)
    ok = status == 0
    if ok.any():
        ecef = earth.eci_to_ecef(pos_imp[:, ok], t_imp[ok])
        la, lo, _ = earth.ecef_to_geodetic(ecef[0], ecef[1], ecef[2])
        ilat[ok], ilon[ok] = la, lo
        rng[ok], az = earth.inverse(lat0[ok], lon0[ok], la, lo)
        az0 = np.broadcast_to(np.asarray(launch.azimuth_deg, float), (n,))[ok]
        down[ok] = np.where(np.cos(np.radians(az - az0)) >= 0.0, rng[ok], -rng[ok])
    r = bo[1:4]
    v = bo[4:7]
    rn = np.sqrt((r * r).sum(axis=0))
    vn = np.sqrt((v * v).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        ang = np.arcsin(np.clip((r * v).sum(axis=0) / (rn * vn), -1, 1))
        vrel = v - np.array([-earth.omega * r[1], earth.omega * r[0], np.zeros(n)])
        vrel_n = np.sqrt((vrel * vrel).sum(axis=0))
    alt = earth.altitude(r[0], r[1], r[2]) if n else np.zeros(0)
    history = None
    if hist is not None:
        history = [(np.array([a for a, _ in hh]), np.array([b for _, b in hh]).T) for hh in hist]
    return BatchResult(status=status, range_m=rng, downrange_m=down, t_impact=t_imp, impact_lat=ilat, impact_lon=ilon,
                       impact_speed=spd_imp, apogee_m=apogee, bo_t=bo[0], bo_alt=alt, bo_speed=vn, bo_angle=ang,
                       bo_speed_rel=vrel_n, history=history)


def check_finite(name: str, value: float) -> float:
    """Refuse a non-finite parameter with a clear message."""
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number, not {value}")
    return value
