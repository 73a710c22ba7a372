//! `{{#table id}}` and `{{#chart id}}`: a data table as an HTML table, and as a bar chart drawn
//! at build time as inline SVG (no chart library in the page). Ranges draw as a solid bar to
//! the lower figure and a lighter extension to the upper one; "or more" fades out.

use crate::model::tables::DataTable;
use crate::util::html::escape;

pub fn table_html(t: &DataTable, anchor: &str) -> String {
    let notes = t.rows.iter().any(|r| r.note.is_some());
    let col = |i: usize, fallback: &str| escape(t.columns.get(i).map_or(fallback, String::as_str));
    let mut html = format!(
        "<figure class=\"data-table\" id=\"{}\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>{}</tr></thead>\n<tbody>\n",
        escape(anchor),
        escape(&t.title),
        col(0, "Item"),
        col(1, "Figure"),
        if notes {
            format!("<th scope=\"col\">{}</th>", col(2, "Note"))
        } else {
            String::new()
        },
    );
    for r in &t.rows {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            escape(&r.label),
            escape(&r.figure())
        ));
        if notes {
            html.push_str(&format!(
                "<td>{}</td>",
                escape(r.note.as_deref().unwrap_or(""))
            ));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    close_figure(&mut html, &t.caption);
    html
}

/// Geometry of the chart, in SVG user units.
const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 210.0;
const BAR_HEIGHT: f64 = 18.0;
const ROW_GAP: f64 = 12.0;
const TOP: f64 = 8.0;
const AXIS_HEIGHT: f64 = 30.0;

pub fn chart_svg(t: &DataTable, anchor: &str) -> String {
    let top = t
        .rows
        .iter()
        .map(|r| r.max.unwrap_or(r.min) * if r.open { 1.25 } else { 1.0 })
        .fold(0.0_f64, f64::max);
    let scale = Scale {
        max: nice_ceiling(top.max(1.0)),
        plot: WIDTH - LABEL_WIDTH - 50.0,
    };
    let mut svg = chart_open(t, anchor);
    for row in 0..t.rows.len() {
        chart_bar(&mut svg, t, row, &scale);
    }
    chart_axis(&mut svg, t, &scale);
    svg.push_str("</svg>\n");
    close_figure(&mut svg, &t.caption);
    svg
}

/// The horizontal scale: values from 0 to `max` span `plot` units right of the labels.
struct Scale {
    max: f64,
    plot: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        LABEL_WIDTH + v / self.max * self.plot
    }
}

/// The figure and `<svg>` start tags, with a title and a text description of every row.
fn chart_open(t: &DataTable, anchor: &str) -> String {
    let height = TOP + t.rows.len() as f64 * (BAR_HEIGHT + ROW_GAP) + AXIS_HEIGHT;
    let title_id = format!("{anchor}-title");
    let desc_id = format!("{anchor}-desc");
    let description: Vec<String> = t
        .rows
        .iter()
        .map(|r| format!("{}: {}", r.label, r.figure()))
        .collect();
    format!(
        "<figure class=\"data-chart\" id=\"{a}\">\n<svg viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{t} {d}\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"{t}\">{title}</title>\n<desc id=\"{d}\">{desc}</desc>\n",
        a = escape(anchor),
        t = escape(&title_id),
        d = escape(&desc_id),
        title = escape(&t.title),
        desc = escape(&description.join("; ")),
    )
}

/// Row `row` of the table: its label, the bar to the lower figure, the range to the upper one,
/// the fade of an open range, and the figure as text.
fn chart_bar(svg: &mut String, t: &DataTable, row: usize, scale: &Scale) {
    let r = &t.rows[row];
    let y = TOP + row as f64 * (BAR_HEIGHT + ROW_GAP);
    let mid = y + BAR_HEIGHT / 2.0 + 4.0;
    svg.push_str(&format!(
        "<text class=\"chart-label\" x=\"{}\" y=\"{mid:.1}\" text-anchor=\"end\">{}</text>\n",
        LABEL_WIDTH - 8.0,
        escape(&r.label)
    ));
    svg.push_str(&format!(
        "<rect class=\"chart-bar\" x=\"{LABEL_WIDTH}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\"/>\n",
        scale.x(r.min) - LABEL_WIDTH
    ));
    let mut end = scale.x(r.min);
    if let Some(max) = r.max {
        svg.push_str(&format!(
            "<rect class=\"chart-range\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\"/>\n",
            scale.x(r.min),
            scale.x(max) - scale.x(r.min)
        ));
        end = scale.x(max);
    }
    if r.open {
        svg.push_str(&format!(
            "<rect class=\"chart-open\" x=\"{end:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\"/>\n",
            scale.plot * 0.06
        ));
        end += scale.plot * 0.06;
    }
    svg.push_str(&format!(
        "<text class=\"chart-value\" x=\"{:.1}\" y=\"{mid:.1}\">{}</text>\n",
        end + 6.0,
        escape(&r.figure())
    ));
}

/// The axis line below the bars, five ticks and the unit.
fn chart_axis(svg: &mut String, t: &DataTable, scale: &Scale) {
    let axis_y = TOP + t.rows.len() as f64 * (BAR_HEIGHT + ROW_GAP);
    svg.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"{LABEL_WIDTH}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/>\n",
        LABEL_WIDTH + scale.plot
    ));
    for k in 0..=4 {
        let v = scale.max * k as f64 / 4.0;
        svg.push_str(&format!(
            "<text class=\"chart-tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            scale.x(v),
            axis_y + 16.0,
            escape(&format_tick(v))
        ));
    }
    if !t.unit.is_empty() {
        svg.push_str(&format!(
            "<text class=\"chart-unit\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            LABEL_WIDTH + scale.plot,
            axis_y + 28.0,
            escape(&t.unit)
        ));
    }
}

/// The caption (when there is one) and the figure's end tag.
fn close_figure(html: &mut String, caption: &str) {
    if !caption.is_empty() {
        html.push_str(&format!("<figcaption>{}</figcaption>\n", escape(caption)));
    }
    html.push_str("</figure>\n");
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * p)
}

fn format_tick(v: f64) -> String {
    crate::model::tables::thousands(v.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tables::Row;

    fn table() -> DataTable {
        DataTable {
            id: "t".into(),
            title: "Targets <b>".into(),
            caption: "Source".into(),
            unit: "procedures".into(),
            columns: vec!["Category".into(), "Target".into()],
            rows: vec![
                Row {
                    label: "TACE / Y-90".into(),
                    min: 50.0,
                    max: Some(100.0),
                    open: true,
                    note: None,
                },
                Row {
                    label: "Biopsies".into(),
                    min: 100.0,
                    max: None,
                    open: true,
                    note: None,
                },
            ],
        }
    }

    #[test]
    fn tables_and_charts_escape_text_and_describe_every_row() {
        let html = table_html(&table(), "t");
        assert!(html.contains("<caption>Targets &lt;b&gt;</caption>"));
        assert!(html.contains("<td>50–100+</td>"));
        let svg = chart_svg(&table(), "t");
        assert!(
            svg.contains("<desc id=\"t-desc\">TACE / Y-90: 50–100+; Biopsies: 100+</desc>"),
            "{svg}"
        );
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 2);
        assert!(!svg.contains("<b>"));
        assert_eq!(nice_ceiling(130.0), 200.0);
    }
}
