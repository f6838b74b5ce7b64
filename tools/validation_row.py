"""One row of docs/validation.md: a worked number, the code's answer and the tolerance between them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    quantity: str
    formula: str
    expected: float
    computed: float
    rel_tol: float  # relative to the expected value; 0 when the tolerance is absolute
    unit: str
    source: str
    digits: int = 1  # decimals shown for the expected value; computed shows three more
    abs_tol: float = 0.0  # in the row's unit

    @property
    def passed(self) -> bool:
        return abs(self.computed - self.expected) <= self.rel_tol * abs(self.expected) + self.abs_tol

    def _tolerance(self) -> str:
        if self.abs_tol:
            return f"± {self.abs_tol:g} {self.unit}".rstrip()
        return f"{self.rel_tol * 100:g} %"

    def cells(self) -> list[str]:
        unit = f" {self.unit}" if self.unit else ""
        return [
            self.quantity,
            self.formula,
            f"{self.expected:,.{self.digits}f}{unit}",
            f"{self.computed:,.{self.digits + 3}f}{unit}",
            self._tolerance(),
            self.source,
        ]
