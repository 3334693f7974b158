//! Actions: only those the catalog allows for this event and version; navigate with its
//! target and a payload prefilled from the target's data model; payload builders offering
//! the flow's form fields and data.
use flow_model::Version;
use flow_model::catalog::{ActionName, Property};
use flow_model::json::pointer;
use flow_model::model::{Action, Flow, key};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use super::InspectorContext;
use super::bindings::{data_fields, form_fields};
use super::values::{display, value_at, write};
use crate::state::{EditorState, use_editor};

/// The payload a navigate action to `target` needs: one key per field of the target's data
/// model, each bound to the same-named form field or data field of `screen` when there is one.
pub fn navigate_payload(root: &Value, screen: usize, target: &str) -> Map<String, Value> {
    let target_index = Flow::from_value(root).and_then(|flow| flow.screen(target)).map(|s| s.index());
    let forms = form_fields(root, screen);
    let data = data_fields(root, screen);
    target_index
        .map(|index| data_fields(root, index))
        .unwrap_or_default()
        .into_iter()
        .map(|key| {
            let value = if forms.contains(&key) {
                format!("${{form.{key}}}")
            } else if data.contains(&key) {
                format!("${{data.{key}}}")
            } else {
                String::new()
            };
            (key, Value::String(value))
        })
        .collect()
}

fn screen_ids(root: &Value) -> Vec<String> {
    let flow = Flow::from_value(root);
    flow.map(|flow| flow.screen_ids().map(str::to_owned).collect()).unwrap_or_default()
}

fn default_action(state: EditorState, name: ActionName) -> Value {
    let screen = state.selection.get_untracked().screen;
    state.document.with_untracked(|document| {
        let root = document.root();
        match name {
            ActionName::Navigate => {
                let ids = screen_ids(root);
                let own = ids.get(screen).cloned().unwrap_or_default();
                let target = ids
                    .iter()
                    .skip(screen + 1)
                    .chain(ids.iter())
                    .find(|id| **id != own)
                    .cloned()
                    .unwrap_or_default();
                let payload = navigate_payload(root, screen, &target);
                let mut action = json!({
                    (key::NAME): ActionName::Navigate.as_str(),
                    (key::NEXT): { (key::TYPE): key::SCREEN, (key::NAME): target },
                });
                if !payload.is_empty() {
                    action[key::PAYLOAD] = Value::Object(payload);
                }
                action
            }
            ActionName::OpenUrl => json!({ (key::NAME): name.as_str(), (key::URL): "https://" }),
            other => json!({ (key::NAME): other.as_str(), (key::PAYLOAD): {} }),
        }
    })
}

/// An action property (`on-click-action`, …).
#[component]
pub fn ActionEditor(at: String, property: &'static Property, version: Version) -> impl IntoView {
    let state = use_editor();
    let action = value_at(state, at.clone());
    let allowed = property.allowed_actions(version);
    let name = move || {
        action.with(|a| {
            let action = a.as_ref().and_then(Action::new);
            action.and_then(|a| a.name_text()).unwrap_or_default().to_owned()
        })
    };
    let foreign = {
        let allowed = allowed.clone();
        move || {
            let current = name();
            (!current.is_empty() && !allowed.iter().any(|a| a.as_str() == current)).then_some(current)
        }
    };
    let choose_at = at.clone();
    let (target_at, payload_at, url_at) =
        (pointer::join(&at, key::NEXT), pointer::join(&at, key::PAYLOAD), pointer::join(&at, key::URL));
    view! {
        <div class="action" data-testid="action-editor">
            <select
                aria-label="Action"
                data-testid="action-name"
                prop:value=name
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    let value = ActionName::parse(&chosen).map(|name| default_action(state, name));
                    write(state, &choose_at, value);
                }
            >
                <option value="">"No action"</option>
                {allowed.iter().map(|action| view! { <option value=action.as_str()>{describe(*action)}</option> }).collect_view()}
                {move || foreign().map(|other| view! { <option value=other.clone()>{format!("{other} (not allowed here)")}</option> })}
            </select>
            {move || {
                let current = name();
                match ActionName::parse(&current) {
                Some(ActionName::Navigate) => view! {
                    <NavigateTarget at=target_at.clone() payload_at=payload_at.clone() />
                    <PayloadEditor at=payload_at.clone() />
                }.into_any(),
                Some(ActionName::OpenUrl) => view! {
                    <label class="field">
                        <span class="field__label">"URL"</span>
                        <input type="url" data-testid="action-url"
                            prop:value={
                                let url_at = url_at.clone();
                                move || state.document.with(|d| d.get(&url_at).map(display).unwrap_or_default())
                            }
                            on:input={
                                let url_at = url_at.clone();
                                move |event| write(state, &url_at, Some(Value::String(event_target_value(&event))))
                            }
                            on:blur=move |_| state.break_burst()
                        />
                    </label>
                }.into_any(),
                None if current.is_empty() => ().into_any(),
                _ => view! { <PayloadEditor at=payload_at.clone() /> }.into_any(),
                }
            }}
        </div>
    }
    .into_any()
}

fn describe(action: ActionName) -> &'static str {
    match action {
        ActionName::Navigate => "Navigate to a screen",
        ActionName::Complete => "Complete the flow",
        ActionName::DataExchange => "Data exchange with the endpoint",
        ActionName::UpdateData => "Update screen data",
        ActionName::OpenUrl => "Open a URL",
    }
}

/// The target screen of a navigate action, with a way to refill its payload.
#[component]
fn NavigateTarget(at: String, payload_at: String) -> impl IntoView {
    let state = use_editor();
    let name_at = pointer::join(&at, key::NAME);
    let target = value_at(state, name_at.clone());
    let screens = Memo::new(move |_| state.document.with(|d| screen_ids(d.root())));
    let current = move || state.selection.with(|s| s.screen);
    let change_payload_at = payload_at.clone();
    let fill = move |_| {
        let screen = current();
        let Some(target) = target.get_untracked().and_then(|t| t.as_str().map(str::to_owned)) else { return };
        let payload = state.document.with_untracked(|d| navigate_payload(d.root(), screen, &target));
        write(state, &payload_at, (!payload.is_empty()).then_some(Value::Object(payload)));
    };
    view! {
        <label class="field">
            <span class="field__label">"Go to screen"</span>
            <select
                data-testid="navigate-target"
                prop:value=move || target.with(|t| t.as_ref().map(display).unwrap_or_default())
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    write(state, &name_at, Some(Value::String(chosen.clone())));
                    let screen = current();
                    let payload = state.document.with_untracked(|d| navigate_payload(d.root(), screen, &chosen));
                    write(state, &change_payload_at, (!payload.is_empty()).then_some(Value::Object(payload)));
                }
            >
                <option value="">"Choose a screen"</option>
                {move || {
                    let own = current();
                    screens
                        .get()
                        .into_iter()
                        .enumerate()
                        .filter(|(index, _)| *index != own)
                        .map(|(_, id)| view! { <option value=id.clone()>{id.clone()}</option> })
                        .collect_view()
                }}
            </select>
        </label>
        <button type="button" class="button button--small" data-testid="fill-payload" on:click=fill>
            "Fill payload from the target's data model"
        </button>
    }
    .into_any()
}

/// A payload object: rows of key and value (values usually bindings), with the screen's form
/// fields and data offered.
#[component]
pub fn PayloadEditor(at: String) -> impl IntoView {
    let state = use_editor();
    let payload = value_at(state, at.clone());
    let rows = move || {
        payload.with(|p| {
            p.as_ref()
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let offered = expect_context::<InspectorContext>().offered;
    let add_at = at.clone();
    let add = move |binding: String| {
        // `${form.email}` → key `email`; `${screen.A.form.email}` → `email`.
        let key = binding
            .trim_start_matches("${")
            .trim_end_matches('}')
            .rsplit('.')
            .next()
            .unwrap_or("field")
            .to_owned();
        let mut object = payload.get_untracked().and_then(|p| p.as_object().cloned()).unwrap_or_default();
        let mut unique = key.clone();
        let mut n = 2;
        while object.contains_key(&unique) {
            unique = format!("{key}_{n}");
            n += 1;
        }
        object.insert(unique, Value::String(binding));
        write(state, &add_at, Some(Value::Object(object)));
    };
    let add_all_at = at.clone();
    let add_all = move |_| {
        let screen = state.selection.get_untracked().screen;
        let fields = state.document.with_untracked(|d| form_fields(d.root(), screen));
        let mut object = payload.get_untracked().and_then(|p| p.as_object().cloned()).unwrap_or_default();
        for field in fields {
            object.entry(field.clone()).or_insert_with(|| Value::String(format!("${{form.{field}}}")));
        }
        write(state, &add_all_at, Some(Value::Object(object)));
    };
    let rows_at = at.clone();
    view! {
        <div class="payload" data-testid="payload-editor">
            <span class="field__label">"Payload"</span>
            <ul class="payload__rows">
                {move || {
                    let at = rows_at.clone();
                    rows().into_iter().map(|key| view! { <PayloadRow payload_at=at.clone() key=key /> }).collect_view()
                }}
            </ul>
            <div class="payload__add">
                <select
                    aria-label="Add a field to the payload"
                    data-testid="payload-add"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        if !chosen.is_empty() {
                            add(chosen);
                        }
                        // Back to the prompt, so the same field can be added again.
                        if let Some(select) = event.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) {
                            select.set_value("");
                        }
                    }
                >
                    <option value="">"+ Add field…"</option>
                    {move || offered.get().into_iter().map(|binding| view! { <option value=binding.clone()>{binding.clone()}</option> }).collect_view()}
                </select>
                <button type="button" class="button button--small" on:click=add_all>"Add all form fields"</button>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn PayloadRow(payload_at: String, key: String) -> impl IntoView {
    let state = use_editor();
    let value_pointer = pointer::join(&payload_at, &key);
    let value = value_at(state, value_pointer.clone());
    let (rename_at, remove_at) = (payload_at.clone(), value_pointer.clone());
    let old_key = key.clone();
    view! {
        <li class="payload__row" data-testid="payload-row" data-key=key.clone()>
            <input
                class="payload__key"
                aria-label="Payload key"
                value=key.clone()
                on:change=move |event| {
                    let new_key = event_target_value(&event);
                    if new_key.is_empty() || new_key == old_key {
                        return;
                    }
                    // Rename in place: rebuild the object with the same order.
                    let Some(object) = state.document.with_untracked(|d| d.get(&rename_at).and_then(Value::as_object).cloned()) else { return };
                    if object.contains_key(&new_key) {
                        state.notify_error(format!("The payload already has a field '{new_key}'."));
                        return;
                    }
                    let renamed: Map<String, Value> =
                        object.into_iter().map(|(k, v)| if k == old_key { (new_key.clone(), v) } else { (k, v) }).collect();
                    write(state, &rename_at, Some(Value::Object(renamed)));
                }
            />
            <input
                class="payload__value"
                aria-label=format!("Value of {key}")
                list="binding-suggestions"
                prop:value=move || value.with(|v| v.as_ref().map(display).unwrap_or_default())
                on:input={
                    let at = value_pointer.clone();
                    move |event| write(state, &at, Some(Value::String(event_target_value(&event))))
                }
                on:blur=move |_| state.break_burst()
            />
            <button type="button" class="icon-button" aria-label=format!("Remove {key}") on:click=move |_| write(state, &remove_at, None)>"×"</button>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigate_payload_binds_same_named_fields() {
        let root = json!({"screens": [
            {"id": "A", "data": {"date": {"type": "string", "__example__": "x"}}, "layout": {"children": [
                {"type": "TextInput", "name": "email", "label": "E"}]}},
            {"id": "B", "data": {"email": {"type": "string", "__example__": "x"}, "date": {"type": "string", "__example__": "x"},
                "other": {"type": "string", "__example__": "x"}}, "layout": {"children": []}}
        ]});
        let payload = navigate_payload(&root, 0, "B");
        assert_eq!(
            Value::Object(payload),
            json!({"email": "${form.email}", "date": "${data.date}", "other": ""})
        );
        assert!(navigate_payload(&root, 0, "NOPE").is_empty());
    }
}
