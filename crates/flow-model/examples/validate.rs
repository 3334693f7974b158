//! Validates the flow.json files given on the command line and prints each diagnostic.
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let report = flow_model::check(&bytes);
        for d in &report.diagnostics {
            let line = d.span.map_or(0, |s| s.start.line);
            println!("{path}:{line}: {} {} {} {}", d.severity.as_str(), d.code(), d.pointer, d.message());
        }
        println!("{path}: {}", if report.is_valid() { "valid" } else { "invalid" });
    }
}
