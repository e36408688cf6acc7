"""The edit log as a PostgreSQL table: for several app machines on one database.

The same guarantees as the JSON-lines file (:mod:`monitor.programme.jsonl`), by the
database's own means:

* **Nothing is overwritten.** Table ``qm_edit_log`` is append-only twice over: the
  app's role has only ``SELECT`` and ``INSERT`` on it (no ``UPDATE``, ``DELETE``,
  ``TRUNCATE``), and triggers refuse ``UPDATE``, ``DELETE`` and ``TRUNCATE`` for
  every role, the owner included (only dropping the trigger, a schema change by the
  owner, would allow it).
* **Two people saving at once both keep their entries; numbers have no gaps.** A
  writer takes the transaction-level advisory lock of its log
  (``pg_advisory_xact_lock``), reads the entries, numbers the new one ``max + 1``
  and inserts it in the same transaction; the lock is released at commit or
  rollback. ``seq`` is not a database sequence (those leave gaps on rollback), and
  an insert trigger refuses any ``seq`` other than ``max + 1``, so a gap cannot
  enter even from a client that skips the lock.
* **A kill during a write leaves the previous state.** The entry is one row of one
  transaction: a writer killed before ``COMMIT`` leaves nothing, and the server
  releases its lock when the connection drops.
* **No confirmed entry is lost.** :meth:`PostgresLog.append` returns after
  ``COMMIT``, which with PostgreSQL's default ``synchronous_commit = on`` returns
  only when the commit record is flushed to the write-ahead log.
* **Checksums as in the file.** Every row carries the checksum of its entry's
  canonical JSON (:func:`monitor.programme.entry.checksum`); a row whose checksum
  fails is skipped and counted as damaged, like a damaged line.

``data`` and ``previous`` are stored as ``json`` (the text as written, so numbers
and the checksum survive exactly; ``jsonb`` would rewrite ``1e+20``). One table holds
the logs of several data folders, told apart by the column ``log``.

Set up once with the owner role (creates table, triggers and grants)::

    python -m monitor.programme.postgres setup "postgresql://owner@host/db" \\
        --app-role quartiersmonitor_app

References: PostgreSQL 15 documentation, "Explicit Locking – Advisory Locks",
"CREATE TRIGGER", "GRANT", "WAL Configuration" (synchronous_commit); psycopg 3
documentation, "Transactions management".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
from collections.abc import Iterator

import psycopg
from psycopg import sql

from monitor.programme.entry import Entry, canonical, checksum
from monitor.programme.log import EditLog, Locked, LogRead, LogUnavailableError

__all__ = ["TABLE", "PostgresLog", "install"]

TABLE = "qm_edit_log"
_POOL_SIZE = 4

_READ = sql.SQL(
    "SELECT seq, entry_id, at, who, kind, target, data::text, previous::text, "
    "checksum FROM {table} WHERE log = %s ORDER BY seq"
).format(table=sql.Identifier(TABLE))
_LOCK = sql.SQL("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))")
_LAST = sql.SQL("SELECT coalesce(max(seq), 0) FROM {table} WHERE log = %s").format(
    table=sql.Identifier(TABLE)
)
_INSERT = sql.SQL(
    "INSERT INTO {table} (log, seq, entry_id, at, who, kind, target, data, "
    "previous, checksum) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::json, %s::json, %s)"
).format(table=sql.Identifier(TABLE))

# Table, triggers and grants, run by the owner role (idempotent).
_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS {table} (
        log text NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        entry_id text NOT NULL UNIQUE,
        at text NOT NULL,
        who text NOT NULL CHECK (length(btrim(who)) > 0),
        kind text NOT NULL,
        target text NOT NULL,
        data json NOT NULL,
        previous json NOT NULL,
        checksum text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (log, seq)
    )
    """,
    """
    CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the edit log is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION {next_seq}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE expected bigint;
    BEGIN
        SELECT coalesce(max(seq), 0) + 1 INTO expected
            FROM {table} WHERE log = NEW.log;
        IF NEW.seq <> expected THEN
            RAISE EXCEPTION 'seq % of log % is not the next number %',
                NEW.seq, NEW.log, expected USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS append_only_rows ON {table}",
    "CREATE TRIGGER append_only_rows BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {refuse}()",
    "DROP TRIGGER IF EXISTS append_only_truncate ON {table}",
    "CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION {refuse}()",
    "DROP TRIGGER IF EXISTS gap_free_seq ON {table}",
    "CREATE TRIGGER gap_free_seq BEFORE INSERT ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {next_seq}()",
    "REVOKE ALL ON {table} FROM PUBLIC",
    "GRANT SELECT, INSERT ON {table} TO {app}",
)


def install(owner_url: str, app_role: str) -> None:
    """Create the table, its append-only triggers and the app role's grants.

    Run with the table's owner (not the app role). ``app_role`` must exist; it gets
    ``SELECT`` and ``INSERT`` only. Idempotent: running it again changes nothing.
    """
    if not app_role.strip():
        raise ValueError("app_role must name the app's database role")
    names = {
        "table": sql.Identifier(TABLE),
        "refuse": sql.Identifier(f"{TABLE}_refuse_change"),
        "next_seq": sql.Identifier(f"{TABLE}_check_seq"),
        "app": sql.Identifier(app_role),
    }
    with psycopg.connect(owner_url, autocommit=True) as conn, conn.transaction():
        for statement in _SCHEMA:
            conn.execute(sql.SQL(statement).format(**names))


def _where(url: str) -> str:
    """Database and host of a libpq URL, for messages (never the password)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "?"
    return f"„{info.get('dbname', '?')}“ auf {info.get('host', 'localhost')}"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class PostgresLog(EditLog):
    """The log ``name`` in table ``qm_edit_log`` of the database at ``url``.

    Parameters
    ----------
    url : str
        libpq connection URL of the app role, e.g.
        ``postgresql://quartiersmonitor_app:…@db.example/quartiersmonitor``.
    name : str
        Which log: the name of the data folder (one table, several data folders).
    connect_timeout : int, default 5
        Seconds to wait for the server before the log counts as unavailable.

    Connections are kept in a small pool per instance; an instance may be shared by
    threads (each operation takes its own connection).
    """

    def __init__(self, url: str, *, name: str, connect_timeout: int = 5):
        if not str(name).strip():
            raise ValueError("name must name the log (the data folder)")
        self.url = url
        self.name = str(name)
        self.connect_timeout = connect_timeout
        self._idle: list[psycopg.Connection] = []
        self._pool_lock = threading.Lock()

    # -- connections ------------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        with self._pool_lock:
            conn = self._idle.pop() if self._idle else None
        try:
            if conn is None or conn.closed or conn.broken:
                conn = psycopg.connect(
                    self.url, autocommit=True, connect_timeout=self.connect_timeout
                )
            yield conn
        except psycopg.errors.UndefinedTable as exc:
            raise LogUnavailableError(
                f"In der Datenbank {_where(self.url)} fehlt die Tabelle {TABLE} "
                "(einmalig: python -m monitor.programme.postgres setup)."
            ) from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            raise LogUnavailableError(
                f"Die Datenbankrolle darf das Änderungsprotokoll {TABLE} nicht "
                f"lesen oder ergänzen ({_first_line(exc)})."
            ) from exc
        except psycopg.OperationalError as exc:
            raise LogUnavailableError(
                f"Die PostgreSQL-Datenbank {_where(self.url)} ist nicht erreichbar "
                f"({_first_line(exc)})."
            ) from exc
        except psycopg.Error as exc:  # e.g. a seq refused by the gap-free trigger
            raise LogUnavailableError(
                f"Die Datenbank {_where(self.url)} hat den Eintrag abgelehnt "
                f"({_first_line(exc)}); es wurde nichts gespeichert."
            ) from exc
        finally:
            if conn is not None and not conn.closed and not conn.broken:
                with self._pool_lock:
                    if len(self._idle) < _POOL_SIZE:
                        self._idle.append(conn)
                        conn = None
                if conn is not None:
                    conn.close()

    def close(self) -> None:
        """Close the pooled connections (tests; the app keeps one log per process)."""
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- reading ----------------------------------------------------------------
    def _entries(self, conn: psycopg.Connection) -> LogRead:
        entries: list[Entry] = []
        damaged = 0
        for row in conn.execute(_READ, (self.name,)):
            seq, entry_id, at, who, kind, target, data, previous, check = row
            try:
                entry = Entry(
                    seq=int(seq),
                    entry_id=entry_id,
                    at=at,
                    who=who,
                    kind=kind,
                    target=target,
                    data=json.loads(data),
                    previous=json.loads(previous),
                )
                valid = checksum(entry) == check
            except (ValueError, TypeError):
                valid = False
            if not valid:
                damaged += 1
                continue
            entries.append(entry)
        return LogRead(tuple(entries), damaged)

    def read(self) -> LogRead:
        """Every row of this log with a valid checksum, in seq order (no lock)."""
        with self._connection() as conn:
            return self._entries(conn)

    # -- writing ----------------------------------------------------------------
    def _insert(self, conn: psycopg.Connection, entry: Entry) -> None:
        conn.execute(
            _INSERT,
            (
                self.name,
                entry.seq,
                entry.entry_id,
                entry.at,
                entry.who,
                entry.kind,
                entry.target,
                canonical(dict(entry.data)),
                canonical(dict(entry.previous)),
                checksum(entry),
            ),
        )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Locked]:
        """One transaction holding the log's advisory lock; the entry is confirmed
        when the transaction commits on leaving the block. The next number follows
        the highest row, damaged ones included (they keep their number)."""
        with self._connection() as conn, conn.transaction():
            conn.execute(_LOCK, (f"{TABLE}:{self.name}",))
            found = self._entries(conn)
            last = conn.execute(_LAST, (self.name,)).fetchone()[0]
            yield Locked(found.entries, int(last) + 1, lambda e: self._insert(conn, e))


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m monitor.programme.postgres",
        description="Set up the PostgreSQL edit log of the Quartiersmonitor.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser(
        "setup", help="create table, append-only triggers and grants (owner role)"
    )
    setup.add_argument("owner_url", help="libpq URL of the table's owner role")
    setup.add_argument(
        "--app-role", required=True, help="database role of the app (SELECT, INSERT)"
    )
    args = parser.parse_args(argv)
    install(args.owner_url, args.app_role)
    print(f"{TABLE}: ready; {args.app_role} may SELECT and INSERT only.")


if __name__ == "__main__":
    _main()
