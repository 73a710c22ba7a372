//! The Content-Security-Policy every page carries. Pages load only their own scripts, styles
//! and images: no inline script or style, no `eval`, nothing from another host. So even a
//! string that slipped past escaping could not run, and a reader's notes cannot be sent away.
//!
//! The policy travels in a `<meta http-equiv>` in each page, because the site is also opened
//! from disk and copied to hosts we do not configure. `guidebook serve` sends it as a header
//! as well, with `frame-ancestors`, which browsers ignore in `<meta>`.

/// What every page may load. `'self'` also covers `file://` pages loading their neighbours in
/// Chromium; `connect-src` is for the live-reload event stream of `guidebook serve`.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'none'; \
    object-src 'none'";

/// What a book's own configuration adds to the policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allowances {
    /// The one other origin scripts may connect to (the playground a book runs its code on).
    pub connect: Option<String>,
    /// Inline styles, for books that add their own scripts (`additional-js`): diagram and
    /// math libraries such as mermaid draw SVG with `<style>` inside. Scripts stay `'self'`.
    pub inline_styles: bool,
}

/// The policy for the `<meta>` of every page. `base-uri` is `'none'` unless `site_url` is set:
/// then `404.html` carries a `<base>` pointing there, so its origin is allowed.
pub fn meta_policy(site_url: Option<&str>) -> String {
    meta_policy_for(site_url, &Allowances::default())
}

/// [`meta_policy`] with what the book's configuration allows besides.
pub fn meta_policy_for(site_url: Option<&str>, allow: &Allowances) -> String {
    let policy = with_allowances(allow);
    match site_url.and_then(origin) {
        Some(origin) => format!("{policy}; base-uri {origin}"),
        None => format!("{policy}; base-uri 'none'"),
    }
}

/// The policy `guidebook serve` sends as a header. It leaves `base-uri` to the page's
/// `<meta>`; both policies apply, so the page's stays in force.
pub fn header_policy() -> String {
    header_policy_for(&Allowances::default())
}

/// [`header_policy`] for a book with `allow` (both policies must allow it).
pub fn header_policy_for(allow: &Allowances) -> String {
    format!("{}; frame-ancestors 'none'", with_allowances(allow))
}

fn with_allowances(allow: &Allowances) -> String {
    let mut policy = POLICY.to_owned();
    if let Some(extra) = allow.connect.as_deref().and_then(origin) {
        policy = policy.replace("connect-src 'self'", &format!("connect-src 'self' {extra}"));
    }
    if allow.inline_styles {
        policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    }
    policy
}

/// `scheme://host[:port]` of an http(s) URL, or `None` when the URL is not one (or holds
/// characters that could end the policy's directive).
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_forbids_inline_code_and_other_hosts() {
        let p = meta_policy(None);
        assert!(p.contains("script-src 'self';"), "{p}");
        assert!(p.contains("default-src 'none'"), "{p}");
        assert!(!p.contains("unsafe"), "{p}");
        assert!(p.ends_with("base-uri 'none'"), "{p}");
        assert!(!p.contains("frame-ancestors"), "ignored in <meta>: {p}");
        assert!(header_policy().ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn connect_src_names_only_the_playground_origin() {
        let play = |url: &str| Allowances {
            connect: Some(url.to_owned()),
            inline_styles: false,
        };
        let p = meta_policy_for(None, &play("https://play.rust-lang.org/"));
        assert!(
            p.contains("connect-src 'self' https://play.rust-lang.org;"),
            "{p}"
        );
        assert_eq!(
            meta_policy_for(None, &play("javascript:x")),
            meta_policy(None)
        );
        assert!(
            header_policy_for(&play("http://localhost:9/x")).contains("'self' http://localhost:9;")
        );
    }

    #[test]
    fn inline_styles_are_allowed_only_for_styles() {
        let allow = Allowances {
            connect: None,
            inline_styles: true,
        };
        let p = meta_policy_for(None, &allow);
        assert!(p.contains("style-src 'self' 'unsafe-inline';"), "{p}");
        assert!(p.contains("script-src 'self';"), "{p}");
    }

    #[test]
    fn base_uri_allows_only_the_site_url_origin() {
        assert!(
            meta_policy(Some("https://guide.example.org/ir/"))
                .ends_with("; base-uri https://guide.example.org")
        );
        assert!(
            meta_policy(Some("http://localhost:8080/")).ends_with("base-uri http://localhost:8080")
        );
        for bad in [
            "javascript:alert(1)",
            "https://x.org; script-src *",
            "ftp://x.org/",
            "https:///",
        ] {
            assert!(meta_policy(Some(bad)).ends_with("base-uri 'none'"), "{bad}");
        }
    }
}
