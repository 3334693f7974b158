//! The few browser calls the preview makes, as small JavaScript functions: they cost the wasm
//! bundle nothing (no web-sys bindings for fetch, streams or message data).
use wasm_bindgen::prelude::*;

use super::error::BrowserError;

// Used by the editor and the preview page.
#[wasm_bindgen(inline_js = r#"
export function messageJson(event, source) {
  const data = event.data;
  if (source && event.source !== source) return undefined;
  if (!data || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith('flowsmith:')) return undefined;
  const copy = Object.assign({}, data);
  if (copy.flow !== undefined && typeof copy.flow !== 'string') copy.flow = JSON.stringify(copy.flow);
  try { return JSON.stringify(copy); } catch (error) { return undefined; }
}
export function postJson(target, json, origin) {
  try { target.postMessage(JSON.parse(json), origin); return true; } catch (error) { return false; }
}
export function frameWindow(frame) { return frame.contentWindow || undefined; }
export async function deflateFragment(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function errorText(error) { return String(error && error.message || error); }
"#)]
extern "C" {
    /// The message's data as JSON when it is a Flowsmith message (from `source`, when given).
    #[wasm_bindgen(js_name = messageJson)]
    pub fn message_json(event: &JsValue, source: &JsValue) -> Option<String>;
    /// Posts JSON (parsed into an object) to a window, for `origin` only.
    #[wasm_bindgen(js_name = postJson)]
    pub fn post_json(target: &JsValue, json: &str, origin: &str) -> bool;
    /// The window of an iframe.
    #[wasm_bindgen(js_name = frameWindow)]
    pub fn frame_window(frame: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = deflateFragment)]
    fn deflate_fragment_js(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = errorText)]
    fn error_text(error: &JsValue) -> String;
}

// Used by the preview page only (a snippet of its own, so the editor never downloads it).
#[wasm_bindgen(inline_js = r#"
export function patternMatches(pattern, value) {
  try { return new RegExp('^(?:' + pattern + ')$').test(value); } catch (error) { return undefined; }
}
export function messageOrigin(event) { return event.origin; }
export function parentWindow() { return window.parent !== window ? window.parent : undefined; }
export function parentOrigin() {
  const asked = new URLSearchParams(location.search).get('origin');
  if (asked) return asked;
  if (location.ancestorOrigins && location.ancestorOrigins.length) return location.ancestorOrigins[0];
  try { if (document.referrer) return new URL(document.referrer).origin; } catch (error) {}
  return undefined;
}
async function checked(response) {
  const text = await response.text();
  if (!response.ok) throw new Error('HTTP ' + response.status + ': ' + text.slice(0, 300));
  return text;
}
export async function fetchText(url) { return checked(await fetch(url, { credentials: 'same-origin' })); }
export async function postText(url, body) {
  return checked(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
}
export async function send(method, url, headers, body) {
  const response = await fetch(url, { method, headers: JSON.parse(headers), body, credentials: 'same-origin' });
  return [response.status, await response.text()];
}
export async function inflateFragment(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - base64.length % 4) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return await new Response(stream).text();
}
export function markFirstRender() {
  if (!performance.getEntriesByName('flowsmith:first-render').length) performance.mark('flowsmith:first-render');
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = patternMatches)]
    fn pattern_matches_js(pattern: &str, value: &str) -> Option<bool>;
    /// The origin a message came from.
    #[wasm_bindgen(js_name = messageOrigin)]
    pub fn message_origin(event: &JsValue) -> String;
    /// The window that frames this page, if any.
    #[wasm_bindgen(js_name = parentWindow)]
    pub fn parent_window() -> JsValue;
    /// The origin of the page framing this one: `?origin=`, else the browser's ancestor
    /// origins, else the referrer's.
    #[wasm_bindgen(js_name = parentOrigin)]
    pub fn parent_origin() -> Option<String>;
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text_js(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = postText)]
    fn post_text_js(url: &str, body: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = send)]
    fn send_js(method: &str, url: &str, headers: &str, body: Option<String>) -> js_sys::Promise;
    #[wasm_bindgen(js_name = inflateFragment)]
    fn inflate_fragment_js(text: &str) -> js_sys::Promise;
    /// Marks the first screen drawn (`performance.mark('flowsmith:first-render')`, once), for
    /// the embed page's benchmark.
    #[wasm_bindgen(js_name = markFirstRender)]
    pub fn mark_first_render();
}

/// Whether `value` matches `pattern` as a whole, with JavaScript's `RegExp`; `None` when the
/// pattern does not compile.
pub fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    pattern_matches_js(pattern, value)
}

async fn text_of(promise: js_sys::Promise) -> Result<String, BrowserError> {
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(text) => Ok(text.as_string().unwrap_or_default()),
        Err(error) => Err(BrowserError(error_text(&error))),
    }
}

/// GETs a text (a flow.json).
pub async fn fetch_text(url: &str) -> Result<String, BrowserError> {
    text_of(fetch_text_js(url)).await
}

/// POSTs JSON and reads the answer's text.
pub async fn post_text(url: &str, body: &str) -> Result<String, BrowserError> {
    text_of(post_text_js(url, body)).await
}

/// The preview page's way to the server's API (the endpoint tester): the browser's fetch in a
/// few lines of JavaScript, so the page's bundle carries no HTTP client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fetch;

impl crate::api::Transport for Fetch {
    async fn send(&self, request: crate::api::HttpRequest) -> Result<crate::api::HttpResponse, String> {
        let headers: serde_json::Map<String, serde_json::Value> = request
            .headers
            .into_iter()
            .map(|(name, value)| (name.to_owned(), serde_json::Value::String(value)))
            .collect();
        let headers = flow_model::json::compact(&serde_json::Value::Object(headers));
        let promise = send_js(request.method.as_str(), &request.url, &headers, request.body);
        let answer =
            wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|error| error_text(&error))?;
        let answer = js_sys::Array::from(&answer);
        Ok(crate::api::HttpResponse {
            status: answer.get(0).as_f64().unwrap_or_default() as u16,
            body: answer.get(1).as_string().unwrap_or_default(),
        })
    }
}

/// Decodes a `#flow=` fragment: base64url of raw-deflated UTF-8.
pub async fn inflate_fragment(text: &str) -> Result<String, BrowserError> {
    text_of(inflate_fragment_js(text)).await
}

/// Encodes a text as a `#flow=` fragment.
pub async fn deflate_fragment(text: &str) -> Result<String, BrowserError> {
    text_of(deflate_fragment_js(text)).await
}
