"""Reading a result document: typed access that names the dotted path of whatever is wrong, and ``sim.result/2``.

The pieces here (a proportion, a distribution, a chain, readiness) are shared with the reader of the
older ``sim.result/1`` files (:mod:`sim.analysis.result_v1`); :mod:`sim.analysis.result_file` picks the reader.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.measures import TO_DECISION
from sim.analysis.stats import Proportion, Stats
from sim.analysis.summary import ChainStep, LevelReached, Names, ScenarioInfo, Scope, Summary
from sim.numbers import from_json
from sim.results import RunInfo


class ResultFileError(ValueError):
    """A document that is not a readable result file; ``path`` names the offending part."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path, self.message = path, message


class Reader:
    """Typed access to a JSON object, naming the dotted path of whatever is missing or of the wrong type."""

    def __init__(self, value: Any, path: str):
        if not isinstance(value, dict):
            raise ResultFileError(path, f"expected an object, got {type(value).__name__}")
        self.value, self.path = value, path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = ...) -> Any:
        if key not in self.value:
            if default is ...:
                raise ResultFileError(self._at(key), "missing")
            return default
        return self.value[key]

    def obj(self, key: str, default: Any = ...) -> Reader:
        return Reader(self.get(key, default), self._at(key))

    def items(self) -> list[tuple[str, Reader]]:
        return [(str(k), Reader(v, self._at(str(k)))) for k, v in self.value.items()]

    def text(self, key: str, default: Any = ...) -> str:
        v = self.get(key, default)
        if not isinstance(v, str):
            raise ResultFileError(self._at(key), f"expected text, got {type(v).__name__}")
        return v

    def whole(self, key: str, default: Any = ..., minimum: int = 0) -> int:
        v = self.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ResultFileError(self._at(key), f"expected a whole number >= {minimum}, got {v!r}")
        return v

    def number(self, key: str) -> float:
        v = self.get(key, None)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise ResultFileError(self._at(key), f"expected a number or null, got {v!r}")
        return from_json(v)

    def names(self, key: str) -> tuple[str, ...]:
        v = self.get(key)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ResultFileError(self._at(key), "expected a list of names")
        return tuple(v)


def read_run_info(d: Reader, top: Reader) -> RunInfo:
    runs = d.whole("runs")
    return RunInfo(
        runs=runs,
        requested_runs=d.whole("requested_runs", top.get("requested_runs", runs)),
        seed=d.whole("seed"),
        version=d.text("version"),
        block_size=d.whole("block_size", 100),
        workers=d.whole("workers", 1),
        executor=d.text("executor", top.get("executor", "local")),
        wall_s=d.number("wall_s"),
        partial=bool(d.get("partial", top.get("partial", False))),
        quantile_error=d.number("quantile_error") if d.get("quantile_error", None) is not None else None,
    )


def read_scenario(d: Reader) -> ScenarioInfo:
    overrides = d.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ResultFileError(f"{d.path}.overrides", "expected an object")
    return ScenarioInfo(d.text("name"), d.text("file"), d.text("sha256"), dict(overrides))


def read_proportion(d: Reader, among: str = "", n: int | None = None) -> Proportion:
    count = d.whole("count")
    d.number("p")  # redundant with count / n, but a file that says "high" is not a result
    if n is None:
        if "n" in d.value:
            n = d.whole("n")
        else:  # /1 without a condition: n from p
            p = d.number("p")
            n = round(count / p) if p == p and p > 0 else count
    if count > n:
        raise ResultFileError(d.path, f"count {count} is more than the {n} rows it counts among")
    n_eff = d.value.get("n_eff")
    if n_eff is not None and (isinstance(n_eff, bool) or not isinstance(n_eff, (int, float)) or not 0 < n_eff <= n):
        raise ResultFileError(f"{d.path}.n_eff", f"expected a number in (0, n], got {n_eff!r}")
    return Proportion(count, n, d.text("among", among), None if n_eff is None else float(n_eff))


def read_stats(d: Reader, among: str = "", sd: float | None = None) -> Stats:
    return Stats(
        d.whole("n"),
        d.number("mean"),
        d.number("sd") if sd is None else sd,
        d.number("p50"),
        d.number("p90"),
        d.number("min"),
        d.number("max"),
        d.text("among", among),
    )


def _read_scope(d: Reader) -> Scope:
    return Scope(
        {k: read_proportion(v) for k, v in d.obj("outcomes").items()},
        {k: read_proportion(v) for k, v in d.obj("decided_by").items()},
        {k: read_stats(v) for k, v in d.obj("metrics").items()},
        {k: read_proportion(v) for k, v in d.obj("causes", {}).items()},
        read_chain(d.obj("chain", {})),
        {k: read_proportion(v) for k, v in d.obj("undecided_at", {}).items()},
    )


def read_readiness(d: Reader, runs: int) -> dict[str, dict[str, LevelReached]]:
    out: dict[str, dict[str, LevelReached]] = {}
    for unit, levels in d.items():
        out[unit] = {}
        for level, x in levels.items():
            p = x.number("p_reached")
            reached = x.whole("reached") if "reached" in x.value else (round(p * runs) if p == p else 0)
            out[unit][level] = LevelReached(
                Proportion(reached, x.whole("n", runs), "runs"), x.number("p50_s"), x.number("p90_s")
            )
    return out


def read_chain(d: Reader) -> dict[str, ChainStep]:
    return {
        name: ChainStep(
            name,
            bool(x.get("before_decision", name in TO_DECISION)),
            Stats(
                x.whole("n", 0),
                x.number("mean_s"),
                x.number("sd_s"),
                x.number("p50_s"),
                x.number("p90_s"),
                x.number("min_s"),
                x.number("max_s"),
                x.text("among", ""),
            ),
            x.number("share"),
        )
        for name, x in d.items()
    }


def read_v2(d: Reader) -> Summary:
    """A ``sim.result/2`` document: every name explicit, every threat its own object."""
    scenario = read_scenario(d.obj("scenario"))
    run = read_run_info(d.obj("run"), d)
    names = d.obj("names")
    n = Names(names.names("threats"), names.names("units"), names.names("levels"), names.names("posts"))
    threats = {t: _read_scope(x) for t, x in d.obj("threats").items()}
    if tuple(threats) != n.threats:
        raise ResultFileError("threats", f"expected one object for each of names.threats {list(n.threats)}")
    leaked = d.get("any_threat_leaked", None)
    pooled = _read_scope(d)
    return Summary(
        scenario=scenario,
        run=run,
        names=n,
        pooled=pooled,
        threats=threats,
        any_threat_leaked=None if leaked is None else read_proportion(Reader(leaked, "any_threat_leaked")),
        readiness=read_readiness(d.obj("readiness"), run.runs),
        chain=pooled.chain,
        largest_step={k: read_proportion(v) for k, v in d.obj("largest_step").items()},
        what_ate_the_margin=d.text("what_ate_the_margin", ""),
        why_it_leaked=d.text("why_it_leaked", ""),
    )
