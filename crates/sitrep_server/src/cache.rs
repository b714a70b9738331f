//! A response cache for read endpoints over a SQLite store.
//!
//! The page asks the same few questions again and again (the first page of events, the timeline,
//! the actors), and each can cost the store a scan of a million rows. The answers only change when
//! the database does, so they are kept, as serialized JSON, keyed by the endpoint and its checked
//! parameters, and tagged with the database's *version*: the size and modification time of the
//! SQLite file and its write-ahead log. Every commit (an ingest over HTTP, or `sitrep ingest` in
//! another process) changes the log, so a cached answer is never served after the data changed.
//!
//! Concurrent requests for an answer being computed wait for that one computation instead of
//! repeating it. PostgreSQL has no file to watch: there nothing is cached.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use axum::body::Bytes;

/// The state of the database files: equal versions, equal contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Version([(u64, Option<SystemTime>); 2]);

/// Cached answers at most, and their bytes at most; past either, the cache starts over.
const MAX_ENTRIES: usize = 1024;
const MAX_BYTES: usize = 64 << 20;

type Answer<E> = Result<Bytes, E>;

pub(crate) struct Cache<E> {
    files: Option<[PathBuf; 2]>,
    slots: Mutex<Slots<E>>,
}

struct Slots<E> {
    map: HashMap<String, Arc<Slot<E>>>,
    bytes: usize,
}

struct Slot<E> {
    version: Version,
    answer: OnceLock<Answer<E>>,
}

impl<E: Clone> Cache<E> {
    /// A cache over the SQLite file `db`, or a cache that keeps nothing (`None`: PostgreSQL).
    pub(crate) fn new(db: Option<&str>) -> Cache<E> {
        Cache {
            files: db.map(|db| [PathBuf::from(db), PathBuf::from(format!("{db}-wal"))]),
            slots: Mutex::new(Slots {
                map: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    /// The database's current version, `None` when nothing is cached.
    pub(crate) fn version(&self) -> Option<Version> {
        let files = self.files.as_ref()?;
        let stat = |path: &PathBuf| match std::fs::metadata(path) {
            Ok(meta) => (meta.len(), meta.modified().ok()),
            Err(_) => (0, None),
        };
        Some(Version([stat(&files[0]), stat(&files[1])]))
    }

    /// The answer for `key` at `version` if it is ready (never waits).
    pub(crate) fn ready(&self, key: &str, version: Version) -> Option<Bytes> {
        let slots = self.lock();
        let slot = slots.map.get(key)?;
        if slot.version != version {
            return None;
        }
        match slot.answer.get() {
            Some(Ok(bytes)) => Some(bytes.clone()),
            _ => None,
        }
    }

    /// The answer for `key` at `version`: cached, or computed by `compute` (once, however many
    /// threads ask at the same time; blocking). Errors are returned, not kept.
    pub(crate) fn get_or_compute(
        &self,
        key: &str,
        version: Version,
        compute: impl FnOnce() -> Answer<E>,
    ) -> Answer<E> {
        let slot = {
            let mut slots = self.lock();
            match slots.map.get(key) {
                Some(slot) if slot.version == version => Arc::clone(slot),
                _ => {
                    let slot = Arc::new(Slot {
                        version,
                        answer: OnceLock::new(),
                    });
                    if let Some(old) = slots.map.insert(key.to_owned(), Arc::clone(&slot)) {
                        slots.bytes -= size(&old);
                    }
                    slot
                }
            }
        };
        let answer = slot.answer.get_or_init(compute).clone();
        let mut slots = self.lock();
        let current = slots.map.get(key).is_some_and(|s| Arc::ptr_eq(s, &slot));
        match &answer {
            Err(_) if current => {
                slots.map.remove(key);
            }
            Ok(bytes) if current => {
                slots.bytes += bytes.len();
                if slots.bytes > MAX_BYTES || slots.map.len() > MAX_ENTRIES {
                    // Start over, keeping only this answer.
                    slots.map.retain(|k, _| k == key);
                    slots.bytes = bytes.len();
                }
            }
            _ => {}
        }
        answer
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots<E>> {
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The bytes a slot holds (0 while computing or failed).
fn size<E>(slot: &Slot<E>) -> usize {
    match slot.answer.get() {
        Some(Ok(bytes)) => bytes.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_until_the_database_changes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"one").unwrap();
        let cache: Cache<String> = Cache::new(Some(db.to_str().unwrap()));
        let v1 = cache.version().unwrap();
        assert_eq!(cache.ready("k", v1), None);
        let a = cache.get_or_compute("k", v1, || Ok(Bytes::from_static(b"[1]")));
        assert_eq!(a.unwrap(), Bytes::from_static(b"[1]"));
        assert_eq!(cache.ready("k", v1), Some(Bytes::from_static(b"[1]")));
        let b = cache.get_or_compute("k", v1, || panic!("computed twice"));
        assert_eq!(b.unwrap(), Bytes::from_static(b"[1]"));

        std::fs::write(db.with_extension("db-wal"), b"commit").unwrap();
        let v2 = cache.version().unwrap();
        assert_ne!(v1, v2);
        assert_eq!(cache.ready("k", v2), None);
        let c = cache.get_or_compute("k", v2, || Ok(Bytes::from_static(b"[2]")));
        assert_eq!(c.unwrap(), Bytes::from_static(b"[2]"));
    }

    #[test]
    fn errors_are_not_kept_and_postgres_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let cache: Cache<String> = Cache::new(Some(db.to_str().unwrap()));
        let v = cache.version().unwrap();
        let e = cache.get_or_compute("k", v, || Err("busy".to_owned()));
        assert!(e.is_err());
        assert_eq!(cache.ready("k", v), None);
        let ok = cache.get_or_compute("k", v, || Ok(Bytes::from_static(b"{}")));
        assert!(ok.is_ok());
        let none: Cache<String> = Cache::new(None);
        assert_eq!(none.version(), None);
    }
}
