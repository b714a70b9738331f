//! Schema migrations: the `.sql` files under `migrations/`, one folder per backend, applied in
//! order and recorded in `schema_migrations`.

use crate::backend::{Cell, Conn, Value};
use crate::error::{BackendError, ErrorKind, StoreError};

/// (version, name, SQL) for SQLite.
const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "documents",
        include_str!("../migrations/sqlite/0001_documents.sql"),
    ),
    (
        2,
        "merged_events",
        include_str!("../migrations/sqlite/0002_merged_events.sql"),
    ),
    (
        3,
        "event_query_indexes",
        include_str!("../migrations/sqlite/0003_event_query_indexes.sql"),
    ),
    (
        4,
        "lighter_writes",
        include_str!("../migrations/sqlite/0004_lighter_writes.sql"),
    ),
];

/// (version, name, SQL) for PostgreSQL: the same versions as [`SQLITE`].
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "documents",
        include_str!("../migrations/postgres/0001_documents.sql"),
    ),
    (
        2,
        "merged_events",
        include_str!("../migrations/postgres/0002_merged_events.sql"),
    ),
    (
        3,
        "event_query_indexes",
        include_str!("../migrations/postgres/0003_event_query_indexes.sql"),
    ),
    (
        4,
        "lighter_writes",
        include_str!("../migrations/postgres/0004_lighter_writes.sql"),
    ),
];

/// The version that added merged events: after it, the mentions already stored are merged.
const MERGED_EVENTS: i64 = 2;

/// An arbitrary constant: the advisory lock PostgreSQL workers take while migrating.
const PG_LOCK: i64 = 0x5173_7265_7000;

/// Brings the schema up to date. Safe when several processes open the same database at once: on
/// SQLite the check and the migrations run in one write transaction, on PostgreSQL under an
/// advisory lock.
pub(crate) fn run(conn: &mut Conn, db: &str) -> Result<(), StoreError> {
    let postgres = conn.is_postgres();
    let migrations = if postgres { POSTGRES } else { SQLITE };
    let fail = |what: &str, err: BackendError| {
        let mut e = StoreError::query(db, what, err);
        if e.kind == ErrorKind::Query {
            e.kind = ErrorKind::Migrate;
            e.hint = Some(
                "is this a sitrep database? pass another --db, or check that you may create tables in it"
                    .to_owned(),
            );
        }
        e
    };
    if postgres {
        conn.execute("SELECT pg_advisory_lock(?1)", &[Value::Int(PG_LOCK)])
            .map_err(|e| fail("could not lock the schema", e))?;
    }
    let result = (|| {
        conn.batch(if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" })
            .map_err(|e| fail("could not start a transaction", e))?;
        let result = apply(conn, db, migrations, &fail);
        match result {
            Ok(()) => conn
                .batch("COMMIT")
                .map_err(|e| fail("could not commit the schema", e)),
            Err(err) => {
                let _ = conn.batch("ROLLBACK");
                Err(err)
            }
        }
    })();
    if postgres {
        let _ = conn.execute("SELECT pg_advisory_unlock(?1)", &[Value::Int(PG_LOCK)]);
    }
    result
}

fn apply(
    conn: &mut Conn,
    db: &str,
    migrations: &[(i64, &str, &str)],
    fail: &dyn Fn(&str, BackendError) -> StoreError,
) -> Result<(), StoreError> {
    conn.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
             applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    )
    .map_err(|e| fail("could not create the schema_migrations table", e))?;
    let rows = conn
        .query("SELECT max(version) FROM schema_migrations", &[])
        .map_err(|e| fail("could not read the schema version", e))?;
    let current = match rows.first().map(|r| &r[0]) {
        Some(Cell::Null) | None => 0,
        Some(cell) => cell.int(),
    };
    let latest = migrations.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::new(
            db,
            ErrorKind::TooNew,
            format!("the schema is version {current}, newer than this sitrep knows ({latest})"),
        )
        .hint("a newer sitrep wrote this database: upgrade sitrep, or pass another --db"));
    }
    let mut merge_stored = false;
    for &(version, name, sql) in migrations.iter().filter(|m| m.0 > current) {
        conn.batch(sql)
            .map_err(|e| fail(&format!("migration {version:04}_{name} failed"), e))?;
        merge_stored |= version == MERGED_EVENTS;
        conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
            &[Value::Int(version), name.into()],
        )
        .map_err(|e| fail("could not record the schema version", e))?;
    }
    if merge_stored {
        // The mentions a store from before merged events holds, merged once the whole schema
        // is in place (the same transaction).
        crate::merge::merge_unmerged(conn)
            .map_err(|e| fail("could not merge the events already stored", e))?;
    }
    Ok(())
}
