"""Random numbers by named draw site, drawn per block in vectors, handed out per replication.

Every random quantity in a replication comes from a *draw site* with a stable name such as
``recall.travel.s400_vladivostok`` or ``decision.district_hq``, and a fixed *slot* inside it
(officer 3, threat 1, ...). Each site has its own stream,
``SeedSequence(seed, spawn_key=(block, site_id))``, so two variants of a scenario that differ in
one parameter still see the same numbers everywhere else (common random numbers), and a block
gives the same numbers whichever worker or machine runs it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from sim.scenario.distributions import Distribution


def site_id(name: str) -> int:
    """A stable 32-bit number for a site name (Python's hash() changes between processes)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


@dataclass(frozen=True)
class DrawSite:
    """A named source of randomness: its law and how many values one replication may use."""

    name: str
    dist: Distribution
    slots: int


class BlockDraws:
    """All the draws of one block, made up front: ``take(site, replication, slot)`` is a list lookup."""

    def __init__(self, sites: dict[str, DrawSite], seed: int, block: int, size: int):
        self.size = size
        self._values: dict[str, list[list[float]]] = {}
        self._arrays: dict[str, np.ndarray] = {}
        for name, site in sites.items():
            if site.slots == 0:
                continue
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, site_id(name))))
            # slot-major so that adding slots (one more officer) leaves the existing ones unchanged
            arr = site.dist.sample(rng, (site.slots, size)).T
            self._arrays[name] = arr
            self._values[name] = arr.tolist()

    @classmethod
    def joined(cls, sites: dict[str, DrawSite], seed: int, blocks: list[int], size: int) -> BlockDraws:
        """Several blocks' draws end to end (replication ``n * size + i`` is replication i of ``blocks[n]``).

        Each block keeps its own streams, so its numbers are those it has alone: a super-block only lets
        the physics run over more flights at once.
        """
        if len(blocks) == 1:
            return cls(sites, seed, blocks[0], size)
        parts = [cls(sites, seed, b, size) for b in blocks]
        out = cls.__new__(cls)
        out.size = size * len(blocks)
        out._arrays = {name: np.concatenate([p._arrays[name] for p in parts]) for name in parts[0]._arrays}
        out._values = {name: [row for p in parts for row in p._values[name]] for name in parts[0]._values}
        return out

    def array(self, site: str) -> np.ndarray:
        """(replications, slots) array of a site, for the vectorised physics of a block."""
        return self._arrays[site]

    def take(self, site: str, replication: int, slot: int = 0) -> float:
        return self._values[site][replication][slot]
