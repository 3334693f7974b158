//! The graph as a file: a standalone SVG (styles inline, so it looks the same anywhere) and a
//! PNG drawn from it at twice the size.
use std::fmt::Write;

use flow_model::layout::Point;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

use super::edge_line::{kind_key, mismatch_text};
use super::geometry::{NODES, bounds, edge_path};
use super::node_card::{badges, shorten};
use super::scene::Scene;
use crate::features::files::download_blob;

/// XML text with `&`, `<`, `>` and `"` escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn edge_color(kind: &str, flagged: bool) -> &'static str {
    match (flagged, kind) {
        (true, _) => "#c62828",
        (_, "navigate") => "#2563eb",
        (_, "list") => "#7c3aed",
        (_, "endpoint") => "#b45309",
        _ => "#6b7280",
    }
}

/// The graph as an SVG document: every node card and edge, with labels and findings.
pub fn svg_document(scene: &Scene, positions: &[Point]) -> String {
    let (left, top, right, bottom) = bounds(positions).unwrap_or((0.0, 0.0, 100.0, 100.0));
    // Room for findings above and arcs of backward edges.
    let margin = 40.0 + NODES.node_height + 60.0;
    let (x0, y0) = (left - 40.0, top - margin);
    let (width, height) = (right - left + 80.0, bottom - top + margin + 40.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.0} {y0:.0} {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="system-ui, sans-serif" font-size="12">"##
    );
    svg.push_str("<defs>");
    for kind in ["routing", "navigate", "list", "endpoint", "flagged"] {
        let color = edge_color(kind, kind == "flagged");
        let _ = write!(
            svg,
            r#"<marker id="a-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{color}"/></marker>"#
        );
    }
    svg.push_str("</defs>");
    let _ = write!(
        svg,
        r##"<rect x="{x0:.0}" y="{y0:.0}" width="{width:.0}" height="{height:.0}" fill="#f4f5f7"/>"##
    );
    let at = |index: usize| positions.get(index).copied().unwrap_or_default();
    for edge in &scene.edges {
        let kind = kind_key(&edge.kind);
        let dangling = scene.nodes.get(edge.to).is_some_and(|node| node.screen.is_none());
        let flagged = edge.mismatch.is_some() || dangling;
        let color = edge_color(kind, flagged);
        let dash = match kind {
            "endpoint" => r#" stroke-dasharray="7 5""#,
            "list" => r#" stroke-dasharray="2 4""#,
            _ => "",
        };
        let marker = if flagged { "flagged" } else { kind };
        let (d, label) = edge_path(at(edge.from), at(edge.to), edge.from == edge.to, edge.lane);
        let _ = write!(
            svg,
            r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="1.8"{dash} marker-end="url(#a-{marker})"/>"#
        );
        let text = edge.mismatch.map_or_else(|| edge.label.clone(), |m| format!("⚠ {}", mismatch_text(m)));
        if !text.is_empty() {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{color}" stroke="#f4f5f7" stroke-width="3" paint-order="stroke" font-size="11">{}</text>"##,
                label.x,
                label.y - 5.0,
                escape(&text)
            );
        }
    }
    for (index, node) in scene.nodes.iter().enumerate() {
        let p = at(index);
        let (stroke, dash) =
            if node.screen.is_none() { ("#c62828", r#" stroke-dasharray="6 4""#) } else { ("#9aa3ad", "") };
        let stripe = if node.entry {
            "#0d7a6e"
        } else if node.terminal {
            "#1c1e21"
        } else {
            "#d9dde3"
        };
        let _ = write!(
            svg,
            r##"<g transform="translate({:.1} {:.1})"><rect width="{}" height="{}" rx="10" fill="#ffffff" stroke="{stroke}"{dash}/><rect width="6" height="{}" rx="3" fill="{stripe}"/>"##,
            p.x, p.y, NODES.node_width, NODES.node_height, NODES.node_height
        );
        let title = if node.title.is_empty() { &node.id } else { &node.title };
        let meta = if node.screen.is_none() {
            "no such screen".to_owned()
        } else {
            format!("{} components", node.components)
        };
        let _ = write!(
            svg,
            r##"<text x="14" y="24" font-weight="600" font-size="14" fill="#1c1e21">{}</text><text x="14" y="42" fill="#5f6670" font-family="monospace" font-size="11">{}</text><text x="14" y="59" fill="#5f6670" font-size="11">{}</text>"##,
            escape(&shorten(title, 26)),
            escape(&shorten(&node.id, 30)),
            escape(&meta)
        );
        for (text, class, x, width) in badges(node) {
            let (fill, color) = match class {
                "entry" => ("#e3f2ef", "#0d7a6e"),
                "terminal" => ("#e5e7eb", "#1c1e21"),
                "error" => ("#fdecea", "#c62828"),
                _ => ("#fff4d6", "#8a5a00"),
            };
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="70" width="{width:.1}" height="17" rx="4" fill="{fill}"/><text x="{:.1}" y="82.5" fill="{color}" font-size="11">{}</text>"#,
                x + 6.0,
                escape(&text)
            );
        }
        let mut x = 0.0;
        for finding in &node.findings {
            let label = finding.kind.label();
            let width = label.chars().count() as f64 * 6.2 + 14.0;
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="-22" width="{width:.1}" height="18" rx="9" fill="#fff4d6" stroke="#8a5a00"/><text x="{:.1}" y="-9" fill="#8a5a00" font-size="11">{}</text>"##,
                x + 7.0,
                escape(label)
            );
            x += width + 4.0;
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>\n");
    svg
}

/// Offers `svg` as an SVG file.
pub fn download_svg(file_name: &str, svg: &str) -> Result<(), String> {
    let blob = svg_blob(svg)?;
    download_blob(file_name, &blob)
}

fn svg_blob(svg: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "The picture could not be made (blob).".to_owned())
}

/// Draws `svg` on a canvas at twice its size and offers it as a PNG file.
pub async fn download_png(file_name: &str, svg: &str) -> Result<(), String> {
    let fail = |what: &str| format!("The PNG could not be made ({what}).");
    let url = web_sys::Url::create_object_url_with_blob(&svg_blob(svg)?).map_err(|_| fail("object URL"))?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("image"))?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let result = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| fail("the browser could not read the SVG"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| fail("canvas"))?;
    let scale = 2.0;
    canvas.set_width((image.natural_width() as f64 * scale) as u32);
    canvas.set_height((image.natural_height() as f64 * scale) as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| fail("2D context"))?;
    let _ = context.scale(scale, scale);
    context.draw_image_with_html_image_element(&image, 0.0, 0.0).map_err(|_| fail("drawing"))?;
    let blob = js_sys::Promise::new(&mut |resolve, _| {
        let callback = Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob(callback.unchecked_ref());
    });
    let blob: web_sys::Blob =
        JsFuture::from(blob).await.ok().and_then(|b| b.dyn_into().ok()).ok_or_else(|| fail("encoding"))?;
    download_blob(file_name, &blob)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flow_model::layout::{Options, arrange};
    use flow_model::{analyze, parse, validate};

    #[test]
    fn the_svg_has_every_node_and_edge_and_escapes_text() {
        let text = include_str!("../../../crates/flow-model/tests/suite/fixtures/graph/endpoint.json");
        let document = parse(text).document.unwrap();
        let graph = analyze(&document);
        let arrangement = arrange(&graph, |_| None, &Options::default());
        let scene = Scene::new(&document, &graph, &arrangement, &validate(&document), &|_| (1, 0));
        let positions: Vec<Point> = arrangement.nodes.iter().map(|node| node.at).collect();
        let svg = svg_document(&scene, &positions);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(svg.matches("marker-end=").count(), scene.edges.len());
        assert_eq!(svg.matches("<g transform=").count(), scene.nodes.len());
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
