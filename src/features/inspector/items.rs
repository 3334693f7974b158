//! Lists of objects (data-source options, navigation items, carousel images): add, remove,
//! reorder, and each item's fields.
use flow_model::Version;
use flow_model::catalog::{Kind, Property, prop};
use flow_model::json::pointer;
use flow_model::model::key;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::field::PropertyForm;
use super::values::{display, value_at};
use crate::state::use_editor;

/// A new item with its required string properties filled in.
fn new_item(properties: &'static [Property], version: Version, position: usize) -> Value {
    let mut item = Map::new();
    for property in properties.iter().filter(|p| p.is_available(version) && p.is_required(version)) {
        let value = match (property.name, property.kind) {
            ("id", _) => Value::from(format!("option_{position}")),
            (_, Kind::String(_)) => Value::from(format!("Option {position}")),
            (_, Kind::Object(_)) => Value::Object(Map::new()),
            _ => continue,
        };
        item.insert(property.name.to_owned(), value);
    }
    Value::Object(item)
}

/// The title an item shows when collapsed.
fn item_title(item: &Value) -> String {
    [key::TITLE, prop::ALT_TEXT, key::ID]
        .iter()
        .find_map(|name| item.get(*name).map(display))
        .or_else(|| item.get(prop::MAIN_CONTENT).and_then(|content| content.get(key::TITLE)).map(display))
        .unwrap_or_else(|| "(item)".to_owned())
}

/// A list of items; a binding instead of a list is edited as text.
#[component]
pub fn ItemsEditor(
    at: String,
    property: &'static Property,
    item_properties: &'static [Property],
    version: Version,
) -> impl IntoView {
    let state = use_editor();
    let value = value_at(state, at.clone());
    let open = RwSignal::new(None::<usize>);
    let count = move || value.with(|v| v.as_ref().and_then(Value::as_array).map_or(0, Vec::len));
    let max = property.limits.max_items;
    let titles = move || {
        value.with(|v| {
            v.as_ref()
                .and_then(Value::as_array)
                .map(|items| items.iter().map(item_title).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let list_at = at.clone();
    let add = move |_| {
        let length = count();
        let item = new_item(item_properties, version, length + 1);
        let exists = value.with_untracked(|v| v.as_ref().is_some_and(Value::is_array));
        if exists {
            state.edit(|document| document.set_property(&pointer::join(&list_at, length), item));
        } else {
            state.edit(|document| document.set_property(&list_at, Value::Array(vec![item])));
        }
        open.set(Some(length));
    };
    let bound = move || value.with(|v| matches!(v, Some(Value::String(_))));
    view! {
        <div class="items" data-testid="items-editor">
            <Show when=bound>
                <p class="muted">{move || format!("Items come from {}.", value.with(|v| v.as_ref().map(display).unwrap_or_default()))}</p>
            </Show>
            <ol class="items__list">
                {move || {
                    let at = at.clone();
                    titles()
                        .into_iter()
                        .enumerate()
                        .map(|(index, title)| {
                            let item_at = pointer::join(&at, index);
                            let (remove_at, list) = (item_at.clone(), at.clone());
                            let is_open = move || open.get() == Some(index);
                            view! {
                                <li class="items__item" data-testid="item">
                                    <div class="items__row">
                                        <button type="button" class="items__title" aria-expanded=move || is_open().to_string()
                                            on:click=move |_| open.update(|o| *o = if *o == Some(index) { None } else { Some(index) })>
                                            {title}
                                        </button>
                                        <button type="button" class="icon-button" aria-label="Move item up" disabled=index == 0
                                            on:click={
                                                let list = list.clone();
                                                move |_| {
                                                    if state.edit(|d| d.move_item(&list, index, index - 1)) {
                                                        open.set(Some(index - 1));
                                                    }
                                                }
                                            }>"↑"</button>
                                        <button type="button" class="icon-button" aria-label="Move item down"
                                            on:click={
                                                let list = list.clone();
                                                move |_| {
                                                    if index + 1 < count() && state.edit(|d| d.move_item(&list, index, index + 1)) {
                                                        open.set(Some(index + 1));
                                                    }
                                                }
                                            }>"↓"</button>
                                        <button type="button" class="icon-button" aria-label="Remove item"
                                            on:click=move |_| {
                                                state.edit(|d| d.remove_property(&remove_at));
                                                open.set(None);
                                            }>"×"</button>
                                    </div>
                                    <Show when=is_open>
                                        <PropertyForm at=item_at.clone() properties=item_properties version=Signal::stored(version) />
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <button type="button" class="button button--small" data-testid="add-item"
                disabled=move || bound() || max.is_some_and(|max| count() >= max as usize)
                on:click=add>
                "+ Add item"
            </button>
            {max.map(|max| view! { <span class="muted">{move || format!(" {}/{max}", count())}</span> })}
        </div>
    }
    .into_any()
}
