//! The release build of the app: Trunk, then wasm-opt, then a size report, for each of the three
//! bundles: the editor (`index.html` into `dist/`), the phone preview served at `/embed`
//! (`embed.html` into `dist/embed/`, its own wasm binary so the editor's bundle does not carry
//! the renderer) and the Flows page at `/flows` (`flows.html` into `dist/flows/`: the team's
//! workspace, out of the editor's bundle for the same reason). The code and styles are then precompressed (`precompress.rs`) and the
//! report gives their sizes as served.
use std::path::{Path, PathBuf};

use crate::pipeline::{Failure, show};
use crate::precompress::{COMPRESSED_KINDS, Sizes, precompress};
use crate::tools::{self, BuildTools};

/// wasm-opt passes: size first. Wasm features are read from the module's target_features section.
const WASM_OPT_ARGS: &[&str] = &["-Oz", "--strip-debug", "--strip-producers"];

/// The second wasm-opt run: only moves functions into the order their names give
/// (`wasm_order.rs`), then drops those names. The levels are -Oz's: without them wasm-opt writes
/// the same code 5 KB larger (it keeps no stack IR optimisation from the first run).
const WASM_ORDER_ARGS: &[&str] = &[
    "--optimize-level=2",
    "--shrink-level=2",
    "--reorder-functions-by-name",
    "--strip-debug",
    "--strip-producers",
];

/// The release build's compiler options that are not stable Rust, for a smaller wasm: panics
/// abort at once instead of formatting a message (each panic site, every bounds check and
/// `unwrap`, loses its message-building code), which needs the standard library compiled with
/// the app (`-Zbuild-std`; .cargo/config.toml keeps it, its allocator and hash tables at opt-level 3,
/// as the prebuilt one is). −28.7 KB gzip for the editor (BENCHMARKS.md), for panics that show in
/// the console as "unreachable" without their message: debug builds and the browser tests keep
/// the messages. std's `optimize_for_size` variant was tried: 0.2 KB smaller, slower.
///
/// `RUSTC_BOOTSTRAP=1` lets the stable toolchain accept them, as Firefox and the Linux kernel
/// do, rather than a nightly toolchain to download and pin. The options are those of Rust 1.95;
/// a later toolchain that renames them fails this build with the compiler's message.
/// `RUSTFLAGS` replaces the wasm32 flags of `.cargo/config.toml`, hence `erase_components` again.
const SIZE_OPTIONS: &[(&str, &str)] = &[
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("RUSTFLAGS", "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort"),
];

/// One Trunk build: its page, its folder under `dist/`, the URL it is served at, and its size
/// budget (wasm, JS and CSS, gzip, in KB of 1024 bytes as reported), if it has one.
struct Bundle {
    name: &'static str,
    page: &'static str,
    folder: &'static str,
    public_url: &'static str,
    budget_kb: Option<u64>,
}

/// The editor first: Trunk replaces its whole dist folder, which holds the preview's.
const BUNDLES: &[Bundle] = &[
    // Issue 4: under 600 KB gzip including the code editor. A build over it fails, so a change
    // that grows the bundle past it is seen where it is made.
    Bundle { name: "editor", page: "index.html", folder: "dist", public_url: "/", budget_kb: Some(600) },
    Bundle {
        name: "preview (/embed)",
        page: "embed.html",
        folder: "dist/embed",
        public_url: "/embed/",
        budget_kb: None,
    },
    Bundle {
        name: "flows (/flows)",
        page: "flows.html",
        folder: "dist/flows",
        public_url: "/flows/",
        budget_kb: None,
    },
];

/// The pages' own folders inside the editor's: left out of the editor's files.
const NESTED: [&str; 2] = ["dist/embed", "dist/flows"];

/// Builds both bundles. Over its budget, a bundle fails the build when `enforce_budgets` (test,
/// build, bench), and is only said otherwise (serve: the app still runs while it is slimmed).
pub fn build_release(build_tools: &BuildTools, enforce_budgets: bool) -> Result<(), Failure> {
    let root = tools::workspace_root();
    for bundle in BUNDLES {
        let mut trunk = tools::command(&build_tools.trunk);
        trunk.envs(SIZE_OPTIONS.iter().copied());
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
    let skip: Vec<PathBuf> = NESTED.iter().map(|folder| root.join(folder)).collect();
    for bundle in BUNDLES {
        let dist = root.join(bundle.folder);
        match &build_tools.wasm_opt {
            Some(wasm_opt) => optimize(wasm_opt, &dist, &skip)?,
            None => println!("note: wasm-opt is not installed, so the wasm bundle is not size-optimized"),
        }
        minify_loaders_and_styles(&dist, &skip)?;
        let total = precompress_and_report(bundle.name, &dist, &skip)?;
        if let Some(budget) = bundle.budget_kb {
            match check_budget(bundle.name, total.gzip, budget) {
                Err(over) if !enforce_budgets => println!("warning: {over}"),
                checked => checked?,
            }
        }
    }
    Ok(())
}

/// Fails when a bundle's gzip total is over its budget.
fn check_budget(name: &str, gzip: u64, budget_kb: u64) -> Result<(), Failure> {
    if gzip < budget_kb * 1024 {
        println!("    {name}: {} gzip, under its budget of {budget_kb} KB", kilobytes(gzip));
        return Ok(());
    }
    Err(Failure::new(format!(
        "the {name} bundle is {} gzip, over its budget of {budget_kb} KB (BENCHMARKS.md says where the bytes go)",
        kilobytes(gzip)
    )))
}

/// Files of `dir` and its subfolders (wasm-bindgen snippets) with this extension, sorted;
/// `skip` (the other pages' folders inside the editor's) are left out.
fn files_with_extension(dir: &Path, extension: &str, skip: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| Failure::new(format!("cannot read {}: {error}", dir.display())))?;
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            if path.is_dir() {
                if !skip.contains(&path) {
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

fn optimize(wasm_opt: &Path, dist: &Path, skip: &[PathBuf]) -> Result<(), Failure> {
    for wasm in files_with_extension(dist, "wasm", skip)? {
        let before = file_size(&wasm)?;
        run_wasm_opt(wasm_opt, WASM_OPT_ARGS, &wasm)?;
        let optimized = file_size(&wasm)?;
        // Then the same code in an order gzip compresses better (`wasm_order.rs`).
        let module = std::fs::read(&wasm)
            .map_err(|error| Failure::new(format!("cannot read {}: {error}", wasm.display())))?;
        let named = crate::wasm_order::name_functions_in_similarity_order(&module)?;
        std::fs::write(&wasm, named)
            .map_err(|error| Failure::new(format!("cannot write {}: {error}", wasm.display())))?;
        run_wasm_opt(wasm_opt, WASM_ORDER_ARGS, &wasm)?;
        println!(
            "    wasm-opt: {} -> {} (reordered: {})",
            kilobytes(before),
            kilobytes(optimized),
            kilobytes(file_size(&wasm)?)
        );
    }
    Ok(())
}

/// Runs wasm-opt on `wasm` in place.
fn run_wasm_opt(wasm_opt: &Path, args: &[&str], wasm: &Path) -> Result<(), Failure> {
    let optimized = wasm.with_extension("opt.wasm");
    let mut command = tools::command(wasm_opt);
    command.args(args).arg(wasm).arg("-o").arg(&optimized);
    let shown = show(&command);
    println!("$ {shown}");
    let status = command.status().map_err(|error| Failure::new(format!("cannot run wasm-opt: {error}")))?;
    if !status.success() {
        return Err(Failure::new(format!("`{shown}` exited with {status}")));
    }
    std::fs::rename(&optimized, wasm)
        .map_err(|error| Failure::new(format!("cannot replace {}: {error}", wasm.display())))
}

/// wasm-bindgen's loader and snippets and the style sheets, minified by esbuild (installed from
/// npm with the code editor, which is already minified when bundled). Trunk's own minifier is
/// off: Trunk 0.21's fails on the loader. One esbuild call for every file, in place; exports
/// keep their names.
fn minify_loaders_and_styles(dist: &Path, skip: &[PathBuf]) -> Result<(), Failure> {
    let mut scripts: Vec<PathBuf> = files_with_extension(dist, "js", skip)?
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name != "code-editor.js"))
        .collect();
    scripts.extend(files_with_extension(dist, "css", skip)?);
    if scripts.is_empty() {
        return Ok(());
    }
    let esbuild = tools::workspace_root().join("node_modules/.bin/esbuild");
    let mut command = tools::command(&esbuild);
    command
        .args(&scripts)
        .args(["--minify", "--format=esm", "--target=es2020", "--allow-overwrite", "--log-level=warning"])
        // wasm-bindgen lists a snippet module twice in its import object: harmless, not ours.
        .arg("--log-override:duplicate-object-key=silent")
        .arg(format!("--outdir={}", dist.display()))
        .arg(format!("--outbase={}", dist.display()));
    let shown = show(&command);
    println!("$ {shown}");
    let status = command.status().map_err(|error| Failure::new(format!("cannot run esbuild: {error}")))?;
    if !status.success() {
        return Err(Failure::new(format!("`{shown}` exited with {status}")));
    }
    Ok(())
}

fn file_size(path: &Path) -> Result<u64, Failure> {
    std::fs::metadata(path)
        .map(|metadata| metadata.len())
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// Writes the compressed copies of what the browser downloads (all at once, so the largest
/// file is not compressed alone) and prints their sizes per kind and in total (what the bundle
/// budget counts: wasm, JS and CSS), and returns the total.
fn precompress_and_report(name: &str, dist: &Path, skip: &[PathBuf]) -> Result<Sizes, Failure> {
    let mut files = Vec::new();
    for kind in COMPRESSED_KINDS {
        files.extend(files_with_extension(dist, kind, skip)?);
    }
    let sizes = precompress(&files)?;
    println!("\n    {name}");
    println!("    bundle        raw    gzip (zopfli)    brotli");
    let mut total = Sizes::default();
    for kind in COMPRESSED_KINDS {
        let mut of_kind = Sizes::default();
        for (file, file_sizes) in files.iter().zip(&sizes) {
            if file.extension().is_some_and(|extension| extension == *kind) {
                of_kind += *file_sizes;
            }
        }
        print_sizes(kind, of_kind);
        total += of_kind;
    }
    print_sizes("total", total);
    Ok(total)
}

fn print_sizes(label: &str, sizes: Sizes) {
    println!(
        "    {label:<8} {:>10}   {:>10}   {:>10}",
        kilobytes(sizes.raw),
        kilobytes(sizes.gzip),
        kilobytes(sizes.brotli)
    );
}

#[cfg(test)]
mod tests {
    use super::check_budget;

    #[test]
    fn a_bundle_at_or_over_its_budget_fails_the_build() {
        assert!(check_budget("editor", 599 * 1024 + 1023, 600).is_ok());
        assert!(check_budget("editor", 600 * 1024, 600).is_err());
        let failure = check_budget("editor", 612 * 1024, 600).unwrap_err();
        assert!(failure.to_string().contains("612.0 KB gzip, over its budget of 600 KB"), "{failure}");
    }
}
