//! [`ApiError`]: every failure an endpoint can answer with, as JSON
//! `{"error": {"code": "snake_case", "message": "…", "hint": "…"}}` (STYLE.md) and the status that
//! goes with it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sitrep_store::{ErrorKind, StoreError};

/// What went wrong with a request.
#[derive(Clone, Debug)]
pub(crate) enum ApiError {
    /// 400: a parameter or body the endpoint cannot use.
    BadRequest {
        message: String,
        hint: Option<String>,
    },
    /// 401: no token, or the wrong one.
    Unauthorized { message: String },
    /// 403: the server does not allow this at all (ingest without a configured token).
    Forbidden { message: String, hint: String },
    /// 404: no such document, event or path.
    NotFound { message: String },
    /// 413: the body is larger than the server accepts.
    TooLarge { limit: usize },
    /// 415: a body type the endpoint does not read.
    UnsupportedMedia { message: String },
    /// 503: the store is busy (another process holds the write lock).
    Busy { message: String },
    /// 500: the store failed; the details go to the server's log, not to the client.
    Internal { message: String },
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

impl ApiError {
    pub(crate) fn bad(message: impl Into<String>, hint: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            message: message.into(),
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMedia { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound { .. } => "not_found",
            ApiError::TooLarge { .. } => "body_too_large",
            ApiError::UnsupportedMedia { .. } => "unsupported_media_type",
            ApiError::Busy { .. } => "busy",
            ApiError::Internal { .. } => "internal",
        }
    }
}

/// A store error as the client sees it: bad input is the client's 400, a lock is a 503 worth
/// retrying, anything else a 500 whose details are logged.
impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err.kind {
            ErrorKind::Input => ApiError::BadRequest {
                message: err.message,
                hint: err.hint,
            },
            ErrorKind::Busy => ApiError::Busy {
                message: err.message,
            },
            _ => {
                let mut log = err.to_string();
                let mut cause = std::error::Error::source(&err);
                while let Some(c) = cause {
                    log.push_str(&format!(": {c}"));
                    cause = c.source();
                }
                eprintln!("sitrep serve: error: {log}");
                ApiError::Internal {
                    message: format!("the store failed: {}", err.message),
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let limit_message;
        let (message, hint): (&str, Option<&str>) = match &self {
            ApiError::BadRequest { message, hint } => (message, hint.as_deref()),
            ApiError::Unauthorized { message } => (
                message,
                Some("send the server's token as \"Authorization: Bearer TOKEN\""),
            ),
            ApiError::Forbidden { message, hint } => (message, Some(hint)),
            ApiError::NotFound { message } => (message, None),
            ApiError::TooLarge { limit } => {
                limit_message = format!("the request body is larger than {limit} bytes");
                (
                    &limit_message,
                    Some("send a shorter text, or ingest large batches with `sitrep ingest`"),
                )
            }
            ApiError::UnsupportedMedia { message } => (
                message,
                Some("send Content-Type: application/json or text/plain"),
            ),
            ApiError::Busy { message } => (message, Some("retry in a moment")),
            ApiError::Internal { message } => (message, Some("the server's log has the details")),
        };
        let body = serde_json::to_vec(&Body {
            error: Detail {
                code: self.code(),
                message,
                hint,
            },
        })
        .unwrap_or_default();
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
            body,
        )
            .into_response();
        if matches!(self, ApiError::Unauthorized { .. }) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sitrep\""),
            );
        }
        response
    }
}

pub(crate) const JSON: &str = "application/json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_json_with_message_code_and_hint() {
        let response =
            ApiError::bad("unknown parameter \"colour\"", "use actor, target").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[header::CONTENT_TYPE], JSON);
        let response = ApiError::Unauthorized {
            message: "no token".into(),
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));
    }
}
