"""The physics of a whole block of replications at once, before any SimPy process runs.

For each threat and each replication of the block: which failure mode (if any), the flight
that follows, where and when it comes down and on whose territory, when each of our radars
first sees it, each battery's engagement window, and what the predicted impact point says.
All of it vectorised with numpy through ``sim.world``: the hot loop never does physics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine import debris_fall
from sim.engine.draws import BlockDraws
from sim.engine.outcome import FailureMode
from sim.engine.plan import Plan
from sim.engine.prediction import Updates, tracking_updates
from sim.engine.sensing import BlockSensing
from sim.world import ballistics, failures, intercept
from sim.world.territory import territories

NOMINAL, EXPLOSION, GUIDANCE, THRUST = (int(m) for m in FailureMode)


@dataclass(frozen=True)
class FlightRow:
    """One threat in one replication: what the physics decided, in plain Python numbers."""

    launch: float
    impact_time: float
    impact_lat: float
    impact_lon: float
    territory: int
    failure: int
    threatened: bool
    explosion_time: float  # NaN unless it blew up
    first_seen: list[
        list[float]
    ]  # per radar (units' own, then sensors), per sensing mode: first detection, NaN if never
    window_open: list[float]  # per shooter (plan.shooters: battery and interceptor type), NaN if no window
    window_close: list[float]
    debris_spread_km: float  # length of the fragments' footprint (NaN unless flown as fragments)


class BlockFlights:
    """Per-block arrays: index ``[replication, threat]`` (and ``[..., radar]`` or ``[..., unit]``)."""

    def __init__(self, plan: Plan, draws: BlockDraws):
        s = plan.scenario
        B, nt, nu = draws.size, len(s.threats), len(plan.shooters)
        self.plan = plan
        shape = (B, nt)
        self.launch = np.zeros(shape)
        self.impact_time = np.zeros(shape)
        self.impact_lat = np.zeros(shape)
        self.impact_lon = np.zeros(shape)
        self.territory = np.zeros(shape, dtype=int)
        self.failure = np.zeros(shape, dtype=int)
        self.debris_spread_km = np.full(shape, np.nan)
        self.window_open = np.full((B, nt, nu), np.nan)
        self.window_close = np.full((B, nt, nu), np.nan)
        self.trajectories: list[ballistics.Trajectory] = []
        self._flights: dict[tuple[int, int], ballistics.Trajectory] = {}  # see flight()
        self._at_open: dict[tuple[int, int], list[float]] = {}  # see intercept_time()
        self._nearest: list[list[int]] | None = None  # see nearest_unit()
        self.explosion_time = np.full(shape, np.nan)  # when a missile that blows up does so
        self.codes = territories().codes
        own = s.rules_of_engagement.own_territory
        self.own_code = self.codes.index(own) if own in self.codes else -1
        self.sensing = BlockSensing(plan, draws, nt)
        self.updates: list[
            list[list[Updates | None]]
        ] = []  # per threat, per radar and sensing mode: the impact prediction

        for k, t in enumerate(s.threats):
            self._fly(plan, draws, k, t)
        self.threatened = self.territory == self.own_code
        self.first_seen = self.sensing.first
        # the SimPy processes read plain Python numbers, never numpy scalars (10x cheaper per read)
        self._rows = {name: getattr(self, name).tolist() for name in FlightRow.__dataclass_fields__}

    def _fly(self, plan: Plan, draws: BlockDraws, k: int, t) -> None:
        f, sites = t.failure, plan.threat_draws[k]
        site = plan.launch_sites[k]
        launch = draws.array(sites.launch)[:, 0]
        u = draws.array(sites.failure)[:, 0]
        mode = np.select(
            [
                u < f.early_explosion,
                u < f.early_explosion + f.guidance_fault,
                u < f.early_explosion + f.guidance_fault + f.thrust_shortfall,
            ],
            [EXPLOSION, GUIDANCE, THRUST],
            NOMINAL,
        )
        speed, angle, burnout_alt, burn_time = plan.threat_states[k]  # the boost of its missile class by default
        azimuth = plan.aim_azimuths[k] + np.where(mode == GUIDANCE, draws.array(sites.heading_error)[:, 0], 0.0)
        # a weaker motor over the same burn: speed and burnout altitude scale together (failures.with_thrust_shortfall)
        fraction = np.where(mode == THRUST, draws.array(sites.speed_fraction)[:, 0], 1.0)
        traj = ballistics.Trajectory.from_burnout(
            site.lat,
            site.lon,
            azimuth,
            speed * fraction,
            angle,
            burnout_alt_km=burnout_alt * fraction,
            burn_time_s=burn_time,
            launch_time_s=launch,
        )
        self.trajectories.append(traj)
        lat, lon = traj.impact()
        ground = traj.impact_time_s.copy()

        exploded = mode == EXPLOSION
        if exploded.any():
            t_boom = launch + draws.array(sites.explosion_time)[:, 0]
            t_boom = np.minimum(t_boom, ground)
            wind = draws.array(sites.wind_speed)[:, 0] * 1000.0
            blows_toward = np.radians(draws.array(sites.wind_from)[:, 0] + 180.0)
            if f.fragments > 0:
                d_lat, d_lon, fall, spread = debris_fall.fragments_land(
                    traj,
                    t_boom,
                    exploded,
                    draws.array(sites.debris_beta),
                    wind * np.sin(blows_toward),
                    wind * np.cos(blows_toward),
                )
                self.debris_spread_km[:, k] = spread
            else:
                d_lat, d_lon, fall = failures.explode(
                    traj,
                    t_boom,
                    wind * np.sin(blows_toward),
                    wind * np.cos(blows_toward),
                    debris_fall_speed_ms=f.debris_fall_speed * 1000.0,
                )
            lat, lon = np.where(exploded, d_lat, lat), np.where(exploded, d_lon, lon)
            ground = np.where(exploded, t_boom + fall, ground)
            self.explosion_time[:, k] = np.where(exploded, t_boom, np.nan)

        self.launch[:, k], self.impact_time[:, k] = launch, ground
        self.impact_lat[:, k], self.impact_lon[:, k] = lat, lon
        self.failure[:, k] = mode
        self.territory[:, k] = territories().lookup(lat, lon)

        # what our radars see and predict, up to the explosion for a missile that blows up
        in_air_until = np.where(exploded, self.explosion_time[:, k], ground)
        self.sensing.fly(k, traj, in_air_until, plan.threat_rcs[k])
        self.updates.append(tracking_updates(plan, draws, k, traj, in_air_until, self.sensing.first[:, k]))

        # each shooter's window against an intact missile (a broken-up one has none: not worth computing)
        intact = ~exploded
        if intact.any():
            whole = traj[intact]
            for j, x in enumerate(plan.shooters):
                place = plan.unit_sites[x.unit]
                opens, closes = intercept.engagement_window(whole, place.lat, place.lon, x.envelope, x.speed)
                self.window_open[intact, k, j] = opens
                self.window_close[intact, k, j] = closes

    # ---------------------------------------------------------------- lookups for one replication

    def row(self, i: int, k: int) -> FlightRow:
        """Threat ``k`` of replication ``i`` as plain numbers."""
        return FlightRow(**{name: rows[i][k] for name, rows in self._rows.items()})

    def nearest_unit(self, i: int, k: int) -> int:
        """The unit whose site lies nearest where threat ``k`` of replication ``i`` comes down (worked out for the
        whole block at the first question: the loop reads plain numbers)."""
        if self._nearest is None:
            from sim.world.geo import great_circle_km

            d = [great_circle_km(p.lat, p.lon, self.impact_lat, self.impact_lon) for p in self.plan.unit_sites]
            self._nearest = np.argmin(np.stack(d), axis=0).tolist()
        return self._nearest[i][k]

    def flight(self, i: int, k: int) -> ballistics.Trajectory:
        """Threat ``k`` of replication ``i`` alone, cut from the block once (its intercepts and the rules ask it)."""
        key = (i, k)
        if key not in self._flights:
            self._flights[key] = self.trajectories[k][i]
        return self._flights[key]

    def intercept_time(self, i: int, k: int, shooter: int, t: float) -> float:
        """When an interceptor of ``shooter`` launched at ``t`` meets threat ``k`` of replication ``i`` (NaN: never).

        A launch the moment the window opens (half of them where fire channels are scarce) is answered from one
        search over every flight of the block, made at the first such question; any other launch searches its
        one flight. The search is elementwise, so both give the same time to the bit.
        """
        if t == self._rows["window_open"][i][k][shooter]:
            return self._meets_at_open(k, shooter)[i]
        x = self.plan.shooters[shooter]
        site = self.plan.unit_sites[x.unit]
        return float(intercept.intercept_time_s(self.flight(i, k), site.lat, site.lon, x.speed, t, envelope=x.envelope))

    def _meets_at_open(self, k: int, shooter: int) -> list[float]:
        key = (k, shooter)
        if key not in self._at_open:
            x = self.plan.shooters[shooter]
            site = self.plan.unit_sites[x.unit]
            opens = self.window_open[:, k, shooter]
            some = np.flatnonzero(~np.isnan(opens))
            meets = np.full(opens.shape, np.nan)
            meets[some] = intercept.intercept_time_s(
                self.trajectories[k][some], site.lat, site.lon, x.speed, opens[some], envelope=x.envelope
            )
            self._at_open[key] = meets.tolist()
        return self._at_open[key]

    def position(self, i: int, k: int, t: float) -> tuple[float, float, float]:
        """Where threat ``k`` of replication ``i`` is at time ``t``: lat, lon, altitude km."""
        lat, lon, alt = self.flight(i, k).position(t)
        return float(lat), float(lon), float(alt)

    def describe_failure(self, i: int, k: int) -> str:
        return FailureMode(self._rows["failure"][i][k]).label  # plain numbers: this runs in the SimPy loop

    def describe_impact(self, i: int, k: int) -> str:
        rows = self._rows
        lat, lon, where = rows["impact_lat"][i][k], rows["impact_lon"][i][k], self.codes[rows["territory"][i][k]]
        return f"comes down at {lat:.2f}N {lon:.2f}E, {where}"
