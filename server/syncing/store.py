"""The engine's Store on SQLAlchemy Core: one instance is one transaction.

Writes are buffered in memory and flushed in a few multi-row statements at the end of
the unit of work; reads see the buffer first. `begin()` takes the writers' lock:
the first statement of a push writes the counter row, which on SQLite takes the
database's write lock and on PostgreSQL locks that row until commit. Writers are
therefore serialised and seqs are committed in increasing order.
"""
from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring_ascii
from collections import defaultdict
from operator import itemgetter

from sqlalchemy import JSON, Date, String, bindparam, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite

from sync import DeviceState, FieldKind, RecordState
from sync.engine import is_uuid

from ..blobs.references import BLOB_FIELDS, keep_references, references_of
from ..records import KINDS
from ..records.base import UNSTORABLE_TEXT
from .models import (ChangeLog, Conflict, Device, DeviceResult, FieldHistory, ProjectSet,
                     RejectedMutation, SyncCounter)
from .scrub import scrub_personal


class TableCodec:
    """Turns rows of one record table into RecordStates and back."""

    def __init__(self, kind):
        self.kind = kind
        self.table = kind.model.__table__
        declared = list(kind.type.fields) + ([kind.type.state_field] if kind.type.state_field else [])
        self.fields = [name for name in declared if name != "project_id"]
        self.dates = {c.name for c in self.table.columns if isinstance(c.type, Date)}
        # What a pull reads: everything but the merge metadata, which it never sends and
        # which is the largest JSON of a row to transfer and decode.
        self.body_columns = [c for c in self.table.columns if c.name != "meta"]
        # A pull reads them by position, and its dates as the text SQLite stores (on
        # PostgreSQL the driver still hands out dates): parsing a date only to print it
        # again was a tenth of a pull's CPU.
        # JSON columns come as text too, so the common empty list costs no JSON decoding.
        jsons = {c.name for c in self.table.columns if isinstance(c.type, JSON)}
        self.body_select = [type_coerce(c, String) if c.name in self.dates | jsons else c
                            for c in self.body_columns]
        names = [c.name for c in self.body_columns]
        self.body_fields = [(name, names.index(name), name in self.dates, name in jsons)
                            for name in self.fields]
        self.body_head = itemgetter(*(names.index(name) for name in (
            "id", "project_id", "deleted", "seq", "created_by", "created_at", "updated_by",
            "updated_at")))
        # Whole rows by id, built once: a push's prefetch runs it every time.
        self.by_ids = select(self.table).where(self.table.c.id.in_(bindparam("ids", expanding=True)))
        # Set and map columns hold an empty collection rather than a JSON null.
        self.empty = {name: ([] if field_kind is FieldKind.SET else {})
                      for name, field_kind in kind.type.fields.items()
                      if field_kind in (FieldKind.SET, FieldKind.MAP)}

    def to_state(self, row) -> RecordState:
        mapping = row._mapping
        values = {"project_id": mapping["project_id"]}
        for name in self.fields:
            value = mapping[name]
            if value is not None and name in self.dates:
                value = value.isoformat()
            if value is not None:
                values[name] = value
        return RecordState(self.kind.name, mapping["id"], values, mapping.get("meta") or {},
                           bool(mapping["deleted"]), mapping["seq"], mapping["created_by"],
                           mapping["created_at"], mapping["updated_by"], mapping["updated_at"])

    def body_to_state(self, row) -> RecordState:
        """A pull's row (`body_select`, by position) as a RecordState without merge metadata."""
        record_id, project_id, deleted, seq, created_by, created_at, updated_by, updated_at = \
            self.body_head(row)
        values = {"project_id": project_id}
        for name, index, is_date, is_json in self.body_fields:
            value = row[index]
            if is_json and isinstance(value, str):
                # SQLite hands out the text (PostgreSQL's driver decodes JSON itself).
                value = [] if value == "[]" else json.loads(value)
            if value is None:
                continue
            if is_date and not isinstance(value, str):
                value = value.isoformat()
            values[name] = value
        return RecordState(self.kind.name, record_id, values, {}, bool(deleted), seq,
                           created_by, created_at, updated_by, updated_at)

    def to_row(self, record: RecordState) -> dict:
        row = {"id": record.id, "project_id": record.project_id, "seq": record.seq,
               "deleted": record.deleted, "meta": record.meta, "created_by": record.created_by,
               "created_at": record.created_at, "updated_by": record.updated_by,
               "updated_at": record.updated_at}
        for name in self.fields:
            value = record.values.get(name)
            if value is None:
                value = self.empty.get(name)
            elif name in self.dates:
                value = dt.date.fromisoformat(value)
            row[name] = value
        return row


CODECS = {name: TableCodec(kind) for name, kind in KINDS.items()}



def storable(value):
    """JSON-shaped `value` with NUL and lone surrogates replaced by U+FFFD.

    Iterative rather than recursive: a client may send a value nested deeper than
    Python's recursion limit, and that must be answered, not crash the request.
    A value with nothing to replace is returned as it is, not copied."""
    if not unstorable(value):
        return value
    clean = lambda text: UNSTORABLE_TEXT.sub("\ufffd", text)  # noqa: E731
    root: list = [None]
    stack = [(value, root, 0)]
    while stack:
        item, parent, slot = stack.pop()
        if isinstance(item, str):
            parent[slot] = clean(item)
        elif isinstance(item, dict):
            parent[slot] = copied = {}
            for key, inner in item.items():
                key = clean(key) if isinstance(key, str) else key
                copied[key] = None
                stack.append((inner, copied, key))
        elif isinstance(item, list):
            parent[slot] = copied = [None] * len(item)
            stack.extend((inner, copied, index) for index, inner in enumerate(item))
        else:
            parent[slot] = item
    return root[0]


def unstorable(value) -> bool:
    """Whether `value` holds text no database column stores (see `storable`)."""
    if isinstance(value, str):
        return UNSTORABLE_TEXT.search(value) is not None
    if not isinstance(value, (dict, list)):
        return False
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE_TEXT.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_snapshot(session):
    """The session's connection, its reads from now until commit seeing one snapshot.

    A pull page reads the change log, then the bodies of the records it names. Read
    from two snapshots, a record committed in between comes back newer than its log
    row; as the page's last change, its seq would move the cursor past changes not
    yet sent. Call at the start of a transaction. SQLite: pysqlite opens no
    transaction for reads, so open one. PostgreSQL: REPEATABLE READ (a read-only
    transaction there never fails to serialise).
    """
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        connection.exec_driver_sql("BEGIN")
        return connection
    return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def json_text(value) -> str:
    """`json.dumps(value)`; the scalars most JSON columns of a push hold are written
    directly, without the encoder `json.dumps` sets up for every other value."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is str:
        return encode_basestring_ascii(value)  # what json.dumps does with a str
    return json.dumps(value)


class BulkInsert:
    """A multi-row INSERT (or upsert) prepared once per dialect, table and row shape,
    and executed through the driver.

    A push writes a few hundred rows; SQLAlchemy Core's per-row parameter handling
    costs more than the database's write of them. Upserts keep SQLAlchemy's SQL and
    its type conversions (JSON, dates) and skip the rest. Plain inserts on PostgreSQL
    go by COPY, which sends the rows as one stream rather than one statement each.
    A row must give every column that has a Python-side default: the driver cannot
    apply one.
    """

    _cache: dict[tuple, "BulkInsert"] = {}

    def __init__(self, dialect, table, columns: tuple[str, ...], keys: tuple[str, ...]):
        missing = [c.name for c in table.columns if c.name not in columns
                   and c.default is not None and not c.primary_key]
        if missing:
            raise ValueError(f"rows for {table.name} must give {', '.join(missing)}")
        self.copy = dialect.name == "postgresql" and not keys
        if self.copy:
            quote = dialect.identifier_preparer.quote
            self.sql = (f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                        "FROM STDIN")
            self.positional, self.names = True, list(columns)
            # psycopg writes Python values in COPY's text form itself.
            converters = [json_text if isinstance(table.c[name].type, JSON) else None
                          for name in self.names]
        else:
            insert = (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)
            if keys:
                insert = insert.on_conflict_do_update(
                    index_elements=list(keys),
                    set_={name: insert.excluded[name] for name in columns if name not in keys})
            compiled = insert.compile(dialect=dialect, column_keys=list(columns))
            self.sql = compiled.string
            self.positional = compiled.positional
            # The bind names the SQL uses, in its order, and the converter of each column
            # that needs one (JSON to text, dates on SQLite).
            self.names = list(compiled.positiontup if compiled.positional else compiled.binds)
            converters = [json_text if isinstance(table.c[name].type, JSON)
                          else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                          for name in self.names]
        self.values = (itemgetter(*self.names) if len(self.names) > 1
                       else lambda row, name=self.names[0]: (row[name],))
        self.converters = [(index, convert) for index, convert in enumerate(converters)
                           if convert is not None]

    def parameters(self, row: dict):
        """One row as the driver takes it: a tuple in bind order, or a dict by bind name."""
        values = list(self.values(row))
        for index, convert in self.converters:
            values[index] = convert(values[index])
        return tuple(values) if self.positional else dict(zip(self.names, values))

    @classmethod
    def run(cls, connection, table, rows: list[dict], keys: tuple[str, ...] = ()) -> None:
        """Insert `rows` (all of one shape); with `keys`, replace the rows they match."""
        if not rows:
            return
        dialect = connection.dialect
        columns = tuple(rows[0])
        cache_key = (dialect.name, table, columns, keys)
        statement = cls._cache.get(cache_key)
        if statement is None:
            statement = cls._cache[cache_key] = cls(dialect, table, columns, keys)
        if statement.copy:
            with connection.connection.dbapi_connection.cursor() as cursor, \
                    cursor.copy(statement.sql) as copy:
                for row in rows:
                    copy.write_row(statement.parameters(row))
        else:
            connection.exec_driver_sql(statement.sql,
                                       [statement.parameters(row) for row in rows])


# The statements every push runs, built once: building one costs more than running it.
_COUNTER = SyncCounter.__table__
_LOCK = update(_COUNTER).where(_COUNTER.c.id == 1).values(seq=_COUNTER.c.seq)
_LOCK_AND_READ = _LOCK.returning(_COUNTER.c.seq, _COUNTER.c.tombstone_floor)
_READ_COUNTER = select(_COUNTER.c.seq, _COUNTER.c.tombstone_floor).where(_COUNTER.c.id == 1)
_SET_COUNTER = update(_COUNTER).where(_COUNTER.c.id == 1).values(seq=bindparam("seq"))
_DEVICE = select(Device.__table__).where(Device.__table__.c.client_id == bindparam("client_id"))


class SqlStore:
    """A unit of work over one SQLAlchemy connection."""

    def __init__(self, connection):
        self.connection = connection
        self._records: dict[tuple[str, str], RecordState | None] = {}
        self._dirty: dict[tuple[str, str], RecordState] = {}
        self._devices: dict[str, DeviceState] = {}
        self._dirty_devices: set[str] = set()
        self._results: list[dict] = []
        self._history: list[dict] = []
        self._conflicts: list[dict] = []
        self._rejected: list[dict] = []
        self._seq: int | None = None
        self._floor = 0
        self._project_sets: dict[str, list[str]] = {}
        # Records whose personal data is forgotten at flush: (type, fields) -> ids.
        self._scrubs: dict[tuple[str, frozenset[str]], set[str]] = defaultdict(set)
        # The blob references of records as the database holds them, (type, id) -> see
        # `references_of`, for the records of types with photos read by `prefetch` and
        # `load`: a flush rewrites only those that changed.
        self._references: dict[tuple[str, str], frozenset] = {}

    # -- the writers' lock and the counter -------------------------------------------

    def begin(self) -> None:
        """Take the writers' lock and read the counter; call before any other statement."""
        if self.connection.dialect.update_returning:  # one round trip: lock and read
            row = self.connection.execute(_LOCK_AND_READ).one()
        else:
            self.connection.execute(_LOCK)
            row = self.connection.execute(_READ_COUNTER).one()
        self._seq, self._floor = row.seq, row.tombstone_floor

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def tombstone_floor(self) -> int:
        table = SyncCounter.__table__
        return self.connection.execute(select(table.c.tombstone_floor)
                                       .where(table.c.id == 1)).scalar_one()

    # -- devices and stored results ----------------------------------------------------

    def get_device(self, client_id):
        if client_id not in self._devices:
            row = self.connection.execute(_DEVICE, {"client_id": client_id}).first()
            self._devices[client_id] = (DeviceState(row.client_id, row.user_id, row.last_mid,
                                                    row.pulled_seq) if row else None)
        device = self._devices[client_id]
        return DeviceState(**vars(device)) if device else None

    def put_device(self, device):
        self._devices[device.client_id] = DeviceState(**vars(device))
        self._dirty_devices.add(device.client_id)

    def get_result(self, client_id, mid):
        return self.connection.execute(
            select(DeviceResult.result).where(DeviceResult.client_id == client_id,
                                              DeviceResult.mid == mid)).scalar()

    def put_result(self, client_id, mid, result):
        # Only a rejection echoes what the client sent (its field names); the engine's
        # other results hold values the policy has already checked.
        if result["status"] == "rejected":
            result = storable(result)
        self._results.append({"client_id": client_id, "mid": mid, "result": result})

    # -- records -----------------------------------------------------------------------

    def prefetch(self, mutations: list) -> None:
        """Load every record a batch names in one query per type.

        Runs before the engine checks each mutation, so only ids that are UUIDs reach the
        database: a client's id may hold text no database takes (a lone surrogate; NUL on
        PostgreSQL). The engine then rejects the others `invalid`."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for mutation in mutations:
            if isinstance(mutation, dict) and isinstance(mutation.get("type"), str) \
                    and mutation["type"] in CODECS and is_uuid(mutation.get("id")):
                record_id = mutation["id"].lower()
                if (mutation["type"], record_id) not in self._records:
                    wanted[mutation["type"]].add(record_id)
        for type_name, ids in wanted.items():
            codec = CODECS[type_name]
            for record_id in ids:
                self._records[(type_name, record_id)] = None
            for row in self.connection.execute(codec.by_ids, {"ids": sorted(ids)}):
                self._records[(type_name, row.id)] = codec.to_state(row)
            for record_id in ids:
                self._read((type_name, record_id))

    def load(self, type_name, record_id):
        key = (type_name, record_id)
        if key not in self._records:
            codec = CODECS[type_name]
            row = self.connection.execute(select(codec.table)
                                          .where(codec.table.c.id == record_id)).first()
            self._records[key] = codec.to_state(row) if row else None
            self._read(key)
        record = self._records[key]
        return record.clone() if record else None

    def _read(self, key) -> None:
        """Note the blob references of a record just read from the database (or found not
        to be there), before this unit of work changes it."""
        if key[0] in BLOB_FIELDS:
            record = self._records[key]
            self._references[key] = references_of(record) if record else frozenset()

    def find(self, type_name, field, value):
        """Records of `type_name` whose `field` is `value`, tombstones included: what the
        database holds, with this unit of work's own reads and unflushed saves over it
        (a record the batch moved away from `value` drops out, one it moved in comes in)."""
        codec = CODECS[type_name]
        stored = dt.date.fromisoformat(value) if field in codec.dates and value else value
        found = {row.id: codec.to_state(row) for row in self.connection.execute(
            select(codec.table).where(codec.table.c[field] == stored))}
        found.update({record_id: record for (kind, record_id), record in self._records.items()
                      if kind == type_name and record is not None})
        return [record.clone() for record in found.values() if record.values.get(field) == value]

    def save(self, record):
        # The engine saves a working copy it made for this mutation and never touches it
        # again, so the buffer keeps it as it is; `load` hands out copies.
        key = (record.type, record.id)
        self._records[key] = record
        self._dirty[key] = record

    def add_history(self, entries):
        self._history.extend(vars(entry) for entry in entries)

    def add_conflicts(self, entries):
        self._conflicts.extend(vars(entry) for entry in entries)

    def add_rejected(self, entry):
        # The payload is the client's, as sent: it may hold text no column stores.
        self._rejected.append(storable(vars(entry)))

    def scrub_personal(self, type_name, record_id, fields):
        # Done at flush, after this unit of work's own entries are written, so they are
        # scrubbed with the rest.
        self._scrubs[(type_name, frozenset(fields))].add(record_id)

    # -- reads for pull ----------------------------------------------------------------

    def _bodies(self, entries) -> list[RecordState]:
        """Whole records for change-log rows, in the rows' order (without their merge
        metadata: `meta` is empty)."""
        by_type: dict[str, list[str]] = defaultdict(list)
        for entry in entries:
            by_type[entry.type].append(entry.record_id)
        found: dict[tuple[str, str], RecordState] = {}
        for type_name, ids in by_type.items():
            codec = CODECS[type_name]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = self.connection.execute(select(*codec.body_select)
                                               .where(codec.table.c.id.in_(chunk))).all()
                for row in rows:
                    state = codec.body_to_state(row)
                    found[(type_name, state.id)] = state
        return [found[(e.type, e.record_id)] for e in entries if (e.type, e.record_id) in found]

    def changes_since(self, after_seq, project_ids, limit):
        if not project_ids:
            return []
        table = ChangeLog.__table__
        rows = self.connection.execute(
            select(table.c.type, table.c.record_id)
            .where(table.c.seq > after_seq, table.c.project_id.in_(project_ids))
            .order_by(table.c.seq).limit(limit)).all()
        return self._bodies(rows)

    def project_records(self, project_id, after_seq, upto_seq, limit):
        table = ChangeLog.__table__
        rows = self.connection.execute(
            select(table.c.type, table.c.record_id)
            .where(table.c.project_id == project_id, table.c.seq > after_seq,
                   table.c.seq <= upto_seq)
            .order_by(table.c.seq).limit(limit)).all()
        return self._bodies(rows)

    def keep_project_set(self, key, project_ids):
        # Written by `write_project_sets`, after the pull's read-only snapshot.
        self._project_sets[key] = sorted(project_ids)

    def project_set(self, key):
        table = ProjectSet.__table__
        return self.connection.execute(select(table.c.project_ids)
                                       .where(table.c.key == key)).scalar()

    def write_project_sets(self, connection) -> None:
        """Keep the project sets this pull's cursors name (a set, once kept, never changes,
        so a set another pull kept first is left as it is)."""
        if not self._project_sets:
            return
        table = ProjectSet.__table__
        insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)
        connection.execute(insert(table).on_conflict_do_nothing(index_elements=["key"]),
                           [{"key": key, "project_ids": ids}
                            for key, ids in sorted(self._project_sets.items())])
        self._project_sets.clear()

    # -- the end of the unit of work ---------------------------------------------------

    def flush(self) -> None:
        """Write everything buffered, in a few multi-row statements."""
        connection = self.connection
        by_type: dict[str, list[dict]] = defaultdict(list)
        log_rows = []
        for record in self._dirty.values():
            by_type[record.type].append(CODECS[record.type].to_row(record))
            log_rows.append({"type": record.type, "record_id": record.id, "seq": record.seq,
                             "project_id": record.project_id, "deleted": record.deleted})
        for type_name, rows in by_type.items():
            BulkInsert.run(connection, CODECS[type_name].table, rows, ("id",))
        # A record's change-log row moves to its new seq (one row per record: the
        # buffer holds each record once, so no two rows of a batch share a key or a seq).
        BulkInsert.run(connection, ChangeLog.__table__, log_rows, ("type", "record_id"))
        # Who may read a photo follows the records that name it.
        keep_references(connection, self._dirty.values(), self._references)
        BulkInsert.run(connection, FieldHistory.__table__, self._history)
        now = dt.datetime.now(dt.timezone.utc)
        BulkInsert.run(connection, Conflict.__table__,
                       [row | {"created_at": now} for row in self._conflicts])
        BulkInsert.run(connection, RejectedMutation.__table__,
                       [row | {"created_at": now} for row in self._rejected])
        BulkInsert.run(connection, DeviceResult.__table__, self._results)
        devices = [vars(self._devices[c]) | {"last_seen_at": now}
                   for c in sorted(self._dirty_devices)]
        BulkInsert.run(connection, Device.__table__, devices, ("client_id",))
        for (type_name, fields), ids in self._scrubs.items():
            scrub_personal(connection, type_name, sorted(ids), fields)
        if self._seq is not None:
            connection.execute(_SET_COUNTER, {"seq": self._seq})
        self._dirty.clear()
        self._dirty_devices.clear()
        self._scrubs.clear()
        self._results, self._history, self._conflicts, self._rejected = [], [], [], []
