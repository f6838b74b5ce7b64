"""An independent reference for the ballistics tests: integrate Newton's law numerically.

Classic fourth-order Runge-Kutta in the plane of flight, from the burnout state until the radius
falls back to R. It shares no formula with sim.world.ballistics: if both agree, the conic algebra,
the Kepler timing and the inversion are right.
"""

import numpy as np

MU = 398600.4418
R = 6371.0


def integrate(speed_kms, angle_deg, burnout_alt_km=0.0, dt=0.2, t_max=6000.0):
    """Return dict: range_km, apogee_km, flight_time_s, and samples t -> (travelled_rad, alt_km, speed)."""
    phi = np.radians(angle_deg)
    s = np.array([0.0, R + burnout_alt_km, speed_kms * np.cos(phi), speed_kms * np.sin(phi)])

    def f(s):
        r3 = np.hypot(s[0], s[1]) ** 3
        return np.array([s[2], s[3], -MU * s[0] / r3, -MU * s[1] / r3])

    t, samples, apogee = 0.0, {}, burnout_alt_km
    while t < t_max:
        samples[round(t, 6)] = (np.arctan2(s[0], s[1]), np.hypot(s[0], s[1]) - R, np.hypot(s[2], s[3]))
        k1 = f(s)
        k2 = f(s + dt / 2 * k1)
        k3 = f(s + dt / 2 * k2)
        k4 = f(s + dt * k3)
        nxt = s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        r_now, r_next = np.hypot(s[0], s[1]), np.hypot(nxt[0], nxt[1])
        apogee = max(apogee, r_next - R)
        if r_next < R <= r_now or (r_next < R and t == 0.0):
            frac = (r_now - R) / (r_now - r_next)
            x, y = s[:2] + frac * (nxt[:2] - s[:2])
            return {
                "range_km": R * np.arctan2(x, y),
                "apogee_km": apogee,
                "flight_time_s": t + frac * dt,
                "samples": samples,
            }
        s, t = nxt, t + dt
    raise AssertionError("never came down")
