//! Random edits, driven by the fuzzer's bytes, on the appointment template: never a panic, and
//! undoing every successful edit gives the template back exactly.
#![no_main]
use flow_model::{Document, Style, analyze, parse, templates};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// Reads small numbers and pointers out of the fuzzer's bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn pointer(&mut self) -> String {
        const TOKENS: &[&str] = &[
            "screens", "layout", "children", "then", "else", "cases", "title", "0", "1", "2", "3", "-", "~1",
            "",
        ];
        let count = self.byte().unwrap_or(0) % 9;
        (0..count)
            .map(|_| format!("/{}", TOKENS[usize::from(self.byte().unwrap_or(0)) % TOKENS.len()]))
            .collect()
    }

    fn id(&mut self) -> String {
        const IDS: &[&str] = &["APPOINTMENT", "DETAILS", "SUMMARY", "NEW", "", "SUCCESS", "A_B"];
        IDS[usize::from(self.byte().unwrap_or(0)) % IDS.len()].to_owned()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let mut document = parse(templates::APPOINTMENT_BOOKING).document.expect("the template is JSON");
    let start = document.to_json(Style::Compact);
    let mut undos = Vec::new();
    while let Some(operation) = bytes.byte() {
        let index = usize::from(bytes.byte().unwrap_or(0) % 6);
        let result = match operation % 11 {
            0 => document.set_property(&bytes.pointer(), json!({"type": "TextBody", "text": "x"})),
            1 => document.remove_property(&bytes.pointer()),
            2 => {
                document.insert_component(&bytes.pointer(), index, json!({"type": "TextInput", "name": "n"}))
            }
            3 => document.remove_component(&bytes.pointer()),
            4 => {
                let (at, list) = (bytes.pointer(), bytes.pointer());
                document.move_component(&at, &list, index)
            }
            5 => document.duplicate_component(&bytes.pointer()),
            6 => document.add_screen(index, Document::new_screen(&bytes.id(), "New")),
            7 => {
                let (from, to) = (bytes.id(), bytes.id());
                document.rename_screen(&from, &to)
            }
            8 => document.remove_screen(&bytes.id()).map(|removal| removal.undo),
            9 => document.move_screen(index, usize::from(bytes.byte().unwrap_or(0) % 4)),
            _ => {
                let text = document.to_json(Style::Pretty).replacen("Book", "Reserve", 1);
                Ok(document.replace(parse(&text).document.expect("our own output reads back")))
            }
        };
        if let Ok(undo) = result {
            undos.push(undo);
        }
    }
    let _ = analyze(&document);
    while let Some(undo) = undos.pop() {
        document.apply(undo).expect("an undo applies");
    }
    assert_eq!(document.to_json(Style::Compact), start);
});
