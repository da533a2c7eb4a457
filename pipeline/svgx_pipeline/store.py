"""The record of pipeline runs (pipeline.md §4), behind one small store interface.

The embedded backend is SQLite at ``<workspace>/.svgx/pipeline.db``. The SQL is kept
portable (plain types, ``?`` placeholders rewritten per backend, no ``AUTOINCREMENT``,
timestamps as ISO-8601 UTC text that sorts as it reads) so that a PostgreSQL backend can
subclass :class:`SqlStore` and provide only its connection, placeholder and error mapping.

A run is written as it goes: its execution row first (``running``, with pid and host),
then each step with its diagnostics in one transaction, then the gates and the final
status. A ``running`` row whose process is gone is marked ``interrupted`` by
:meth:`Store.reap_interrupted`, which every run and every status call makes first.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

DEFAULT_DB = Path(".svgx") / "pipeline.db"
DEFAULT_TIMEOUT = 30.0  # seconds a writer waits for another one before giving up


class StoreError(Exception):
    """The database cannot be used: a message for the user, and what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message}\n{hint}")
        self.message = message
        self.hint = hint


def now() -> str:
    """The current time as the store writes it (UTC, microseconds, sortable text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---------------------------------------------------------------------- the schema
# Each migration takes a database at version N-1 to version N. Never edit a released one:
# append a new one. Version 1 was the first layout; 2 added the configuration JSON, the
# process that owns a running row, and the indexes that keep `pipeline list` flat.

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE executions (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            trigger_name TEXT NOT NULL,
            system_name TEXT,
            object_type TEXT,
            step_name TEXT,
            dry_run INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            duration_ms REAL,
            workspace TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            git_commit TEXT,
            files_total INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            warnings INTEGER NOT NULL DEFAULT 0,
            infos INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE steps (
            execution_id TEXT NOT NULL REFERENCES executions(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            duration_ms REAL,
            files_checked INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            warnings INTEGER NOT NULL DEFAULT 0,
            infos INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            PRIMARY KEY (execution_id, position)
        )""",
        """CREATE TABLE diagnostics (
            execution_id TEXT NOT NULL REFERENCES executions(id),
            seq INTEGER NOT NULL,
            step_name TEXT NOT NULL,
            file TEXT NOT NULL,
            start_line INTEGER NOT NULL,
            start_column INTEGER NOT NULL,
            end_line INTEGER NOT NULL,
            end_column INTEGER NOT NULL,
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (execution_id, seq)
        )""",
        """CREATE TABLE gates (
            execution_id TEXT NOT NULL REFERENCES executions(id),
            gate TEXT NOT NULL,
            position INTEGER NOT NULL,
            passed INTEGER NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (execution_id, gate)
        )""",
        """CREATE TABLE audit (
            execution_id TEXT NOT NULL REFERENCES executions(id),
            seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            details TEXT NOT NULL,
            PRIMARY KEY (execution_id, seq)
        )""",
    ),
    (
        "ALTER TABLE executions ADD COLUMN config_json TEXT",
        "ALTER TABLE executions ADD COLUMN pid INTEGER",
        "ALTER TABLE executions ADD COLUMN host TEXT",
        "CREATE INDEX executions_started ON executions (started_at)",
        "CREATE INDEX executions_system_started ON executions (system_name, started_at)",
        "CREATE INDEX executions_status ON executions (status)",
        "CREATE INDEX diagnostics_code ON diagnostics (code)",
        "CREATE INDEX diagnostics_file ON diagnostics (file)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_EXEC_COLUMNS = (
    "id",
    "status",
    "trigger_name",
    "system_name",
    "object_type",
    "step_name",
    "dry_run",
    "started_at",
    "finished_at",
    "duration_ms",
    "workspace",
    "tool_version",
    "config_hash",
    "git_commit",
    "files_total",
    "errors",
    "warnings",
    "infos",
    "config_json",
    "pid",
    "host",
)


@dataclass(frozen=True)
class DiagnosticRow:
    step: str
    file: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    code: str
    severity: str
    message: str


class Store(Protocol):
    """What the runner and the readers need from a record; one implementation per backend."""

    location: str

    def reap_interrupted(self) -> list[str]: ...
    def begin_execution(self, row: dict[str, Any]) -> None: ...
    def record_step(
        self,
        execution_id: str,
        position: int,
        step: dict[str, Any],
        diagnostics: Sequence[DiagnosticRow],
        audit: Sequence[tuple[str, dict[str, Any]]],
    ) -> None: ...
    def finish_execution(
        self,
        execution_id: str,
        fields: dict[str, Any],
        gates: Sequence[tuple[str, bool, str]],
        audit: Sequence[tuple[str, dict[str, Any]]],
    ) -> None: ...
    def abandon_execution(self, execution_id: str, reason: str) -> None: ...
    def executions(
        self, *, limit: int = 20, system: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]: ...
    def execution(self, execution_id: str | None = None) -> dict[str, Any] | None: ...
    def diagnostics(
        self,
        execution_id: str,
        *,
        code: str | None = None,
        file: str | None = None,
        severity: str | None = None,
    ) -> list[dict[str, Any]]: ...
    def stats(self, *, system: str | None = None) -> dict[str, Any]: ...
    def close(self) -> None: ...


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


class SqlStore:
    """The store over a DB-API connection with portable SQL. Backends override the hooks."""

    placeholder = "?"

    def __init__(self, location: str) -> None:
        self.location = location
        self.conn: Any = None

    # -- backend hooks
    def _begin_write(self) -> None:
        self.conn.execute("BEGIN")

    def _translate(self, exc: Exception) -> StoreError:
        return StoreError(f"pipeline database {self.location}: {exc}", "check the database and try again")

    # -- plumbing
    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            cur = self.conn.execute(self._sql(sql), tuple(params))
            names = [c[0] for c in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        except Exception as exc:
            raise self._translate(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One transaction; on any failure it is rolled back and a StoreError raised."""
        try:
            self._begin_write()
            yield self.conn
            self.conn.execute("COMMIT")
        except Exception as exc:
            try:
                self.conn.execute("ROLLBACK")
            except Exception:  # the failure that matters is the first one
                pass
            if isinstance(exc, StoreError):
                raise
            raise self._translate(exc) from exc

    def _run(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> None:
        conn.execute(self._sql(sql), tuple(params))

    def _many(self, conn: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            conn.executemany(self._sql(sql), [tuple(r) for r in rows])

    def _has_table(self, name: str) -> bool:
        raise NotImplementedError  # each backend asks its own catalogue

    def schema_version(self) -> int:
        if not self._has_table("schema_version"):
            return 0
        got = self._query("SELECT MAX(version) AS v FROM schema_version")
        return int(got[0]["v"] or 0)

    def _refuse_newer(self, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"pipeline database {self.location} has schema version {current}, newer than "
                f"this svgx understands ({SCHEMA_VERSION})",
                "upgrade svgx, or point --db (or `database` in svgx.toml) at another file",
            )

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Bring the schema up to ``target``; refuse a database made by a newer version."""
        current = self.schema_version()
        self._refuse_newer(current)
        if current >= target:
            return
        with self._write() as conn:
            current = self.schema_version()  # another process may have migrated meanwhile
            self._refuse_newer(current)
            if current == 0:
                self._run(
                    conn,
                    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
                )
            for version in range(current + 1, target + 1):
                for statement in MIGRATIONS[version - 1]:
                    self._run(conn, statement)
                self._run(
                    conn,
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version, now()),
                )

    # -- writing a run
    def reap_interrupted(self) -> list[str]:
        """Mark ``running`` executions of this host whose process is gone as interrupted."""
        host = socket.gethostname()
        rows = self._query("SELECT id, pid FROM executions WHERE status = 'running' AND host = ?", (host,))
        dead = [r["id"] for r in rows if r["pid"] is None or not process_alive(int(r["pid"]))]
        if not dead:
            return []
        with self._write() as conn:
            for eid in dead:
                self._run(
                    conn,
                    "UPDATE executions SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                    (eid,),
                )
                self._audit(
                    conn,
                    eid,
                    [("execute", {"event": "interrupted", "reason": "its process is gone"})],
                )
        return dead

    def _audit(self, conn: Any, execution_id: str, entries: Sequence[tuple[str, dict[str, Any]]]) -> None:
        if not entries:
            return
        rows = self._query("SELECT COALESCE(MAX(seq), 0) AS n FROM audit WHERE execution_id = ?", (execution_id,))
        start = int(rows[0]["n"])
        at = now()
        self._many(
            conn,
            "INSERT INTO audit (execution_id, seq, at, action, details) VALUES (?, ?, ?, ?, ?)",
            [
                (execution_id, start + i + 1, at, action, json.dumps(details, sort_keys=True))
                for i, (action, details) in enumerate(entries)
            ],
        )

    def begin_execution(self, row: dict[str, Any]) -> None:
        cols = [c for c in _EXEC_COLUMNS if c in row]
        with self._write() as conn:
            self._run(
                conn,
                f"INSERT INTO executions ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [row[c] for c in cols],
            )
            self._audit(
                conn,
                row["id"],
                [
                    (
                        "execute",
                        {
                            "event": "started",
                            "scope": {
                                "system": row.get("system_name"),
                                "object": row.get("object_type"),
                                "step": row.get("step_name"),
                            },
                        },
                    )
                ],
            )

    def record_step(
        self,
        execution_id: str,
        position: int,
        step: dict[str, Any],
        diagnostics: Sequence[DiagnosticRow],
        audit: Sequence[tuple[str, dict[str, Any]]],
    ) -> None:
        with self._write() as conn:
            rows = self._query(
                "SELECT COALESCE(MAX(seq), 0) AS n FROM diagnostics WHERE execution_id = ?",
                (execution_id,),
            )
            start = int(rows[0]["n"])
            self._run(
                conn,
                "INSERT INTO steps (execution_id, position, name, status, started_at, finished_at, "
                "duration_ms, files_checked, errors, warnings, infos, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    execution_id,
                    position,
                    step["name"],
                    step["status"],
                    step.get("started_at"),
                    step.get("finished_at"),
                    step.get("duration_ms"),
                    step.get("files_checked", 0),
                    step.get("errors", 0),
                    step.get("warnings", 0),
                    step.get("infos", 0),
                    step.get("detail"),
                ),
            )
            self._many(
                conn,
                "INSERT INTO diagnostics (execution_id, seq, step_name, file, start_line, "
                "start_column, end_line, end_column, code, severity, message) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        execution_id,
                        start + i + 1,
                        d.step,
                        d.file,
                        d.start_line,
                        d.start_column,
                        d.end_line,
                        d.end_column,
                        d.code,
                        d.severity,
                        d.message,
                    )
                    for i, d in enumerate(diagnostics)
                ],
            )
            self._audit(conn, execution_id, audit)

    def finish_execution(
        self,
        execution_id: str,
        fields: dict[str, Any],
        gates: Sequence[tuple[str, bool, str]],
        audit: Sequence[tuple[str, dict[str, Any]]],
    ) -> None:
        cols = [c for c in _EXEC_COLUMNS if c in fields and c != "id"]
        with self._write() as conn:
            self._many(
                conn,
                "INSERT INTO gates (execution_id, gate, position, passed, detail) VALUES (?, ?, ?, ?, ?)",
                [(execution_id, g, i, 1 if ok else 0, detail) for i, (g, ok, detail) in enumerate(gates, start=1)],
            )
            self._audit(conn, execution_id, audit)
            if cols:
                self._run(
                    conn,
                    f"UPDATE executions SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                    [*(fields[c] for c in cols), execution_id],
                )

    def abandon_execution(self, execution_id: str, reason: str) -> None:
        """Mark a run whose record could not be completed as ``error`` (it was not passed)."""
        with self._write() as conn:
            self._run(
                conn,
                "UPDATE executions SET status = 'error', finished_at = ? WHERE id = ? AND status = 'running'",
                (now(), execution_id),
            )
            self._audit(conn, execution_id, [("execute", {"event": "abandoned", "reason": reason})])

    # -- reading
    def executions(
        self, *, limit: int = 20, system: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if system is not None:
            where.append("system_name = ?")
            params.append(system)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        cols = ", ".join(c for c in _EXEC_COLUMNS if c != "config_json")
        return [
            _exec_out(r)
            for r in self._query(
                f"SELECT {cols} FROM executions {clause}ORDER BY started_at DESC, id DESC LIMIT ?",
                [*params, max(0, limit)],
            )
        ]

    def execution(self, execution_id: str | None = None) -> dict[str, Any] | None:
        """One run in full (steps, gates, audit); the latest when ``execution_id`` is None.
        A unique prefix of an id is accepted."""
        if execution_id in (None, "latest"):
            rows = self._query("SELECT * FROM executions ORDER BY started_at DESC, id DESC LIMIT 1")
        else:
            rows = self._query("SELECT * FROM executions WHERE id = ?", (execution_id,))
            if not rows and execution_id:
                # A plain comparison, not LIKE: `%` or `_` in a prefix must not match any run.
                rows = self._query(
                    "SELECT * FROM executions WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 2",
                    (len(execution_id), execution_id),
                )
                if len(rows) > 1:
                    raise StoreError(
                        f"run id prefix {execution_id!r} is ambiguous",
                        "give more characters of the id (`svgx pipeline list` shows them)",
                    )
        if not rows:
            return None
        run = _exec_out(rows[0])
        eid = run["id"]
        run["config"] = json.loads(rows[0]["config_json"]) if rows[0].get("config_json") else None
        run["steps"] = self._query(
            "SELECT position, name, status, started_at, finished_at, duration_ms, files_checked, "
            "errors, warnings, infos, detail FROM steps WHERE execution_id = ? ORDER BY position",
            (eid,),
        )
        run["gates"] = [
            {"gate": g["gate"], "passed": bool(g["passed"]), "detail": g["detail"]}
            for g in self._query(
                "SELECT gate, passed, detail FROM gates WHERE execution_id = ? ORDER BY position",
                (eid,),
            )
        ]
        run["audit"] = [
            {**a, "details": json.loads(a["details"])}
            for a in self._query(
                "SELECT seq, at, action, details FROM audit WHERE execution_id = ? ORDER BY seq",
                (eid,),
            )
        ]
        return run

    def diagnostics(
        self,
        execution_id: str,
        *,
        code: str | None = None,
        file: str | None = None,
        severity: str | None = None,
    ) -> list[dict[str, Any]]:
        where, params = ["execution_id = ?"], [execution_id]
        for col, value in (("code", code), ("file", file), ("severity", severity)):
            if value is not None:
                where.append(f"{col} = ?")
                params.append(value)
        return self._query(
            "SELECT step_name AS step, file, start_line, start_column, end_line, end_column, code, "
            f"severity, message FROM diagnostics WHERE {' AND '.join(where)} ORDER BY seq",
            params,
        )

    def stats(self, *, system: str | None = None) -> dict[str, Any]:
        """Success rate, mean duration and the most frequent codes of the recorded runs."""
        where, params = "WHERE e.dry_run = 0", []
        if system is not None:
            where += " AND e.system_name = ?"
            params.append(system)
        by_status = {
            r["status"]: int(r["n"])
            for r in self._query(
                f"SELECT e.status AS status, COUNT(*) AS n FROM executions e {where} GROUP BY e.status",
                params,
            )
        }
        done = sum(n for s, n in by_status.items() if s != "running")
        mean = self._query(
            f"SELECT AVG(e.duration_ms) AS m FROM executions e {where} AND e.finished_at IS NOT NULL",
            params,
        )
        codes = self._query(
            "SELECT d.code AS code, COUNT(*) AS n, COUNT(DISTINCT d.execution_id) AS runs "
            f"FROM diagnostics d JOIN executions e ON e.id = d.execution_id {where} "
            "GROUP BY d.code ORDER BY n DESC, d.code LIMIT 10",
            params,
        )
        return {
            "runs": sum(by_status.values()),
            "by_status": by_status,
            "success_rate": (by_status.get("passed", 0) / done) if done else None,
            "mean_duration_ms": mean[0]["m"],
            "top_codes": [{"code": r["code"], "count": int(r["n"]), "runs": int(r["runs"])} for r in codes],
        }

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None


def _exec_out(row: dict[str, Any]) -> dict[str, Any]:
    """An executions row under the names the rest of the tool uses."""
    return {
        "id": row["id"],
        "status": row["status"],
        "trigger": row["trigger_name"],
        "system": row["system_name"],
        "object": row["object_type"],
        "step": row["step_name"],
        "dry_run": bool(row["dry_run"]),
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "duration_ms": row["duration_ms"],
        "workspace": row["workspace"],
        "tool_version": row["tool_version"],
        "config_hash": row["config_hash"],
        "git_commit": row["git_commit"],
        "files_total": row["files_total"],
        "errors": row["errors"],
        "warnings": row["warnings"],
        "infos": row["infos"],
        "pid": row.get("pid"),
        "host": row.get("host"),
    }


class SqliteStore(SqlStore):
    """The embedded store: one SQLite file in WAL mode, writers wait up to ``timeout``."""

    def __init__(self, path: Path, timeout: float = DEFAULT_TIMEOUT, *, migrate: bool = True) -> None:
        super().__init__(str(path))
        self.path = path
        self.timeout = timeout
        try:
            created = not path.parent.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            if created and path.parent.name == ".svgx":
                # The record is local state, not project content: keep it out of git.
                (path.parent / ".gitignore").write_text("# created by svgx: the pipeline record is local\n*\n")
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of the pipeline database {path}: {exc.strerror or exc}",
                "make it writable, or choose another file with --db PATH",
            ) from exc
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE takes the write
            # lock up front, so a waiting writer never fails half-way through).
            self.conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()
            if str(path) != ":memory:" and (mode is None or str(mode[0]).lower() != "wal"):
                raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode[0] if mode else None})")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if migrate:
                self.migrate()
        except StoreError:
            self.close()
            raise
        except sqlite3.Error as exc:
            self.close()
            raise self._translate(exc) from exc

    def _begin_write(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _has_table(self, name: str) -> bool:
        rows = self._query("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows[0]["n"])

    def _translate(self, exc: Exception) -> StoreError:
        text = str(exc)
        where = f"pipeline database {self.location}"
        if "locked" in text or "busy" in text:
            return StoreError(
                f"{where} is locked: another process held it longer than {self.timeout:g} s",
                "wait for the other run to finish and try again, or use another --db PATH",
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return StoreError(
                f"{where} is not a usable SQLite database ({text})",
                "move the file away (a new one is created), or choose another with --db PATH",
            )
        if "readonly" in text or "unable to open" in text or "read-only" in text:
            return StoreError(
                f"{where} cannot be written ({text})",
                "make the file and its folder writable, or choose another with --db PATH",
            )
        return StoreError(f"{where}: {text}", "check the file, or choose another with --db PATH")


def resolve_location(root: Path, configured: str | None, given: str | Path | None) -> str | Path:
    """Where the record is: ``--db`` first, then the config's ``database``, then the default.
    A relative path is relative to the workspace root."""
    target: str | Path = given if given is not None else (configured or DEFAULT_DB)
    if isinstance(target, str) and "://" in target:
        return target
    p = Path(target).expanduser()
    return p if p.is_absolute() else root / p


def open_store(location: str | Path, timeout: float = DEFAULT_TIMEOUT) -> SqlStore:
    """Open (creating and migrating as needed) the store at a path or URL."""
    if isinstance(location, str) and "://" in location:
        scheme = location.split("://", 1)[0]
        if scheme in ("postgresql", "postgres"):
            raise StoreError(
                f"database {scheme}:// is not supported by this svgx yet",
                "use a SQLite file path for --db (or `database`) for now",
            )
        raise StoreError(
            f"database URL scheme {scheme!r} is not known",
            "use a SQLite file path for --db (or `database` in svgx.toml)",
        )
    return SqliteStore(Path(location), timeout)
