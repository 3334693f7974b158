//! The release build of the app: Trunk, then wasm-opt, then a size report, for each of the two
//! bundles: the editor (`index.html` into `dist/`) and the phone preview served at `/embed`
//! (`embed.html` into `dist/embed/`, its own wasm binary so the editor's bundle does not carry
//! the renderer).
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::pipeline::{Failure, show};
use crate::tools::{self, BuildTools};

/// wasm-opt passes: size first. Wasm features are read from the module's target_features section.
const WASM_OPT_ARGS: &[&str] = &["-Oz", "--strip-debug", "--strip-producers"];

/// One Trunk build: its page, its folder under `dist/` and the URL it is served at.
struct Bundle {
    name: &'static str,
    page: &'static str,
    folder: &'static str,
    public_url: &'static str,
}

/// The editor first: Trunk replaces its whole dist folder, which holds the preview's.
const BUNDLES: &[Bundle] = &[
    Bundle { name: "editor", page: "index.html", folder: "dist", public_url: "/" },
    Bundle { name: "preview (/embed)", page: "embed.html", folder: "dist/embed", public_url: "/embed/" },
];

pub fn build_release(build_tools: &BuildTools) -> Result<(), Failure> {
    let root = tools::workspace_root();
    for bundle in BUNDLES {
        let mut trunk = tools::command(&build_tools.trunk);
        trunk.args([
            "build",
            bundle.page,
            "--release",
            "--dist",
            bundle.folder,
            "--public-url",
            bundle.public_url,
        ]);
        let shown = show(&trunk);
        println!("$ {shown}");
        let status = trunk.status().map_err(|error| Failure::new(format!("cannot run trunk: {error}")))?;
        if !status.success() {
            return Err(Failure::new(format!("`{shown}` exited with {status}")));
        }
    }
    for bundle in BUNDLES {
        let dist = root.join(bundle.folder);
        match &build_tools.wasm_opt {
            Some(wasm_opt) => optimize(wasm_opt, &dist, &root.join("dist/embed"))?,
            None => println!("note: wasm-opt is not installed, so the wasm bundle is not size-optimized"),
        }
        report_sizes(bundle.name, &dist, &root.join("dist/embed"))?;
    }
    Ok(())
}

/// Files of `dir` and its subfolders (wasm-bindgen snippets) with this extension, sorted;
/// `skip` (the preview's folder inside the editor's) is left out.
fn files_with_extension(dir: &Path, extension: &str, skip: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| Failure::new(format!("cannot read {}: {error}", dir.display())))?;
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            if path.is_dir() {
                if path != skip {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == extension) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn optimize(wasm_opt: &Path, dist: &Path, skip: &Path) -> Result<(), Failure> {
    for wasm in files_with_extension(dist, "wasm", skip)? {
        let optimized = wasm.with_extension("opt.wasm");
        let mut command = tools::command(wasm_opt);
        command.args(WASM_OPT_ARGS).arg(&wasm).arg("-o").arg(&optimized);
        let shown = show(&command);
        println!("$ {shown}");
        let status =
            command.status().map_err(|error| Failure::new(format!("cannot run wasm-opt: {error}")))?;
        if !status.success() {
            return Err(Failure::new(format!("`{shown}` exited with {status}")));
        }
        let before = file_size(&wasm)?;
        std::fs::rename(&optimized, &wasm)
            .map_err(|error| Failure::new(format!("cannot replace {}: {error}", wasm.display())))?;
        println!("    wasm-opt: {} -> {}", kilobytes(before), kilobytes(file_size(&wasm)?));
    }
    Ok(())
}

fn file_size(path: &Path) -> Result<u64, Failure> {
    std::fs::metadata(path)
        .map(|metadata| metadata.len())
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))
}

fn gzip_size(path: &Path) -> Result<u64, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).map_err(|error| Failure::new(format!("gzip: {error}")))?;
    let compressed = encoder.finish().map_err(|error| Failure::new(format!("gzip: {error}")))?;
    Ok(compressed.len() as u64)
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// Raw and gzip sizes of what the browser downloads, per kind and in total.
fn report_sizes(name: &str, dist: &Path, skip: &Path) -> Result<(), Failure> {
    println!("\n    {name}");
    println!("    bundle        raw          gzip");
    let (mut raw_total, mut gzip_total) = (0, 0);
    for kind in ["wasm", "js", "css"] {
        let (mut raw, mut gzip) = (0, 0);
        for file in files_with_extension(dist, kind, skip)? {
            raw += file_size(&file)?;
            gzip += gzip_size(&file)?;
        }
        println!("    {kind:<8} {:>10}   {:>10}", kilobytes(raw), kilobytes(gzip));
        raw_total += raw;
        gzip_total += gzip;
    }
    println!("    {:<8} {:>10}   {:>10}", "total", kilobytes(raw_total), kilobytes(gzip_total));
    Ok(())
}
