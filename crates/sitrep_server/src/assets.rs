//! The web page: `/` is `web/index.html`, `/assets/…` every other file under `web/`, embedded in
//! the binary (a release build carries them; a debug build reads the folder, so a changed page
//! shows on reload).

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

#[derive(rust_embed::Embed)]
#[folder = "web/"]
struct Web;

pub(crate) async fn index(headers: HeaderMap) -> Response {
    serve("index.html", &headers).unwrap_or_else(|| {
        ApiError::not_found("this server was built without its web page (web/index.html)")
            .into_response()
    })
}

pub(crate) async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let safe = !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    safe.then(|| serve(&path, &headers))
        .flatten()
        .unwrap_or_else(|| ApiError::not_found(format!("no asset {path}")).into_response())
}

/// The embedded file at `path` with its content type and an ETag (its SHA-256), or 304 when the
/// browser has it already.
fn serve(path: &str, headers: &HeaderMap) -> Option<Response> {
    let file = Web::get(path)?;
    let hash = file.metadata.sha256_hash();
    let mut etag = String::with_capacity(66);
    etag.push('"');
    for byte in &hash[..16] {
        etag.push_str(&format!("{byte:02x}"));
    }
    etag.push('"');
    let etag = HeaderValue::from_str(&etag).ok()?;
    let cache = HeaderValue::from_static("no-cache");
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return Some(
            (
                StatusCode::NOT_MODIFIED,
                [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
            )
                .into_response(),
        );
    }
    Some(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(path)),
                ),
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
            ],
            file.data.into_owned(),
        )
            .into_response(),
    )
}

/// The content type of a file name, by extension; unknown kinds are opaque bytes (which
/// `X-Content-Type-Options: nosniff` keeps the browser from guessing at).
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" | "geojson" | "topojson" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("vendor/countries-110m.json"),
            "application/json"
        );
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
