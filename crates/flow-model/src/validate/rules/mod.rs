//! The rules, one per file. Each reads the shared [`Flow`] context and appends diagnostics;
//! the order here does not matter (diagnostics are sorted into document order afterwards).
use super::context::Flow;
use crate::diagnostic::Diagnostic;

mod action_shape;
mod calendar_picker;
mod complete;
mod component_types;
mod data_exchange;
mod data_model;
mod data_source;
mod date_picker;
mod derived_routes;
mod dynamic_data;
mod expressions;
mod footer_captions;
mod form_names;
mod form_outside;
mod form_values;
mod if_component;
mod layout;
mod min_max;
mod mixed_text;
mod navigate;
mod navigation_list;
mod paths;
mod payload_bindings;
mod placement;
mod property_limits;
mod property_types;
mod required_properties;
mod rich_text;
mod routing_model;
mod screen_count;
mod screen_ids;
mod screen_limits;
mod screen_properties;
mod sensitive;
mod switch_component;
mod terminal;
mod text_input;
mod top_level;
mod unknown_properties;
mod update_data;
mod version;

/// A rule: its name (the file name) and what it checks.
pub(super) struct Rule {
    /// The file name, e.g. `screen_ids`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    /// Appends the rule's diagnostics.
    pub check: fn(&Flow<'_>, &mut Vec<Diagnostic>),
}

macro_rules! rules {
    ($($rule:ident),* $(,)?) => {
        /// Every rule.
        pub(super) const ALL: &[Rule] = &[$(Rule { name: stringify!($rule), check: $rule::check }),*];
    };
}

rules![
    version,
    top_level,
    screen_count,
    screen_ids,
    screen_properties,
    sensitive,
    layout,
    component_types,
    placement,
    unknown_properties,
    required_properties,
    property_types,
    property_limits,
    screen_limits,
    rich_text,
    navigation_list,
    form_outside,
    form_names,
    form_values,
    if_component,
    switch_component,
    data_model,
    dynamic_data,
    expressions,
    mixed_text,
    action_shape,
    navigate,
    complete,
    data_exchange,
    update_data,
    payload_bindings,
    routing_model,
    derived_routes,
    paths,
    terminal,
    footer_captions,
    data_source,
    text_input,
    min_max,
    date_picker,
    calendar_picker,
];

#[cfg(test)]
pub(super) mod test_support {
    //! Helpers for the rules' unit tests.
    use serde_json::{Value, json};

    use super::super::context::Flow;
    use crate::diagnostic::{Code, Diagnostic};

    /// Runs one rule over `flow` and returns (code, pointer) of what it found.
    pub fn run(check: fn(&Flow<'_>, &mut Vec<Diagnostic>), flow: &Value) -> Vec<(Code, String)> {
        let Some(root) = flow.as_object() else { panic!("a flow is an object") };
        let context = Flow::new(root);
        let mut found = Vec::new();
        check(&context, &mut found);
        found.into_iter().map(|diagnostic| (diagnostic.code(), diagnostic.pointer)).collect()
    }

    /// Asserts that `check` finds exactly `expected` on `flow`.
    pub fn expect(check: fn(&Flow<'_>, &mut Vec<Diagnostic>), flow: &Value, expected: &[(Code, &str)]) {
        // Rules may report in any order: the validator sorts into document order afterwards.
        let mut found = run(check, flow);
        found.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        let mut expected: Vec<(Code, String)> =
            expected.iter().map(|(code, pointer)| (*code, (*pointer).to_owned())).collect();
        expected.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        assert_eq!(found, expected, "in {flow}");
    }

    /// A Footer navigating to screen `to`.
    pub fn navigate_footer(to: &str) -> Value {
        json!({"type": "Footer", "label": "x", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": to}}})
    }

    /// A one-screen flow (`A`, terminal) of `version` whose layout holds `children`.
    pub fn screen(version: &str, children: Value) -> Value {
        json!({
            "version": version,
            "screens": [{
                "id": "A",
                "title": "A",
                "terminal": true,
                "layout": {"type": "SingleColumnLayout", "children": children}
            }]
        })
    }

    /// A Footer that completes the flow.
    pub fn footer() -> Value {
        json!({"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}})
    }

    /// Pointer of component `index` of screen 0's layout.
    pub const C0: &str = "/screens/0/layout/children/0";
    /// Pointer of component 1 of screen 0's layout.
    pub const C1: &str = "/screens/0/layout/children/1";

    /// Every rule has its folder of fixtures (read from disk: native only).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_rule_has_fixtures() {
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for rule in super::ALL {
            let folder = base.join(rule.name);
            let fixtures = std::fs::read_dir(&folder).map(|entries| entries.count()).unwrap_or(0);
            assert!(fixtures > 0, "no fixtures in {}", folder.display());
        }
    }

    #[test]
    fn rule_names_are_unique() {
        let names: Vec<_> = super::ALL.iter().map(|rule| rule.name).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}
