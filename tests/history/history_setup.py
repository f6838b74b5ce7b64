"""Constants shared by the history tests (a module of its own: every test folder has a conftest)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "stray_missile.yaml"
SLOW_TRAVEL = "12h"  # officers on leave take far longer to come back than the scenario's few hours
RUNS = 300
SEED = 11
