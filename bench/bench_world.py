"""How fast the world layer is on this machine: `python bench/bench_world.py`.

Figures printed (best of a few repeats, after a warm-up):
- building 100k flights with drawn failure modes, their impact points and territories;
- territory lookups per second;
- per block of 1000 flights: first radar sighting and one battery's engagement window.
"""

from __future__ import annotations

import time

import numpy as np

from sim.world import failures, intercept, sensors
from sim.world.ballistics import Trajectory, burnout_for
from sim.world.geo import initial_bearing_deg
from sim.world.sites import SITES
from sim.world.territory import territories

N = 100_000
SINPO, VLAD = SITES["sinpo"], SITES["vladivostok"]
AIM = float(initial_bearing_deg(SINPO.lat, SINPO.lon, VLAD.lat, VLAD.lon))


def best_of(fn, repeats=5):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def build_flights(n=N, seed=1):
    """One block's worth of physics: draws in, impacts and territories out."""
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=n)
    explosion, guidance, thrust = u < 0.1, (u >= 0.1) & (u < 0.2), (u >= 0.2) & (u < 0.3)
    speed, angle = burnout_for(460.0, 150.0)
    traj = Trajectory.from_burnout(
        SINPO.lat,
        SINPO.lon,
        AIM,
        speed,
        angle,
        burnout_alt_km=30.0,
        burn_time_s=60.0,
        launch_time_s=rng.uniform(0, 3600, n),
    )
    traj = failures.with_heading_error(traj, np.where(guidance, rng.normal(0, 10, n), 0.0))
    traj = failures.with_thrust_shortfall(traj, np.where(thrust, rng.uniform(0.5, 1.0, n), 1.0))
    lat, lon = traj.impact()
    debris = failures.explode(
        traj, traj.launch_time_s + rng.uniform(0, 90, n), rng.normal(0, 10, n), rng.normal(0, 10, n)
    )
    lat, lon = np.where(explosion, debris.lat, lat), np.where(explosion, debris.lon, lon)
    return territories().lookup(lat, lon)


def main() -> None:
    t0 = time.perf_counter()
    world = territories()
    print(f"territory data loaded and rasterised once in {time.perf_counter() - t0:.3f} s")

    codes = build_flights()
    counts = {world.codes[i]: int(c) for i, c in enumerate(np.bincount(codes, minlength=len(world.codes))) if c}
    print(f"100k flights with failure modes + impacts + territories: {best_of(build_flights):.3f} s   {counts}")

    rng = np.random.default_rng(2)
    for n in (100_000, 1_000_000):
        lat, lon = rng.uniform(30, 56, n), rng.uniform(115, 150, n)
        dt = best_of(lambda lat=lat, lon=lon: world.lookup(lat, lon))
        print(f"territory lookup, {n:>9,} random points in the box: {dt:.4f} s = {n / dt / 1e6:.1f} M points/s")

    block = Trajectory.from_range(
        SINPO.lat,
        SINPO.lon,
        AIM + rng.normal(0, 2, 1000),
        rng.uniform(400, 470, 1000),
        burn_time_s=60.0,
        burnout_alt_km=30.0,
        launch_time_s=rng.uniform(0, 600, 1000),
    )
    dt = best_of(lambda: sensors.first_visible_time_s(block, VLAD.lat, VLAD.lon, 30.0, 600.0), repeats=3)
    print(f"first radar sighting, 1000 flights, 1 s grid + bisection: {dt:.3f} s")
    envelope = intercept.Envelope(0.0, 60.0, 0.0, 30.0, 4.8)
    dt = best_of(lambda: intercept.engagement_window(block, VLAD.lat, VLAD.lon, envelope, 2.0), repeats=3)
    print(f"engagement window, 1000 flights, one battery, 1 s grid: {dt:.3f} s")


if __name__ == "__main__":
    main()
