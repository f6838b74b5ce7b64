"""Statistics of finished runs: what they mean, the result file, and how two of them differ.

- `measures`: every outcome, metric and chain step, defined once
- `stats`: proportions with Wilson intervals, distributions of times
- `summary`: a run's outcome columns summarised into a typed `Summary`
- `result_file`: the result contract (``sim.result/2``, reads ``/1``), both directions, lossless;
  its readers are `result_reader` (``/2``) and `result_v1` (the 0.1.0 files)
- `comparison`: paired (common random numbers) and unpaired differences B - A
"""

from sim.analysis.comparison import (
    Comparison,
    Difference,
    LevelDifference,
    ScopeDifference,
    Side,
    paired,
    unpaired,
)
from sim.analysis.measures import (
    CHAIN,
    METRIC_BY_NAME,
    METRICS,
    OUTCOME_BY_NAME,
    OUTCOMES,
    TO_DECISION,
    Metric,
    Outcome,
    Step,
)
from sim.analysis.result_file import (
    SCHEMA,
    ResultFileError,
    from_document,
    from_text,
    to_document,
    to_text,
)
from sim.analysis.stats import Z95, Proportion, Stats, wilson
from sim.analysis.summary import (
    ChainStep,
    LevelReached,
    Names,
    ScenarioInfo,
    Scope,
    Summary,
    summarize,
)

__all__ = [
    "CHAIN",
    "METRICS",
    "METRIC_BY_NAME",
    "OUTCOMES",
    "OUTCOME_BY_NAME",
    "SCHEMA",
    "TO_DECISION",
    "Z95",
    "ChainStep",
    "Comparison",
    "Difference",
    "LevelDifference",
    "LevelReached",
    "Metric",
    "Names",
    "Outcome",
    "Proportion",
    "ResultFileError",
    "ScenarioInfo",
    "Scope",
    "ScopeDifference",
    "Side",
    "Stats",
    "Step",
    "Summary",
    "from_document",
    "from_text",
    "paired",
    "summarize",
    "to_document",
    "to_text",
    "unpaired",
    "wilson",
]
