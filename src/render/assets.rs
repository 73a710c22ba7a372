//! The files that are copied, not rendered: the theme's stylesheets and scripts, the
//! additional files book.toml names, the book's own assets (images...), and the sitemap.

use super::Render;
use super::emit::Emitted;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Contents, OutputFile};
use crate::util::html::escape;

/// Pushes every copied file. Not cached: a stylesheet edit changes assets without touching
/// any page.
pub(super) fn push(r: &Render<'_>, out: &mut Emitted<'_>, diags: &mut Diagnostics) {
    for (rel, bytes) in &r.theme.assets {
        out.push(OutputFile {
            path: format!("assets/{rel}"),
            contents: Contents::Bytes(bytes.clone()),
        });
    }
    if let Some(url) = &r.config.site_url {
        let map = sitemap(url, out.paths());
        out.push(map);
    }
    let config = r.config;
    for extra in config.additional_css.iter().chain(&config.additional_js) {
        let path = config.root.join(extra);
        if !path.is_file() {
            let message = format!("additional file `{}` does not exist", extra.display());
            diags.push(Diagnostic::error(&config.book_toml, message));
            continue;
        }
        out.push(OutputFile {
            path: extra.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(path),
        });
    }
    for asset in &r.book.assets {
        out.push(OutputFile {
            path: asset.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(config.src_dir.join(asset)),
        });
    }
}

/// `sitemap.xml` listing every page but the 404 and print pages.
fn sitemap<'a>(site_url: &str, paths: impl Iterator<Item = &'a str>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut pages: Vec<&str> = paths
        .filter(|p| p.ends_with(".html") && *p != "404.html" && *p != "print.html")
        .collect();
    pages.sort_unstable();
    for page in pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&format!("{site_url}{page}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        contents: Contents::Bytes(xml.into_bytes()),
    }
}
