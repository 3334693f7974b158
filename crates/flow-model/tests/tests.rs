//! The crate's integration tests, one binary (they also run on wasm32 in headless Chromium).
//!
//! Data-driven: every `tests/fixtures/<rule>/<case>.json` is checked against the diagnostics
//! listed in `<case>.expected` next to it (one `severity CODE pointer` line each, in document
//! order), and every `tests/samples/<version>/<flow>.json` must have no diagnostic at all.
//! Regression fixtures are named after what they caught. `tests/corpus/<version>/<case>.json`
//! reproduce, in our words, what Meta's published examples do (`tests/corpus/README.md` says
//! where Meta shows each): they have their `.expected` too, and none may give an error (but
//! the frozen version of an example older than 5.1). The files are embedded at build time
//! (see `build.rs`). To rewrite the `.expected` files from the current output, run natively
//! with `FLOW_MODEL_BLESS=1` and review the diff.
mod suite;

use flow_model::{Version, check, templates};

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The diagnostics of `input`, one `severity CODE pointer` line each, in document order.
fn diagnostics(input: &str) -> String {
    check(input)
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}\n",
                d.severity.as_str(),
                d.code(),
                if d.pointer.is_empty() { "\"\"" } else { &d.pointer }
            )
        })
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fixtures_give_their_expected_diagnostics() {
    let mut failures = Vec::new();
    for (name, input, expected) in FIXTURES {
        let found = diagnostics(input);
        // A corpus fixture has its `.expected` file even when it expects nothing.
        let written = expected.is_some() || !name.starts_with("corpus/");
        let expected = expected.unwrap_or_default().replace("\r\n", "\n");
        if found != expected || !written {
            #[cfg(not(target_arch = "wasm32"))]
            if std::env::var_os("FLOW_MODEL_BLESS").is_some() && !name.starts_with("samples/") {
                let path = format!("{}/tests/{name}.expected", env!("CARGO_MANIFEST_DIR"));
                std::fs::write(&path, &found).unwrap_or_else(|error| panic!("{path}: {error}"));
                continue;
            }
            failures.push(format!("{name}:\n  expected:\n{expected}  found:\n{found}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        FIXTURES.len(),
        failures.join("\n")
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_fixture_finds_something() {
    for (name, _, expected) in FIXTURES.iter().filter(|(name, ..)| name.starts_with("fixtures/")) {
        assert!(
            expected.is_some_and(|expected| !expected.trim().is_empty()),
            "{name} has no expected diagnostics"
        );
    }
}

/// What Meta's own examples do is never an error here: an error is a rule Meta states, and
/// Meta does not break its own rules in its documentation. (An example at a version older
/// than 5.1 gets the frozen-version error: Meta no longer publishes it either.)
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn meta_examples_give_no_error() {
    let corpus: Vec<_> = FIXTURES.iter().filter(|(name, ..)| name.starts_with("corpus/")).collect();
    assert!(corpus.len() >= 40, "the corpus has {} fixtures", corpus.len());
    let mut failures = Vec::new();
    for (name, input, expected) in &corpus {
        assert!(expected.is_some(), "{name} has no .expected file (write it with FLOW_MODEL_BLESS=1)");
        let version = name.split('/').nth(1).unwrap_or_default();
        let frozen = Version::parse(version).is_some_and(|version| !Version::PUBLISHABLE.contains(&version));
        for diagnostic in check(input).diagnostics.iter().filter(|d| d.is_error()) {
            if frozen && diagnostic.code() == flow_model::Code::UnsupportedFlowJsonVersion {
                continue;
            }
            failures.push(format!(
                "{name}: {} {} {}",
                diagnostic.code(),
                diagnostic.pointer,
                diagnostic.message()
            ));
        }
        let file = name.trim_start_matches("corpus/");
        assert!(
            CORPUS_README.contains(&format!("`{file}.json`")),
            "tests/corpus/README.md does not cite {file}.json"
        );
    }
    assert!(failures.is_empty(), "Meta's own examples give errors:\n{}", failures.join("\n"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn samples_cover_every_publishable_version_and_every_component() {
    let samples: Vec<_> = FIXTURES.iter().filter(|(name, ..)| name.starts_with("samples/")).collect();
    for version in Version::PUBLISHABLE {
        let found = samples.iter().any(|(name, ..)| name.starts_with(&format!("samples/{version}/")));
        assert!(found, "no sample flow for version {version}");
    }
    for component in flow_model::catalog::components() {
        let needle = format!("\"type\": \"{}\"", component.name);
        assert!(
            samples.iter().any(|(_, input, _)| input.contains(&needle)),
            "no sample uses {}",
            component.name
        );
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_bundled_template_is_valid_without_any_diagnostic() {
    let report = check(templates::APPOINTMENT_BOOKING);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(report.is_valid());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn diagnostics_have_spans_and_messages() {
    let report = check("{\n  \"version\": \"7.3\",\n  \"screens\": [{\"id\": \"A1\"}]\n}");
    assert!(!report.is_valid());
    let id = report.diagnostics.iter().find(|d| d.pointer == "/screens/0/id").expect("the id is reported");
    let span = id.span.expect("a span");
    assert_eq!((span.start.line, span.start.column), (3, 22));
    assert_eq!(
        id.message(),
        "Screen id 'A1' should only consist of alphabets and underscores, and not only underscores."
    );
}
