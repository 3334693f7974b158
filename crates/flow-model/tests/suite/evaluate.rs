//! Run-time evaluation of bindings and expressions, data-driven: `fixtures/evaluate/cases.json`
//! holds a scope (the screen's data and form, other screens' data and form) and cases, each a
//! property text with the value it evaluates to or the message of its error.
use flow_model::evaluate::{evaluate_text, evaluate_value, lookup_path};
use flow_model::expression::{Reference, Source};
use serde_json::{Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CASES: &str = include_str!("fixtures/evaluate/cases.json");

fn read(scope: &Value, reference: Reference<'_>) -> Option<Value> {
    let root = match reference.screen {
        Some(screen) => scope.get("screens")?.get(screen)?,
        None => scope,
    };
    lookup_path(root.get(reference.source.as_str())?, reference.path).cloned()
}

#[test]
fn every_case_evaluates_to_its_value_or_its_error() {
    let fixture: Value = serde_json::from_str(CASES).expect("cases.json is JSON");
    let scope = &fixture["scope"];
    let mut failures = Vec::new();
    let cases = fixture["cases"].as_array().expect("a list of cases");
    for case in cases {
        let text = case["text"].as_str().expect("a text");
        let found = match evaluate_text(text, &mut |reference| read(scope, reference)) {
            Ok(value) => json!({ "value": value }),
            Err(error) => json!({ "error": error.to_string() }),
        };
        let expected = match case.get("error") {
            Some(error) => json!({ "error": error }),
            None => json!({ "value": case["value"] }),
        };
        if found != expected {
            failures.push(format!("{text}: expected {expected}, found {found}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn payloads_keep_their_shape_with_every_string_evaluated() {
    let scope = json!({"data": {"date": "2026-12-01"}, "form": {"name": "Ana", "slots": ["a"]}});
    let payload = json!({"date": "${data.date}", "who": {"name": "${form.name}", "n": 3},
                         "slots": "${form.slots}", "note": "`'For ' ${form.name}`", "fixed": true});
    let value = evaluate_value(&payload, &mut |reference| read(&scope, reference)).unwrap();
    assert_eq!(
        value,
        json!({"date": "2026-12-01", "who": {"name": "Ana", "n": 3}, "slots": ["a"], "note": "For Ana", "fixed": true})
    );
    let broken = json!({"x": "`${form.name} ==`"});
    assert!(evaluate_value(&broken, &mut |reference| read(&scope, reference)).is_err());
    assert_eq!(Source::Form.as_str(), "form");
}
