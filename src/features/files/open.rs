use flow_model::model::key;
use flow_model::{Document, MAX_INPUT_BYTES, parse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::{Dialog, DialogActions};
use crate::features::drafts::new_draft_id;
use crate::state::{DraftInfo, EditorState, use_editor};

/// Checks text offered as a flow (a file, a paste). Returns the document, or a message that
/// says what is wrong; the open document is never touched by a refusal.
pub fn accept_flow_text(text: &str) -> Result<Document, String> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "This is {} MB; a flow.json may be at most {} MB. Nothing was opened.",
            flow_model::number::fixed(text.len() as f64 / 1_048_576.0, 1),
            MAX_INPUT_BYTES / 1_048_576
        ));
    }
    let parsed = parse(text);
    let Some(document) = parsed.document.filter(|_| !parsed.diagnostics.iter().any(|d| d.is_error())) else {
        let detail = parsed
            .diagnostics
            .first()
            .map(|diagnostic| match diagnostic.span {
                Some(span) => format!(
                    "{} (line {}, column {})",
                    diagnostic.message(),
                    span.start.line,
                    span.start.column
                ),
                None => diagnostic.message(),
            })
            .unwrap_or_default();
        return Err(format!("This is not JSON: {detail} Nothing was opened."));
    };
    let looks_like_flow = document.root().as_object().is_some_and(|root| {
        root.get(key::SCREENS).is_some_and(Value::is_array) || root.contains_key(key::VERSION)
    });
    if !looks_like_flow {
        return Err("This JSON is not a flow: a flow.json is an object with \"version\" and \"screens\". Nothing was opened.".into());
    }
    Ok(document)
}

fn open_text(state: EditorState, text: &str, name: String) -> Result<(), String> {
    let document = accept_flow_text(text)?;
    state.open(document, DraftInfo { id: new_draft_id(), name: name.clone() });
    state.notify(format!("Opened {name} as a new draft."));
    Ok(())
}

/// A hidden file input and the button that opens it.
#[component]
pub fn OpenFile() -> impl IntoView {
    let state = use_editor();
    let input = NodeRef::<leptos::html::Input>::new();
    let on_change = move |_| {
        let Some(element) = input.get() else { return };
        let Some(file) = element.files().and_then(|files| files.get(0)) else { return };
        element.set_value("");
        let size = file.size();
        let name = file.name();
        if size > MAX_INPUT_BYTES as f64 {
            state.notify_error(format!(
                "{name} is {} MB; a flow.json may be at most {} MB. Nothing was opened.",
                flow_model::number::fixed(size / 1_048_576.0, 1),
                MAX_INPUT_BYTES / 1_048_576
            ));
            return;
        }
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string());
            let Some(text) = text else {
                state.notify_error(format!("{name} could not be read as text. Nothing was opened."));
                return;
            };
            let title = name.trim_end_matches(".json").to_owned();
            if let Err(message) = open_text(state, &text, title) {
                state.notify_error(format!("{name}: {message}"));
            }
        });
    };
    view! {
        <label class="menu__item" title="Open a flow.json file (Ctrl+O)">
            "Open file…"
            <input
                node_ref=input
                class="visually-hidden"
                type="file"
                accept=".json,application/json"
                data-testid="open-file"
                on:change=on_change
            />
        </label>
    }
    .into_any()
}

/// A dialog to paste flow.json text.
#[component]
pub fn PasteDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = Callback::new(move |()| {
        open.set(false);
        error.set(None);
    });
    let submit = move |_| match open_text(state, &text.get_untracked(), "Pasted flow".into()) {
        Ok(()) => {
            text.set(String::new());
            close.run(());
        }
        Err(message) => error.set(Some(message)),
    };
    view! {
        <Dialog open=open on_close=close title="Paste flow.json" testid="paste-dialog">
            <textarea
                class="paste-area"
                data-testid="paste-text"
                aria-label="flow.json text"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |event| {
                    let target: web_sys::HtmlTextAreaElement = event.target().and_then(|t| t.dyn_into().ok()).expect("a textarea");
                    text.set(target.value());
                }
            ></textarea>
            <p class="field__error" role="alert" data-testid="paste-error">{move || error.get()}</p>
            <DialogActions on_cancel=close label="Open" on_confirm=Callback::new(submit) testid="paste-open" />
        </Dialog>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_why() {
        assert!(accept_flow_text("{nope").unwrap_err().contains("not JSON"));
        assert!(accept_flow_text("[1, 2]").unwrap_err().contains("not a flow"));
        assert!(accept_flow_text(r#"{"name": "x"}"#).unwrap_err().contains("not a flow"));
        let huge = " ".repeat(MAX_INPUT_BYTES + 1);
        assert!(accept_flow_text(&huge).unwrap_err().contains("at most 10 MB"));
        assert!(accept_flow_text(r#"{"version": "7.3", "screens": []}"#).is_ok());
    }
}
