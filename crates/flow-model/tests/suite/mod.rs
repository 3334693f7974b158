//! On wasm32, `#[test]` is wasm-bindgen-test's, so the same tests run in the browser.

/// One test per fixture `fixtures/FOLDER/NAME.json`: `render` turns the fixture's JSON into
/// text, compared with `NAME.expected` beside it (`FLOW_MODEL_BLESS=1` rewrites that instead).
macro_rules! fixture_tests {
    ($folder:literal, $render:path, { $($test:ident => $name:literal,)* }) => {$(
        #[test]
        fn $test() {
            let input = include_str!(concat!("fixtures/", $folder, "/", $name, ".json"));
            let fixture: serde_json::Value = serde_json::from_str(input).expect("the fixture is JSON");
            let expected = include_str!(concat!("fixtures/", $folder, "/", $name, ".expected"));
            crate::suite::expect($folder, $name, &$render(&fixture), expected);
        }
    )*};
}

/// Compares what a fixture gives with what is expected of it, or, natively with
/// `FLOW_MODEL_BLESS=1`, writes it as the new expectation.
pub fn expect(folder: &str, name: &str, actual: &str, expected: &str) {
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("FLOW_MODEL_BLESS").is_some() {
        let path = format!("{}/tests/suite/fixtures/{folder}/{name}.expected", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(path, actual).expect("write the expectation");
        return;
    }
    assert_eq!(
        actual,
        expected.replace("\r\n", "\n"),
        "fixtures/{folder}/{name}: differs from {name}.expected"
    );
}

mod documents;
mod edit;
mod evaluate;
mod graph;
mod history;
mod layout;
mod message;
mod mock;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
#[cfg(target_arch = "wasm32")]
mod timing;
