use std::sync::Arc;

use flow_model::walk::target_of;
use flow_model::{Document, parse};
use leptos::prelude::*;

use super::{JsonView, TextMarker};
use crate::state::{Selection, use_editor};

/// A parsed text compared by identity: a memo of it notifies on every new parse without
/// comparing megabytes.
#[derive(Clone)]
struct Parsed(Arc<Option<Document>>);

impl PartialEq for Parsed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The JSON view wired to the editor: typing updates the cards live (while the text parses),
/// diagnostics appear at their spans, the cursor selects the card it is in, and selecting a
/// card or problem reveals it in the text.
#[component]
pub fn JsonPane() -> impl IntoView {
    let state = use_editor();
    // The text as shown, parsed once per change: spans and cursor pointers come from it.
    let parsed = Memo::new(move |_| Parsed(Arc::new(state.json_view_text.with(|text| parse(text).document))));
    let markers = Memo::new(move |_| {
        let text_problems = state.text_problems.get();
        if !text_problems.is_empty() {
            return text_problems
                .iter()
                .filter_map(|diagnostic| {
                    let span = diagnostic.span?;
                    Some(TextMarker {
                        from: span.start.offset,
                        to: span.end.offset.max(span.start.offset + 1),
                        severity: diagnostic.severity,
                        message: diagnostic.message(),
                    })
                })
                .collect::<Vec<_>>();
        }
        let diagnostics = state.diagnostics.get();
        parsed.with(|Parsed(document)| {
            let Some(document) = document.as_ref() else { return Vec::new() };
            diagnostics
                .iter()
                .filter_map(|diagnostic| {
                    let span = document.span(&diagnostic.pointer)?;
                    Some(TextMarker {
                        from: span.start.offset,
                        to: span.end.offset,
                        severity: diagnostic.severity,
                        message: format!("{} ({})", diagnostic.message(), diagnostic.code()),
                    })
                })
                .collect()
        })
    });
    // The selection the cursor made last: revealing it would move the cursor under the user.
    let from_cursor = StoredValue::new(None::<Selection>);
    // Reveal the selected component (or field) in the text, when the selection changed
    // elsewhere (a card, a problem, the screen list); typing does not move the cursor.
    let reveal = Memo::new(move |_| {
        let selection = state.selection.get();
        if from_cursor.with_value(|last| last.as_ref() == Some(&selection)) {
            return None;
        }
        let at = selection.field.or(selection.component)?;
        parsed.with_untracked(|Parsed(document)| {
            let span = (**document).as_ref()?.span(&at)?;
            Some((span.start.offset, span.end.offset))
        })
    });
    let on_cursor = Callback::new(move |offset: usize| {
        let target = parsed.with_untracked(|Parsed(document)| {
            (**document)
                .as_ref()
                .map(|document| target_of(document.root(), &document.pointer_at_offset(offset)))
        });
        if let Some(target) = target.filter(|target| target.screen.is_some()) {
            let selection = Selection {
                screen: target.screen.unwrap_or_default(),
                component: target.component,
                field: None,
            };
            if state.selection.with_untracked(|current| {
                current.screen != selection.screen || current.component != selection.component
            }) {
                from_cursor.set_value(Some(selection.clone()));
                state.selection.set(selection);
            }
        }
    });
    view! {
        <div class="json-pane" on:focusout=move |_| state.settle_json()>
            <JsonView
                text=state.json_view_text
                markers=markers
                reveal=reveal
                on_change=Callback::new(move |text| state.type_json(text))
                on_cursor=on_cursor
                on_undo=Callback::new(move |()| state.undo())
                on_redo=Callback::new(move |()| state.redo())
            />
        </div>
    }
    .into_any()
}
