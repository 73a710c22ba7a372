//! Answers for file requests: the request path names a file of the build being served.

use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode, Uri};

use super::error_page;
use super::response::{content_type, plain, respond, with_policy};
use super::snapshot::Lookup;
use super::state::AppState;
use crate::util::url::percent_decode;

pub(super) async fn file(State(state): State<AppState>, uri: Uri) -> Response<Body> {
    let rel = match resolve(uri.path()) {
        Ok(rel) => rel,
        Err(status) => return plain(status, "bad request"),
    };
    loop {
        let Some(site) = state.current() else {
            let errors = state.events.borrow().errors.clone();
            return error_page::answer(&rel, &errors);
        };
        let response = match site.get(&rel).await {
            Lookup::Superseded => continue,
            Lookup::Found(served) => respond(StatusCode::OK, content_type(&rel), served),
            Lookup::Missing => match site.files.get("404.html") {
                Some(page) => respond(
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    page.clone(),
                ),
                None => plain(StatusCode::NOT_FOUND, "not found"),
            },
        };
        return with_policy(response, &site.csp);
    }
}

/// The site-relative path a request names, or 400 for anything that tries to leave the site:
/// `..` segments (also percent-encoded), backslashes, NUL bytes.
pub fn resolve(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_decode(raw).ok_or(StatusCode::BAD_REQUEST)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(StatusCode::BAD_REQUEST),
            s => parts.push(s),
        }
    }
    let rel = parts.join("/");
    Ok(if rel.is_empty() || decoded.ends_with('/') {
        if rel.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{rel}/index.html")
        }
    } else {
        rel
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/chapters/a.html"), Ok("chapters/a.html".into()));
        assert_eq!(resolve("/questions/"), Ok("questions/index.html".into()));
        assert_eq!(resolve("/a%20b.html"), Ok("a b.html".into()));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        // An absolute path inside the request names a site file, never a disk file.
        assert_eq!(resolve("//etc/passwd"), Ok("etc/passwd".into()));
    }
}
