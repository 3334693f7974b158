use flow_model::{Document, parse, templates};
use flowsmith::features::inspector::Inspector;
use flowsmith::features::problems::problem_index;
use flowsmith::state::{DraftInfo, EditorState, Selection};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick, type_into};

fn mount_inspector(document: Document, component: &str) -> (web_sys::HtmlElement, EditorState) {
    let root = container();
    let component = component.to_owned();
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        let state = EditorState::provide(document.clone(), DraftInfo::default());
        state.selection.set(Selection { screen: 0, component: Some(component.clone()), field: None });
        *captured.borrow_mut() = Some(state);
        let index = problem_index(state);
        view! { <Inspector index=index /> }
    });
    mounted.forget();
    let state = state.borrow().expect("the state was created");
    (root, state)
}

fn properties(root: &web_sys::HtmlElement) -> Vec<String> {
    let nodes = root
        .query_selector_all("[data-testid=component-inspector] > .property-form > [data-testid=field]")
        .expect("selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
        .filter_map(|element| element.get_attribute("data-property"))
        .collect()
}

#[wasm_bindgen_test]
async fn fields_come_from_the_catalog_for_the_version_and_the_place() {
    let document = parse(templates::APPOINTMENT_BOOKING).document.expect("JSON");
    // The Dropdown sits inside a Form: no init-value / error-message there.
    let (root, state) = mount_inspector(document, "/screens/0/layout/children/0/children/1");
    tick().await;
    let fields = properties(&root);
    for expected in ["name", "label", "data-source", "required", "enabled", "visible", "on-select-action"] {
        assert!(fields.iter().any(|f| f == expected), "{expected} missing from {fields:?}");
    }
    assert!(
        !fields.iter().any(|f| f == "init-value"),
        "init-value is only for components outside a Form: {fields:?}"
    );
    assert_eq!(texts(&find(&root, "[data-property=label]"), "[data-testid=counter]"), ["10/20"]);

    // Typing edits the document; going over the limit shows the counter in error and the
    // validator's message under the field.
    type_into(&find(&root, "[data-property=label] > input"), "A department name, too long");
    tick().await;
    let label =
        state.document.with_untracked(|d| d.get("/screens/0/layout/children/0/children/1/label").cloned());
    assert_eq!(label, Some(serde_json::json!("A department name, too long")));
    assert!(
        find(&root, "[data-property=label] [data-testid=counter]")
            .class_name()
            .contains("field__counter--over")
    );
    assert!(!texts(&find(&root, "[data-property=label]"), "[data-testid=field-message]").is_empty());
}

#[wasm_bindgen_test]
async fn a_component_outside_a_form_offers_init_value_and_only_allowed_actions() {
    let text = r#"{"version": "6.0", "screens": [{"id": "A", "title": "A", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
        {"type": "TextInput", "name": "n", "label": "Name"},
        {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete"}}]}}]}"#;
    let (root, _) = mount_inspector(parse(text).document.expect("JSON"), "/screens/0/layout/children/0");
    tick().await;
    let fields = properties(&root);
    assert!(fields.iter().any(|f| f == "init-value"), "{fields:?}");
    assert!(!fields.iter().any(|f| f == "label-variant"), "label-variant is 7.0+: {fields:?}");

    let (footer, _) = mount_inspector(parse(text).document.expect("JSON"), "/screens/0/layout/children/1");
    tick().await;
    let mut options: Vec<String> = {
        let nodes = footer.query_selector_all("[data-testid=action-name] option").expect("selector");
        (0..nodes.length())
            .filter_map(|i| nodes.item(i))
            .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlOptionElement>(n).ok())
            .map(|o| o.value())
            .collect()
    };
    options.sort();
    assert_eq!(
        options,
        ["", "complete", "data_exchange", "navigate"],
        "a Footer offers no open_url or update_data"
    );
}
