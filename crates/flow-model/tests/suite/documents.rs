//! Reading documents: the bundled templates and the screen list.
use flow_model::{parse, templates};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn appointment_booking_lists_its_three_screens() {
    let parsed = parse(templates::APPOINTMENT_BOOKING);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let document = parsed.document.expect("the template is JSON");
    assert_eq!(document.version(), Some("7.3"));
    let screens = document.screens();
    let ids: Vec<_> = screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["APPOINTMENT", "DETAILS", "SUMMARY"]);
    let titles: Vec<_> = screens.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Book appointment", "Your details", "Confirm booking"]);
    assert_eq!(
        screens[0].component_types,
        ["Form", "TextSubheading", "Dropdown", "DatePicker", "RadioButtonsGroup", "Footer"]
    );
    let labels: Vec<_> = screens.iter().map(|s| (s.id.clone(), s.title.clone())).collect();
    assert_eq!(document.screen_labels(), labels);
}

#[test]
fn screen_labels_skip_what_is_not_a_screen_and_default_to_empty() {
    let document = parse(r#"{"screens": [{"id": "A"}, 3, {"title": "T"}, {"id": 7, "title": "U"}]}"#)
        .document
        .expect("JSON");
    let labels = document.screen_labels();
    let expected = [("A", ""), ("", "T"), ("", "U")];
    assert_eq!(labels.len(), expected.len());
    for ((id, title), (want_id, want_title)) in labels.iter().zip(expected) {
        assert_eq!((id.as_str(), title.as_str()), (want_id, want_title));
    }
    assert!(parse(r#"{"version": "7.3"}"#).document.expect("JSON").screen_labels().is_empty());
}

#[test]
fn screens_of_a_document_without_screens_is_empty() {
    let document = parse(r#"{"version": "7.3"}"#).document.expect("JSON");
    assert!(document.screens().is_empty());
}

#[test]
fn component_types_walk_if_and_switch_branches_in_order() {
    let text = r#"{"screens": [{"id": "A", "layout": {"children": [
        {"type": "If", "condition": "${data.x}", "then": [{"type": "TextBody"}], "else": [{"type": "TextCaption"}]},
        {"type": "Switch", "value": "${data.y}", "cases": {"a": [{"type": "Image"}], "b": [{"type": "OptIn"}]}}
    ]}}]}"#;
    let screens = parse(text).document.expect("JSON").screens();
    assert_eq!(screens[0].component_types, ["If", "TextBody", "TextCaption", "Switch", "Image", "OptIn"]);
}

#[test]
fn every_template_is_valid_at_7_3_with_zero_diagnostics() {
    for template in templates::ALL {
        let report = flow_model::check(template.json);
        assert!(report.diagnostics.is_empty(), "{}: {:#?}", template.id, report.diagnostics);
        assert_eq!(
            report.document.as_ref().and_then(|document| document.version()),
            Some("7.3"),
            "{}",
            template.id
        );
        assert!(templates::find(template.id).is_some());
    }
}
