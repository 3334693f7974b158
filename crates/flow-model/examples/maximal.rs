//! Times parse + validate + serialize of a maximal flow: 100 screens of 50 components each
//! (about 1 MB of Flow JSON). `cargo run --release -p flow-model --example maximal`.
use std::fmt::Write as _;
use std::time::Instant;

use flow_model::{Style, parse, validate};

/// A valid flow of `screens` screens with 50 components each (Form children included).
fn maximal_flow(screens: usize) -> String {
    let id = |index: usize| -> String {
        // Screen ids are letters only: 0 -> A, 25 -> Z, 26 -> BA, ...
        let mut id = String::new();
        let mut n = index;
        loop {
            id.insert(0, char::from(b'A' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                break;
            }
        }
        format!("STEP_{id}")
    };
    let mut json = String::from("{\n  \"version\": \"7.3\",\n  \"screens\": [\n");
    for screen in 0..screens {
        let last = screen + 1 == screens;
        let _ = write!(
            json,
            "    {{\"id\": \"{}\", \"title\": \"Step {}\",{}\n      \"data\": {{\"previous\": {{\"type\": \"string\", \"__example__\": \"Ana\"}}}},\n      \"layout\": {{\"type\": \"SingleColumnLayout\", \"children\": [\n",
            id(screen),
            screen + 1,
            if last { " \"terminal\": true," } else { "" }
        );
        json.push_str("        {\"type\": \"TextHeading\", \"text\": \"`'Hello ' ${data.previous}`\"},\n");
        json.push_str("        {\"type\": \"Form\", \"name\": \"form\", \"children\": [\n");
        // Heading, Form, 42 components with 5 If branches holding one more each, Footer: 50.
        for component in 0..42 {
            let line = match component % 8 {
                0 => format!("{{\"type\": \"TextInput\", \"name\": \"input_{component}\", \"label\": \"Field {component}\", \"input-type\": \"text\", \"required\": true, \"helper-text\": \"Type something here\"}}"),
                1 => format!("{{\"type\": \"TextArea\", \"name\": \"area_{component}\", \"label\": \"Notes {component}\", \"max-length\": 300}}"),
                2 => format!("{{\"type\": \"Dropdown\", \"name\": \"pick_{component}\", \"label\": \"Pick {component}\", \"data-source\": [{{\"id\": \"a\", \"title\": \"Option A\"}}, {{\"id\": \"b\", \"title\": \"Option B\"}}, {{\"id\": \"c\", \"title\": \"Option C\"}}]}}"),
                3 => format!("{{\"type\": \"CheckboxGroup\", \"name\": \"check_{component}\", \"label\": \"Check {component}\", \"data-source\": [{{\"id\": \"a\", \"title\": \"Option A\"}}, {{\"id\": \"b\", \"title\": \"Option B\"}}]}}"),
                4 => "{\"type\": \"TextBody\", \"text\": \"Some explanatory text that is long enough to look like a real paragraph in a flow.\", \"markdown\": true}".to_owned(),
                5 => format!("{{\"type\": \"If\", \"condition\": \"${{form.input_{}}} != ''\", \"then\": [{{\"type\": \"TextCaption\", \"text\": \"Thanks\"}}]}}", component - 5),
                6 => format!("{{\"type\": \"DatePicker\", \"name\": \"date_{component}\", \"label\": \"Date {component}\", \"min-date\": \"2026-01-01\", \"max-date\": \"2026-12-31\"}}"),
                _ => format!("{{\"type\": \"RadioButtonsGroup\", \"name\": \"radio_{component}\", \"label\": \"Radio {component}\", \"data-source\": [{{\"id\": \"y\", \"title\": \"Yes\"}}, {{\"id\": \"n\", \"title\": \"No\"}}]}}"),
            };
            let _ = writeln!(json, "          {line},");
        }
        if last {
            json.push_str("          {\"type\": \"Footer\", \"label\": \"Finish\", \"on-click-action\": {\"name\": \"complete\", \"payload\": {\"name\": \"${form.input_0}\"}}}\n");
        } else {
            let _ = writeln!(
                json,
                "          {{\"type\": \"Footer\", \"label\": \"Next\", \"on-click-action\": {{\"name\": \"navigate\", \"next\": {{\"type\": \"screen\", \"name\": \"{}\"}}, \"payload\": {{\"previous\": \"${{form.input_0}}\"}}}}}}",
                id(screen + 1)
            );
        }
        json.push_str("        ]}\n      ]}}");
        json.push_str(if last { "\n" } else { ",\n" });
    }
    json.push_str("  ]\n}\n");
    json
}

fn main() {
    let screens: usize = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(100);
    let text = maximal_flow(screens);
    if let Ok(path) = std::env::var("WRITE") {
        std::fs::write(path, &text).unwrap();
    }
    let document = parse(&text).document.expect("the generated flow is JSON");
    let diagnostics = validate(&document);
    for diagnostic in diagnostics.iter().take(5) {
        eprintln!("{} {} {}", diagnostic.code(), diagnostic.pointer, diagnostic.message());
    }
    let components: usize = document.screens().iter().map(|screen| screen.component_types.len()).sum();
    println!(
        "{} screens, {components} components, {} bytes, {} diagnostics",
        screens,
        text.len(),
        diagnostics.len()
    );
    // MODE=parse|validate|serialize repeats one step only (for `perf stat`, which counts CPU
    // time and instructions even on a busy machine).
    if let Ok(mode) = std::env::var("MODE") {
        for _ in 0..200 {
            match mode.as_str() {
                "parse" => drop(std::hint::black_box(parse(&text))),
                "validate" => drop(std::hint::black_box(validate(&document))),
                _ => drop(std::hint::black_box(document.to_json(Style::Pretty))),
            }
        }
        return;
    }
    let runs = 50;
    let mut total = Vec::new();
    let mut validating = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let document = parse(&text).document.expect("JSON");
        let parsed = start.elapsed();
        let found = validate(&document);
        let validated = start.elapsed();
        let written = document.to_json(Style::Pretty);
        let all = start.elapsed();
        assert_eq!(found.len(), diagnostics.len());
        assert!(!written.is_empty());
        total.push(all);
        validating.push(validated - parsed);
    }
    total.sort();
    validating.sort();
    println!("parse + validate + serialize: median {:?}, best {:?}", total[runs / 2], total[0]);
    println!("validate alone: median {:?}, best {:?}", validating[runs / 2], validating[0]);
}
