//! On whose authority each rule reports what it reports. Every rule file declares its
//! `REPORTS`: each problem it gives, at which severity, and where Meta states it (a page of
//! Meta's documentation, or the module of Meta's Flow Builder validator that checks it). A
//! check we derived ourselves, or one that Meta's own published examples break, is ours: it
//! may only be a warning. The rules' tests hold the declarations to what the rules do, and
//! `docs/rules.md` is written from them.
//!
//! The declarations are read by tests only: nothing here is compiled into the app.
pub(crate) use crate::diagnostic::Code;
use crate::diagnostic::Severity;
pub(crate) use Source::{Builder, Docs, Limit, Ours};

/// A page of Meta's WhatsApp Flows documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    /// "Flow JSON": top-level properties, screens, routing model, dynamic data, nested
    /// expressions, forms, actions.
    FlowJson,
    /// "Components": every component with its properties, limits and restrictions.
    Components,
    /// "Media upload components": PhotoPicker and DocumentPicker.
    MediaUpload,
    /// "Error codes": the static validation errors Meta's API returns.
    ErrorCodes,
    /// "Changelog": what each Flow JSON version changed.
    Changelog,
    /// "Versioning": frozen and expired versions.
    Versioning,
}

impl Page {
    /// The page's title and address.
    pub(crate) fn title_and_url(self) -> (&'static str, &'static str) {
        match self {
            Page::FlowJson => {
                ("Flow JSON", "https://developers.facebook.com/docs/whatsapp/flows/reference/flowjson")
            }
            Page::Components => {
                ("Components", "https://developers.facebook.com/docs/whatsapp/flows/reference/components")
            }
            Page::MediaUpload => (
                "Media upload components",
                "https://developers.facebook.com/docs/whatsapp/flows/reference/media_upload",
            ),
            Page::ErrorCodes => {
                ("Error codes", "https://developers.facebook.com/docs/whatsapp/flows/reference/error-codes")
            }
            Page::Changelog => {
                ("Changelog", "https://developers.facebook.com/docs/whatsapp/flows/changelogs")
            }
            Page::Versioning => {
                ("Versioning", "https://developers.facebook.com/docs/whatsapp/flows/guides/versioning")
            }
        }
    }
}

/// Where a check comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A section of a page of Meta's documentation (its heading, or what it says).
    Docs(Page, &'static str),
    /// The module of Meta's Flow Builder validator (the `WAFlowJSON*` JavaScript the
    /// WhatsApp Manager ships) that makes the check, and what it says.
    Builder(&'static str),
    /// Ours: why we report it although Meta does not (derived by us, or contradicted by
    /// Meta's own examples). Only ever a warning.
    Ours(&'static str),
    /// A limit of our reader, past which there is no document to check (an error: nothing
    /// else can be said of the flow).
    Limit(&'static str),
}

/// One problem a rule gives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Report {
    /// Error or warning.
    pub severity: Severity,
    /// The problem's family and variant, e.g. `Routing::MissingScreens`.
    pub problem: &'static str,
    /// Meta's code for it.
    pub code: Code,
    /// What is checked, in a few words.
    pub what: &'static str,
    /// On whose authority.
    pub sources: &'static [Source],
}

/// An error: it must cite Meta.
pub(crate) const fn error(
    problem: &'static str,
    code: Code,
    what: &'static str,
    sources: &'static [Source],
) -> Report {
    Report { severity: Severity::Error, problem, code, what, sources }
}

/// A warning.
pub(crate) const fn warning(
    problem: &'static str,
    code: Code,
    what: &'static str,
    sources: &'static [Source],
) -> Report {
    Report { severity: Severity::Warning, problem, code, what, sources }
}

impl Report {
    /// Whether Meta states it (a page or the builder) and nothing of Meta's contradicts it:
    /// a report that cites [`Source::Ours`] too (a documented limit Meta's own examples break)
    /// is ours.
    pub(crate) fn is_meta(&self) -> bool {
        self.sources.iter().any(|source| matches!(source, Source::Docs(..) | Source::Builder(_)))
            && !self.sources.iter().any(|source| matches!(source, Source::Ours(_)))
    }
}

/// The reports of what `parse` finds before any rule runs (JSON-level problems).
pub(crate) const PARSE: &[Report] = &[
    error(
        "Json::Syntax",
        Code::InvalidFlowJson,
        "the text is JSON (RFC 8259)",
        &[Docs(Page::ErrorCodes, "INVALID_FLOW_JSON: Flow JSON is not valid")],
    ),
    error(
        "Json::TooLarge",
        Code::InvalidFlowJson,
        "at most 10 MB of text",
        &[Docs(Page::FlowJson, "Limitations: Flow JSON content string cannot exceed 10 MB")],
    ),
    error(
        "Json::TooDeep",
        Code::InvalidFlowJson,
        "objects and arrays nest at most 128 deep",
        &[Limit("deeper JSON is not read, so that no reader's stack can overflow; flows nest far less")],
    ),
    error(
        "Json::InvalidUtf8",
        Code::InvalidFlowJson,
        "the text is UTF-8",
        &[Docs(Page::ErrorCodes, "INVALID_FLOW_JSON: Flow JSON is not valid")],
    ),
    warning(
        "Json::ByteOrderMark",
        Code::InvalidFlowJson,
        "no UTF-8 byte order mark",
        &[Ours("RFC 8259 forbids it in JSON text sent over a network; some readers reject it")],
    ),
    warning(
        "Json::DuplicateKey",
        Code::InvalidFlowJson,
        "a property appears once per object (the last one wins)",
        &[Ours("JSON readers keep only the last value: the first is lost without a word")],
    ),
];

/// `docs/rules.md`: every rule with what it reports and on whose authority.
#[cfg(test)]
pub(crate) fn markdown(rules: &[(&str, &[Report])]) -> String {
    use std::fmt::Write as _;

    let mut out = String::from(
        "# Validation rules and their sources\n\n\
         Written by `cargo test -p flow-model --lib rules_md` from the `REPORTS` each rule file\n\
         declares (`crates/flow-model/src/validate/rules/<rule>.rs`); `FLOW_MODEL_BLESS=1` rewrites it.\n\
         Do not edit by hand.\n\n\
         An **error** is a rule Meta states: on a page of its documentation, or in its Flow Builder's\n\
         validator (the `WAFlowJSON*` modules the WhatsApp Manager runs; see\n\
         `/work/shared/reference/flow-json.md` §0). A check we derived ourselves, or one that Meta's own\n\
         published examples break, is **ours** and only ever a **warning**: Flowsmith never blocks a flow\n\
         that Meta would accept.\n\n",
    );
    let all: Vec<(&str, &Report)> =
        rules.iter().flat_map(|(rule, reports)| reports.iter().map(move |report| (*rule, report))).collect();
    let count = |keep: &dyn Fn(&Report) -> bool| all.iter().filter(|(_, report)| keep(report)).count();
    let _ = writeln!(
        out,
        "{} rules (and the JSON reader, `parse`), {} problems: {} stated by Meta ({} errors, {} warnings), \
         {} ours (warnings), {} a limit of our reader (an error: no document comes out).\n",
        rules.len() - 1,
        all.len(),
        count(&|report| report.is_meta()),
        count(&|report| report.is_meta() && report.severity == Severity::Error),
        count(&|report| report.is_meta() && report.severity == Severity::Warning),
        count(&|report| !report.is_meta() && report.severity == Severity::Warning),
        count(&|report| !report.is_meta() && report.severity == Severity::Error),
    );
    out.push_str("## Ours\n\nWhat Meta does not state, or its own examples break, and we warn about:\n\n");
    for (rule, report) in
        all.iter().filter(|(_, report)| !report.is_meta() && report.severity == Severity::Warning)
    {
        let why = report.sources.iter().find_map(|source| match source {
            Source::Ours(why) => Some(*why),
            _ => None,
        });
        let _ = writeln!(out, "- `{rule}`: {} ({})", report.what, why.unwrap_or_default());
    }
    out.push('\n');
    out.push_str("## Pages cited\n\n");
    for page in [
        Page::FlowJson,
        Page::Components,
        Page::MediaUpload,
        Page::ErrorCodes,
        Page::Changelog,
        Page::Versioning,
    ] {
        let (title, url) = page.title_and_url();
        let _ = writeln!(out, "- [{title}]({url})");
    }
    out.push('\n');
    for (rule, reports) in rules {
        let _ = writeln!(out, "## `{rule}`\n");
        out.push_str("| | Code | What | Source |\n|---|---|---|---|\n");
        for report in *reports {
            let severity = match (report.severity, report.is_meta()) {
                (Severity::Error, true) => "error",
                (Severity::Error, false) => "error (limit)",
                (Severity::Warning, true) => "warning",
                (Severity::Warning, false) => "warning (ours)",
            };
            let sources: Vec<String> = report
                .sources
                .iter()
                .map(|source| match source {
                    Source::Docs(page, section) => format!("{}: {section}", page.title_and_url().0),
                    Source::Builder(module) => format!("Meta's builder: {module}"),
                    Source::Ours(why) => format!("ours: {why}"),
                    Source::Limit(why) => format!("our reader's limit: {why}"),
                })
                .collect();
            let _ = writeln!(
                out,
                "| {severity} | `{}` | {} | {} |",
                report.code,
                report.what.replace('|', "\\|"),
                sources.join("; ").replace('|', "\\|")
            );
        }
        out.push('\n');
    }
    out
}
