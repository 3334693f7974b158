//! The rules, one per file. Each reads the shared [`Flow`] context and appends diagnostics;
//! the order here does not matter (diagnostics are sorted into document order afterwards).
use super::context::Flow;
use super::schema::Described;
use crate::diagnostic::Diagnostic;

mod action_shape;
mod bound_items;
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
mod field_names;
mod footer_captions;
mod form_names;
mod form_outside;
mod form_values;
mod if_component;
mod layout;
mod markdown;
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
mod select_on_render;
mod sensitive;
mod switch_component;
mod terminal;
mod text_input;
mod top_level;
mod unknown_properties;
mod update_data;
mod version;

pub(super) use field_names::is_discouraged as is_discouraged_name;

/// A rule: its name (the file name) and what it checks.
pub(super) struct Rule {
    /// The file name, e.g. `screen_ids`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    /// Appends the rule's diagnostics.
    pub check: Check,
}

/// How a rule reads the flow.
#[derive(Clone, Copy)]
pub(super) enum Check {
    /// The whole flow at once.
    Flow(fn(&Flow<'_>, &mut Vec<Diagnostic>)),
    /// One object the catalog describes at a time ([`Flow::described`]). Consecutive such
    /// rules share one pass over the objects, so each object's members are read while in cache.
    Each(fn(&Flow<'_>, &Described<'_>, &mut Vec<Diagnostic>)),
}

macro_rules! rules {
    ($($rule:ident: $check:ident),* $(,)?) => {
        /// Every rule.
        pub(super) const ALL: &[Rule] = &[$(Rule { name: stringify!($rule), check: Check::$check($rule::check) }),*];
    };
}

rules![
    version: Flow,
    top_level: Flow,
    screen_count: Flow,
    screen_ids: Flow,
    screen_properties: Flow,
    sensitive: Flow,
    layout: Flow,
    component_types: Flow,
    placement: Flow,
    unknown_properties: Each,
    required_properties: Each,
    property_types: Each,
    property_limits: Each,
    screen_limits: Flow,
    rich_text: Flow,
    markdown: Flow,
    navigation_list: Flow,
    form_outside: Flow,
    form_names: Flow,
    form_values: Flow,
    if_component: Flow,
    switch_component: Flow,
    data_model: Flow,
    dynamic_data: Flow,
    bound_items: Flow,
    field_names: Flow,
    expressions: Flow,
    mixed_text: Flow,
    action_shape: Flow,
    navigate: Flow,
    complete: Flow,
    data_exchange: Flow,
    update_data: Flow,
    select_on_render: Flow,
    payload_bindings: Flow,
    routing_model: Flow,
    derived_routes: Flow,
    paths: Flow,
    terminal: Flow,
    footer_captions: Flow,
    data_source: Flow,
    text_input: Flow,
    min_max: Flow,
    date_picker: Flow,
    calendar_picker: Flow,
];

/// Runs every rule in order, appending their diagnostics to `out`.
pub(super) fn run(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let mut each = Vec::new();
    for rule in ALL {
        match rule.check {
            Check::Flow(check) => {
                run_each(flow, &each, out);
                each.clear();
                check(flow, out);
            }
            Check::Each(check) => each.push(check),
        }
    }
    run_each(flow, &each, out);
}

/// Runs consecutive rules of described objects in one pass over the objects. Each rule's
/// diagnostics are kept apart and appended in rule order, as if the rules had run one after
/// the other.
fn run_each(
    flow: &Flow<'_>,
    checks: &[fn(&Flow<'_>, &Described<'_>, &mut Vec<Diagnostic>)],
    out: &mut Vec<Diagnostic>,
) {
    if checks.is_empty() {
        return;
    }
    let mut found: Vec<Vec<Diagnostic>> = checks.iter().map(|_| Vec::new()).collect();
    for described in &flow.described {
        for (check, found) in checks.iter().zip(&mut found) {
            check(flow, described, found);
        }
    }
    for mut found in found {
        out.append(&mut found);
    }
}

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

    /// Asserts that the rule of described objects `check` finds exactly `expected` on `flow`.
    pub fn expect_each(
        check: fn(&Flow<'_>, &super::super::schema::Described<'_>, &mut Vec<Diagnostic>),
        flow: &Value,
        expected: &[(Code, &str)],
    ) {
        let Some(root) = flow.as_object() else { panic!("a flow is an object") };
        let context = Flow::new(root);
        let mut found = Vec::new();
        super::run_each(&context, &[check], &mut found);
        compare(
            found.into_iter().map(|diagnostic| (diagnostic.code(), diagnostic.pointer)).collect(),
            flow,
            expected,
        );
    }

    /// Asserts that `check` finds exactly `expected` on `flow`.
    pub fn expect(check: fn(&Flow<'_>, &mut Vec<Diagnostic>), flow: &Value, expected: &[(Code, &str)]) {
        compare(run(check, flow), flow, expected);
    }

    fn compare(mut found: Vec<(Code, String)>, flow: &Value, expected: &[(Code, &str)]) {
        // Rules may report in any order: the validator sorts into document order afterwards.
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
