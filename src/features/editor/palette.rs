use flow_model::Version;
use flow_model::catalog::{self, Category, Parent};
use flow_model::json::pointer;
use flow_model::model::{Component, ComponentKind, Form, Screen, key};
use leptos::prelude::*;
use serde_json::Value;
use web_sys::DragEvent;

use super::component_card::{DRAG_NEW, list_and_index};
use crate::state::{EditorState, Selection, use_editor};

/// Names of inputs already used in the document (fresh names avoid duplicates).
fn used_names(root: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![root];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get(key::NAME) {
                    names.push(name.clone());
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}

/// A name like `text_input`, `text_input_2`… not used yet.
pub fn fresh_name(used: &[String], kind: &str) -> String {
    let mut base = String::new();
    for (index, character) in kind.chars().enumerate() {
        // Component types are ASCII (and ASCII case needs no Unicode tables in the bundle).
        if character.is_ascii_uppercase() && index > 0 {
            base.push('_');
        }
        base.push(character.to_ascii_lowercase());
    }
    if !used.contains(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}_{n}")).find(|candidate| !used.contains(candidate)).unwrap_or(base)
}

/// New components of each type, with their required properties filled in with placeholders,
/// so that a component is valid (or close to it) the moment it is added. Kept as JSON text:
/// `json!` for each would cost kilobytes of wasm.
const NEW_COMPONENTS: &str = r#"{
  "TextHeading": {"text": "Heading"},
  "TextSubheading": {"text": "Subheading"},
  "TextBody": {"text": "Text"},
  "TextCaption": {"text": "Caption"},
  "RichText": {"text": ["Rich **text**"]},
  "TextInput": {"name": "", "label": "Label", "input-type": "text"},
  "TextArea": {"name": "", "label": "Label"},
  "Dropdown": {"name": "", "label": "Label", "data-source": [{"id": "first", "title": "First option"}, {"id": "second", "title": "Second option"}]},
  "RadioButtonsGroup": {"name": "", "label": "Label", "data-source": [{"id": "first", "title": "First option"}, {"id": "second", "title": "Second option"}]},
  "CheckboxGroup": {"name": "", "label": "Label", "data-source": [{"id": "first", "title": "First option"}, {"id": "second", "title": "Second option"}]},
  "ChipsSelector": {"name": "", "label": "Label", "data-source": [{"id": "first", "title": "First option"}, {"id": "second", "title": "Second option"}]},
  "DatePicker": {"name": "", "label": "Date"},
  "CalendarPicker": {"name": "", "label": "Date"},
  "OptIn": {"name": "", "label": "I agree"},
  "PhotoPicker": {"name": "", "label": "Photos"},
  "DocumentPicker": {"name": "", "label": "Documents"},
  "Footer": {"label": "Continue", "on-click-action": {"name": "complete"}},
  "EmbeddedLink": {"text": "Learn more", "on-click-action": {"name": "open_url", "url": "https://example.com"}},
  "Image": {"src": "", "alt-text": "Image"},
  "ImageCarousel": {"images": []},
  "NavigationList": {"name": "", "list-items": [{"id": "first", "main-content": {"title": "First item"}}]},
  "Form": {"name": "", "children": []},
  "If": {"condition": "${data.show}", "then": []},
  "Switch": {"value": "${data.choice}", "cases": {"first": []}}
}"#;

/// A new component of `kind` with its required properties filled in and, for inputs and
/// Forms, a name not used yet.
pub fn new_component(kind: &str, used: &[String]) -> Value {
    let mut component = serde_json::Map::new();
    component.insert("type".into(), Value::from(kind));
    let defaults = match flow_model::json::read(NEW_COMPONENTS) {
        Ok(Value::Object(defaults)) => defaults,
        _ => serde_json::Map::new(),
    };
    if let Some(Value::Object(properties)) = defaults.get(kind) {
        for (key, value) in properties {
            let value = if key == "name" { Value::from(fresh_name(used, kind)) } else { value.clone() };
            component.insert(key.clone(), value);
        }
    }
    Value::Object(component)
}

/// Inserts a new component of `kind` at `index` of `list` and selects it.
pub fn insert_new(state: EditorState, kind: &str, list: &str, index: usize) {
    let used = state.document.with_untracked(|document| used_names(document.root()));
    let component = new_component(kind, &used);
    if state.edit(|document| document.insert_component(list, index, component)) {
        let screen = state.selection.get_untracked().screen;
        state.selection.set(Selection { screen, component: Some(pointer::join(list, index)), field: None });
    }
}

/// What kind of list a list pointer names.
pub fn parent_of_list(root: &Value, list: &str) -> Parent {
    if list.ends_with(&Screen::children_pointer("")) {
        return Parent::Layout;
    }
    let Some((container, _)) = pointer::split_last(list) else { return Parent::Layout };
    // A Switch case's list is at `…/cases/KEY`: its container is the Switch.
    let container = match pointer::split_last(container) {
        Some((switch, cases)) if cases == key::CASES => switch,
        _ => container,
    };
    match root.pointer(container).and_then(Component::from_value).map(Component::kind) {
        Some(ComponentKind::Form(_)) => Parent::Form,
        Some(ComponentKind::If(_)) => Parent::If,
        Some(ComponentKind::Switch(_)) => Parent::Switch,
        _ => Parent::Layout,
    }
}

/// Where the palette inserts: after the selected component in its list, else at the end of the
/// screen (inside its top-level Form when it has one and the component may go there).
pub fn insertion_point(
    root: &Value,
    selection: &Selection,
    kind: &str,
    version: Version,
) -> Option<(String, usize)> {
    let allowed = |list: &str| {
        catalog::component(kind).is_some_and(|c| c.allowed_in(parent_of_list(root, list), version))
    };
    if let Some((list, index)) = selection.component.as_deref().and_then(list_and_index)
        && allowed(&list)
    {
        return Some((list, index + 1));
    }
    let layout = Screen::children_pointer(&Screen::pointer_of(selection.screen));
    let items = root.pointer(&layout).and_then(Value::as_array)?;
    // A Footer at the end of a list stays last: new components go before it.
    let end_of = |list: &str| {
        let length = root.pointer(list).and_then(Value::as_array).map_or(0, Vec::len);
        let last = length.checked_sub(1).and_then(|last| root.pointer(&pointer::join(list, last)));
        let last_is_footer =
            last.and_then(Component::from_value).and_then(|c| c.type_name()) == Some("Footer");
        if last_is_footer && kind != "Footer" { length - 1 } else { length }
    };
    let is_form =
        |c: &Value| Component::from_value(c).is_some_and(|c| matches!(c.kind(), ComponentKind::Form(_)));
    if let Some(form) = items.iter().position(is_form) {
        let children = Form::children_pointer(&pointer::join(&layout, form));
        if allowed(&children) {
            return Some((children.clone(), end_of(&children)));
        }
    }
    allowed(&layout).then(|| (layout.clone(), end_of(&layout)))
}

fn category_name(category: Category) -> &'static str {
    match category {
        Category::Text => "Text",
        Category::Input => "Inputs",
        Category::Media => "Media",
        Category::Image => "Images",
        Category::Navigation => "Navigation",
        Category::Container => "Containers",
    }
}

/// The components of the flow's version, grouped; each inserts where the selection is (click
/// or Enter) or where it is dropped. Components not allowed at that place are disabled.
#[component]
pub fn Palette() -> impl IntoView {
    let state = use_editor();
    let version = Memo::new(move |_| {
        state.document.with(|d| d.version().and_then(Version::parse).unwrap_or(Version::LATEST))
    });
    let place = Memo::new(move |_| {
        let selection = state.selection.get();
        let version = version.get();
        state.document.with(|d| {
            catalog::available(version)
                .map(|component| {
                    (component.name, insertion_point(d.root(), &selection, component.name, version))
                })
                .collect::<Vec<_>>()
        })
    });
    let groups = [
        Category::Text,
        Category::Input,
        Category::Media,
        Category::Image,
        Category::Navigation,
        Category::Container,
    ];
    view! {
        <section class="palette" aria-labelledby="palette-heading" data-testid="palette">
            <header class="panel-header"><h2 id="palette-heading">"Components"</h2></header>
            {groups
                .into_iter()
                .map(|category| {
                    view! {
                        <h3 class="palette__group">{category_name(category)}</h3>
                        <ul class="palette__list">
                            {move || {
                                catalog::available(version.get())
                                    .filter(|component| component.category == category)
                                    .map(|component| {
                                        let name = component.name;
                                        let target = move || place.with(|p| p.iter().find(|(n, _)| *n == name).and_then(|(_, t)| t.clone()));
                                        let disabled = move || target().is_none();
                                        view! {
                                            <li>
                                                <button
                                                    class="palette__item"
                                                    data-testid="palette-item"
                                                    data-type=name
                                                    title=component.summary
                                                    disabled=disabled
                                                    draggable="true"
                                                    on:dragstart=move |event: DragEvent| {
                                                        if let Some(data) = event.data_transfer() {
                                                            let _ = data.set_data(DRAG_NEW, name);
                                                            data.set_effect_allowed("copy");
                                                        }
                                                    }
                                                    on:click=move |_| {
                                                        if let Some((list, index)) = target() {
                                                            insert_new(state, name, &list, index);
                                                        }
                                                    }
                                                >
                                                    {name}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                    }
                })
                .collect_view()}
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fresh_names_follow_the_type_and_avoid_used_ones() {
        let used = vec!["text_input".to_owned(), "text_input_2".to_owned()];
        assert_eq!(fresh_name(&used, "TextInput"), "text_input_3");
        assert_eq!(fresh_name(&used, "RadioButtonsGroup"), "radio_buttons_group");
    }

    #[test]
    fn insertion_goes_after_the_selection_or_into_the_screens_form_before_its_footer() {
        let root = json!({"version": "7.3", "screens": [{"id": "A", "layout": {"children": [
            {"type": "Form", "name": "f", "children": [{"type": "TextInput", "name": "a", "label": "A"}, {"type": "Footer"}]}
        ]}}]});
        let form = "/screens/0/layout/children/0/children";
        let none = Selection::default();
        assert_eq!(insertion_point(&root, &none, "TextArea", Version::V7_3), Some((form.to_owned(), 1)));
        assert_eq!(
            insertion_point(&root, &none, "RichText", Version::V7_3),
            Some(("/screens/0/layout/children".to_owned(), 1))
        );
        let selected = Selection { screen: 0, component: Some(format!("{form}/0")), field: None };
        assert_eq!(insertion_point(&root, &selected, "Dropdown", Version::V7_3), Some((form.to_owned(), 1)));
        assert_eq!(parent_of_list(&root, form), Parent::Form);
    }

    #[test]
    fn every_component_of_the_catalog_has_a_new_form() {
        let defaults = flow_model::json::read(NEW_COMPONENTS).unwrap();
        for component in catalog::components() {
            assert!(defaults.get(component.name).is_some(), "{} has no new form", component.name);
        }
    }

    #[test]
    fn new_inputs_have_a_name_and_a_label() {
        let component = new_component("Dropdown", &[]);
        assert_eq!(component["name"], "dropdown");
        assert_eq!(component["label"], "Label");
        assert_eq!(component["data-source"].as_array().map(Vec::len), Some(2));
    }
}
