//! Images as base64 text: picked from a file, size-checked against the catalog's limit.
use flow_model::catalog::Property;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen_futures::JsFuture;

use super::values::{value_at, write};
use crate::state::use_editor;

/// Standard base64 of bytes (what Flow JSON images hold, without a `data:` prefix).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An image property: pick a PNG or JPEG file; it is stored as base64 if it fits the limit.
#[component]
pub fn ImageField(at: String, property: &'static Property, input_id: String) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let limit_kb = property.limits.max_kilobytes;
    let size = move || {
        value.with(|value| match value {
            Some(Value::String(text)) if text.starts_with("${") => "Bound to data".to_owned(),
            Some(Value::String(text)) if !text.is_empty() => {
                format!("{} KB image", flow_model::number::fixed(text.len() as f64 * 0.75 / 1024.0, 0))
            }
            _ => "No image".to_owned(),
        })
    };
    let remove_at = at.clone();
    let on_change = move |_| {
        let Some(file) = input.get().and_then(|element| element.files()).and_then(|files| files.get(0))
        else {
            return;
        };
        let name = file.name();
        let kind = file.type_();
        if !matches!(kind.as_str(), "image/png" | "image/jpeg" | "image/webp") {
            error.set(Some(format!("{name} is not a PNG, JPEG or WebP image.")));
            return;
        }
        let kilobytes = file.size() / 1024.0;
        if let Some(limit) = limit_kb.filter(|limit| kilobytes > f64::from(*limit)) {
            error.set(Some(format!(
                "{name} is {} KB; this image may be at most {limit} KB. Shrink it and try again.",
                flow_model::number::fixed(kilobytes, 0)
            )));
            return;
        }
        let at = at.clone();
        spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    error.set(None);
                    write(state, &at, Some(Value::String(base64(&bytes))));
                }
                Err(_) => error.set(Some(format!("{name} could not be read."))),
            }
        });
    };
    view! {
        <div class="image-field">
            <span class="muted">{size}</span>
            <label class="button button--small">
                "Choose image…"
                <input node_ref=input id=input_id class="visually-hidden" type="file" accept="image/png,image/jpeg,image/webp" on:change=on_change />
            </label>
            <button type="button" class="button button--small" on:click=move |_| write(state, &remove_at, None)>"Remove"</button>
        </div>
        <p class="field__error" role="alert">{move || error.get()}</p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xff, 0xee, 0x01, 0x80]), "/+4BgA==");
    }
}
