//! Fresh databases for tests, on every backend (used by this crate's tests and the binary's):
//! SQLite always, PostgreSQL when `SITREP_TEST_POSTGRES=postgres://…` names a server where the
//! tests may create databases. Not part of the store's API.

use std::path::Path;

/// A fresh, empty database per backend: the SQLite file `sqlite` (removed first, with its log
/// files) and, when `SITREP_TEST_POSTGRES` is set, the PostgreSQL database `postgres_name`
/// (dropped first) on that server. `postgres_name` must be a plain SQL identifier.
pub fn databases(sqlite: &Path, postgres_name: &str) -> Vec<String> {
    if let Some(dir) = sqlite.parent() {
        std::fs::create_dir_all(dir).expect("the test directory can be created");
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    let mut dbs = vec![sqlite.display().to_string()];
    match std::env::var("SITREP_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => dbs.push(postgres_database(&url, postgres_name)),
        _ => eprintln!("{postgres_name}: SITREP_TEST_POSTGRES is not set, skipping PostgreSQL"),
    }
    dbs
}

/// Creates (dropping it first) the database `name` on the server `url` names; returns its URL.
pub fn postgres_database(url: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("SITREP_TEST_POSTGRES={url}: {e}"));
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .expect("the test database can be dropped");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("the test database can be created");
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..host_end])
}
