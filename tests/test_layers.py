"""The arrows between the layers point one way (docs/architecture.md): a forbidden import fails here.

Only imports that run count: those under ``if TYPE_CHECKING:`` name a type for the reader and the
type checker and load nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"

# Each layer may import itself and the layers listed before it, never one after it.
LAYERS = (
    ("numbers", {"sim.numbers"}),
    ("world", {"sim.world"}),
    ("scenario", {"sim.scenario"}),
    ("engine", {"sim.engine"}),
    (
        "runner",
        {
            "sim.results",
            "sim.executors",
            "sim.worker_probe",
            "sim.cluster",
            "sim.runner",
            "sim.interrupts",
            "sim.scratch",
        },
    ),
    ("analysis", {"sim.analysis"}),
    ("history", {"sim.store", "sim.files"}),
    ("pipeline", {"sim.study"}),
    ("report", {"sim.report"}),
    ("exercise", {"sim.exercise"}),
    ("web", {"sim.web"}),
    ("front ends", {"sim.cli", "sim.__main__", "sim.play", "sim.api", "sim"}),
)

# On top of the order: the reports format results and never run a simulation.
NEVER = {
    "sim.report": (
        "sim.runner",
        "sim.executors",
        "sim.study",
        "sim.engine.replication",
        "sim.engine.flights",
        "sim.engine.readiness",
        "sim.engine.threats",
    ),
    "sim.analysis": ("sim.engine.replication", "sim.engine.flights"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for i, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes - {"sim"}):
            return i
    if module == "sim":
        return len(LAYERS) - 1
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``sim`` import that runs, skipping ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "sim")
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "sim"
        ):
            found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


MODULES = sorted(SIM.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SIM.parent)))
def test_imports_point_down_the_layers(path: Path):
    me = module_name(path)
    mine = layer_of(me)
    bad = []
    for line, target in runtime_imports(path):
        if target == "sim" and me != "sim":  # `import sim` for __version__ only
            continue
        theirs = layer_of(target)
        if theirs > mine:
            bad.append(f"{path.name}:{line} imports {target} ({LAYERS[theirs][0]} is above {LAYERS[mine][0]})")
        for owner, forbidden in NEVER.items():
            if (me == owner or me.startswith(owner + ".")) and any(
                target == f or target.startswith(f + ".") for f in forbidden
            ):
                bad.append(f"{path.name}:{line} imports {target}: {owner} never runs a simulation")
    assert bad == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The test itself can fail: an engine module importing the runner is caught."""
    fake = SIM / "engine" / "_layer_probe.py"
    try:
        fake.write_text("from sim.runner import run\nif TYPE_CHECKING:\n    from sim.report import html\n")
        with pytest.raises(AssertionError, match="runner is above engine"):
            test_imports_point_down_the_layers(fake)
    finally:
        fake.unlink()


def test_the_world_imports_nothing_of_ours_but_itself():
    for path in (SIM / "world").rglob("*.py"):
        others = [t for _, t in runtime_imports(path) if not t.startswith("sim.world")]
        assert others == [], path.name
