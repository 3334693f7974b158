//! What happens in a running flow, as pure functions over JSON values (tested natively): the
//! data a screen starts with, its inputs' initial values, the client-side checks WhatsApp makes
//! before an action, what an action does, and how an endpoint's answer moves the flow on.
//! The reactive layer (`session.rs`) holds the state and calls these.
use flow_model::catalog::{ActionName, prop};
use flow_model::evaluate::{self, Lookup, display, truthy};
use flow_model::expression::ExpressionError;
use flow_model::model::{Action, Component, ComponentKind, Flow, Screen, Switch};
use flow_model::version::Version;
use serde_json::{Map, Value};

use super::error::PreviewError;

/// The flow token the preview sends (Meta's default when a message names none).
pub const FLOW_TOKEN: &str = "unused";

/// The screen with this id (`flow` is the flow's JSON value).
pub fn screen<'f>(flow: &'f Value, id: &str) -> Option<Screen<'f>> {
    Flow::from_value(flow)?.screen(id)
}

/// The ids of the screens, in order.
pub fn screen_ids(flow: &Value) -> Vec<String> {
    Flow::from_value(flow).map(|flow| flow.screen_ids().map(str::to_owned).collect()).unwrap_or_default()
}

/// The data a screen starts with when nothing sent it any: the `__example__` of each field of
/// its data model.
pub fn example_data(screen: Screen<'_>) -> Map<String, Value> {
    screen.data().map(|data| data.examples()).unwrap_or_default()
}

/// An object property that may be written as an object or as a binding of one, evaluated
/// (Form `init-values` and `error-messages`).
pub fn object_value(value: Option<&Value>, lookup: &mut Lookup<'_>) -> Option<Map<String, Value>> {
    let value = match value {
        Some(Value::String(text)) => evaluate::evaluate_text(text, lookup).ok(),
        other => other.cloned(),
    };
    match value {
        Some(Value::Object(object)) => Some(object),
        _ => None,
    }
}

/// The initial values of a screen's inputs: each Form's `init-values` and each component's
/// `init-value`, evaluated against the screen's data. Expressions that do not evaluate are
/// left out (the input starts empty).
pub fn initial_form(screen: Screen<'_>, lookup: &mut Lookup<'_>) -> Map<String, Value> {
    let mut values = Map::new();
    for component in screen.every_component() {
        if let ComponentKind::Form(form) = component.kind() {
            for (name, value) in object_value(form.init_values(), lookup).unwrap_or_default() {
                if let Ok(value) = evaluate::evaluate_value(&value, lookup) {
                    values.insert(name, value);
                }
            }
        } else if let (Some(name), Some(init)) = (component.name(), component.init_value())
            && let Ok(value) = evaluate::evaluate_value(init, lookup)
            && !value.is_null()
        {
            values.insert(name.to_owned(), value);
        }
    }
    values
}

/// What an action does, its payload evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Go to `screen` with `data` as its `${data}`.
    Navigate {
        /// The next screen's id.
        screen: String,
        /// The payload.
        data: Map<String, Value>,
    },
    /// End the flow: the business receives `response` (the payload and the flow token).
    Complete {
        /// The response JSON.
        response: Map<String, Value>,
    },
    /// Ask the endpoint (or its mock) with this payload.
    DataExchange {
        /// The payload.
        payload: Map<String, Value>,
    },
    /// Merge the payload into the current screen's data.
    UpdateData {
        /// The payload.
        payload: Map<String, Value>,
    },
    /// Open a web page (the preview shows the address instead).
    OpenUrl {
        /// The address.
        url: String,
    },
    /// The action cannot run; says why.
    Invalid(String),
}

const NO_NAME: &str = "The action has no name.";

/// What `action` (an action object) does with the current values.
pub fn step(action: &Value, lookup: &mut Lookup<'_>) -> Step {
    let Some(action) = Action::new(action) else { return Step::Invalid(NO_NAME.to_owned()) };
    let name = action.name_text().unwrap_or_default();
    let payload = match action.payload() {
        None => Ok(Map::new()),
        Some(payload) => match evaluate::evaluate_value(payload, lookup) {
            Ok(Value::Object(payload)) => Ok(payload),
            Ok(_) => Err("its payload is not an object".to_owned()),
            Err(error) => Err(format!("its payload does not evaluate: {error}")),
        },
    };
    let payload = match payload {
        Ok(payload) => payload,
        Err(why) => return Step::Invalid(format!("The {name} action cannot run: {why}")),
    };
    match ActionName::parse(name) {
        Some(ActionName::Navigate) => match action.next() {
            Some(screen) => Step::Navigate { screen: screen.to_owned(), data: payload },
            None => Step::Invalid("The navigate action names no next screen.".to_owned()),
        },
        Some(ActionName::Complete) => {
            let mut response = payload;
            response.insert("flow_token".to_owned(), Value::String(FLOW_TOKEN.to_owned()));
            Step::Complete { response }
        }
        Some(ActionName::DataExchange) => Step::DataExchange { payload },
        Some(ActionName::UpdateData) => Step::UpdateData { payload },
        Some(ActionName::OpenUrl) => match action.url() {
            Some(url) => match evaluate::evaluate_text(url, lookup) {
                Ok(url) => Step::OpenUrl { url: display(&url) },
                Err(error) => Step::Invalid(format!("The open_url address does not evaluate: {error}")),
            },
            None => Step::Invalid("The open_url action has no url.".to_owned()),
        },
        None if name.is_empty() => Step::Invalid(NO_NAME.to_owned()),
        None => Step::Invalid(format!("'{name}' is not an action WhatsApp knows.")),
    }
}

/// The request body a plain-JSON test endpoint receives for a data_exchange: the decrypted
/// shape of Meta's request (§10.2).
pub fn endpoint_request(screen: &str, payload: &Map<String, Value>) -> Value {
    let mut request = Map::new();
    request.insert("version".to_owned(), Value::String("3.0".to_owned()));
    request.insert("action".to_owned(), Value::String("data_exchange".to_owned()));
    request.insert("screen".to_owned(), Value::String(screen.to_owned()));
    request.insert("data".to_owned(), Value::Object(payload.clone()));
    request.insert("flow_token".to_owned(), Value::String(FLOW_TOKEN.to_owned()));
    Value::Object(request)
}

/// What an endpoint's answer does.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Show `screen` with `data` (the same screen: its data is replaced).
    Screen {
        /// The screen id.
        screen: String,
        /// Its data.
        data: Map<String, Value>,
        /// `data.error_message`: shown as a snackbar.
        error_message: Option<String>,
    },
    /// `SUCCESS`: the flow ends with `extension_message_response.params` as the response.
    Complete {
        /// The response JSON.
        response: Map<String, Value>,
    },
}

/// Reads an endpoint's (or a mock's) answer `{"screen": …, "data": {…}}`.
pub fn reply(answer: &Value) -> Result<Reply, PreviewError> {
    let Some(answer) = answer.as_object() else { return Err(PreviewError::AnswerNotAnObject) };
    let data = match answer.get("data") {
        None => Map::new(),
        Some(Value::Object(data)) => data.clone(),
        Some(_) => return Err(PreviewError::AnswerDataNotAnObject),
    };
    let Some(screen) = answer.get("screen").and_then(Value::as_str) else {
        return Err(PreviewError::AnswerWithoutScreen);
    };
    if screen == "SUCCESS" {
        let params = data
            .get("extension_message_response")
            .and_then(|response| response.get("params"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        return Ok(Reply::Complete { response: params });
    }
    let error_message = data.get("error_message").map(display);
    Ok(Reply::Screen { screen: screen.to_owned(), data, error_message })
}

/// Regular-expression matching (JavaScript semantics, whole value): `None` when the pattern
/// does not compile.
pub type PatternTest<'p> = dyn Fn(&str, &str) -> Option<bool> + 'p;

/// A number property, static or evaluated; the catalog's default when absent (or when its
/// binding reads nothing).
pub fn number_property(component: Component<'_>, name: &str, lookup: &mut Lookup<'_>) -> Option<f64> {
    let value = match component.get(name) {
        Some(Value::String(text)) => evaluate::evaluate_text(text, lookup).ok(),
        other => other.cloned(),
    };
    let explicit = match value {
        Some(Value::Number(number)) => number.as_f64(),
        Some(Value::String(text)) => flow_model::number::parse(text.trim()),
        _ => None,
    };
    explicit.or_else(|| {
        component.spec()?.property(name, Version::LATEST)?.default.and_then(flow_model::number::parse)
    })
}

/// A boolean property: as written, or what its binding reads (`"true"`/`"false"` text as
/// booleans, anything else by JavaScript truthiness, so a binding that reads nothing is
/// false); `default` when absent or when its expression does not evaluate.
pub fn bool_property(component: Component<'_>, name: &str, default: bool, lookup: &mut Lookup<'_>) -> bool {
    match component.get(name) {
        Some(Value::Bool(value)) => *value,
        Some(Value::String(text)) => match evaluate::evaluate_text(text, lookup) {
            Ok(Value::String(text)) if text == "true" || text == "false" => text == "true",
            Ok(value) => truthy(&value),
            Err(_) => default,
        },
        _ => default,
    }
}

/// A text property, evaluated (empty when absent).
pub fn text_property(
    component: Component<'_>,
    name: &str,
    lookup: &mut Lookup<'_>,
) -> Result<String, ExpressionError> {
    match component.get(name) {
        Some(Value::String(text)) => evaluate::evaluate_text(text, lookup).map(|value| display(&value)),
        Some(Value::Null) | None => Ok(String::new()),
        Some(other) => Ok(display(other)),
    }
}

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Bool(checked)) => !checked,
        Some(Value::Object(range)) => range.values().all(|v| is_empty(Some(v))),
        Some(Value::Number(_)) => false,
    }
}

fn count(value: Option<&Value>) -> usize {
    value.and_then(Value::as_array).map_or(0, Vec::len)
}

fn plural(n: f64, one: &str, many: &str) -> String {
    let n = flow_model::number::format(n);
    if n == "1" { format!("1 {one}") } else { format!("{n} {many}") }
}

/// What is wrong with an input's value, as the message WhatsApp would show under it; `None`
/// when the value passes. `value` is the input's value in the form (absent when untouched).
pub fn check_input(
    component: Component<'_>,
    value: Option<&Value>,
    lookup: &mut Lookup<'_>,
    pattern_test: &PatternTest<'_>,
) -> Option<String> {
    let kind = component.type_name().unwrap_or_default();
    let required = match (kind, component.get(prop::REQUIRED)) {
        // CalendarPicker's range mode takes `{start-date: bool, end-date: bool}`.
        ("CalendarPicker", Some(Value::Object(parts))) => {
            parts.values().any(|part| part.as_bool() == Some(true))
        }
        _ => bool_property(component, "required", false, lookup),
    };
    if is_empty(value) {
        let min_files = match kind {
            "PhotoPicker" => number_property(component, prop::MIN_UPLOADED_PHOTOS, lookup),
            "DocumentPicker" => number_property(component, prop::MIN_UPLOADED_DOCUMENTS, lookup),
            _ => None,
        };
        return match min_files {
            Some(min) if min > 0.0 => Some(format!("Add at least {}.", plural(min, "file", "files"))),
            _ => required.then(|| "This field is required.".to_owned()),
        };
    }
    match kind {
        "TextInput" => {
            check_text_input(component, &value.map(display).unwrap_or_default(), lookup, pattern_test)
        }
        "TextArea" => {
            let text = value.map(display).unwrap_or_default();
            let max = number_property(component, prop::MAX_LENGTH, lookup);
            max.filter(|max| text.chars().count() as f64 > *max)
                .map(|max| format!("Enter at most {}.", plural(max, "character", "characters")))
        }
        "CheckboxGroup" | "ChipsSelector" => {
            let selected = count(value) as f64;
            let min = number_property(component, prop::MIN_SELECTED_ITEMS, lookup);
            let max = number_property(component, prop::MAX_SELECTED_ITEMS, lookup);
            if let Some(min) = min.filter(|min| selected < *min) {
                Some(format!("Select at least {}.", plural(min, "option", "options")))
            } else {
                max.filter(|max| selected > *max)
                    .map(|max| format!("Select at most {}.", plural(max, "option", "options")))
            }
        }
        "DatePicker" => check_date(component, &value.map(display).unwrap_or_default(), lookup),
        "CalendarPicker" => check_calendar(component, value, lookup),
        "PhotoPicker" | "DocumentPicker" => {
            let (min, max) = if kind == "PhotoPicker" {
                ("min-uploaded-photos", "max-uploaded-photos")
            } else {
                ("min-uploaded-documents", "max-uploaded-documents")
            };
            let files = count(value) as f64;
            if let Some(min) = number_property(component, min, lookup).filter(|min| files < *min) {
                Some(format!("Add at least {}.", plural(min, "file", "files")))
            } else {
                number_property(component, max, lookup)
                    .filter(|max| files > *max)
                    .map(|max| format!("Add at most {}.", plural(max, "file", "files")))
            }
        }
        _ => None,
    }
}

fn check_text_input(
    component: Component<'_>,
    text: &str,
    lookup: &mut Lookup<'_>,
    pattern_test: &PatternTest<'_>,
) -> Option<String> {
    let length = text.chars().count() as f64;
    if let Some(min) = number_property(component, prop::MIN_CHARS, lookup).filter(|min| length < *min) {
        return Some(format!("Enter at least {}.", plural(min, "character", "characters")));
    }
    if let Some(max) = number_property(component, prop::MAX_CHARS, lookup).filter(|max| length > *max) {
        return Some(format!("Enter at most {}.", plural(max, "character", "characters")));
    }
    let input_type = text_property(component, prop::INPUT_TYPE, lookup).unwrap_or_default();
    let well_formed = match input_type.as_str() {
        "email" => is_email(text),
        "phone" => is_phone(text),
        "number" => flow_model::number::is_decimal(text.trim()),
        "passcode" => text.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    };
    if !well_formed {
        return Some(
            match input_type.as_str() {
                "email" => "Enter a valid email address.",
                "phone" => "Enter a valid phone number.",
                "number" => "Enter a number.",
                _ => "Enter digits only.",
            }
            .to_owned(),
        );
    }
    let pattern = text_property(component, prop::PATTERN, lookup).unwrap_or_default();
    if !pattern.is_empty() && pattern_test(&pattern, text) == Some(false) {
        let helper = text_property(component, prop::HELPER_TEXT, lookup).unwrap_or_default();
        return Some(if helper.is_empty() {
            "Enter a value in the expected format.".to_owned()
        } else {
            format!("Enter a value in the expected format: {helper}")
        });
    }
    None
}

/// `name@domain.tld`: what a phone keyboard's email check accepts.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !text.chars().any(char::is_whitespace)
}

/// Digits with an optional leading `+` and spaces, dashes or parentheses between: 6 to 15
/// digits.
pub fn is_phone(text: &str) -> bool {
    let body = text.trim().strip_prefix('+').unwrap_or(text.trim());
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || " -()".contains(c)) && (6..=15).contains(&digits)
}

pub use flow_model::date::{day_number, text as date_text, weekday};

fn date_bound(component: Component<'_>, name: &str, lookup: &mut Lookup<'_>) -> Option<String> {
    text_property(component, name, lookup).ok().and_then(|text| date_text(&text))
}

fn unavailable(component: Component<'_>, lookup: &mut Lookup<'_>) -> Vec<String> {
    let list = match component.get(prop::UNAVAILABLE_DATES) {
        Some(Value::String(text)) => evaluate::evaluate_text(text, lookup).ok(),
        other => other.cloned(),
    };
    let list = list.and_then(|list| list.as_array().cloned()).unwrap_or_default();
    list.iter().filter_map(|date| date_text(&display(date))).collect()
}

fn check_date(component: Component<'_>, date: &str, lookup: &mut Lookup<'_>) -> Option<String> {
    let min = date_bound(component, prop::MIN_DATE, lookup);
    let max = date_bound(component, prop::MAX_DATE, lookup);
    if min.as_deref().is_some_and(|min| date < min) || max.as_deref().is_some_and(|max| date > max) {
        return Some(format!(
            "Choose a date between {} and {}.",
            min.as_deref().unwrap_or("any day"),
            max.as_deref().unwrap_or("any day")
        ));
    }
    unavailable(component, lookup)
        .iter()
        .any(|day| day == date)
        .then(|| "This date is not available.".to_owned())
}

fn check_calendar(
    component: Component<'_>,
    value: Option<&Value>,
    lookup: &mut Lookup<'_>,
) -> Option<String> {
    let days: Vec<String> = match value {
        Some(Value::Object(range)) => ["start-date", "end-date"]
            .iter()
            .filter_map(|key| range.get(*key).map(display).filter(|d| !d.is_empty()))
            .collect(),
        Some(other) => vec![display(other)],
        None => Vec::new(),
    };
    for day in &days {
        if let Some(problem) = check_date(component, day, lookup) {
            return Some(problem);
        }
    }
    let include = component.get(prop::INCLUDE_DAYS).and_then(Value::as_array);
    if let Some(include) = include {
        let allowed: Vec<&str> = include.iter().filter_map(Value::as_str).collect();
        if days.iter().any(|day| weekday(day).is_some_and(|name| !allowed.contains(&name))) {
            return Some(format!("Choose a {}.", allowed.join(", ")));
        }
    }
    if let [start, end] = days.as_slice()
        && let (Some(a), Some(b)) = (day_number(start), day_number(end))
    {
        if b < a {
            return Some("The end date comes before the start date.".to_owned());
        }
        let length = (b - a + 1) as f64;
        if let Some(min) = number_property(component, prop::MIN_DAYS, lookup).filter(|min| length < *min) {
            return Some(format!("Choose at least {}.", plural(min, "day", "days")));
        }
        if let Some(max) = number_property(component, prop::MAX_DAYS, lookup).filter(|max| length > *max) {
            return Some(format!("Choose at most {}.", plural(max, "day", "days")));
        }
    }
    None
}

/// The inputs a person sees on a screen now (visible, in the If branches and Switch cases
/// that hold), in document order: (name, component).
pub fn visible_inputs<'s>(screen: Screen<'s>, lookup: &mut Lookup<'_>) -> Vec<(&'s str, Component<'s>)> {
    let mut inputs = Vec::new();
    let mut pending: Vec<Component<'s>> = screen.children().collect();
    pending.reverse();
    while let Some(component) = pending.pop() {
        if !bool_property(component, flow_model::model::key::VISIBLE, true, lookup) {
            continue;
        }
        let nested = match component.kind() {
            ComponentKind::Form(form) => form.children(),
            ComponentKind::If(branch) => {
                let holds = condition_holds(branch.condition_value(), lookup).unwrap_or(false);
                branch.branch(holds)
            }
            ComponentKind::Switch(switch) => match switch_key(switch, lookup) {
                Some(key) => switch.case(&key),
                None => continue,
            },
            ComponentKind::Leaf(leaf) => {
                if let (true, Some(name)) = (leaf.is_input(), leaf.name()) {
                    inputs.push((name, leaf));
                }
                continue;
            }
        };
        let start = pending.len();
        pending.extend(nested);
        pending[start..].reverse();
    }
    inputs
}

/// Whether an If condition holds.
pub fn condition_holds(condition: Option<&Value>, lookup: &mut Lookup<'_>) -> Result<bool, ExpressionError> {
    match condition {
        Some(Value::Bool(value)) => Ok(*value),
        Some(Value::String(text)) => {
            // Conditions are expressions with or without their backticks.
            let inner = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')).unwrap_or(text);
            evaluate::evaluate(inner, lookup).map(|value| truthy(&value))
        }
        _ => Ok(false),
    }
}

/// The case a Switch shows: its value evaluated (`None` when it has none or it does not
/// evaluate).
pub fn switch_key(switch: Switch<'_>, lookup: &mut Lookup<'_>) -> Option<String> {
    Some(display(&evaluate::evaluate_text(switch.value()?, lookup).ok()?))
}

/// Checks every visible input: the messages by input name (empty when all pass).
pub fn check_screen(
    screen: Screen<'_>,
    form: &Map<String, Value>,
    lookup: &mut Lookup<'_>,
    pattern_test: &PatternTest<'_>,
) -> Map<String, Value> {
    let mut problems = Map::new();
    for (name, component) in visible_inputs(screen, lookup) {
        if let Some(problem) = check_input(component, form.get(name), lookup, pattern_test) {
            problems.insert(name.to_owned(), Value::String(problem));
        }
    }
    problems
}

/// How an answer shows in the summary of a completed flow in the chat.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// As the person gave it.
    Text(String),
    /// A `sensitive` field: `••••`.
    Masked,
    /// A `sensitive` password or passcode, or picked media: left out of the summary.
    Hidden,
}

/// One answer of the completion summary: the input's label and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The input's label (its name when it has none).
    pub label: String,
    /// What the summary shows.
    pub shown: Shown,
}

/// The answers a screen contributes to the summary WhatsApp shows in the chat when the flow
/// completes: each visible input with a value, in document order. The screen's `sensitive`
/// fields are masked as flow-json.md §2 says: text, date, choice and selection inputs as
/// `••••`, password and passcode inputs and picked media left out, OptIn shown as it is.
pub fn summary(screen: Screen<'_>, form: &Map<String, Value>, lookup: &mut Lookup<'_>) -> Vec<Answer> {
    let sensitive: Vec<&str> = screen.sensitive().collect();
    let mut answers = Vec::new();
    for (name, component) in visible_inputs(screen, lookup) {
        let value = form.get(name);
        let kind = component.type_name().unwrap_or_default();
        if is_empty(value) && kind != "OptIn" {
            continue;
        }
        let label = text_property(component, prop::LABEL, lookup).ok().filter(|label| !label.is_empty());
        let shown = if !sensitive.contains(&name) || kind == "OptIn" {
            Shown::Text(answer_text(component, kind, value, lookup))
        } else {
            let secret = matches!(component.str(prop::INPUT_TYPE), Some("password" | "passcode"));
            if secret || matches!(kind, "PhotoPicker" | "DocumentPicker") {
                Shown::Hidden
            } else {
                Shown::Masked
            }
        };
        answers.push(Answer { label: label.unwrap_or_else(|| name.to_owned()), shown });
    }
    answers
}

/// An input's value as the summary writes it: the titles of chosen items, dates as written,
/// a date range as "start – end", a count of picked files, "Yes" or "No" for an OptIn.
fn answer_text(
    component: Component<'_>,
    kind: &str,
    value: Option<&Value>,
    lookup: &mut Lookup<'_>,
) -> String {
    let title_of = |id: &Value, lookup: &mut Lookup<'_>| -> String {
        let items = component
            .get(prop::DATA_SOURCE)
            .map(|source| evaluate::evaluate_value(source, lookup).unwrap_or(Value::Null))
            .unwrap_or(Value::Null);
        let wanted = display(id);
        items
            .as_array()
            .into_iter()
            .flatten()
            .find(|item| item.get(prop::ID).map(display).as_deref() == Some(wanted.as_str()))
            .and_then(|item| item.get(prop::TITLE))
            .map(display)
            .unwrap_or(wanted)
    };
    match (kind, value) {
        ("OptIn", value) => if value.is_some_and(truthy) { "Yes" } else { "No" }.to_owned(),
        ("PhotoPicker" | "DocumentPicker", value) => plural(count(value) as f64, "file", "files"),
        (_, Some(Value::Array(chosen))) => {
            chosen.iter().map(|id| title_of(id, lookup)).collect::<Vec<_>>().join(", ")
        }
        (_, Some(Value::Object(range))) => {
            let part = |key: &str| range.get(key).map(display).unwrap_or_default();
            format!("{} – {}", part("start-date"), part("end-date"))
        }
        ("Dropdown" | "RadioButtonsGroup", Some(id)) => title_of(id, lookup),
        (_, Some(value)) => display(value),
        (_, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope(data: Value, form: Value) -> impl FnMut(flow_model::expression::Reference<'_>) -> Option<Value> {
        move |reference| {
            let root = if reference.source.as_str() == "data" { &data } else { &form };
            evaluate::lookup_path(root, reference.path).cloned()
        }
    }

    fn no_regex(_: &str, _: &str) -> Option<bool> {
        None
    }

    #[test]
    fn the_completion_summary_masks_sensitive_fields_as_meta_does() {
        let screen = json!({"id": "A", "sensitive": ["pin", "email", "dept", "terms", "photo"],
            "layout": {"children": [{"type": "Form", "name": "f", "children": [
                {"type": "TextInput", "name": "who", "label": "Name"},
                {"type": "TextInput", "name": "pin", "label": "PIN", "input-type": "passcode"},
                {"type": "TextInput", "name": "email", "label": "Email", "input-type": "email"},
                {"type": "Dropdown", "name": "dept", "label": "Department",
                    "data-source": [{"id": "gp", "title": "General practice"}]},
                {"type": "RadioButtonsGroup", "name": "time", "label": "Time", "data-source": "${data.times}"},
                {"type": "CheckboxGroup", "name": "extras", "label": "Extras",
                    "data-source": [{"id": "a", "title": "Parking"}, {"id": "b", "title": "Wheelchair"}]},
                {"type": "CalendarPicker", "name": "stay", "label": "Stay", "mode": "range"},
                {"type": "TextArea", "name": "notes", "label": "Notes"},
                {"type": "OptIn", "name": "terms", "label": "I agree"},
                {"type": "PhotoPicker", "name": "photo", "label": "Photo"}]}]}});
        let screen = Screen::new(0, screen.as_object().unwrap());
        let form = json!({"who": "Ana", "pin": "1234", "email": "ana@example.com", "dept": "gp",
            "time": "t2", "extras": ["a", "b"], "stay": {"start-date": "2026-01-02", "end-date": "2026-01-05"},
            "notes": "  ", "terms": true, "photo": [{"name": "x.jpg"}]});
        let data = json!({"times": [{"id": "t1", "title": "09:00"}, {"id": "t2", "title": "10:30"}]});
        let answers = summary(screen, form.as_object().unwrap(), &mut scope(data, json!({})));
        let text = |s: &str| Shown::Text(s.to_owned());
        let found: Vec<(&str, Shown)> = answers.iter().map(|a| (a.label.as_str(), a.shown.clone())).collect();
        assert_eq!(
            found,
            [
                ("Name", text("Ana")),
                ("PIN", Shown::Hidden),
                ("Email", Shown::Masked),
                ("Department", Shown::Masked),
                ("Time", text("10:30")),
                ("Extras", text("Parking, Wheelchair")),
                ("Stay", text("2026-01-02 – 2026-01-05")),
                ("I agree", text("Yes")),
                ("Photo", Shown::Hidden),
            ]
        );
    }

    #[test]
    fn the_summary_leaves_out_hidden_and_unanswered_inputs_and_names_unlabelled_ones() {
        let screen = json!({"id": "A", "layout": {"children": [
            {"type": "TextInput", "name": "shown", "visible": "${data.show}"},
            {"type": "TextInput", "name": "empty", "label": "Empty"},
            {"type": "OptIn", "name": "news", "label": "News"}]}});
        let form = json!({"shown": "x"});
        let mut lookup = scope(json!({"show": false}), json!({}));
        let answers =
            summary(Screen::new(0, screen.as_object().unwrap()), form.as_object().unwrap(), &mut lookup);
        assert_eq!(answers, [Answer { label: "News".into(), shown: Shown::Text("No".into()) }]);
        let mut lookup = scope(json!({"show": true}), json!({}));
        let answers =
            summary(Screen::new(0, screen.as_object().unwrap()), form.as_object().unwrap(), &mut lookup);
        assert_eq!(answers[0], Answer { label: "shown".into(), shown: Shown::Text("x".into()) });
    }

    #[test]
    fn examples_and_init_values_start_a_screen() {
        let screen = json!({"id": "A", "data": {"name": {"type": "string", "__example__": "Ana"}, "required": ["name"]},
            "layout": {"children": [{"type": "Form", "name": "f", "init-values": {"n": "${data.name}"}, "children": [
                {"type": "TextInput", "name": "n", "label": "N"}]},
                {"type": "OptIn", "name": "o", "label": "O", "init-value": true}]}});
        let screen = Screen::new(0, screen.as_object().unwrap());
        assert_eq!(example_data(screen), json!({"name": "Ana"}).as_object().unwrap().clone());
        let form = initial_form(screen, &mut scope(json!({"name": "Ana"}), json!({})));
        assert_eq!(Value::Object(form), json!({"n": "Ana", "o": true}));
    }

    #[test]
    fn actions_evaluate_their_payloads() {
        let mut lookup = scope(json!({"d": "2026-01-01"}), json!({"name": "Ana"}));
        let navigate = json!({"name": "navigate", "next": {"type": "screen", "name": "B"},
            "payload": {"who": "${form.name}", "when": "${data.d}"}});
        assert_eq!(
            step(&navigate, &mut lookup),
            Step::Navigate {
                screen: "B".into(),
                data: json!({"who": "Ana", "when": "2026-01-01"}).as_object().unwrap().clone()
            }
        );
        let Step::Complete { response } =
            step(&json!({"name": "complete", "payload": {"a": 1}}), &mut lookup)
        else {
            panic!("complete")
        };
        assert_eq!(Value::Object(response), json!({"a": 1, "flow_token": "unused"}));
        assert!(matches!(step(&json!({"name": "navigate"}), &mut lookup), Step::Invalid(_)));
        assert!(matches!(step(&json!({"name": "teleport"}), &mut lookup), Step::Invalid(_)));
        assert_eq!(
            step(&json!({"name": "open_url", "url": "https://example.com"}), &mut lookup),
            Step::OpenUrl { url: "https://example.com".into() }
        );
    }

    #[test]
    fn endpoint_answers_move_the_flow_on() {
        assert_eq!(
            reply(&json!({"screen": "B", "data": {"x": 1, "error_message": "Try again"}})),
            Ok(Reply::Screen {
                screen: "B".into(),
                data: json!({"x": 1, "error_message": "Try again"}).as_object().unwrap().clone(),
                error_message: Some("Try again".into())
            })
        );
        assert_eq!(
            reply(
                &json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"flow_token": "t", "ok": true}}}})
            ),
            Ok(Reply::Complete {
                response: json!({"flow_token": "t", "ok": true}).as_object().unwrap().clone()
            })
        );
        assert!(reply(&json!([1])).is_err() && reply(&json!({"data": {}})).is_err());
    }

    #[test]
    fn inputs_are_checked_like_on_a_phone() {
        let mut lookup = scope(json!({}), json!({}));
        let mut check = |component: Value, value: Value| {
            let value = (!value.is_null()).then_some(value);
            check_input(
                Component::new(component.as_object().unwrap()),
                value.as_ref(),
                &mut lookup,
                &|p: &str, v: &str| Some(p == "^A" && v.starts_with('A')),
            )
        };
        let required = json!({"type": "TextInput", "name": "n", "required": true});
        assert_eq!(check(required.clone(), Value::Null).as_deref(), Some("This field is required."));
        assert_eq!(check(required, json!("  ")).as_deref(), Some("This field is required."));
        let short = json!({"type": "TextInput", "min-chars": 3, "max-chars": "${data.missing}"});
        assert_eq!(check(short.clone(), json!("ab")).as_deref(), Some("Enter at least 3 characters."));
        assert_eq!(
            check(short, json!("a".repeat(81))).as_deref(),
            Some("Enter at most 80 characters."),
            "the catalog default"
        );
        assert_eq!(
            check(json!({"type": "TextInput", "input-type": "email"}), json!("a@b")).as_deref(),
            Some("Enter a valid email address.")
        );
        assert_eq!(check(json!({"type": "TextInput", "input-type": "email"}), json!("a@b.co")), None);
        assert_eq!(check(json!({"type": "TextInput", "input-type": "phone"}), json!("+351 912-345")), None);
        assert_eq!(
            check(json!({"type": "TextInput", "input-type": "passcode"}), json!("12a")).as_deref(),
            Some("Enter digits only.")
        );
        let pattern = json!({"type": "TextInput", "pattern": "^A", "helper-text": "Starts with A"});
        assert_eq!(
            check(pattern.clone(), json!("Bob")).as_deref(),
            Some("Enter a value in the expected format: Starts with A")
        );
        assert_eq!(check(pattern, json!("Ana")), None);
        let boxes = json!({"type": "CheckboxGroup", "min-selected-items": 2, "max-selected-items": 3});
        assert_eq!(check(boxes.clone(), json!(["a"])).as_deref(), Some("Select at least 2 options."));
        assert_eq!(check(boxes, json!(["a", "b", "c", "d"])).as_deref(), Some("Select at most 3 options."));
        let date =
            json!({"type": "DatePicker", "min-date": "2026-01-01", "unavailable-dates": ["2026-02-02"]});
        assert_eq!(
            check(date.clone(), json!("2025-12-31")).as_deref(),
            Some("Choose a date between 2026-01-01 and any day.")
        );
        assert_eq!(check(date, json!("2026-02-02")).as_deref(), Some("This date is not available."));
        let range = json!({"type": "CalendarPicker", "mode": "range", "min-days": 2, "include-days": ["Mon", "Tue"],
            "required": {"start-date": true, "end-date": false}});
        assert_eq!(
            check(range.clone(), json!({"start-date": "2026-11-23", "end-date": "2026-11-23"})).as_deref(),
            Some("Choose at least 2 days.")
        );
        assert_eq!(
            check(range.clone(), json!({"start-date": "2026-11-22"})).as_deref(),
            Some("Choose a Mon, Tue.")
        );
        assert_eq!(check(range, Value::Null).as_deref(), Some("This field is required."));
        let photos = json!({"type": "PhotoPicker", "min-uploaded-photos": 1});
        assert_eq!(check(photos, json!([])).as_deref(), Some("Add at least 1 file."));
        assert_eq!(
            check(json!({"type": "OptIn", "required": true}), json!(false)).as_deref(),
            Some("This field is required.")
        );
    }

    #[test]
    fn dates_convert_between_text_timestamps_and_weekdays() {
        assert_eq!(date_text("1764547200000").as_deref(), Some("2025-12-01"));
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(weekday("2026-11-23"), Some("Mon"));
        assert_eq!(date_text("soon"), None);
    }

    #[test]
    fn only_visible_inputs_in_live_branches_are_checked() {
        let screen = json!({"layout": {"children": [
            {"type": "TextInput", "name": "hidden", "required": true, "visible": "${data.show}"},
            {"type": "If", "condition": "${form.more}", "then": [{"type": "TextInput", "name": "then", "required": true}],
             "else": [{"type": "TextInput", "name": "else", "required": true}]},
            {"type": "Switch", "value": "${data.kind}", "cases": {"a": [{"type": "TextArea", "name": "case_a", "required": true}]}}]}});
        let screen = Screen::new(0, screen.as_object().unwrap());
        let names = |data: Value, form: Value| {
            visible_inputs(screen, &mut scope(data, form))
                .into_iter()
                .map(|(name, _)| name.to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(json!({"show": false, "kind": "b"}), json!({"more": false})), ["else"]);
        assert_eq!(
            names(json!({"show": true, "kind": "a"}), json!({"more": true})),
            ["hidden", "then", "case_a"]
        );
        let problems =
            check_screen(screen, &Map::new(), &mut scope(json!({"show": true}), json!({})), &no_regex);
        assert_eq!(problems.keys().collect::<Vec<_>>(), ["hidden", "else"]);
        let hidden = check_screen(screen, &Map::new(), &mut scope(json!({}), json!({})), &no_regex);
        assert_eq!(hidden.keys().collect::<Vec<_>>(), ["else"], "a binding that reads nothing is false");
    }
}
