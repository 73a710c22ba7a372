//! `themes/default/css/highlight.css` is generated from giallo's two themes; this test keeps
//! the committed file equal to what the highlighter's classes need. After a giallo update:
//! `UPDATE_HIGHLIGHT_CSS=1 cargo test highlight_css` rewrites it.

use super::highlight::{CLASS_PREFIX, DARK_THEME, LIGHT_THEME, registry};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/css/highlight.css"
);
/// `--code-bg` of variables.css, light and dark: token colours must reach 4.5:1 on it.
const LIGHT_BG: [u8; 3] = [0xf1, 0xf3, 0xf6];
const DARK_BG: [u8; 3] = [0x22, 0x28, 0x33];

#[test]
fn highlight_css_is_up_to_date() {
    let registry = registry().expect("the builtin grammars load");
    let (light, dark) = registry
        .generate_dual_css(LIGHT_THEME, DARK_THEME, CLASS_PREFIX)
        .unwrap();
    let css = format!(
        "/* Syntax highlighting at build time: the token colours of giallo's \"{LIGHT_THEME}\" and\n   \"{DARK_THEME}\" themes, darkened or lightened where needed to reach 4.5:1 on --code-bg.\n   Generated: UPDATE_HIGHLIGHT_CSS=1 cargo test highlight_css */\n\
         @media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
         @media (prefers-color-scheme: dark) {{\n{}}}\n",
        token_rules(&light, LIGHT_BG, [0, 0, 0]),
        token_rules(&dark, DARK_BG, [255, 255, 255]),
    );
    if std::env::var_os("UPDATE_HIGHLIGHT_CSS").is_some() {
        std::fs::write(PATH, &css).unwrap();
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == css,
        "{PATH} is stale: rerun with UPDATE_HIGHLIGHT_CSS=1"
    );
}

/// The one-line token rules of giallo's CSS (the multi-line `code`/`hl`/line-number rules
/// are left out: the theme's own variables colour the block), colours moved toward `toward`
/// until they are readable on `bg`.
fn token_rules(css: &str, bg: [u8; 3], toward: [u8; 3]) -> String {
    let mut out = String::new();
    for line in css.lines() {
        if !line.starts_with('.') || !line.ends_with('}') {
            continue;
        }
        let rule = match line.split_once("{ color: #") {
            Some((selector, rest)) => {
                let hex = rest.trim_end_matches("; }");
                let rgb = readable(parse_hex(hex), bg, toward);
                format!(
                    "{selector}{{ color: #{:02x}{:02x}{:02x}; }}",
                    rgb[0], rgb[1], rgb[2]
                )
            }
            None => line.to_owned(),
        };
        out.push_str("  ");
        out.push_str(&rule);
        out.push('\n');
    }
    out
}

fn parse_hex(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    [byte(0), byte(2), byte(4)]
}

/// `color` mixed with `toward` in small steps until its contrast with `bg` is 4.5:1.
fn readable(color: [u8; 3], bg: [u8; 3], toward: [u8; 3]) -> [u8; 3] {
    let mut c = color;
    let mut step = 0.0;
    while contrast(c, bg) < 4.5 && step < 1.0 {
        step += 0.02;
        for i in 0..3 {
            let mixed = f64::from(color[i]) + (f64::from(toward[i]) - f64::from(color[i])) * step;
            c[i] = mixed.round() as u8;
        }
    }
    c
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}
