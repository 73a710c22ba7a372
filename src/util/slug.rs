//! Heading and id slugs.

/// GitHub-style slug: lowercase, letters/digits/`-`/`_` kept, spaces become `-`, the rest dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            slug.push('-');
        }
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_github_like() {
        assert_eq!(
            slugify("Step 2 CK: targets & scores"),
            "step-2-ck-targets--scores"
        );
        assert_eq!(slugify("Y-90 and TACE"), "y-90-and-tace");
        assert_eq!(slugify("Résumé"), "résumé");
        assert_eq!(slugify("!!!"), "section");
    }
}
