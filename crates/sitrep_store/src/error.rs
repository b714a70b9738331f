//! [`StoreError`]: what went wrong, in which database, and what to do about it.

use std::error::Error as StdError;

/// What kind of operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The database could not be opened or reached.
    Open,
    /// The schema could not be created or upgraded.
    Migrate,
    /// The database was written by a newer sitrep.
    TooNew,
    /// Another process holds a lock the operation needed.
    Busy,
    /// A read or write failed.
    Query,
    /// A stored document could not be read back.
    Corrupt,
    /// The caller asked for something the store cannot do (an empty search, …).
    Input,
}

/// An error from the store: names the database (passwords removed) and suggests a fix.
#[derive(Debug, thiserror::Error)]
#[error("database {db}: {message}")]
pub struct StoreError {
    pub db: String,
    pub kind: ErrorKind,
    /// What failed, lower case ("could not open the file").
    pub message: String,
    /// How to fix it, when there is something to suggest.
    pub hint: Option<String>,
    #[source]
    pub source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl StoreError {
    pub(crate) fn new(db: &str, kind: ErrorKind, message: impl Into<String>) -> StoreError {
        StoreError {
            db: db.to_owned(),
            kind,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> StoreError {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> StoreError {
        self.source = Some(source.into());
        self
    }

    /// A failed query: lock contention gets its own kind and hint.
    pub(crate) fn query(db: &str, what: &str, err: BackendError) -> StoreError {
        if err.busy {
            return StoreError::new(
                db,
                ErrorKind::Busy,
                format!("{what}: the database is locked"),
            )
            .hint("another process is writing to it; wait for it to finish or use another --db")
            .source(err.source);
        }
        StoreError::new(db, ErrorKind::Query, what.to_owned()).source(err.source)
    }
}

/// An error from either backend, before it is given the database's name.
#[derive(Debug)]
pub(crate) struct BackendError {
    pub(crate) source: Box<dyn StdError + Send + Sync>,
    pub(crate) busy: bool,
}

impl From<rusqlite::Error> for BackendError {
    fn from(err: rusqlite::Error) -> BackendError {
        let busy = matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        BackendError {
            source: Box::new(err),
            busy,
        }
    }
}

impl From<postgres::Error> for BackendError {
    fn from(err: postgres::Error) -> BackendError {
        let busy = err.code().is_some_and(|c| {
            *c == postgres::error::SqlState::LOCK_NOT_AVAILABLE
                || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
        });
        BackendError {
            source: Box::new(err),
            busy,
        }
    }
}

impl From<String> for BackendError {
    fn from(message: String) -> BackendError {
        BackendError {
            source: message.into(),
            busy: false,
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; paths unchanged.
pub(crate) fn redact(db: &str) -> String {
    let Some(rest) = db
        .strip_prefix("postgres://")
        .map(|r| ("postgres://", r))
        .or_else(|| {
            db.strip_prefix("postgresql://")
                .map(|r| ("postgresql://", r))
        })
    else {
        return db.to_owned();
    };
    let (scheme, rest) = rest;
    let Some(at) = rest.rfind('@') else {
        return db.to_owned();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{scheme}{}:***{}", &userinfo[..colon], &rest[at..]),
        None => db.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://me:secret@localhost:5432/news"),
            "postgres://me:***@localhost:5432/news"
        );
        assert_eq!(
            redact("postgres://me@localhost/news"),
            "postgres://me@localhost/news"
        );
        assert_eq!(redact("sitrep.db"), "sitrep.db");
    }

    #[test]
    fn message_names_the_database() {
        let err = StoreError::new("x.db", ErrorKind::Open, "could not open the file").hint("fix");
        assert_eq!(err.to_string(), "database x.db: could not open the file");
        assert_eq!(err.hint.as_deref(), Some("fix"));
    }
}
