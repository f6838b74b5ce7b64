"""The run history: every run and sweep point in one SQLite file, so a trainer can find it again.

Each row keeps what is needed to trust and repeat a result: the scenario text itself (not just its
file name, which may have changed since), the overrides, seed, runs and program version, and the
result document (``sim.result/2``: it carries each metric's spread for later unpaired comparisons).

A sweep point is found again by its key, a hash of everything its numbers depend on, so running
the same sweep again skips the points already finished. Nothing is created until something is
stored: reading a history that does not exist finds nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sim

if TYPE_CHECKING:
    from sim.analysis.summary import Summary
    from sim.scenario.loader import LoadedScenario

DEFAULT_PATH = Path(".sim") / "runs.db"
SCHEMA_VERSION = 2  # 2: kind 'sensitivity_point' (a history of version 1 is upgraded on its first write)
KINDS = ("run", "sweep_point", "sensitivity_point")
MAX_INTEGER = 2**63 - 1  # SQLite's INTEGER: a larger seed or id is bad input, never a failure after the run

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    created       TEXT NOT NULL,              -- UTC, ISO 8601
    kind          TEXT NOT NULL CHECK (kind IN ('run', 'sweep_point', 'sensitivity_point')),
    scenario      TEXT NOT NULL,              -- the scenario's name
    file          TEXT NOT NULL,
    sha256        TEXT NOT NULL,              -- of the scenario text
    scenario_text TEXT NOT NULL,
    overrides     TEXT NOT NULL,              -- JSON {path: value}
    seed          INTEGER NOT NULL,
    runs          INTEGER NOT NULL,           -- replications finished
    version       TEXT NOT NULL,              -- of tabletop-sim
    executor      TEXT NOT NULL,
    summary       TEXT NOT NULL,              -- the result document, JSON
    sweep_key     TEXT                        -- sweep and sensitivity points only: see sweep_key()
);
CREATE INDEX IF NOT EXISTS runs_sweep_key ON runs (sweep_key);
"""
    + "\n"
    + """
CREATE TABLE IF NOT EXISTS claims (         -- sweep points being computed now, by whom
    sweep_key TEXT PRIMARY KEY,
    pid       INTEGER NOT NULL,
    host      TEXT NOT NULL,
    started   TEXT NOT NULL
);
"""
)
_CLAIMS = _SCHEMA.split(";")[-2]  # histories made before claims existed get the table on first claim
CLAIM_HOURS = 24  # a claim from another machine, where its process cannot be seen, lapses


class StoreError(Exception):
    """The history cannot be read or written (not a history file, made by a newer version, disk full)."""


def _damaged(path: Path, why: object) -> StoreError:
    """A history that cannot be read: say what to do, not only what went wrong."""
    return StoreError(
        f"{why}; the history cannot be used: move it aside (mv {path} {path}.damaged) to start a new "
        "one, or name another with --store FILE (sim run also takes --no-store)"
    )


class UnknownRun(LookupError):
    """A run id that is not in the history."""


@dataclass(frozen=True)
class StoredRun:
    id: int
    created: str
    kind: str
    scenario: str
    file: str
    sha256: str
    text: str
    overrides: dict[str, Any]
    seed: int
    runs: int
    version: str
    executor: str
    result: dict[str, Any]  # the result document, as stored (sim.result/1 or /2)
    sweep_key: str | None

    def summary(self) -> Summary:
        """The stored result read back through the result contract; StoreError if it cannot be."""
        from sim.analysis.result_file import ResultFileError, from_document

        try:
            return from_document(self.result)
        except ResultFileError as exc:
            raise StoreError(f"run {self.id}: its stored result cannot be read: {exc}") from None

    @property
    def when(self) -> str:
        """Local time to the minute, without the year: what a trainer recognises in a list."""
        return datetime.fromisoformat(self.created).astimezone().strftime("%m-%d %H:%M")


def sweep_key(text: str, overrides: dict[str, Any], seed: int, runs: int, version: str = sim.__version__) -> str:
    """A hash of everything a point's numbers depend on; equal keys mean equal results."""
    blob = json.dumps(
        {"text": text, "overrides": overrides, "seed": seed, "runs": runs, "version": version},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class Store:
    """The history file at ``path``; each call opens it, does one thing and closes it."""

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = Path(path)
        self.warnings: list[str] = []  # rows skipped because they cannot be read, one line each

    def __str__(self) -> str:
        return str(self.path)

    def keep(self, kind: str, loaded: LoadedScenario, summary: Summary, key: str | None = None) -> int:
        """Store one finished run (its result document); returns its id. Creates the file on first use."""
        from sim.analysis.result_file import to_document

        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        r = summary.run
        if not 0 <= int(r.seed) <= MAX_INTEGER:
            raise StoreError(f"seed {r.seed} is beyond what the history can keep (0 to {MAX_INTEGER})")
        try:
            row = (
                _now(),
                kind,
                str(loaded.scenario.name),
                str(loaded.file),
                str(loaded.sha256),
                loaded.text,
                _json(loaded.overrides),
                int(r.seed),
                int(r.runs),
                r.version,
                r.executor,
                _json(to_document(summary)),
                key,
            )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._open(create=True)) as db, db:
                cur = db.execute(
                    "INSERT INTO runs (created, kind, scenario, file, sha256, scenario_text, overrides, seed, runs,"
                    " version, executor, summary, sweep_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                assert cur.lastrowid is not None, "an INSERT gives the new row's id"
                return cur.lastrowid
        except (sqlite3.Error, OSError, ValueError, OverflowError) as exc:
            raise StoreError(str(exc)) from None

    def claim(self, key: str) -> bool:
        """Take sweep point ``key`` for this process: False while a live process is computing it.

        Two identical sweeps started together then compute each point once: the second waits for
        the first's point and reuses it. A claim whose process died is taken over.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._open(create=True)) as db:
                db.isolation_level = None
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.execute(_CLAIMS)
                    row = db.execute("SELECT pid, host, started FROM claims WHERE sweep_key = ?", (key,)).fetchone()
                    if row is not None and _claim_alive(*row):
                        return False
                    db.execute(
                        "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                        (key, os.getpid(), socket.gethostname(), _now()),
                    )
                finally:
                    db.execute("COMMIT")
            return True
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(str(exc)) from None

    def release(self, key: str) -> None:
        """Give up this process's claim on a point (kept or interrupted)."""
        try:
            with closing(self._open(create=True)) as db, db:
                db.execute(_CLAIMS)
                db.execute(
                    "DELETE FROM claims WHERE sweep_key = ? AND pid = ? AND host = ?",
                    (key, os.getpid(), socket.gethostname()),
                )
        except (sqlite3.Error, OSError, StoreError):
            pass  # a claim left behind lapses when its process is gone

    def check(self) -> None:
        """Raise StoreError now if the history could not keep a run: damaged, newer, or its folder unwritable."""
        if self._empty():
            folder = self.path.parent
            while not folder.exists() and folder != folder.parent:
                folder = folder.parent
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                raise StoreError(f"cannot create the history: folder '{folder}' cannot be written")
            return
        try:
            with closing(self._open(create=False)) as db:
                db.execute("SELECT count(*) FROM runs").fetchone()
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from None
        if not os.access(self.path, os.W_OK):
            raise StoreError(f"{self.path} cannot be written")

    def get(self, run_id: int) -> StoredRun:
        if not 0 <= run_id <= MAX_INTEGER:
            raise UnknownRun(f"{run_id}: no such run in {self.path} (list them with 'sim runs')")
        skipped = len(self.warnings)
        rows = self._select("WHERE id = ?", (run_id,))
        if not rows and len(self.warnings) > skipped:
            raise UnknownRun(self.warnings.pop())
        if not rows:
            raise UnknownRun(f"{run_id}: no such run in {self.path} (list them with 'sim runs')")
        return rows[0]

    def find(self, key: str) -> StoredRun | None:
        """The first stored point with this sweep key, if any."""
        rows = self._select("WHERE sweep_key = ? ORDER BY id LIMIT 1", (key,))
        return rows[0] if rows else None

    def recent(self, limit: int = 20) -> list[StoredRun]:
        """The last ``limit`` runs, oldest first (the newest ends up next to the prompt)."""
        rows = self._select("ORDER BY id DESC LIMIT ?", (int(limit),))
        return rows[::-1]

    def count(self) -> int:
        if self._empty():
            return 0
        try:
            with closing(self._open(create=False)) as db:
                return int(db.execute("SELECT count(*) FROM runs").fetchone()[0])
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from None

    # ------------------------------------------------------------ inside

    def _empty(self) -> bool:
        """No history yet: no file, or a 0-byte one (what SQLite itself makes of an empty file)."""
        try:
            return self.path.stat().st_size == 0
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise StoreError(f"{self.path}: {exc.strerror or exc}") from None

    def _select(self, where: str, args: tuple[Any, ...]) -> list[StoredRun]:
        """Rows that can be read; one that cannot (a damaged field) is skipped and named in ``warnings``."""
        if self._empty():
            return []
        try:
            with closing(self._open(create=False)) as db:
                rows = db.execute(
                    "SELECT id, created, kind, scenario, file, sha256, scenario_text, overrides, seed, runs, version,"
                    f" executor, summary, sweep_key FROM runs {where}",
                    args,
                ).fetchall()
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from None
        found = []
        for r in rows:
            try:
                found.append(_row(r))
            except (TypeError, ValueError) as exc:
                self.warnings.append(f"{self.path}: run {r[0]}: skipped, it cannot be read: {exc}")
        return found

    def _open(self, create: bool) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE" if create else "BEGIN")  # two first writers cannot both add the schema
            found = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            if found:
                version = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
                if version is not None and version > SCHEMA_VERSION:
                    raise StoreError(f"{self.path} was written by a newer tabletop-sim (history schema {version})")
                if create and version is not None and version < SCHEMA_VERSION:
                    _upgrade(db)
            elif create:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(
                    "INSERT INTO schema_version (version) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM schema_version)",
                    (SCHEMA_VERSION,),
                )
            else:
                raise _damaged(self.path, f"{self.path} is not a run history of tabletop-sim")
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise _damaged(self.path, f"{self.path}: {exc}") from None
        except BaseException:
            db.close()
            raise
        db.isolation_level = ""  # type: ignore[assignment]  # Python's transactions again: `with db:` commits
        return db


def _upgrade(db: sqlite3.Connection) -> None:
    """Version 1 to 2, inside the caller's transaction: the runs table again with the new kinds its CHECK allows.

    SQLite cannot change a CHECK in place: the rows move to a new table, ids (and the id counter) kept.
    """
    create = _SCHEMA.split(";")[1]  # CREATE TABLE runs
    db.execute("ALTER TABLE runs RENAME TO runs_v1")
    db.execute(create)
    db.execute("INSERT INTO runs SELECT * FROM runs_v1")
    db.execute(
        "UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'runs_v1') WHERE name = 'runs'"
    )
    db.execute("DROP TABLE runs_v1")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'runs_v1'")
    db.execute("CREATE INDEX IF NOT EXISTS runs_sweep_key ON runs (sweep_key)")
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))


def _row(r: tuple[Any, ...]) -> StoredRun:
    """One row as a StoredRun, every field checked: a hand-edited or half-written row raises ValueError."""
    overrides, result = json.loads(r[7]), json.loads(r[12])
    if not isinstance(overrides, dict) or not isinstance(result, dict):
        raise ValueError("its overrides or result is not a JSON object")
    datetime.fromisoformat(r[1])
    if not all(isinstance(r[i], int) for i in (0, 8, 9)):
        raise ValueError("its seed or runs is not a whole number")
    if not all(isinstance(r[i], str) for i in (2, 3, 4, 5, 6, 10, 11)):
        raise ValueError("a text field is not text")
    return StoredRun(r[0], r[1], r[2], r[3], r[4], r[5], r[6], overrides, r[8], r[9], r[10], r[11], result, r[13])


def _claim_alive(pid: int, host: str, started: str) -> bool:
    if pid == os.getpid() and host == socket.gethostname():
        return False
    if host != socket.gethostname():
        try:
            age = datetime.now(UTC) - datetime.fromisoformat(started)
        except ValueError:
            return False
        return age.total_seconds() < CLAIM_HOURS * 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
