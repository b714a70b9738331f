//! `sitrep serve`: the JSON API and the web page over a store.

use std::net::{SocketAddr, ToSocketAddrs};

use sitrep_server::{ServeError, ServeOptions, Server};

use crate::cli::ServeArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<Status> {
    let addr = parse_addr(&args.addr)?;
    let mut options = ServeOptions::new(args.db, addr);
    options.token = args.token.filter(|t| !t.is_empty());
    options.public = args.public;
    serve(options)
}

/// Binds, prints the URL, and serves until the process is stopped.
pub(crate) fn serve(options: ServeOptions) -> anyhow::Result<Status> {
    let server = Server::bind(options).map_err(serve_error)?;
    let addr = server.local_addr();
    eprintln!("sitrep: serving http://{addr}/ (API under /api/, Ctrl-C to stop)");
    server.run().map_err(serve_error)?;
    Ok(Status::Success)
}

/// `HOST:PORT` as a socket address ("localhost:8080" resolves).
pub(crate) fn parse_addr(text: &str) -> anyhow::Result<SocketAddr> {
    let bad = || {
        Hinted::error(
            format!("--addr {text:?} is not an address to listen on"),
            "write it as HOST:PORT, e.g. --addr 127.0.0.1:8080 (port 0 picks a free port)",
        )
    };
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    text.to_socket_addrs()
        .map_err(|_| bad())?
        .next()
        .ok_or_else(bad)
}

pub(crate) fn serve_error(err: ServeError) -> anyhow::Error {
    match err.hint.clone() {
        Some(hint) => Hinted::error(err.message, hint),
        None => anyhow::Error::new(err),
    }
}
