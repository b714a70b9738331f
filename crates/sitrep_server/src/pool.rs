//! A small pool of blocking store connections, used from `spawn_blocking` threads.
//!
//! A [`Store`] is one blocking connection. Each request borrows one for the length of its query
//! and gives it back; at most `max` are open, so a burst of requests waits for a connection
//! instead of opening hundreds. On SQLite (WAL) several connections read at once while an ingest
//! writes; on PostgreSQL each is one server session.

use std::sync::{Condvar, Mutex, MutexGuard};

use sitrep_store::{ErrorKind, Store, StoreError};

pub(crate) struct Pool {
    db: String,
    max: usize,
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    idle: Vec<Store>,
    open: usize,
}

impl Pool {
    /// A pool over `db` holding `first` (already opened), growing to `max` connections.
    pub(crate) fn new(db: String, first: Store, max: usize) -> Pool {
        Pool {
            db,
            max: max.max(1),
            state: Mutex::new(State {
                idle: vec![first],
                open: 1,
            }),
            freed: Condvar::new(),
        }
    }

    /// Runs `f` on a pooled connection, waiting for one when all `max` are busy. A connection
    /// whose query failed (or that panicked) is dropped rather than reused, in case the failure
    /// left it unusable.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut lease = Lease {
            pool: self,
            store: Some(self.take()?),
        };
        let result = f(lease
            .store
            .as_mut()
            .expect("a lease holds its store until dropped"));
        if let Err(err) = &result {
            if matches!(err.kind, ErrorKind::Query | ErrorKind::Open) {
                lease.store = None;
            }
        }
        result
    }

    fn take(&self) -> Result<Store, StoreError> {
        let mut state = self.lock();
        loop {
            if let Some(store) = state.idle.pop() {
                return Ok(store);
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return Store::open(&self.db).inspect_err(|_| {
                    self.lock().open -= 1;
                    self.freed.notify_one();
                });
            }
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the counts valid: carry on.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A borrowed connection: back to the pool when dropped, or closed (and its slot freed) when
/// taken out because it failed.
struct Lease<'a> {
    pool: &'a Pool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        match self.store.take() {
            Some(store) if !std::thread::panicking() => state.idle.push(store),
            _ => state.open -= 1,
        }
        drop(state);
        self.pool.freed.notify_one();
    }
}
