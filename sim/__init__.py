"""tabletop-sim: readiness escalation and interception decision chains for air-defence training."""

__version__ = "0.1.0"
