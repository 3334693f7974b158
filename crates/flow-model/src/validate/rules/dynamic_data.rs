//! §6.1, §6.4: every binding a screen shows resolves: `${data.x}` is declared by the screen's
//! data model with a fitting type, `${form.x}` names an input of the screen, and
//! `${screen.ID.…}` names another existing screen, from 4.0 (before, Meta's binding pattern
//! `^\$\{data\..+\}$` does not know it: the text is shown as written). Bindings inside nested expressions
//! and If conditions count too; action payloads have their own rule.
use super::super::context::{Flow, Resolved};

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use super::super::strings::{self, StringAt};
use crate::catalog::Kind;
use crate::diagnostic::{DataProblem, Diagnostic};
use crate::expression::{self, Dynamic, Reference, Type};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Data::MissingDynamicData",
        Code::InvalidScreenDynamicData,
        "`${data.x}` is declared by the screen's data model",
        &[
            Docs(Page::ErrorCodes, "Missing dynamic data '…' in the screen data model"),
            Builder("WAFlowJSONScreenDynamicDataValidatorV500, V600"),
        ],
    ),
    error(
        "Data::DynamicDataType",
        Code::InvalidScreenDynamicData,
        "a binding's declared type fits where it is used",
        &[Docs(Page::ErrorCodes, "Expected '…' to be of type '…'")],
    ),
    error(
        "Data::ArrayDereference",
        Code::InvalidScreenDynamicData,
        "no binding reads into an array's item schema",
        &[Docs(Page::ErrorCodes, "is invalid as 'items' is defined in an array schema")],
    ),
    error(
        "Data::MissingFormComponent",
        Code::InvalidScreenDynamicData,
        "`${form.x}` names an input of the screen",
        &[
            Docs(Page::ErrorCodes, "Missing Form component … for screen"),
            Builder("WAFlowJSONScreenDynamicDataValidatorV600"),
        ],
    ),
    error(
        "Data::FormContainerReference",
        Code::InvalidOnClickActionPayload,
        "`${form.x}` does not name the Form",
        &[Docs(Page::ErrorCodes, "Value of 'Form' component cannot be used in form binding")],
    ),
    error(
        "Data::UnknownScreenReference",
        Code::InvalidScreenDynamicData,
        "`${screen.X…}` names a screen",
        &[Docs(Page::FlowJson, "Global dynamic and form properties")],
    ),
    error(
        "Data::SelfScreenReference",
        Code::InvalidScreenDynamicData,
        "`${screen.X…}` names another screen",
        &[Docs(Page::FlowJson, "Global dynamic and form properties: convert to local referencing")],
    ),
    error(
        "Data::GlobalReferenceTooOld",
        Code::InvalidScreenDynamicData,
        "`${screen.X…}` from 4.0",
        &[
            Docs(Page::FlowJson, "Global dynamic and form properties (4.0+)"),
            Builder("WAFlowJSONSchemaUtils: binding patterns by version"),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    strings::each(flow, &mut |string| {
        if !string.is_dynamic() && !string.is_condition() {
            return;
        }
        match expression::classify(string.text) {
            Dynamic::Binding(reference) => {
                if let Some(problem) = resolution_problem(flow, string.screen, &reference) {
                    out.push(Diagnostic::error(flow.pointer(&string.at), problem));
                } else if string.whole
                    && let Some(problem) = type_problem(flow, string, &reference)
                {
                    out.push(Diagnostic::error(flow.pointer(&string.at), problem));
                }
            }
            Dynamic::Expression(inner) => each_reference(flow, string, inner, out),
            _ if string.is_condition() => each_reference(flow, string, string.text, out),
            _ => {}
        }
    });
}

/// Reports every unresolved binding of an expression (syntax is the `expressions` rule's).
fn each_reference(flow: &Flow<'_>, string: &StringAt<'_>, text: &str, out: &mut Vec<Diagnostic>) {
    let mut report = |reference: &Reference<'_>| {
        if let Some(problem) = resolution_problem(flow, string.screen, reference) {
            out.push(Diagnostic::error(flow.pointer(&string.at), problem));
        }
    };
    // The context checked the expression once, and kept the bindings it read.
    match &string.checked {
        Some(checked) => flow.references_of(checked).iter().for_each(report),
        None => {
            let _ = expression::check(text, &mut |reference| {
                report(&reference);
                flow.type_of(string.screen, &reference)
            });
        }
    }
}

/// Why `reference` does not resolve on screen `screen`, if it does not.
pub(crate) fn resolution_problem(
    flow: &Flow<'_>,
    screen: usize,
    reference: &Reference<'_>,
) -> Option<DataProblem> {
    let text = || reference.text.to_owned();
    let label = || flow.screens.get(screen).map(|screen| screen.label()).unwrap_or_default();
    if reference.screen.is_some() && !flow.version.supports(Feature::GlobalReferences) {
        return Some(DataProblem::GlobalReferenceTooOld { reference: text(), version: flow.version });
    }
    match flow.resolve(screen, reference) {
        Resolved::Found(_) | Resolved::Input(_) => None,
        Resolved::MissingData => match reference.screen {
            Some(other) => Some(DataProblem::MissingDynamicData {
                reference: text(),
                screen: other.to_owned(),
                in_payload: false,
            }),
            None => Some(DataProblem::MissingDynamicData {
                reference: text(),
                screen: label(),
                in_payload: false,
            }),
        },
        Resolved::MissingInput => Some(DataProblem::MissingFormComponent {
            reference: text(),
            screen: reference.screen.map_or_else(label, str::to_owned),
            in_payload: false,
        }),
        Resolved::FormContainer => Some(DataProblem::FormContainerReference),
        Resolved::ArrayDereference => Some(DataProblem::ArrayDereference { reference: text() }),
        Resolved::UnknownScreen => Some(DataProblem::UnknownScreenReference {
            reference: text(),
            screen: reference.screen.unwrap_or_default().to_owned(),
        }),
        Resolved::SelfScreen => Some(DataProblem::SelfScreenReference { reference: text() }),
    }
}

/// The JSON Schema types that fit a property's kind.
fn accepted(kind: &Kind, into: &mut Vec<&'static str>) {
    match kind {
        Kind::String(_) | Kind::Enum(_) => into.push("string"),
        Kind::Boolean => into.push("boolean"),
        Kind::Number | Kind::Integer => into.extend(["number", "integer"]),
        Kind::List(_) | Kind::Components => into.push("array"),
        Kind::Object(_) | Kind::Map(_) | Kind::Action(_) | Kind::Cases => into.push("object"),
        Kind::Any => into.extend(["string", "number", "integer", "boolean", "object", "array"]),
        Kind::OneOf(kinds) => kinds.iter().for_each(|kind| accepted(kind, into)),
    }
}

fn type_problem(flow: &Flow<'_>, string: &StringAt<'_>, reference: &Reference<'_>) -> Option<DataProblem> {
    let property = string.property?;
    let found = match flow.resolve(string.screen, reference) {
        Resolved::Found(Some(found)) => found,
        Resolved::Input(Type::String) => "string",
        Resolved::Input(Type::Boolean) => "boolean",
        Resolved::Input(Type::Number) => "number",
        Resolved::Input(Type::Array) => "array",
        _ => return None,
    };
    let mut expected = Vec::new();
    accepted(&property.kind, &mut expected);
    // Text shows numbers and booleans as text.
    if expected.contains(&"string") && matches!(property.kind, Kind::String(_)) {
        expected.extend(["number", "integer", "boolean"]);
    }
    if expected.contains(&found) {
        return None;
    }
    expected.dedup();
    Some(DataProblem::DynamicDataType {
        reference: reference.text.to_owned(),
        expected: expected.join(" or "),
        found: found.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn bindings_resolve_with_fitting_types() {
        let flow = json!({"version": "7.3", "screens": [
            {"id": "A", "title": "${data.missing}", "data": {
                "name": {"type": "string", "__example__": "x"},
                "show": {"type": "string", "__example__": "x"},
                "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}, "__example__": []}
            }, "layout": {"children": [
                {"type": "TextHeading", "text": "${data.name}", "visible": "${data.show}"},
                {"type": "TextBody", "text": "`'Hi ' ${form.nobody} ${data.items.id}`"},
                {"type": "TextCaption", "text": "${screen.B.data.x}"},
                {"type": "TextCaption", "text": "${screen.A.data.name}"},
                {"type": "TextCaption", "text": "${screen.C.form.x}"},
                {"type": "If", "condition": "${data.nope} == 'x'", "then": []}
            ]}},
            {"id": "B", "data": {"x": {"type": "string", "__example__": "x"}}}
        ]});
        expect(
            check,
            &flow,
            &[
                (Code::InvalidScreenDynamicData, "/screens/0/title"),
                (Code::InvalidScreenDynamicData, &format!("{C0}/visible")),
                (Code::InvalidScreenDynamicData, &format!("{C1}/text")),
                (Code::InvalidScreenDynamicData, &format!("{C1}/text")),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/3/text"),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/4/text"),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/5/condition"),
            ],
        );
    }

    #[test]
    fn global_references_need_4_0() {
        let flow = |version: &str| {
            json!({"version": version, "screens": [
                {"id": "A", "title": "A", "layout": {"children": [{"type": "TextHeading", "text": "${screen.B.data.x}"}]}},
                {"id": "B", "title": "B", "data": {"x": {"type": "string", "__example__": "x"}}}
            ]})
        };
        expect(check, &flow("3.1"), &[(Code::InvalidScreenDynamicData, C0_TEXT)]);
        expect(check, &flow("4.0"), &[]);
    }

    const C0_TEXT: &str = "/screens/0/layout/children/0/text";
}
