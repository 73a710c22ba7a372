//! Checklists in pages: `{{#checklist id}}` renders real checkboxes grouped in fieldsets, the
//! score bands, and the data the browser script needs (scope, weights, text hashes).

use serde::Serialize;

use crate::markdown::links::PageLocation;
use crate::markdown::{RenderContext, inline};
use crate::model::checklists::{Checklist, Scope, ScoreMethod};
use crate::util::hash::text_hash;

#[derive(Debug, Serialize)]
pub struct ChecklistView {
    pub id: String,
    /// Element id of the checklist (prefixed on print.html).
    pub anchor: String,
    pub title: String,
    pub description: String,
    pub scope: &'static str,
    pub method: &'static str,
    pub max: u32,
    pub groups: Vec<GroupView>,
    pub bands: Vec<BandView>,
}

#[derive(Debug, Serialize)]
pub struct GroupView {
    pub id: String,
    pub title: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub id: String,
    /// Element id of the checkbox.
    pub input_id: String,
    pub text: String,
    pub help: Option<String>,
    pub weight: u32,
    /// Fingerprint of the item's text: saved with a tick so a later rewording is noticed.
    pub hash: String,
}

#[derive(Debug, Serialize)]
pub struct BandView {
    pub min: u32,
    pub max: u32,
    pub label: String,
    pub advice: String,
    /// 0 for the first (best) band up to `bands - 1`, for colour coding.
    pub level: usize,
}

pub fn view(
    list: &Checklist,
    ctx: &RenderContext<'_>,
    location: &PageLocation,
    id_prefix: &str,
) -> ChecklistView {
    let source = format!("checklists/{}.yaml", list.id);
    let md = |t: &str| inline::render(t, &source, ctx, location).0;
    let weighted = matches!(
        list.scoring.as_ref().map(|s| s.method),
        Some(ScoreMethod::Weights)
    );
    let bands = list
        .scoring
        .as_ref()
        .map(|s| s.bands.as_slice())
        .unwrap_or_default();
    ChecklistView {
        id: list.id.clone(),
        anchor: format!("{id_prefix}{}", list.id),
        title: list.title.clone(),
        description: md(&list.description),
        scope: match list.scope {
            Scope::PerProgram => "per-program",
            Scope::Single => "single",
        },
        method: if list.scoring.is_none() {
            "none"
        } else if weighted {
            "weights"
        } else {
            "count"
        },
        max: list.max_score(),
        groups: list
            .groups
            .iter()
            .map(|g| GroupView {
                id: g.id.clone(),
                title: g.title.clone(),
                items: g
                    .items
                    .iter()
                    .map(|i| ItemView {
                        id: i.id.clone(),
                        input_id: format!("{id_prefix}{}", i.id),
                        text: md(&i.text),
                        help: i.help.as_deref().map(md),
                        weight: if weighted { i.weight.unwrap_or(1) } else { 1 },
                        hash: text_hash(&inline::plain(&i.text)),
                    })
                    .collect(),
            })
            .collect(),
        bands: bands
            .iter()
            .enumerate()
            .map(|(level, b)| BandView {
                min: b.min,
                max: b.max,
                label: b.label.clone(),
                advice: md(&b.advice),
                level,
            })
            .collect(),
    }
}
