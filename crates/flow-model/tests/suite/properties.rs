//! Property tests (native only: proptest does not build for the browser).
//!
//! - Lossless: any JSON object written in either style reads back as the same value with the
//!   same key order.
//! - Never panics: arbitrary bytes and arbitrary JSON through `parse`, `check` and the graph;
//!   random edits at random pointers.
//! - Every successful edit is undone exactly by the edit it returns, and redone by the undo's.
use flow_model::{Document, History, Style, check, parse};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Any JSON value: every scalar kind (integers, floats, unicode and control characters in
/// strings), arrays and objects nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |float| Number::from_f64(float).map(Value::Number)),
        any::<String>().prop_map(Value::String),
        "[a-z${}.` ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((any::<String>(), json_value()), 0..8)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
}

/// Pointers made of tokens that exist in flows, and some that cannot.
fn pointer() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("screens".to_owned()),
        Just("layout".to_owned()),
        Just("children".to_owned()),
        Just("routing_model".to_owned()),
        Just("then".to_owned()),
        Just("else".to_owned()),
        Just("cases".to_owned()),
        Just("title".to_owned()),
        (0usize..4).prop_map(|index| index.to_string()),
        Just("-".to_owned()),
        Just("01".to_owned()),
        Just("~1~0".to_owned()),
        Just(String::new()),
    ];
    // Component lists and components of the template's screens, as the editor sends them.
    let list = prop_oneof![Just("children"), Just("then"), Just("else"), Just("cases/a")];
    let component = (0usize..3, prop::collection::vec((0usize..6, list), 0..3), prop::option::of(0usize..6))
        .prop_map(|(screen, nesting, last)| {
            let mut at = format!("/screens/{screen}/layout/children");
            for (index, list) in nesting {
                at.push_str(&format!("/{index}/{list}"));
            }
            if let Some(index) = last {
                at.push_str(&format!("/{index}"));
            }
            at
        });
    prop_oneof![
        2 => component,
        1 => prop::collection::vec(token, 0..8).prop_map(|tokens| tokens.iter().map(|token| format!("/{token}")).collect()),
        1 => "[a-z/~]{0,8}",
    ]
}

/// One random edit; `Ok` when the document accepted it.
#[derive(Debug, Clone)]
enum Operation {
    Set(String, Value),
    Remove(String),
    Insert(String, usize, Value),
    RemoveComponent(String),
    Move(String, String, usize),
    Duplicate(String),
    AddScreen(usize, String),
    RenameScreen(String, String),
    RemoveScreen(String),
    MoveScreen(usize, usize),
    Replace(Value),
}

fn screen_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("APPOINTMENT".to_owned()),
        Just("DETAILS".to_owned()),
        Just("SUMMARY".to_owned()),
        "[A-Z_]{0,6}"
    ]
}

fn operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        (pointer(), json_value()).prop_map(|(at, value)| Operation::Set(at, value)),
        pointer().prop_map(Operation::Remove),
        (pointer(), 0usize..5, json_value())
            .prop_map(|(at, index, value)| Operation::Insert(at, index, value)),
        pointer().prop_map(Operation::RemoveComponent),
        (pointer(), pointer(), 0usize..5).prop_map(|(at, list, index)| Operation::Move(at, list, index)),
        pointer().prop_map(Operation::Duplicate),
        (0usize..5, screen_id()).prop_map(|(index, id)| Operation::AddScreen(index, id)),
        (screen_id(), screen_id()).prop_map(|(from, to)| Operation::RenameScreen(from, to)),
        screen_id().prop_map(Operation::RemoveScreen),
        (0usize..4, 0usize..4).prop_map(|(from, to)| Operation::MoveScreen(from, to)),
        json_object().prop_map(Operation::Replace),
    ]
}

fn run(document: &mut Document, operation: Operation) -> Option<flow_model::Edit> {
    match operation {
        Operation::Set(at, value) => document.set_property(&at, value).ok(),
        Operation::Remove(at) => document.remove_property(&at).ok(),
        Operation::Insert(list, index, value) => document.insert_component(&list, index, value).ok(),
        Operation::RemoveComponent(at) => document.remove_component(&at).ok(),
        Operation::Move(at, list, index) => document.move_component(&at, &list, index).ok(),
        Operation::Duplicate(at) => document.duplicate_component(&at).ok(),
        Operation::AddScreen(index, id) => document.add_screen(index, Document::new_screen(&id, "New")).ok(),
        Operation::RenameScreen(from, to) => document.rename_screen(&from, &to).ok(),
        Operation::RemoveScreen(id) => document.remove_screen(&id).ok().map(|removal| removal.undo),
        Operation::MoveScreen(from, to) => document.move_screen(from, to).ok(),
        Operation::Replace(value) => Some(document.replace(Document::from_value(value))),
    }
}

fn template() -> Document {
    parse(flow_model::templates::APPOINTMENT_BOOKING).document.expect("the template is JSON")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_object_round_trips_in_both_styles(value in json_object()) {
        let written = Document::from_value(value.clone());
        for style in [Style::Pretty, Style::Compact] {
            let text = written.to_json(style);
            let parsed = parse(&text);
            prop_assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            let read = parsed.document.expect("our own output is JSON");
            prop_assert_eq!(read.root(), &value);
            // `Value`'s `==` ignores key order: the text, written again, must be the same.
            prop_assert_eq!(read.to_json(style), text);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let report = check(&bytes);
        if let Some(document) = &report.document {
            let _ = flow_model::analyze(document);
            let _ = document.to_json(Style::Pretty);
        }
    }

    #[test]
    fn arbitrary_json_text_never_panics(value in json_value(), cut in 0usize..400) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        // Whole, and cut anywhere (on a character boundary or not).
        for bytes in [text.as_bytes(), text.as_bytes().get(..cut.min(text.len())).unwrap_or_default()] {
            let report = check(bytes);
            if let Some(document) = &report.document {
                let _ = flow_model::analyze(document);
                for diagnostic in &report.diagnostics {
                    let _ = document.span(&diagnostic.pointer);
                }
            }
        }
    }

    #[test]
    fn random_edits_never_panic_and_undo_exactly(operations in prop::collection::vec(operation(), 1..12)) {
        let mut document = template();
        let mut states = vec![document.to_json(Style::Compact)];
        let mut undos = Vec::new();
        for operation in operations {
            if let Some(undo) = run(&mut document, operation) {
                undos.push(undo);
                states.push(document.to_json(Style::Compact));
                let _ = flow_model::analyze(&document);
            } else {
                prop_assert_eq!(&document.to_json(Style::Compact), states.last().unwrap(), "a failed edit changes nothing");
            }
        }
        let mut redos = Vec::new();
        while let Some(undo) = undos.pop() {
            states.pop();
            redos.push(document.apply(undo).expect("an undo applies"));
            prop_assert_eq!(&document.to_json(Style::Compact), states.last().unwrap());
        }
        while let Some(redo) = redos.pop() {
            document.apply(redo).expect("a redo applies");
        }
    }

    #[test]
    fn history_undo_all_returns_to_the_start(operations in prop::collection::vec((operation(), 0u64..3000), 1..12)) {
        let mut document = template();
        let start = document.to_json(Style::Compact);
        let mut history = History::with_limits(1000, usize::MAX, 1000);
        let mut now = 0;
        for (operation, pause) in operations {
            now += pause;
            if let Some(undo) = run(&mut document, operation) {
                history.push(undo, now);
            }
        }
        let end = document.to_json(Style::Compact);
        while history.undo(&mut document).expect("undo matches the document") {}
        prop_assert_eq!(document.to_json(Style::Compact), start);
        while history.redo(&mut document).expect("redo matches the document") {}
        prop_assert_eq!(document.to_json(Style::Compact), end);
    }

    #[test]
    fn replacing_with_any_document_undoes_exactly(before in json_object(), after in json_object()) {
        let mut document = Document::from_value(before.clone());
        let undo = document.replace(Document::from_value(after.clone()));
        let redo = document.apply(undo).expect("the difference applies");
        prop_assert_eq!(document.to_json(Style::Compact), Document::from_value(before).to_json(Style::Compact));
        document.apply(redo).expect("and back");
        prop_assert_eq!(document.to_json(Style::Compact), Document::from_value(after).to_json(Style::Compact));
    }
}
