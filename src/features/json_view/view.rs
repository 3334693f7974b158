use flow_model::Severity;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::offsets::{bytes_from_utf16, utf16_from_bytes};

#[wasm_bindgen(module = "/src/features/json_view/code_editor.js")]
extern "C" {
    #[wasm_bindgen(js_name = createCodeEditor)]
    fn create_code_editor(parent: &web_sys::HtmlElement, text: &str, callbacks: &JsValue) -> js_sys::Promise;

    /// The handle `js/code-editor.js` returns.
    type CodeEditor;
    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &CodeEditor, text: &str);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &CodeEditor, items: &JsValue);
    #[wasm_bindgen(method)]
    fn reveal(this: &CodeEditor, from: usize, to: usize);
    #[wasm_bindgen(method)]
    fn destroy(this: &CodeEditor);
}

/// A diagnostic placed in the text: byte range, severity and message.
#[derive(Debug, Clone, PartialEq)]
pub struct TextMarker {
    /// Start byte offset.
    pub from: usize,
    /// End byte offset (exclusive).
    pub to: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What to show on hover.
    pub message: String,
}

/// The closures the editor calls; kept alive as long as the editor.
struct Callbacks {
    object: JsValue,
    _closures: Vec<Box<dyn std::any::Any>>,
}

fn callbacks(
    text: Signal<String>,
    on_change: Callback<String>,
    on_cursor: Callback<usize>,
    on_undo: Callback<()>,
    on_redo: Callback<()>,
) -> Callbacks {
    let object = js_sys::Object::new();
    let change = Closure::<dyn Fn(String)>::new(move |typed: String| on_change.run(typed));
    let cursor = Closure::<dyn Fn(usize)>::new(move |utf16: usize| {
        let byte = text.with_untracked(|text| bytes_from_utf16(text, utf16));
        on_cursor.run(byte);
    });
    let undo = Closure::<dyn Fn()>::new(move || on_undo.run(()));
    let redo = Closure::<dyn Fn()>::new(move || on_redo.run(()));
    for (name, function) in [
        ("change", change.as_ref()),
        ("cursor", cursor.as_ref()),
        ("undo", undo.as_ref()),
        ("redo", redo.as_ref()),
    ] {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), function);
    }
    Callbacks {
        object: object.into(),
        _closures: vec![Box::new(change), Box::new(cursor), Box::new(undo), Box::new(redo)],
    }
}

fn markers_to_js(text: &str, markers: &[TextMarker]) -> JsValue {
    let offsets: Vec<usize> = markers.iter().flat_map(|marker| [marker.from, marker.to]).collect();
    let converted = utf16_from_bytes(text, &offsets);
    let items = js_sys::Array::new();
    for (marker, range) in markers.iter().zip(converted.chunks(2)) {
        let item = js_sys::Object::new();
        let from = range.first().copied().unwrap_or(0);
        let to = range.get(1).copied().unwrap_or(from);
        let _ = js_sys::Reflect::set(&item, &"from".into(), &JsValue::from(from as u32));
        let _ = js_sys::Reflect::set(&item, &"to".into(), &JsValue::from(to as u32));
        let _ = js_sys::Reflect::set(&item, &"severity".into(), &marker.severity.as_str().into());
        let _ = js_sys::Reflect::set(&item, &"message".into(), &marker.message.as_str().into());
        items.push(&item);
    }
    items.into()
}

/// flow.json as editable text.
///
/// `text` is what to show; every user edit goes to `on_change` (the caller decides what the
/// text means); `markers` are drawn in the gutter and under the text; `reveal` selects and
/// scrolls to a byte range; `on_cursor` reports the cursor's byte offset.
#[component]
pub fn JsonView(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] markers: Signal<Vec<TextMarker>>,
    #[prop(into)] reveal: Signal<Option<(usize, usize)>>,
    on_change: Callback<String>,
    on_cursor: Callback<usize>,
    on_undo: Callback<()>,
    on_redo: Callback<()>,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let editor = StoredValue::new_local(None::<(CodeEditor, Callbacks)>);
    // None while loading, Some(false) when CodeMirror runs, Some(true) for the plain fallback.
    let fallback = RwSignal::new(None::<bool>);

    Effect::new(move |created: Option<bool>| {
        if created == Some(true) {
            return true;
        }
        let Some(element) = host.get() else { return false };
        let callbacks = callbacks(text, on_change, on_cursor, on_undo, on_redo);
        let promise = create_code_editor(&element, &text.get_untracked(), &callbacks.object);
        spawn_local(async move {
            match JsFuture::from(promise).await {
                Ok(handle) => {
                    let handle: CodeEditor = handle.unchecked_into();
                    let shown =
                        text.with_untracked(|text| markers.with_untracked(|m| markers_to_js(text, m)));
                    handle.set_diagnostics(&shown);
                    editor.set_value(Some((handle, callbacks)));
                    fallback.set(Some(false));
                }
                Err(_) => fallback.set(Some(true)),
            }
        });
        true
    });

    // Keep the editor's text and markers in step with the state.
    Effect::new(move |_| {
        let (shown, items) = text.with(|text| (text.clone(), markers.with(|m| markers_to_js(text, m))));
        fallback.track();
        editor.with_value(|editor| {
            if let Some((handle, _)) = editor {
                handle.set_text(&shown);
                handle.set_diagnostics(&items);
            }
        });
    });

    Effect::new(move |_| {
        let Some((from, to)) = reveal.get() else { return };
        let range = text.with_untracked(|text| utf16_from_bytes(text, &[from, to]));
        editor.with_value(|editor| {
            if let Some((handle, _)) = editor {
                handle.reveal(range.first().copied().unwrap_or(0), range.get(1).copied().unwrap_or(0));
            }
        });
    });

    on_cleanup(move || {
        editor.update_value(|editor| {
            if let Some((handle, _)) = editor.take() {
                handle.destroy();
            }
        });
    });

    view! {
        <div class="json-view" data-testid="json-view">
            <div class="json-view__editor" node_ref=host></div>
            <Show when=move || fallback.get() == Some(true)>
                <textarea
                    class="json-view__fallback"
                    data-testid="json-fallback"
                    aria-label="flow.json"
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |event| on_change.run(event_target_value(&event))
                ></textarea>
                <ul class="json-view__markers">
                    {move || {
                        markers
                            .get()
                            .into_iter()
                            .map(|marker| {
                                view! { <li class=marker.severity.as_str()>{marker.message}</li> }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
    .into_any()
}
