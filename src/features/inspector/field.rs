//! One property of a component as a form field, chosen by the catalog's kind of the property.
use flow_model::Version;
use flow_model::catalog::{Format, Kind, Property};
use flow_model::json::pointer;
use leptos::prelude::*;
use serde_json::Value;

use super::action::ActionEditor;
use super::image::ImageField;
use super::items::ItemsEditor;
use super::values::{display, number_from, value_at, write};
use super::{FieldMessages, InspectorContext};
use crate::state::use_editor;

/// The fields of the properties of the object at `at`, in catalog order, for `version`.
/// Properties the catalog does not know are listed after them, as JSON.
#[component]
pub fn PropertyForm(
    at: String,
    properties: &'static [Property],
    #[prop(into)] version: Signal<Version>,
    #[prop(optional)] inside_form: bool,
) -> impl IntoView {
    let state = use_editor();
    let object_at = at.clone();
    let unknown = Memo::new(move |_| {
        let version = version.get();
        state.document.with(|document| {
            document
                .get(&object_at)
                .and_then(Value::as_object)
                .map(|object| {
                    object
                        .keys()
                        .filter(|key| *key != "type")
                        .filter(|key| flow_model::catalog::find_property(properties, key, version).is_none())
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let fields_at = at.clone();
    view! {
        <div class="property-form">
            {move || {
                let version = version.get();
                properties
                    .iter()
                    .filter(|property| property.is_available(version))
                    .filter(|property| !matches!(property.kind, Kind::Components | Kind::Cases))
                    .filter(|property| !(inside_form && property.outside_form_only))
                    .map(|property| {
                        view! { <PropertyField at=pointer::join(&fields_at, property.name) property=property version=version /> }
                    })
                    .collect_view()
            }}
            <For each=move || unknown.get() key=|key| key.clone() let(key)>
                <div class="field field--unknown">
                    <span class="field__label">
                        <code>{key.clone()}</code>
                        " (not a property of this component)"
                    </span>
                    <JsonField at=pointer::join(&at, &key) />
                </div>
            </For>
        </div>
    }
    .into_any()
}

/// How many characters a string value has (bindings and lists: not counted).
fn char_count(value: &Option<Value>) -> Option<usize> {
    match value {
        Some(Value::String(text)) if !text.starts_with("${") && !text.starts_with('`') => {
            Some(text.chars().count())
        }
        None => Some(0),
        _ => None,
    }
}

/// One property: its label, counter, input and the problems about it.
#[component]
pub fn PropertyField(at: String, property: &'static Property, version: Version) -> impl IntoView {
    let state = use_editor();
    let InspectorContext { .. } = expect_context::<InspectorContext>();
    let value = value_at(state, at.clone());
    let required = property.is_required(version);
    let input_id = format!("field-{}", at.replace(['/', '~'], "-"));
    let counter =
        property.limits.max_chars.filter(|_| matches!(property.kind, Kind::String(_) | Kind::OneOf(_)));
    let over = move || counter.zip(value.with(char_count)).is_some_and(|(max, count)| count > max as usize);
    let widget = match property.kind {
        Kind::String(Format::Image) => view! { <ImageField at=at.clone() property=property input_id=input_id.clone() /> }.into_any(),
        Kind::String(_) => view! { <TextField at=at.clone() property=property input_id=input_id.clone() /> }.into_any(),
        Kind::OneOf(kinds) if kinds.iter().any(|kind| matches!(kind, Kind::String(_))) && kinds.len() <= 2 => {
            view! { <TextField at=at.clone() property=property input_id=input_id.clone() /> }.into_any()
        }
        Kind::Boolean => view! { <BooleanField at=at.clone() property=property input_id=input_id.clone() /> }.into_any(),
        Kind::Number | Kind::Integer => {
            view! { <NumberField at=at.clone() property=property input_id=input_id.clone() /> }.into_any()
        }
        Kind::Enum(options) => {
            view! { <EnumField at=at.clone() property=property options=options input_id=input_id.clone() /> }.into_any()
        }
        Kind::Action(_) => view! { <ActionEditor at=at.clone() property=property version=version /> }.into_any(),
        Kind::List(Kind::Object(properties)) => {
            view! { <ItemsEditor at=at.clone() property=property item_properties=properties version=version /> }.into_any()
        }
        Kind::List(Kind::Enum(options)) => view! { <ChoicesField at=at.clone() options=options /> }.into_any(),
        Kind::Object(properties) => view! { <ObjectField at=at.clone() properties=properties version=version /> }.into_any(),
        _ => view! { <JsonField at=at.clone() /> }.into_any(),
    };
    let default = property.default.map(|default| format!("default: {default}"));
    let messages_at = at.clone();
    view! {
        <div class="field" data-testid="field" data-property=property.name data-pointer=at.clone()>
            <label class="field__label" for=input_id.clone()>
                <span>{property.name}</span>
                {required.then(|| view! { <span class="field__required" title="Required">"*"</span> })}
                {property.dynamic.then(|| view! { <span class="field__hint" title="Accepts ${data.…}, ${form.…} and expressions">"${}"</span> })}
                {default.map(|default| view! { <span class="field__hint">{default}</span> })}
                {counter.map(|max| view! {
                    <span class="field__counter" class:field__counter--over=over data-testid="counter">
                        {move || value.with(char_count).map(|count| format!("{count}/{max}")).unwrap_or_default()}
                    </span>
                })}
            </label>
            {widget}
            <FieldMessages at=messages_at />
        </div>
    }
    .into_any()
}

/// Focuses the element when the selection asks for this field (a problem was clicked).
fn focus_when_asked<E>(at: String, node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    let state = use_editor();
    Effect::new(move |_| {
        let asked = state.selection.with(|selection| selection.field.as_deref() == Some(at.as_str()));
        if asked && let Some(element) = node.get() {
            let element: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(element);
            let _ = element.focus();
            element.scroll_into_view_with_bool(false);
        }
    });
}

/// A text property: a line, or a text area for long texts; binding suggestions when dynamic.
#[component]
fn TextField(at: String, property: &'static Property, input_id: String) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let required = property.is_required(Version::LATEST) || property.required_since.is_some();
    let long = property.limits.max_chars.is_none_or(|max| max > 100)
        && matches!(property.name, "text" | "description");
    let shown = move || value.with(|value| value.as_ref().map(display).unwrap_or_default());
    let on_input = {
        let at = at.clone();
        move |text: String| {
            // Clearing an optional property removes it; a required one keeps an empty string
            // so its problem shows here.
            let value = if text.is_empty() && !required { None } else { Some(Value::String(text)) };
            write(state, &at, value);
        }
    };
    let list = property.dynamic.then_some("binding-suggestions");
    if long {
        let node = NodeRef::<leptos::html::Textarea>::new();
        focus_when_asked(at, node);
        view! {
            <textarea
                node_ref=node
                id=input_id
                rows="3"
                prop:value=shown
                on:input=move |event| on_input(event_target_value(&event))
                on:blur=move |_| state.break_burst()
            ></textarea>
        }
        .into_any()
    } else {
        let node = NodeRef::<leptos::html::Input>::new();
        focus_when_asked(at, node);
        view! {
            <input
                node_ref=node
                id=input_id
                type="text"
                list=list
                autocomplete="off"
                prop:value=shown
                on:input=move |event| on_input(event_target_value(&event))
                on:blur=move |_| state.break_burst()
            />
        }
        .into_any()
    }
}

/// A boolean: not set (the default), true, false, or a binding for dynamic properties.
#[component]
fn BooleanField(at: String, property: &'static Property, input_id: String) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let node = NodeRef::<leptos::html::Select>::new();
    focus_when_asked(at.clone(), node);
    let choice = move || {
        value.with(|value| match value {
            None => "unset".to_owned(),
            Some(Value::Bool(true)) => "true".to_owned(),
            Some(Value::Bool(false)) => "false".to_owned(),
            Some(_) => "binding".to_owned(),
        })
    };
    let binding_at = at.clone();
    view! {
        <select
            node_ref=node
            id=input_id
            prop:value=choice
            on:change=move |event| {
                let value = match event_target_value(&event).as_str() {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    "binding" => Some(Value::String("${data.}".into())),
                    _ => None,
                };
                write(state, &at, value);
            }
        >
            <option value="unset">{format!("Not set{}", property.default.map(|d| format!(" ({d})")).unwrap_or_default())}</option>
            <option value="true">"true"</option>
            <option value="false">"false"</option>
            {property.dynamic.then(|| view! { <option value="binding">"Bound to data…"</option> })}
        </select>
        <Show when=move || choice() == "binding">
            <input
                type="text"
                list="binding-suggestions"
                aria-label="Binding"
                prop:value=move || value.with(|v| v.as_ref().map(display).unwrap_or_default())
                on:input={
                    let at = binding_at.clone();
                    move |event| write(state, &at, Some(Value::String(event_target_value(&event))))
                }
                on:blur=move |_| state.break_burst()
            />
        </Show>
    }
    .into_any()
}

/// A number (or a binding, for dynamic properties).
#[component]
fn NumberField(at: String, property: &'static Property, input_id: String) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let node = NodeRef::<leptos::html::Input>::new();
    focus_when_asked(at.clone(), node);
    let integer = matches!(property.kind, Kind::Integer);
    let number = flow_model::number::format;
    let range = match (property.limits.minimum, property.limits.maximum) {
        (Some(min), Some(max)) => Some(format!("{} to {}", number(min), number(max))),
        (Some(min), None) => Some(format!("at least {}", number(min))),
        (None, Some(max)) => Some(format!("at most {}", number(max))),
        _ => None,
    };
    view! {
        <input
            node_ref=node
            id=input_id
            type="text"
            inputmode="decimal"
            list=property.dynamic.then_some("binding-suggestions")
            placeholder=range
            prop:value=move || value.with(|v| v.as_ref().map(display).unwrap_or_default())
            on:input=move |event| {
                let text = event_target_value(&event);
                let value = number_from(&text, integer).filter(|value| property.dynamic || value.is_number());
                if value.is_some() || text.trim().is_empty() {
                    write(state, &at, value);
                }
            }
            on:blur=move |_| state.break_burst()
        />
    }
    .into_any()
}

/// One of a list of strings.
#[component]
fn EnumField(
    at: String,
    property: &'static Property,
    options: &'static [&'static str],
    input_id: String,
) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let node = NodeRef::<leptos::html::Select>::new();
    focus_when_asked(at.clone(), node);
    let current = move || value.with(|v| v.as_ref().map(display).unwrap_or_default());
    let foreign = move || {
        let current = current();
        (!current.is_empty() && !options.contains(&current.as_str())).then_some(current)
    };
    view! {
        <select
            node_ref=node
            id=input_id
            prop:value=current
            on:change=move |event| {
                let choice = event_target_value(&event);
                write(state, &at, (!choice.is_empty()).then_some(Value::String(choice)));
            }
        >
            <option value="">{format!("Not set{}", property.default.map(|d| format!(" ({d})")).unwrap_or_default())}</option>
            {options.iter().map(|option| view! { <option value=*option>{*option}</option> }).collect_view()}
            {move || foreign().map(|other| view! { <option value=other.clone()>{other.clone()}</option> })}
        </select>
    }
    .into_any()
}

/// A subset of a list of strings, as check boxes.
#[component]
fn ChoicesField(at: String, options: &'static [&'static str]) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let chosen = move |option: &str| {
        value.with(|value| {
            value.as_ref().and_then(Value::as_array).is_some_and(|items| items.iter().any(|i| i == option))
        })
    };
    view! {
        <div class="choices" role="group">
            {options
                .iter()
                .map(|option| {
                    let at = at.clone();
                    view! {
                        <label class="choice">
                            <input
                                type="checkbox"
                                prop:checked=move || chosen(option)
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let mut items: Vec<Value> = value
                                        .get_untracked()
                                        .and_then(|v| v.as_array().cloned())
                                        .unwrap_or_default();
                                    items.retain(|item| item != option);
                                    if on {
                                        items.push(Value::from(*option));
                                    }
                                    write(state, &at, (!items.is_empty()).then_some(Value::Array(items)));
                                }
                            />
                            {*option}
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// A closed object (e.g. a NavigationList item's main content): its own fields.
#[component]
fn ObjectField(at: String, properties: &'static [Property], version: Version) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let add_at = at.clone();
    view! {
        <Show
            when=move || value.with(|v| v.as_ref().is_some_and(Value::is_object))
            fallback=move || {
                let at = add_at.clone();
                view! {
                    <button type="button" class="button button--small" on:click=move |_| write(state, &at, Some(serde_json::json!({})))>
                        "Add"
                    </button>
                }
            }
        >
            <fieldset class="field__object">
                <PropertyForm at=at.clone() properties=properties version=Signal::stored(version) />
            </fieldset>
        </Show>
    }
    .into_any()
}

/// Any value as JSON text; written when it parses.
#[component]
pub fn JsonField(at: String) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let typed = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let node = NodeRef::<leptos::html::Textarea>::new();
    focus_when_asked(at.clone(), node);
    let shown = move || {
        typed.get().unwrap_or_else(|| {
            value.with(|v| {
                v.as_ref().map(|v| serde_json::to_string_pretty(v).unwrap_or_default()).unwrap_or_default()
            })
        })
    };
    view! {
        <textarea
            node_ref=node
            class="field__json"
            rows="3"
            spellcheck="false"
            prop:value=shown
            on:input=move |event| {
                let text = event_target_value(&event);
                if text.trim().is_empty() {
                    typed.set(None);
                    error.set(None);
                    write(state, &at, None);
                    return;
                }
                match flow_model::json::read(&text) {
                    Ok(parsed) => {
                        error.set(None);
                        typed.set(Some(text));
                        write(state, &at, Some(parsed));
                    }
                    Err(problem) => {
                        typed.set(Some(text));
                        error.set(Some(format!("Not JSON yet: {problem}")));
                    }
                }
            }
            on:blur=move |_| {
                // Text that does not parse stays as typed, with its error.
                if error.with_untracked(Option::is_none) {
                    typed.set(None);
                }
                state.break_burst();
            }
        ></textarea>
        <p class="field__error">{move || error.get()}</p>
    }
    .into_any()
}
