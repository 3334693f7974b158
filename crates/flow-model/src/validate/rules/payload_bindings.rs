//! §5.1, §4.5: bindings in action payloads resolve (Meta checks on-click payloads in 5.x and
//! from 7.3; in between an unresolved binding is a warning); nested expressions in payloads
//! parse, and from 7.2 their bindings in complete / data_exchange payloads must resolve;
//! media picker values appear only as top-level payload values, never in navigate payloads,
//! and the pickers of a complete payload allow at most 10 files and 100 MiB. A `null` value is
//! a warning (§6.3: Flow data has no null).
use serde_json::{Map, Value};

use super::super::context::{ActionAt, Flow};
use crate::catalog::prop;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use super::dynamic_data::resolution_problem;
use super::mixed_text::suggestion;
use crate::catalog::{ActionName, Category};
use crate::diagnostic::{ActionProblem, DataProblem, Diagnostic, SchemaProblem, Severity};
use crate::expression::{self, Dynamic, Reference, Source};
use crate::json::{self, pointer};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Data::MissingDynamicData",
        Code::InvalidOnClickActionPayload,
        "payload bindings of data resolve (5.x and 7.3+)",
        &[
            Docs(Page::ErrorCodes, "Missing dynamic data '…' in the data model for screen …"),
            Builder("WAFlowJSONValidatorChainV500 and V703: on-click payload"),
        ],
    ),
    error(
        "Data::MissingFormComponent",
        Code::InvalidOnClickActionPayload,
        "payload bindings of inputs resolve (5.x and 7.3+)",
        &[
            Docs(Page::ErrorCodes, "Missing Form component … for screen"),
            Builder("WAFlowJSONValidatorChainV500 and V703: on-click payload"),
        ],
    ),
    error(
        "Data::FormContainerReference",
        Code::InvalidOnClickActionPayload,
        "no payload binding of the Form itself",
        &[Docs(Page::ErrorCodes, "Value of 'Form' component cannot be used in form binding")],
    ),
    error(
        "Data::UnknownScreenReference",
        Code::InvalidScreenDynamicData,
        "a payload's global reference names a screen",
        &[Docs(Page::FlowJson, "Global dynamic and form properties")],
    ),
    error(
        "Data::SelfScreenReference",
        Code::InvalidScreenDynamicData,
        "a payload's global reference names another screen",
        &[Docs(Page::FlowJson, "Global dynamic and form properties")],
    ),
    error(
        "Data::ArrayDereference",
        Code::InvalidScreenDynamicData,
        "no payload binding reads into an array's item schema",
        &[Docs(Page::ErrorCodes, "is invalid as 'items' is defined in an array schema")],
    ),
    error(
        "Data::GlobalReferenceTooOld",
        Code::InvalidScreenDynamicData,
        "global references in payloads from 4.0",
        &[Builder("WAFlowJSONSchemaUtils: binding patterns by version")],
    ),
    warning(
        "Data::MissingDynamicData",
        Code::InvalidOnClickActionPayload,
        "payload bindings of undeclared data, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions; the value is empty at run time")],
    ),
    warning(
        "Data::MissingFormComponent",
        Code::InvalidOnClickActionPayload,
        "payload bindings of inputs the screen lacks, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions; the value is empty at run time")],
    ),
    warning(
        "Data::FormContainerReference",
        Code::InvalidOnClickActionPayload,
        "a payload binding of the Form itself, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions")],
    ),
    warning(
        "Data::UnknownScreenReference",
        Code::InvalidScreenDynamicData,
        "a payload's global reference to no screen, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions")],
    ),
    warning(
        "Data::SelfScreenReference",
        Code::InvalidScreenDynamicData,
        "a payload's global reference to its own screen, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions")],
    ),
    warning(
        "Data::ArrayDereference",
        Code::InvalidScreenDynamicData,
        "a payload binding into an array's item schema, 6.0 to 7.2",
        &[Ours("Meta does not check on-click payloads in these versions")],
    ),
    error(
        "Data::Expression",
        Code::InvalidPropertyValue,
        "a nested expression in a payload parses and type-checks",
        &[Docs(Page::FlowJson, "Nested Expressions")],
    ),
    error(
        "Action::PayloadPropertyMissing",
        Code::InvalidActionPayloadProperty,
        "bindings of expressions in complete and data_exchange payloads resolve (7.2+)",
        &[
            Docs(Page::Changelog, "7.2: nested expressions in action payloads are validated"),
            Builder("WAFlowJSONNestedExpressionActionPayloadPropertyValidatorV702"),
        ],
    ),
    error(
        "Action::MediaInNavigatePayload",
        Code::InvalidOnClickActionPayload,
        "no media picker value in a navigate payload",
        &[Docs(Page::MediaUpload, "Limitations and restrictions")],
    ),
    error(
        "Action::MediaNotTopLevel",
        Code::InvalidOnClickActionPayload,
        "a media picker value only at the top of a payload",
        &[Docs(Page::MediaUpload, "Limitations and restrictions")],
    ),
    error(
        "Action::MediaPayloadTooLarge",
        Code::InvalidOnClickActionPayload,
        "a complete payload's pickers allow at most 10 files and 100 MiB",
        &[
            Docs(Page::MediaUpload, "Response message: at most 10 files, 100 MiB"),
            Builder("WAFlowJSONValidatorChainV500: complete payload media"),
        ],
    ),
    warning(
        "Schema::NullValue",
        Code::InvalidPropertyValue,
        "no `null` in a payload",
        &[Docs(Page::FlowJson, "null values are not supported")],
    ),
    warning(
        "Data::MixedBinding",
        Code::InvalidTextDynamicData,
        "a payload string mixed with `${…}` is sent as written",
        &[Ours("WhatsApp sends it literally")],
    ),
];

/// A response message carries at most this many files (§4.5).
const MAX_FILES: u64 = 10;
/// And at most this many kilobytes (100 MiB).
const MAX_KILOBYTES: u64 = 100 * 1024;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for action in &flow.actions {
        let Some(payload) = action.payload() else { continue };
        let at = pointer::join(&action.pointer, key::PAYLOAD);
        let mut walk = Walk { flow, action, out: &mut *out, pickers: Vec::new() };
        walk.object(payload, &at, 0);
        let pickers = walk.pickers;
        if action.name == Some(ActionName::Complete) && !pickers.is_empty() {
            let (files, kilobytes) = media_totals(flow, action, &pickers);
            // ⚠ §4.5: Meta's older rule allowed one picker of at most one file in a complete
            // payload; its current validator checks only these totals, and the reference says
            // to implement the newer rule. We do not warn on the older one: our own templates
            // (customer support, document upload) send several files, as Meta now accepts.
            if files > MAX_FILES || kilobytes > MAX_KILOBYTES {
                out.push(Diagnostic::error(at, ActionProblem::MediaPayloadTooLarge { files, kilobytes }));
            }
        }
    }
}

struct Walk<'f, 'a, 'o> {
    flow: &'f Flow<'a>,
    action: &'f ActionAt<'a>,
    out: &'o mut Vec<Diagnostic>,
    /// Names of the pickers the payload sends.
    pickers: Vec<String>,
}

impl Walk<'_, '_, '_> {
    fn object(&mut self, map: &Map<String, Value>, at: &str, depth: usize) {
        for (key, value) in map {
            self.value(value, &pointer::join(at, key), depth + 1);
        }
    }

    fn value(&mut self, value: &Value, at: &str, depth: usize) {
        if depth > json::MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) => self.string(text, at, depth),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.value(item, &pointer::join(at, index), depth + 1);
                }
            }
            Value::Object(map) => self.object(map, at, depth),
            // §6.3: Flow data is typed without null. A navigate payload is checked against the
            // next screen's data model, which declares no null; the others are not.
            Value::Null if self.action.name != Some(ActionName::Navigate) => {
                self.out.push(Diagnostic::warning(at, SchemaProblem::NullValue));
            }
            _ => {}
        }
    }

    fn severity(&self) -> Severity {
        if Feature::OnClickPayloadChecked.in_version(self.flow.version) {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    fn string(&mut self, text: &str, at: &str, depth: usize) {
        let flow = self.flow;
        match expression::classify(text) {
            Dynamic::Binding(reference) => {
                self.media(&reference, at, depth);
                if let Some(problem) = resolution_problem(flow, self.action.screen, &reference) {
                    let severity = self.severity();
                    self.out.push(Diagnostic {
                        severity,
                        pointer: at.to_owned(),
                        span: None,
                        problem: in_payload(problem).into(),
                    });
                }
            }
            Dynamic::Expression(inner) if flow.version.supports(Feature::NestedExpressions) => {
                let strict = flow.version.supports(Feature::PayloadExpressionsChecked)
                    && matches!(self.action.name, Some(ActionName::Complete | ActionName::DataExchange));
                let mut found = Vec::new();
                let result = expression::check(inner, &mut |reference| {
                    if let Some(problem) = resolution_problem(flow, self.action.screen, &reference) {
                        found.push((reference.text.to_owned(), problem));
                    }
                    flow.type_of(self.action.screen, &reference)
                });
                if let Err(error) = result {
                    let property =
                        pointer::split_last(at).map(|(_, last)| last.into_owned()).unwrap_or_default();
                    self.out.push(Diagnostic::error(at, DataProblem::Expression { property, error }));
                }
                for (reference, problem) in found {
                    let diagnostic = if strict {
                        Diagnostic::error(at, ActionProblem::PayloadPropertyMissing { reference })
                    } else {
                        Diagnostic {
                            severity: self.severity(),
                            pointer: at.to_owned(),
                            span: None,
                            problem: in_payload(problem).into(),
                        }
                    };
                    self.out.push(diagnostic);
                }
            }
            Dynamic::Interpolated => self.out.push(Diagnostic::warning(
                at,
                DataProblem::MixedBinding {
                    property: pointer::split_last(at).map(|(_, last)| last.into_owned()).unwrap_or_default(),
                    suggestion: flow.version.supports(Feature::NestedExpressions).then(|| suggestion(text)),
                    rich_text: false,
                },
            )),
            _ => {}
        }
    }

    /// Media picker values: not in navigate payloads, only as top-level values.
    fn media(&mut self, reference: &Reference<'_>, at: &str, depth: usize) {
        if reference.source != Source::Form || reference.screen.is_some() {
            return;
        }
        let Some(screen) = self.flow.screens.get(self.action.screen) else { return };
        let is_media = screen
            .named(reference.field())
            .and_then(|node| node.spec)
            .is_some_and(|spec| spec.category == Category::Media);
        if !is_media {
            return;
        }
        if self.action.name == Some(ActionName::Navigate) {
            self.out.push(Diagnostic::error(at, ActionProblem::MediaInNavigatePayload));
        } else if depth > 1 {
            self.out.push(Diagnostic::error(at, ActionProblem::MediaNotTopLevel));
        } else {
            self.pickers.push(reference.field().to_owned());
        }
    }
}

/// Meta words unresolved payload bindings differently from those in components.
fn in_payload(problem: DataProblem) -> DataProblem {
    match problem {
        DataProblem::MissingDynamicData { reference, screen, .. } => {
            DataProblem::MissingDynamicData { reference, screen, in_payload: true }
        }
        DataProblem::MissingFormComponent { reference, screen, .. } => {
            DataProblem::MissingFormComponent { reference, screen, in_payload: true }
        }
        other => other,
    }
}

/// Files and kilobytes the named pickers of the action's screen allow (catalog defaults when
/// unset).
fn media_totals(flow: &Flow<'_>, action: &ActionAt<'_>, pickers: &[String]) -> (u64, u64) {
    let Some(screen) = flow.screens.get(action.screen) else { return (0, 0) };
    let mut files = 0;
    let mut kilobytes = 0;
    for name in pickers {
        let Some(node) = screen.named(name) else { continue };
        let Some(spec) = node.spec else { continue };
        let number = |property: &str| -> u64 {
            let declared = node.at.component.get(property).and_then(Value::as_u64);
            let default =
                spec.property(property, flow.version).and_then(|p| p.default).and_then(|d| d.parse().ok());
            declared.or(default).unwrap_or(0)
        };
        let max_files =
            if spec.name == "PhotoPicker" { prop::MAX_UPLOADED_PHOTOS } else { prop::MAX_UPLOADED_DOCUMENTS };
        files += number(max_files);
        kilobytes += number(prop::MAX_FILE_SIZE_KB);
    }
    (files, kilobytes)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn with_footer(version: &str, action: Value) -> Value {
        let mut flow = screen(
            version,
            json!([{"type": "PhotoPicker", "name": "photo", "label": "P", "max-uploaded-photos": 2},
                   {"type": "Footer", "label": "Go", "on-click-action": action}]),
        );
        flow["screens"][0]["data"] = json!({"name": {"type": "string", "__example__": "x"}});
        flow
    }

    const AT: &str = "/screens/0/layout/children/1/on-click-action/payload";

    #[test]
    fn payload_bindings_resolve() {
        let flow = with_footer(
            "7.3",
            json!({"name": "complete", "payload": {"a": "${data.name}", "b": "${data.nope}", "c": {"d": "${form.nope}"}}}),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidOnClickActionPayload, &format!("{AT}/b")),
                (Code::InvalidOnClickActionPayload, &format!("{AT}/c/d")),
            ],
        );
        let expression = with_footer(
            "7.3",
            json!({"name": "complete", "payload": {"a": "`'x' ${data.nope}`", "b": "`'x' (`"}}),
        );
        expect(
            check,
            &expression,
            &[
                (Code::InvalidActionPayloadProperty, &format!("{AT}/a")),
                (Code::InvalidPropertyValue, &format!("{AT}/b")),
            ],
        );
    }

    #[test]
    fn null_values() {
        let flow =
            with_footer("7.3", json!({"name": "complete", "payload": {"a": null, "b": [1, null], "c": ""}}));
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{AT}/a")),
                (Code::InvalidPropertyValue, &format!("{AT}/b/1")),
            ],
        );
    }

    #[test]
    fn media_values() {
        let nested =
            with_footer("7.3", json!({"name": "complete", "payload": {"a": {"b": "${form.photo}"}}}));
        expect(check, &nested, &[(Code::InvalidOnClickActionPayload, &format!("{AT}/a/b"))]);
        let mut navigate = with_footer(
            "7.3",
            json!({"name": "navigate", "next": {"type": "screen", "name": "B"}, "payload": {"p": "${form.photo}"}}),
        );
        navigate["screens"][0]["terminal"] = json!(false);
        expect(check, &navigate, &[(Code::InvalidOnClickActionPayload, &format!("{AT}/p"))]);
        let fine = with_footer("7.3", json!({"name": "complete", "payload": {"p": "${form.photo}"}}));
        expect(check, &fine, &[]);
        let mut large = with_footer("7.3", json!({"name": "complete", "payload": {"p": "${form.photo}"}}));
        large["screens"][0]["layout"]["children"][0]["max-uploaded-photos"] = json!(20);
        expect(check, &large, &[(Code::InvalidOnClickActionPayload, AT)]);
    }
}
