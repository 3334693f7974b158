//! Embeds the test fixtures (`tests/fixtures/**/*.json` and `tests/corpus/**/*.json` with their
//! `.expected` files, and `tests/samples/**/*.json`) into the integration tests as
//! `include_str!`s, so the same tests run on wasm32, where there is no filesystem.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut code = String::from(
        "/// (name, flow.json, expected diagnostics or `None` for a sample without diagnostics).\n",
    );
    code.push_str("pub const FIXTURES: &[(&str, &str, Option<&str>)] = &[\n");
    for folder in ["fixtures", "samples", "corpus"] {
        let base = root.join("tests").join(folder);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &mut files);
        files.sort();
        for file in files {
            let name = file.strip_prefix(&base).unwrap_or(&file).with_extension("");
            let name = format!("{folder}/{}", name.display()).replace('\\', "/");
            let expected = file.with_extension("expected");
            let expected = if expected.exists() {
                format!("Some(include_str!({:?}))", expected.display().to_string())
            } else {
                "None".to_owned()
            };
            let _ =
                writeln!(code, "    ({name:?}, include_str!({:?}), {expected}),", file.display().to_string());
        }
    }
    code.push_str("];\n");
    let readme = root.join("tests/corpus/README.md");
    println!("cargo:rerun-if-changed={}", readme.display());
    let _ = writeln!(
        code,
        "/// Where Meta shows what each corpus fixture reproduces.\npub const CORPUS_README: &str = include_str!({:?});",
        readme.display().to_string()
    );
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("fixtures.rs");
    if let Err(error) = fs::write(&out, code) {
        panic!("cannot write {}: {error}", out.display());
    }
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "json") {
            files.push(path);
        }
    }
}
