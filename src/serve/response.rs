//! Responses: a snapshot file's bytes with the headers every answer carries.

use std::convert::Infallible;
use std::sync::{Arc, LazyLock};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response, StatusCode, header};

use super::served::Served;

/// The media type of the file at `path`, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

pub(super) fn respond(status: StatusCode, kind: &'static str, served: Served) -> Response<Body> {
    // The body shares the snapshot's bytes rather than copying them per request.
    let body = match served {
        Served::Whole(bytes) => Body::from(Bytes::from_owner(ArcBytes(bytes))),
        Served::Parts(parts) => {
            let chunks: Vec<Result<Bytes, Infallible>> = parts
                .iter()
                .map(|p| Ok(Bytes::from_owner(ArcString(p.clone()))))
                .collect();
            Body::from_stream(futures_util::stream::iter(chunks))
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Always fetch the newest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // The same policy as the pages' <meta>, plus what only a header can say (frame-ancestors).
    static CSP: LazyLock<HeaderValue> = LazyLock::new(|| policy_header(&Default::default()));
    headers.insert(header::CONTENT_SECURITY_POLICY, CSP.clone());
    response
}

/// The policy header for a build whose pages allow `allow` besides the default.
pub(super) fn policy_header(allow: &crate::csp::Allowances) -> HeaderValue {
    HeaderValue::from_str(&crate::csp::header_policy_for(allow)).expect("the policy is ASCII")
}

/// `response` under the policy of the build it comes from.
pub(super) fn with_policy(mut response: Response<Body>, csp: &HeaderValue) -> Response<Body> {
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    response
}

/// A snapshot file as the owner of a response body.
struct ArcBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

struct ArcString(Arc<String>);

impl AsRef<[u8]> for ArcString {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

pub(super) fn plain(status: StatusCode, text: impl Into<String>) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        Served::Whole(Arc::new(text.into().into_bytes())),
    )
}
