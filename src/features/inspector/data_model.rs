//! The screen data model: fields with their type and `__example__`, nested objects and arrays.
use flow_model::json::pointer;
use flow_model::model::key;
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use super::values::{value_at, write};
use crate::state::use_editor;

const TYPES: &[&str] = &["string", "number", "integer", "boolean", "object", "array"];

/// An example value of a type, for new fields.
fn example_of(kind: &str) -> Value {
    match kind {
        "number" | "integer" => json!(0),
        "boolean" => json!(false),
        "object" => json!({}),
        "array" => json!([]),
        _ => json!("example"),
    }
}

/// A schema for a new field of `kind`.
fn schema_of(kind: &str, top_level: bool) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), Value::from(kind));
    match kind {
        "object" => {
            schema.insert("properties".into(), json!({}));
        }
        "array" => {
            schema.insert("items".into(), json!({ "type": "string" }));
        }
        _ => {}
    }
    if top_level {
        schema.insert("__example__".into(), example_of(kind));
    }
    Value::Object(schema)
}

/// The fields of a schema object (`data`, or a nested `properties`).
#[component]
pub fn SchemaFields(
    /// Pointer of the object holding the fields.
    at: String,
    /// Whether these are top-level data fields (which carry `__example__`).
    top_level: bool,
) -> impl IntoView {
    let state = use_editor();
    let fields = value_at(state, at.clone());
    let names = move || {
        fields.with(|f| {
            f.as_ref()
                .and_then(Value::as_object)
                .map(|map| {
                    map.keys().filter(|k| !(top_level && *k == "required")).cloned().collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let new_name = RwSignal::new(String::new());
    let add_at = at.clone();
    let add = move || {
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        if names().contains(&name) {
            state.notify_error(format!("There is already a field '{name}'."));
            return;
        }
        let exists = fields.with_untracked(|f| f.as_ref().is_some_and(Value::is_object));
        if exists {
            write(state, &pointer::join(&add_at, &name), Some(schema_of("string", top_level)));
        } else {
            write(state, &add_at, Some(json!({ name.clone(): schema_of("string", top_level) })));
        }
        new_name.set(String::new());
    };
    let rows_at = at.clone();
    view! {
        <div class="schema" data-testid="data-model">
            <ul class="schema__fields">
                {move || {
                    let at = rows_at.clone();
                    names().into_iter().map(|name| view! { <SchemaField at=pointer::join(&at, &name) name=name top_level=top_level /> }).collect_view()
                }}
            </ul>
            <form class="schema__add" on:submit=move |event| {
                event.prevent_default();
                add();
            }>
                <input
                    aria-label="New field name"
                    placeholder="new_field"
                    data-testid="data-field-name"
                    prop:value=move || new_name.get()
                    on:input=move |event| new_name.set(event_target_value(&event))
                />
                <button type="submit" class="button button--small" data-testid="add-data-field">"+ Field"</button>
            </form>
        </div>
    }
    .into_any()
}

#[component]
fn SchemaField(at: String, name: String, top_level: bool) -> impl IntoView {
    let state = use_editor();
    let schema = value_at(state, at.clone());
    let kind = move || {
        schema.with(|s| {
            s.as_ref().and_then(|s| s.get(key::TYPE)).and_then(Value::as_str).unwrap_or_default().to_owned()
        })
    };
    let example_text = RwSignal::new(None::<String>);
    let example_error = RwSignal::new(None::<String>);
    let (type_at, example_at, remove_at, nested_at) =
        (at.clone(), pointer::join(&at, "__example__"), at.clone(), at.clone());
    let example = value_at(state, example_at.clone());
    view! {
        <li class="schema__field" data-testid="data-field" data-name=name.clone()>
            <div class="schema__row">
                <code class="schema__name">{name.clone()}</code>
                <select
                    aria-label=format!("Type of {name}")
                    prop:value=kind
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        // A new type gets a fresh schema (and example) of that type.
                        write(state, &type_at, Some(schema_of(&chosen, top_level)));
                    }
                >
                    {TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
                <button type="button" class="icon-button" aria-label=format!("Remove {name}") on:click=move |_| write(state, &remove_at, None)>"×"</button>
            </div>
            {top_level.then(|| view! {
                <label class="field">
                    <span class="field__label">"__example__ (JSON)"</span>
                    <input
                        class="field__json"
                        data-testid="data-example"
                        prop:value=move || example_text.get().unwrap_or_else(|| example.with(|e| e.as_ref().map(flow_model::json::compact).unwrap_or_default()))
                        on:input={
                            let example_at = example_at.clone();
                            move |event| {
                                let text = event_target_value(&event);
                                match flow_model::json::read(&text) {
                                    Ok(value) => {
                                        example_error.set(None);
                                        example_text.set(Some(text));
                                        write(state, &example_at, Some(value));
                                    }
                                    Err(_) => {
                                        example_text.set(Some(text));
                                        example_error.set(Some("Not JSON yet: strings need double quotes, e.g. \"Ana\".".into()));
                                    }
                                }
                            }
                        }
                        on:blur=move |_| {
                            if example_error.with_untracked(Option::is_none) {
                                example_text.set(None);
                            }
                            state.break_burst();
                        }
                    />
                    <span class="field__error">{move || example_error.get()}</span>
                </label>
            })}
            {move || match kind().as_str() {
                "object" => view! {
                    <div class="schema__nested"><SchemaFields at=pointer::join(&nested_at, "properties") top_level=false /></div>
                }.into_any(),
                "array" => view! { <ArrayItems at=pointer::join(&nested_at, "items") /> }.into_any(),
                _ => ().into_any(),
            }}
        </li>
    }
    .into_any()
}

/// The `items` schema of an array field.
#[component]
fn ArrayItems(at: String) -> impl IntoView {
    let state = use_editor();
    let items = value_at(state, at.clone());
    let kind = move || {
        items.with(|s| {
            s.as_ref().and_then(|s| s.get(key::TYPE)).and_then(Value::as_str).unwrap_or_default().to_owned()
        })
    };
    let type_at = at.clone();
    view! {
        <div class="schema__nested">
            <label class="field">
                <span class="field__label">"Items are"</span>
                <select
                    prop:value=kind
                    on:change=move |event| write(state, &type_at, Some(schema_of(&event_target_value(&event), false)))
                >
                    {TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
            </label>
            {move || (kind() == "object").then(|| view! { <SchemaFields at=pointer::join(&at, "properties") top_level=false /> })}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_schemas_are_complete_for_their_type() {
        assert_eq!(
            schema_of("array", true),
            json!({"type": "array", "items": {"type": "string"}, "__example__": []})
        );
        assert_eq!(schema_of("object", false), json!({"type": "object", "properties": {}}));
        assert_eq!(schema_of("boolean", true)["__example__"], json!(false));
    }
}
