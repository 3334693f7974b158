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
pub(crate) mod data_model;
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

        /// What each rule reports, and on whose authority, in the same order (native tests
        /// only: the app carries none of it).
        #[cfg(all(test, not(target_arch = "wasm32")))]
        pub(super) const REPORTS: &[(&str, &[super::sources::Report])] = &[$((stringify!($rule), $rule::REPORTS)),*];
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

    #[test]
    fn rule_names_are_unique() {
        let names: Vec<_> = super::ALL.iter().map(|rule| rule.name).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod sources_tests {
    //! The rules' declared sources held to what the rules do, over every fixture, sample,
    //! corpus file and template (read from disk: native only), and `docs/rules.md` written from
    //! them.
    use std::path::{Path, PathBuf};

    use super::super::context::Flow;
    use super::super::sources::{self, Report, Source};
    use super::{ALL, Check, REPORTS, run_each};
    use crate::diagnostic::{Diagnostic, Problem, Severity};

    /// Every JSON file under `tests/fixtures`, `tests/samples` and `tests/corpus`, with the
    /// bundled templates.
    fn inputs() -> Vec<(String, Vec<u8>)> {
        fn walk(folder: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|extension| extension == "json") {
                    out.push(path);
                }
            }
        }
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut paths = Vec::new();
        for folder in ["fixtures", "samples", "corpus"] {
            walk(&base.join(folder), &mut paths);
        }
        paths.sort();
        let mut found: Vec<(String, Vec<u8>)> = paths
            .iter()
            .map(|path| {
                let name = path.strip_prefix(&base).unwrap_or(path).display().to_string();
                (name, std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display())))
            })
            .collect();
        found.extend(
            crate::templates::ALL
                .iter()
                .map(|template| (format!("template {}", template.id), template.json.into())),
        );
        assert!(found.len() > 100, "only {} inputs", found.len());
        found
    }

    /// The problem's family and variant, as `REPORTS` name it (`Routing::Loop`), read from its
    /// `Debug` form (`Routing(Loop { .. })`).
    fn kind(problem: &Problem) -> String {
        let debug = format!("{problem:?}");
        let mut names = debug.split(|c: char| !c.is_alphanumeric()).filter(|name| !name.is_empty());
        let family = names.next().unwrap_or_default();
        format!("{family}::{}", names.next().unwrap_or_default())
    }

    fn declares(reports: &[Report], diagnostic: &Diagnostic) -> bool {
        let kind = kind(&diagnostic.problem);
        reports.iter().any(|report| {
            report.severity == diagnostic.severity
                && report.problem == kind
                && report.code == diagnostic.code()
        })
    }

    /// What each rule finds in `input`, rule by rule.
    fn per_rule(input: &[u8]) -> Vec<(&'static str, Vec<Diagnostic>)> {
        let parsed = crate::parse(input);
        let Some(document) = parsed.document else { return Vec::new() };
        let Some(root) = document.root().as_object() else { return Vec::new() };
        let flow = Flow::new(root);
        ALL.iter()
            .map(|rule| {
                let mut found = Vec::new();
                match rule.check {
                    Check::Flow(check) => check(&flow, &mut found),
                    Check::Each(check) => run_each(&flow, &[check], &mut found),
                }
                (rule.name, found)
            })
            .collect()
    }

    fn reports_of(rule: &str) -> &'static [Report] {
        REPORTS.iter().find(|(name, _)| *name == rule).map(|(_, reports)| *reports).unwrap_or_default()
    }

    #[test]
    fn every_error_cites_meta_and_every_report_its_source() {
        let all =
            REPORTS.iter().flat_map(|(rule, reports)| reports.iter().map(move |report| (*rule, report)));
        for (rule, report) in all.chain(sources::PARSE.iter().map(|report| ("parse", report))) {
            assert!(!report.sources.is_empty(), "{rule}: {} cites nothing", report.problem);
            if report.severity == Severity::Error {
                let limit = report.sources.iter().all(|source| matches!(source, Source::Limit(_)));
                assert!(
                    (report.is_meta()
                        && !report.sources.iter().any(|source| matches!(source, Source::Ours(_))))
                        || (rule == "parse" && limit),
                    "{rule}: the error {} ({}) must cite Meta, and only Meta",
                    report.problem,
                    report.code
                );
            }
        }
        assert_eq!(REPORTS.len(), ALL.len());
    }

    #[test]
    fn rules_give_only_what_they_declare() {
        let mut undeclared = Vec::new();
        for (name, input) in inputs() {
            for diagnostic in crate::parse(&input).diagnostics {
                if !declares(sources::PARSE, &diagnostic) {
                    undeclared.push(format!(
                        "parse: {} {} {} in {name}",
                        diagnostic.severity.as_str(),
                        kind(&diagnostic.problem),
                        diagnostic.code()
                    ));
                }
            }
            for (rule, found) in per_rule(&input) {
                for diagnostic in found.iter().filter(|diagnostic| !declares(reports_of(rule), diagnostic)) {
                    undeclared.push(format!(
                        "{rule}: {} {} {} in {name}",
                        diagnostic.severity.as_str(),
                        kind(&diagnostic.problem),
                        diagnostic.code()
                    ));
                }
            }
        }
        undeclared.sort();
        undeclared.dedup_by(|a, b| a.split(" in ").next() == b.split(" in ").next());
        assert!(undeclared.is_empty(), "not in the rule's REPORTS:\n{}", undeclared.join("\n"));
    }

    /// Reports no JSON text can give, each with the unit test that gives it instead.
    const NOT_FROM_TEXT: &[(&str, &str, &str, &str)] = &[(
        "data_model",
        "warning",
        "Data::ScreenData",
        "a schema nested past what we check is nested past what the JSON reader reads: \
         data_model's a_schema_too_deep_to_check_is_a_warning",
    )];

    /// Each rule has fixtures in `tests/fixtures/<rule>/`, and every problem a rule declares is
    /// given by one of them.
    #[test]
    fn every_rule_has_a_fixture_for_each_report() {
        let inputs = inputs();
        let mut missing = Vec::new();
        for (rule, reports) in REPORTS {
            let folder = format!("fixtures/{rule}/");
            let own: Vec<Diagnostic> = inputs
                .iter()
                .filter(|(name, _)| name.starts_with(&folder))
                .flat_map(|(_, input)| per_rule(input))
                .filter(|(name, _)| name == rule)
                .flat_map(|(_, found)| found)
                .collect();
            assert!(!own.is_empty() || reports.is_empty(), "no fixture in tests/fixtures/{rule}/");
            for report in *reports {
                let exempt = NOT_FROM_TEXT.iter().any(|(name, severity, problem, _)| {
                    name == rule && *severity == report.severity.as_str() && *problem == report.problem
                });
                let given = exempt
                    || own.iter().any(|diagnostic| {
                        diagnostic.severity == report.severity
                            && kind(&diagnostic.problem) == report.problem
                            && diagnostic.code() == report.code
                    });
                if !given {
                    missing.push(format!(
                        "{rule}: {} {} {}",
                        report.severity.as_str(),
                        report.problem,
                        report.code
                    ));
                }
            }
        }
        assert!(missing.is_empty(), "no fixture in tests/fixtures/<rule>/ gives:\n{}", missing.join("\n"));
    }

    /// `docs/rules.md` is written from the declarations; `FLOW_MODEL_BLESS=1` rewrites it.
    #[test]
    fn rules_md_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
        let mut all: Vec<(&str, &[Report])> = vec![("parse", sources::PARSE)];
        all.extend(REPORTS.iter().copied());
        let written = sources::markdown(&all);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != written && std::env::var_os("FLOW_MODEL_BLESS").is_some() {
            std::fs::write(&path, &written).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            return;
        }
        assert!(
            current == written,
            "docs/rules.md is stale: run with FLOW_MODEL_BLESS=1 and review the diff"
        );
    }

    #[test]
    fn problem_kinds_read_from_debug() {
        use crate::diagnostic::{RoutingProblem, SchemaProblem};
        assert_eq!(kind(&RoutingProblem::Loop { screens: vec!["A".into()] }.into()), "Routing::Loop");
        assert_eq!(kind(&SchemaProblem::NullValue.into()), "Schema::NullValue");
        assert_eq!(
            kind(&SchemaProblem::TooLong { property: "x".into(), max: 1, found: 2 }.into()),
            "Schema::TooLong"
        );
    }
}
