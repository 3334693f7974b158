//! The graph as a file: a standalone SVG (styles inline, so it looks the same anywhere) and a
//! PNG drawn from it at twice the size.
use flow_model::number::fixed;
use std::fmt::Write;

use flow_model::layout::Point;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

use super::geometry::{NODES, bounds, edge_path};
use super::markup::{edge_class, edge_markup, markers, node_class, node_markup};
use super::scene::Scene;
use crate::features::files::download_blob;

/// The look of the exported file: the app's light theme, written out (the file has no access
/// to the app's style sheet).
const STYLE: &str = "text{font-family:system-ui,sans-serif}\
.graph-node__card{fill:#fff;stroke:#d9dde3}.graph-node--flagged .graph-node__card{stroke:#8a5a00}\
.graph-node--missing .graph-node__card{fill:#fdecea;stroke:#c62828;stroke-dasharray:6 4}\
.graph-node__stripe{fill:#d9dde3}.graph-node--entry .graph-node__stripe{fill:#0d7a6e}\
.graph-node--terminal .graph-node__stripe{fill:#1c1e21}\
.graph-node__title{font-weight:600;font-size:14px;fill:#1c1e21}\
.graph-node__id{font-family:monospace;font-size:11px;fill:#5f6670}.graph-node__meta{font-size:11px;fill:#5f6670}\
.graph-node__handle{display:none}\
.graph-badge rect{fill:#f9fafb}.graph-badge text,.graph-finding text{font-size:11px;fill:#5f6670}\
.graph-badge--entry rect{fill:#e3f2ef}.graph-badge--entry text{fill:#0d7a6e}\
.graph-badge--error rect{fill:#fdecea}.graph-badge--error text{fill:#c62828}\
.graph-badge--warning rect,.graph-finding rect{fill:#fff4d6}.graph-badge--warning text,.graph-finding text{fill:#8a5a00}\
.graph-finding rect{stroke:#8a5a00}\
.graph-edge__hit{display:none}.graph-edge__line{fill:none;stroke:#6b7280;stroke-width:1.8px}\
.graph-edge--navigate .graph-edge__line{stroke:#2563eb}.graph-edge--list .graph-edge__line{stroke:#7c3aed;stroke-dasharray:2 4}\
.graph-edge--endpoint .graph-edge__line{stroke:#b45309;stroke-dasharray:7 5}\
.graph-edge--flagged .graph-edge__line{stroke:#c62828}\
.graph-edge__label{font-size:11px;fill:#5f6670;paint-order:stroke;stroke:#f4f5f7;stroke-width:3px}\
.graph-edge--flagged .graph-edge__label{fill:#c62828}\
.graph-arrow path{fill:#6b7280}.graph-arrow--navigate path{fill:#2563eb}.graph-arrow--list path{fill:#7c3aed}\
.graph-arrow--endpoint path{fill:#b45309}.graph-arrow--flagged path{fill:#c62828}";

/// The graph as an SVG document: every card and edge as the view draws them (the same
/// markup), with a style sheet of its own.
pub fn svg_document(scene: &Scene, positions: &[Point]) -> String {
    let (left, top, right, bottom) = bounds(positions).unwrap_or((0.0, 0.0, 100.0, 100.0));
    // Room for findings above the cards and the arcs of backward edges.
    let margin = 40.0 + NODES.node_height + 60.0;
    let (x0, y0) = (left - 40.0, top - margin);
    let (width, height) = (right - left + 80.0, bottom - top + margin + 40.0);
    let (x0, y0, width, height) = (fixed(x0, 0), fixed(y0, 0), fixed(width, 0), fixed(height, 0));
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {width} {height}" width="{width}" height="{height}"><style>{STYLE}</style><defs>{}</defs><rect x="{x0}" y="{y0}" width="{width}" height="{height}" fill="#f4f5f7"/>"##,
        markers()
    );
    let at = |index: usize| positions.get(index).copied().unwrap_or_default();
    for edge in &scene.edges {
        let dangling = scene.nodes.get(edge.to).is_some_and(|node| node.screen.is_none());
        let (d, label) = edge_path(at(edge.from), at(edge.to), edge.from == edge.to, edge.lane);
        let _ = write!(
            svg,
            r#"<g class="{}">{}</g>"#,
            edge_class(edge, dangling, false),
            edge_markup(edge, dangling, &d, label)
        );
    }
    for (index, node) in scene.nodes.iter().enumerate() {
        let p = at(index);
        let _ = write!(
            svg,
            r#"<g class="{}" transform="translate({} {})">{}</g>"#,
            node_class(node, false, false),
            fixed(p.x, 1),
            fixed(p.y, 1),
            node_markup(node)
        );
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
        assert_eq!(svg.matches("<g class=\"graph-node").count(), scene.nodes.len());
    }
}
