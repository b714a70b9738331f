//! The sitrep server: a JSON API under `/api/` over the store, and the web page.
//!
//! ```no_run
//! use sitrep_serve::{ServeOptions, Server};
//! let server = Server::bind(ServeOptions::new("sitrep.db", "127.0.0.1:0".parse().unwrap())).unwrap();
//! println!("http://{}/", server.local_addr());
//! server.run().unwrap();
//! ```

use std::net::SocketAddr;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The store: a SQLite path or a `postgres://` URL.
    pub db: String,
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The bearer token writes (and reads, off loopback unless `public`) must carry.
    pub token: Option<String>,
    /// Reads need no token even off loopback.
    pub public: bool,
}

impl ServeOptions {
    pub fn new(db: impl Into<String>, addr: SocketAddr) -> ServeOptions {
        ServeOptions {
            db: db.into(),
            addr,
            token: None,
            public: false,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ServeError {
    /// What failed, lower case, naming the address or database.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// A bound server, not yet serving.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
}

impl Server {
    /// Opens the store and binds the address (the store is checked here, so a bad `--db` fails
    /// before anything is served).
    pub fn bind(options: ServeOptions) -> Result<Server, ServeError> {
        Err(ServeError {
            message: format!("cannot serve {} yet", options.db),
            hint: None,
        })
    }

    /// The address actually bound (with the port picked when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        Ok(())
    }
}
