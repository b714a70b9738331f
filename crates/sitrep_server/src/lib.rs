//! The sitrep server: a JSON API under `/api/` over the store, and the web page.
//!
//! 1. [`Server::bind`] opens the store (a missing SQLite file is an error, not a new empty store),
//!    checks the token rules and binds the address;
//! 2. [`router`] builds the routes: `/` and `/assets/…` (the embedded `web/` folder), `/api/…`
//!    (documented in `/api/openapi.json`), with a strict Content-Security-Policy, a request
//!    timeout and body limits on every route;
//! 3. [`Server::run`] starts a tokio runtime and serves until the process ends. Store queries run
//!    on a small pool of blocking connections.
//!
//! ```no_run
//! use sitrep_server::{ServeOptions, Server};
//! let server = Server::bind(ServeOptions::new("sitrep.db", "127.0.0.1:0".parse().unwrap())).unwrap();
//! println!("http://{}/", server.local_addr());
//! server.run().unwrap();
//! ```

mod api;
mod assets;
mod cache;
mod error;
mod params;
mod pool;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use sitrep_extract::Pipeline;
use sitrep_store::{Backend, Store, Versions};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::ApiError;
use crate::pool::Pool;

/// Largest body `/api/extract` reads.
pub const EXTRACT_BODY_LIMIT: usize = 1 << 20;
/// Largest body `/api/ingest` reads.
pub const INGEST_BODY_LIMIT: usize = 16 << 20;
/// Most documents one `/api/ingest` request may carry.
pub const INGEST_MAX_DOCS: usize = 1000;
/// Longest a request may take before the server answers 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Content-Security-Policy every response carries: the page loads only its own scripts,
/// styles and data, so article text that slipped through escaping still cannot run.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'";

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

    /// Whether reads need the token: off loopback, unless public.
    fn reads_need_token(&self) -> bool {
        !self.addr.ip().is_loopback() && !self.public
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

impl ServeError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> ServeError {
        ServeError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    pool: Pool,
    cache: cache::Cache<ApiError>,
    pipeline: OnceLock<Pipeline>,
    versions: Versions,
    token: Option<String>,
    reads_need_token: bool,
}

impl AppState {
    /// The extraction pipeline, built on first use (reads never pay for it).
    fn pipeline(&self) -> &Pipeline {
        self.pipeline.get_or_init(Pipeline::standard)
    }
}

/// Connections a server keeps to its store at most.
fn pool_size() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .clamp(4, 16)
}

/// Opens the store `options.db` names and builds the routes over it, without binding anything:
/// what [`Server::bind`] serves, and what tests call in-process.
///
/// Call it (and drop the router) outside an async context: the PostgreSQL client blocks, and
/// refuses to start inside a tokio runtime. The handlers run store queries on blocking threads.
pub fn router(options: &ServeOptions) -> Result<Router, ServeError> {
    if options.reads_need_token() && options.token.is_none() {
        return Err(ServeError::new(
            format!(
                "refusing to serve {} without a token: it is not a loopback address",
                options.addr
            ),
            "pass --token (or set SITREP_TOKEN) so readers must authenticate, or --public to let \
             anyone read, or bind 127.0.0.1",
        ));
    }
    if options
        .token
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(ServeError::new(
            "the token is empty",
            "pass a long random token, e.g. --token \"$(openssl rand -hex 16)\"",
        ));
    }
    if Backend::of(&options.db) == Backend::Sqlite && !std::path::Path::new(&options.db).is_file() {
        return Err(ServeError::new(
            format!("database {} does not exist", options.db),
            "run `sitrep ingest …` or `sitrep demo` first, or pass another --db",
        ));
    }
    let store = Store::open(&options.db).map_err(|err| {
        let mut message = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        ServeError {
            message,
            hint: err.hint.clone(),
        }
    })?;
    let none: [&[u8]; 0] = [];
    let state = Arc::new(AppState {
        pool: Pool::new(options.db.clone(), store, pool_size()),
        cache: cache::Cache::new(
            (Backend::of(&options.db) == Backend::Sqlite).then_some(options.db.as_str()),
        ),
        pipeline: OnceLock::new(),
        versions: Versions::new(
            env!("CARGO_PKG_VERSION"),
            sitrep_extract::knowledge_version(&none),
        ),
        token: options.token.clone(),
        reads_need_token: options.reads_need_token(),
    });
    Ok(routes(state))
}

fn routes(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/openapi.json", get(api::openapi))
        .route("/events", get(api::events))
        .route("/events/{id}", get(api::event))
        .route("/timeline", get(api::timeline))
        .route("/actors", get(api::actors))
        .route("/network", get(api::network))
        .route("/places", get(api::places))
        .route("/documents", get(api::documents))
        .route("/documents/{id}", get(api::document))
        .route("/search", get(api::search))
        .route(
            "/extract",
            post(api::extract).layer(RequestBodyLimitLayer::new(EXTRACT_BODY_LIMIT)),
        )
        .route(
            "/ingest",
            post(api::ingest).layer(RequestBodyLimitLayer::new(INGEST_BODY_LIMIT)),
        )
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            authorize,
        ))
        .with_state(state);
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .nest("/api", api)
        .layer(middleware::from_fn(json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
}

/// Ingest always needs the token; other API reads need it off loopback unless public. Health and
/// the API description are always open.
async fn authorize(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let ingest = path.ends_with("/ingest");
    let open = path.ends_with("/health") || path.ends_with("/openapi.json");
    if !ingest && (open || !state.reads_need_token) {
        return next.run(request).await;
    }
    let Some(token) = state.token.as_deref() else {
        return ApiError::Forbidden {
            message: "this server does not accept ingest: it was started without a token".into(),
            hint: "start it with --token TOKEN (or SITREP_TOKEN) and send \
                   \"Authorization: Bearer TOKEN\""
                .into(),
        }
        .into_response();
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        Some(given) if same(given.as_bytes(), token.as_bytes()) => next.run(request).await,
        Some(_) => ApiError::Unauthorized {
            message: "the token is wrong".into(),
        }
        .into_response(),
        None => ApiError::Unauthorized {
            message: "this request needs the server's token".into(),
        }
        .into_response(),
    }
}

/// Compares tokens in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Gives the errors axum and tower-http answer themselves (no route, wrong method, body too
/// large, timeout) the same JSON shape as the handlers' errors.
async fn json_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(error::JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::not_found(format!("no such path {path}")),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::bad(
            format!("{path} does not take {method}"),
            if method == Method::GET {
                "POST to it".to_owned()
            } else {
                "GET it".to_owned()
            },
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge {
            limit: if path.ends_with("/ingest") {
                INGEST_BODY_LIMIT
            } else {
                EXTRACT_BODY_LIMIT
            },
        },
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Busy {
            message: format!(
                "the request took longer than {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
        },
        _ => return response,
    };
    let mut replaced = error.into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        *replaced.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        if let Some(allow) = response.headers().get(header::ALLOW) {
            replaced.headers_mut().insert(header::ALLOW, allow.clone());
        }
    }
    replaced
}

/// A bound server, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    addr: SocketAddr,
    router: Router,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

impl Server {
    /// Opens the store and binds the address (the store is checked here, so a bad `--db` fails
    /// before anything is served).
    pub fn bind(options: ServeOptions) -> Result<Server, ServeError> {
        let router = router(&options)?;
        let listener = std::net::TcpListener::bind(options.addr).map_err(|err| {
            let hint = match err.kind() {
                std::io::ErrorKind::AddrInUse => {
                    "another program listens there; pass another --addr, e.g. 127.0.0.1:0"
                }
                std::io::ErrorKind::PermissionDenied => {
                    "ports below 1024 need privileges; pass another --addr, e.g. 127.0.0.1:8080"
                }
                _ => "pass another --addr, e.g. 127.0.0.1:0",
            };
            ServeError::new(format!("cannot listen on {}: {err}", options.addr), hint)
        })?;
        let addr = listener.local_addr().map_err(|err| {
            ServeError::new(
                format!("cannot read the bound address of {}: {err}", options.addr),
                "pass another --addr, e.g. 127.0.0.1:0",
            )
        })?;
        listener.set_nonblocking(true).map_err(|err| {
            ServeError::new(
                format!("cannot listen on {addr}: {err}"),
                "pass another --addr, e.g. 127.0.0.1:0",
            )
        })?;
        Ok(Server {
            listener,
            addr,
            router,
        })
    }

    /// The address actually bound (with the port picked when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(pool_size() + 8)
            .thread_name("sitrep-serve")
            .build()
            .map_err(|err| {
                ServeError::new(
                    format!("cannot start the server's threads: {err}"),
                    "check the process's thread limit (ulimit -u)",
                )
            })?;
        let addr = self.addr;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener).map_err(|err| {
                ServeError::new(
                    format!("cannot listen on {addr}: {err}"),
                    "pass another --addr, e.g. 127.0.0.1:0",
                )
            })?;
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, self.router).await.map_err(|err| {
                ServeError::new(format!("the server on {addr} stopped: {err}"), "restart it")
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret2"));
        assert!(!same(b"", b"x"));
    }

    #[test]
    fn off_loopback_needs_a_token_or_public() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("missing.db");
        let mut options = ServeOptions::new(db.to_str().unwrap(), "0.0.0.0:0".parse().unwrap());
        let err = router(&options).unwrap_err();
        assert!(err.message.contains("without a token"), "{err}");
        options.public = true;
        let err = router(&options).unwrap_err();
        assert!(err.message.contains("does not exist"), "{err}");
        assert!(err.hint.unwrap().contains("sitrep demo"));
    }
}
