//! Edit operations: each changes exactly what it says, keeps the document lossless, fails with
//! a clear error and an unchanged document, and returns the edit that undoes it.
use flow_model::{Document, Edit, EditError, ReferenceKind, Style, parse};
use serde_json::{Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const REFERENCES: &str = include_str!("fixtures/edit/references.json");

fn document() -> Document {
    parse(REFERENCES).document.expect("the fixture is JSON")
}

fn text(document: &Document) -> String {
    document.to_json(Style::Pretty)
}

/// Undoes `undo` on `document` and checks that the text is back to `before`, redoes it and
/// checks the edit is back, then undoes it again: the document ends as it was before the edit.
fn assert_undo_redo(document: &mut Document, undo: Edit, before: &str) {
    let after = text(document);
    let redo = document.apply(undo).expect("undo applies");
    assert_eq!(text(document), before, "undo restores the document exactly");
    let undo = document.apply(redo).expect("redo applies");
    assert_eq!(text(document), after, "redo makes the edit again");
    document.apply(undo).expect("undo applies again");
}

fn keys(value: &Value) -> Vec<&str> {
    value.as_object().expect("an object").keys().map(String::as_str).collect()
}

#[test]
fn set_property_keeps_key_order_and_appends_new_keys() {
    let mut document = document();
    let before = text(&document);
    let undo = document.set_property("/version", json!("7.2")).unwrap();
    assert_eq!(keys(document.root())[0], "version");
    assert_eq!(document.get("/version"), Some(&json!("7.2")));
    assert_undo_redo(&mut document, undo, &before);

    let undo = document.set_property("/screens/0/refresh_on_back", json!(false)).unwrap();
    assert_eq!(keys(document.get("/screens/0").unwrap()), ["id", "title", "layout", "refresh_on_back"]);
    assert_undo_redo(&mut document, undo, &before);

    let undo = document.set_property("/routing_model/MENU/1", json!("CONFIRM")).unwrap();
    assert_eq!(document.get("/routing_model/MENU"), Some(&json!(["DETAILS", "CONFIRM"])));
    assert_undo_redo(&mut document, undo, &before);
}

#[test]
fn remove_property_and_its_undo_keep_the_property_in_place() {
    let mut document = document();
    let before = text(&document);
    let undo = document.remove_property("/data_api_version").unwrap();
    assert_eq!(keys(document.root()), ["version", "routing_model", "x-unknown", "screens"]);
    assert_undo_redo(&mut document, undo, &before);
    let undo = document.remove_property("/routing_model/MENU/0").unwrap();
    assert_eq!(document.get("/routing_model/MENU"), Some(&json!(["HELP"])));
    assert_undo_redo(&mut document, undo, &before);
}

#[test]
fn property_errors_name_the_pointer_and_change_nothing() {
    let mut document = document();
    let before = text(&document);
    let cases: [(&str, EditError); 5] = [
        ("version", EditError::InvalidPointer { pointer: "version".into() }),
        ("/nope/title", EditError::NotFound { pointer: "/nope".into() }),
        ("/version/x", EditError::NotFound { pointer: "/version/x".into() }),
        ("/screens/9", EditError::NotFound { pointer: "/screens/9".into() }),
        ("/screens/01", EditError::NotFound { pointer: "/screens/01".into() }),
    ];
    for (pointer, expected) in cases {
        assert_eq!(document.set_property(pointer, json!(1)), Err(expected), "{pointer}");
    }
    assert_eq!(document.remove_property(""), Err(EditError::RemoveDocument));
    assert_eq!(document.remove_property("/nope"), Err(EditError::NotFound { pointer: "/nope".into() }));
    assert_eq!(text(&document), before);
    // A failed edit keeps the source text: spans still point into it.
    assert!(document.span("/screens/0/id").is_some());
    let message = EditError::NotFound { pointer: "/nope".into() }.to_string();
    assert_eq!(message, "nothing is at '/nope'");
}

#[test]
fn values_nested_deeper_than_documents_may_be_are_refused() {
    let mut document = document();
    let mut deep = json!(1);
    for _ in 0..flow_model::json::MAX_DEPTH {
        deep = json!([deep]);
    }
    let error = document.set_property("/x-unknown/deep", deep).unwrap_err();
    assert_eq!(error, EditError::TooDeep { limit: flow_model::json::MAX_DEPTH });
}

#[test]
fn insert_component_into_every_kind_of_list() {
    let mut document = document();
    let before = text(&document);
    let body = json!({"type": "TextBody", "text": "Hello"});
    for (list, index, at) in [
        ("/screens/0/layout/children", 0, "/screens/0/layout/children/0"),
        ("/screens/1/layout/children/0/children", 4, "/screens/1/layout/children/0/children/4"),
        ("/screens/1/layout/children/0/children/2/then", 1, "/screens/1/layout/children/0/children/2/then/1"),
        // Missing lists are created: an If without else, a Switch case that is not there yet.
        ("/screens/2/layout/children/0/else", 0, "/screens/2/layout/children/0/else/0"),
    ] {
        let undo = document.insert_component(list, index, body.clone()).unwrap();
        assert_eq!(document.get(at), Some(&body), "{list}");
        assert_undo_redo(&mut document, undo, &before);
        document = parse(&before).document.unwrap();
    }
}

#[test]
fn insert_component_refuses_what_is_not_a_component_list() {
    let mut document = document();
    let body = json!({"type": "TextBody", "text": "Hello"});
    for list in ["/version", "/screens/0/title", "/screens/0/layout", "/screens/1/layout/children/0/name"] {
        let error = document.insert_component(list, 0, body.clone()).unwrap_err();
        assert_eq!(error, EditError::NotAComponentList { pointer: list.into() });
    }
    let error = document.insert_component("/screens/0/layout/children", 5, body.clone()).unwrap_err();
    assert_eq!(
        error,
        EditError::IndexOutOfRange { pointer: "/screens/0/layout/children".into(), index: 5, max: 1 }
    );
    let error = document.insert_component("/screens/0/layout/children", 0, json!("TextBody")).unwrap_err();
    assert!(matches!(error, EditError::NotAComponent { .. }));
    assert!(error.to_string().contains("is not a component"), "{error}");
}

#[test]
fn remove_component_and_undo() {
    let mut document = document();
    let before = text(&document);
    let undo = document.remove_component("/screens/1/layout/children/0/children/1").unwrap();
    let form = document.get("/screens/1/layout/children/0/children").unwrap();
    assert_eq!(form.as_array().unwrap().len(), 3);
    assert_undo_redo(&mut document, undo, &before);
    let error = document.remove_component("/screens/1/layout/children").unwrap_err();
    assert_eq!(error, EditError::NotAComponent { pointer: "/screens/1/layout/children".into() });
}

#[test]
fn move_component_within_a_list_across_containers_and_screens() {
    let form = "/screens/1/layout/children/0/children";
    let cases = [
        // Down by one in its own list.
        (format!("{form}/0"), form.to_owned(), 1, format!("{form}/1"), "email"),
        // To the end of its own list.
        (format!("{form}/0"), form.to_owned(), 3, format!("{form}/3"), "email"),
        // Out of the Form into the screen's layout.
        (
            format!("{form}/1"),
            "/screens/1/layout/children".to_owned(),
            0,
            "/screens/1/layout/children/0".to_owned(),
            "email_2",
        ),
        // Into an If branch that comes later in the same list: the list's pointer is read
        // before the move.
        (format!("{form}/0"), format!("{form}/2/then"), 1, format!("{form}/1/then/1"), "email"),
        // To another screen.
        (
            format!("{form}/1"),
            "/screens/3/layout/children".to_owned(),
            0,
            "/screens/3/layout/children/0".to_owned(),
            "email_2",
        ),
    ];
    for (at, list, index, lands, name) in cases {
        let mut document = document();
        let before = text(&document);
        let undo = document.move_component(&at, &list, index).unwrap();
        assert_eq!(document.get(&format!("{lands}/name")), Some(&json!(name)), "{at} -> {list}");
        assert_undo_redo(&mut document, undo, &before);
    }
}

#[test]
fn move_component_errors() {
    let mut document = document();
    let before = text(&document);
    let form = "/screens/1/layout/children/0";
    let error = document.move_component(form, &format!("{form}/children"), 0).unwrap_err();
    assert_eq!(error, EditError::IntoItself { component: form.into(), list: format!("{form}/children") });
    let error =
        document.move_component(&format!("{form}/children/0"), &format!("{form}/children"), 4).unwrap_err();
    assert!(matches!(error, EditError::IndexOutOfRange { max: 3, .. }), "{error}");
    let error = document.move_component("/screens/0/title", "/screens/0/layout/children", 0).unwrap_err();
    assert!(matches!(error, EditError::NotAComponent { .. }));
    assert_eq!(text(&document), before);
    // Moving a component to where it is changes nothing.
    let undo =
        document.move_component(&format!("{form}/children/2"), &format!("{form}/children"), 2).unwrap();
    assert!(undo.is_empty());
}

#[test]
fn duplicate_gives_every_name_in_the_copy_a_fresh_one() {
    let mut document = document();
    let before = text(&document);
    let form = "/screens/1/layout/children/0";
    let undo = document.duplicate_component(&format!("{form}/children/0")).unwrap();
    // `email_2` is taken on the screen, so the copy of `email` is `email_3`.
    assert_eq!(document.get(&format!("{form}/children/1/name")), Some(&json!("email_3")));
    assert_eq!(document.get(&format!("{form}/children/1/label")), Some(&json!("Email")));
    assert_undo_redo(&mut document, undo, &before);

    let undo = document.duplicate_component(form).unwrap();
    let copy = "/screens/1/layout/children/1";
    let names: Vec<_> = [
        copy.to_owned(),
        format!("{copy}/children/0"),
        format!("{copy}/children/1"),
        format!("{copy}/children/2/else/0"),
    ]
    .iter()
    .map(|at| document.get(&format!("{at}/name")).cloned().unwrap())
    .collect();
    assert_eq!(names, [json!("details_2"), json!("email_3"), json!("email_4"), json!("consent_2")]);
    assert_eq!(document.get("/screens/1/layout/children/0/name"), Some(&json!("details")));
    assert_undo_redo(&mut document, undo, &before);
}

#[test]
fn add_screen_checks_its_id() {
    let mut document = document();
    let before = text(&document);
    let undo = document.add_screen(1, Document::new_screen("NEW_SCREEN", "New")).unwrap();
    assert_eq!(document.get("/screens/1/id"), Some(&json!("NEW_SCREEN")));
    assert_eq!(document.get("/screens/1/layout/children"), Some(&json!([])));
    assert_undo_redo(&mut document, undo, &before);
    for id in ["A1", "SUCCESS", "success", "___", "", "A B", "É"] {
        let error = document.add_screen(0, Document::new_screen(id, "x")).unwrap_err();
        assert_eq!(error, EditError::InvalidScreenId { id: id.into() });
    }
    let error = document.add_screen(0, Document::new_screen("MENU", "x")).unwrap_err();
    assert_eq!(error, EditError::ScreenIdTaken { id: "MENU".into() });
    assert_eq!(document.add_screen(0, json!({"title": "x"})), Err(EditError::NotAScreen));
    assert!(matches!(
        document.add_screen(9, Document::new_screen("LATE", "x")),
        Err(EditError::IndexOutOfRange { .. })
    ));

    let mut empty = Document::from_value(json!({"version": "7.3"}));
    empty.add_screen(0, Document::new_screen("FIRST", "First")).unwrap();
    assert_eq!(empty.get("/screens/0/id"), Some(&json!("FIRST")));
}

#[test]
fn screen_references_list_every_kind_in_order() {
    let document = document();
    let found: Vec<_> = document
        .screen_references("DETAILS")
        .into_iter()
        .map(|reference| (reference.kind, reference.pointer, reference.in_screen))
        .collect();
    let menu = Some("MENU".to_owned());
    let help = Some("HELP".to_owned());
    assert_eq!(
        found,
        [
            (
                ReferenceKind::NavigateTarget,
                "/screens/0/layout/children/0/list-items/0/on-click-action/next/name".into(),
                menu
            ),
            (ReferenceKind::Binding, "/screens/2/title".into(), help.clone()),
            (ReferenceKind::Binding, "/screens/2/layout/children/0/condition".into(), help.clone()),
            (ReferenceKind::Binding, "/screens/2/layout/children/0/then/0/text".into(), help.clone()),
            (
                ReferenceKind::NavigateTarget,
                "/screens/2/layout/children/1/on-click-action/next/name".into(),
                help.clone()
            ),
            (
                ReferenceKind::Binding,
                "/screens/2/layout/children/2/on-click-action/payload/email".into(),
                help
            ),
            (ReferenceKind::RoutingDestination, "/routing_model/MENU/0".into(), None),
            (ReferenceKind::RoutingSource, "/routing_model/DETAILS".into(), None),
        ]
    );
    assert_eq!(ReferenceKind::Binding.describe(), "binding");
}

#[test]
fn rename_screen_rewrites_every_reference() {
    let mut document = document();
    let before = text(&document);
    let undo = document.rename_screen("DETAILS", "ACCOUNT").unwrap();
    let get = |at: &str| document.get(at).cloned().unwrap();
    assert_eq!(get("/screens/1/id"), json!("ACCOUNT"));
    assert_eq!(get("/screens/0/layout/children/0/list-items/0/on-click-action/next/name"), json!("ACCOUNT"));
    assert_eq!(get("/screens/2/layout/children/1/on-click-action/next/name"), json!("ACCOUNT"));
    // Routing model: the key keeps its place, routes follow.
    assert_eq!(keys(&get("/routing_model")), ["MENU", "ACCOUNT", "HELP", "CONFIRM"]);
    assert_eq!(get("/routing_model/MENU"), json!(["ACCOUNT", "HELP"]));
    assert_eq!(get("/screens/2/title"), json!("Help for ${screen.ACCOUNT.form.email}"));
    assert_eq!(get("/screens/2/layout/children/0/condition"), json!("${screen.ACCOUNT.form.email} != ''"));
    // Inside a backtick expression; a screen whose id merely starts the same is not touched.
    assert_eq!(
        get("/screens/2/layout/children/0/then/0/text"),
        json!("`'Mail: ' ${screen.ACCOUNT.form.email} ' / ' ${screen.DETAILS_OLD.data.x}`")
    );
    assert_eq!(
        get("/screens/2/layout/children/2/on-click-action/payload/email"),
        json!("${screen.ACCOUNT.form.email}")
    );
    // `sensitive` names fields of the screen itself: unchanged.
    assert_eq!(get("/screens/1/sensitive"), json!(["email"]));
    assert!(document.screen_references("DETAILS").is_empty());
    assert_undo_redo(&mut document, undo, &before);
}

#[test]
fn rename_screen_errors() {
    let mut document = document();
    assert_eq!(document.rename_screen("NOPE", "X"), Err(EditError::ScreenNotFound { id: "NOPE".into() }));
    assert_eq!(document.rename_screen("MENU", "HELP"), Err(EditError::ScreenIdTaken { id: "HELP".into() }));
    assert_eq!(
        document.rename_screen("MENU", "menu 2"),
        Err(EditError::InvalidScreenId { id: "menu 2".into() })
    );
    assert!(document.rename_screen("MENU", "MENU").unwrap().is_empty());
    let message = EditError::ScreenIdTaken { id: "HELP".into() }.to_string();
    assert_eq!(message, "another screen already has the id 'HELP'");
}

#[test]
fn remove_screen_cleans_the_routing_model_and_reports_what_still_names_it() {
    let mut document = document();
    let before = text(&document);
    let removal = document.remove_screen("DETAILS").unwrap();
    assert_eq!(document.get("/screens/1/id"), Some(&json!("HELP")));
    assert_eq!(keys(document.get("/routing_model").unwrap()), ["MENU", "HELP", "CONFIRM"]);
    assert_eq!(document.get("/routing_model/MENU"), Some(&json!(["HELP"])));
    let dangling: Vec<_> = removal.dangling.iter().map(|r| (r.kind, r.pointer.as_str())).collect();
    assert_eq!(
        dangling,
        [
            (
                ReferenceKind::NavigateTarget,
                "/screens/0/layout/children/0/list-items/0/on-click-action/next/name"
            ),
            (ReferenceKind::Binding, "/screens/1/title"),
            (ReferenceKind::Binding, "/screens/1/layout/children/0/condition"),
            (ReferenceKind::Binding, "/screens/1/layout/children/0/then/0/text"),
            (ReferenceKind::NavigateTarget, "/screens/1/layout/children/1/on-click-action/next/name"),
            (ReferenceKind::Binding, "/screens/1/layout/children/2/on-click-action/payload/email"),
        ]
    );
    assert_undo_redo(&mut document, removal.undo, &before);
    assert_eq!(document.remove_screen("NOPE").unwrap_err(), EditError::ScreenNotFound { id: "NOPE".into() });
}

#[test]
fn move_screen_reorders() {
    let mut document = document();
    let before = text(&document);
    let undo = document.move_screen(0, 3).unwrap();
    let ids: Vec<_> = document.screens().into_iter().map(|screen| screen.id).collect();
    assert_eq!(ids, ["DETAILS", "HELP", "CONFIRM", "MENU"]);
    assert_undo_redo(&mut document, undo, &before);
    assert!(matches!(document.move_screen(0, 4), Err(EditError::IndexOutOfRange { max: 3, .. })));
}

#[test]
fn replacing_the_document_keeps_an_undo_the_size_of_the_change() {
    let mut document = document();
    let before = text(&document);
    let typed =
        before.replace("\"Thanks\"", "\"Thank you\"").replace("\"kept\": true", "\"kept\": true, \"new\": 1");
    let undo = document.replace(parse(&typed).document.unwrap());
    assert!(undo.size() < 1000, "{}", undo.size());
    assert!(document.span("/x-unknown/new").is_some(), "the new text's spans come along");
    assert_undo_redo(&mut document, undo, &before);
}

#[test]
fn an_edit_of_a_large_document_holds_only_the_change() {
    let mut document = parse(flow_model::samples::maximal_flow(100, 50)).document.unwrap();
    let undo = document.set_property("/screens/50/title", json!("Renamed")).unwrap();
    assert!(undo.size() < 500, "{}", undo.size());
    let undo = document
        .move_component(
            "/screens/50/layout/children/0/children/3",
            "/screens/51/layout/children/0/children",
            0,
        )
        .unwrap();
    assert!(undo.size() < 500, "{}", undo.size());
}

#[test]
fn move_item_reorders_any_list_and_undoes() {
    let mut document =
        flow_model::parse(r#"{"a": [{"id": "x"}, {"id": "y"}, {"id": "z"}]}"#).document.unwrap();
    let undo = document.move_item("/a", 0, 2).unwrap();
    assert_eq!(document.root()["a"], serde_json::json!([{"id": "y"}, {"id": "z"}, {"id": "x"}]));
    document.apply(undo).unwrap();
    assert_eq!(document.root()["a"], serde_json::json!([{"id": "x"}, {"id": "y"}, {"id": "z"}]));
    assert!(document.move_item("/a", 0, 3).is_err());
    assert!(document.move_item("/nope", 0, 1).is_err());
}
