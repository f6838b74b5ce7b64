"""Answers files: a prepared script of the players' answers, for rehearsals and tests.

::

    answers:
      - kind: engage          # optional: engage or alert
        post: district_hq     # optional: the post asked
        subject: stray        # optional: the threat (or the alert level)
        answer: engage        # engage | hold | pass_up (engage); issue | withhold (alert)
        after: 40s            # real time from the prompt to the answer (x the pace in simulated time)

Each prompt takes the first rule not used yet that matches it; a prompt no rule matches goes unanswered.
The script runs on a virtual clock: no real waiting, and the answer comes exactly ``after`` into the prompt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.scenario.problems import ScenarioError
from sim.scenario.quantities import DURATION, QuantityError, parse
from sim.scenario.yamlread import parse_yaml, read_text

if TYPE_CHECKING:
    from sim.exercise.desk import Prompt
    from sim.exercise.session import Session

KEYS = ("kind", "post", "subject", "answer", "after")


@dataclass(frozen=True)
class Answer:
    """One rule of an answers file."""

    answer: str
    after_s: float = 0.0
    kind: str | None = None
    post: str | None = None
    subject: str | None = None

    def matches(self, p: Prompt) -> bool:
        return (
            (self.kind in (None, p.kind))
            and (self.post in (None, p.post))
            and (self.subject in (None, p.subject))
            and self.answer in p.options
        )


def load_answers(path: str | Path) -> list[Answer]:
    """Read an answers file; every problem is one ``FILE:LINE:COL: path: message`` line (ScenarioError)."""
    text = read_text(path)
    data, marks = parse_yaml(text, str(path))
    problems = list(marks.problems)
    rules = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        raise ScenarioError(problems + [marks.problem((), "an answers file is a mapping with a list 'answers'")])
    out: list[Answer] = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or "answer" not in rule:
            problems.append(marks.problem(("answers", i), "each answer is a mapping with at least 'answer'"))
            continue
        for key in rule:
            if key not in KEYS:
                problems.append(marks.problem(("answers", i, key), f"unknown key (keys: {', '.join(KEYS)})", True))
        try:
            after = parse(rule.get("after", "0s"), DURATION)
        except QuantityError as exc:
            problems.append(marks.problem(("answers", i, "after"), str(exc)))
            continue
        text_of = {k: (str(rule[k]) if rule.get(k) is not None else None) for k in ("kind", "post", "subject")}
        out.append(Answer(str(rule["answer"]), after, **text_of))
    if problems:
        raise ScenarioError(problems)
    return out


def play_script(session: Session, answers: list[Answer], on_step=None) -> None:
    """Play ``session`` to its end, answering its prompts by ``answers`` (``on_step(session)`` after each step)."""
    used: set[int] = set()
    chosen: dict[int, int] = {}  # prompt id -> rule
    while not session.finished:
        due = math.inf
        for p in session.prompts():
            if p.id not in chosen:
                rule = next((j for j, a in enumerate(answers) if j not in used and a.matches(p)), None)
                if rule is None:
                    continue
                used.add(rule)
                chosen[p.id] = rule
            a = answers[chosen[p.id]]
            left = p.opened_wall + a.after_s - session.wall
            if left <= 1e-9:
                session.decide(p.id, a.answer, by="script")
                due = 0.0
            else:
                due = min(due, left)
        if due == 0.0:
            pass
        elif math.isinf(due):
            session.skip()
        else:
            session.advance(due)
        if on_step is not None:
            on_step(session)
