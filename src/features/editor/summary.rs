//! What a component card says about its component: a readable summary, not its JSON.
use flow_model::catalog::prop;
use flow_model::catalog::{ActionName, Event};
use flow_model::model::{Action, Component, ComponentKind, key};
use serde_json::{Map, Value};

/// The card text of one component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardSummary {
    /// The main line: a label, a text, a condition.
    pub heading: String,
    /// Details: options, the action, limits.
    pub details: Vec<String>,
    /// The form field name, for inputs.
    pub name: Option<String>,
}

const MAX_HEADING: usize = 140;
const MAX_OPTIONS: usize = 6;

fn clip(text: &str, limit: usize) -> String {
    let mut chars = text.chars();
    let clipped: String = chars.by_ref().take(limit).collect();
    if chars.next().is_some() { format!("{clipped}…") } else { clipped }
}

fn string(component: Component<'_>, key: &str) -> Option<String> {
    match component.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Array(lines) => Some(lines.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")),
        Value::Object(range) => {
            // CalendarPicker range labels: {"start-date": "...", "end-date": "..."}
            let parts: Vec<&str> = range.values().filter_map(Value::as_str).collect();
            Some(parts.join(" – "))
        }
        _ => None,
    }
}

/// What an action does, in words.
fn describe_action(action: Action<'_>) -> String {
    match (action.name(), action.name_text()) {
        (Some(ActionName::Navigate), _) => match action.next() {
            Some(screen) => format!("Go to {screen}"),
            None => "Go to (no screen chosen)".to_owned(),
        },
        (Some(ActionName::Complete), _) => "Complete the flow".to_owned(),
        (Some(ActionName::DataExchange), _) => "Send to the endpoint".to_owned(),
        (Some(ActionName::UpdateData), _) => "Update screen data".to_owned(),
        (Some(ActionName::OpenUrl), _) => match action.url() {
            Some(url) => format!("Open {}", clip(url, 60)),
            None => "Open a URL".to_owned(),
        },
        (None, Some(other)) => format!("Action '{}'", clip(other, 40)),
        (None, None) => "Action without a name".to_owned(),
    }
}

fn options(component: Component<'_>, key: &str, title: impl Fn(&Value) -> Option<&str>) -> Vec<String> {
    match component.get(key) {
        Some(Value::Array(items)) => {
            let mut lines: Vec<String> = items
                .iter()
                .take(MAX_OPTIONS)
                .map(|item| format!("○ {}", clip(title(item).unwrap_or("?"), 40)))
                .collect();
            if items.len() > MAX_OPTIONS {
                lines.push(format!("+ {} more", items.len() - MAX_OPTIONS));
            }
            lines
        }
        Some(Value::String(binding)) => vec![format!("Options from {}", clip(binding, 60))],
        _ => vec!["No options yet".to_owned()],
    }
}

/// The summary of a component object.
pub fn summarize(component: &Map<String, Value>) -> CardSummary {
    let component = Component::new(component);
    let kind = component.type_name().unwrap_or_default();
    let name = component.name().map(str::to_owned);
    let label = || string(component, prop::LABEL);
    let text = || string(component, prop::TEXT);
    let mut details = Vec::new();
    let heading = match kind {
        "TextHeading" | "TextSubheading" | "TextBody" | "TextCaption" | "RichText" => text(),
        "TextInput" | "TextArea" => {
            if let Some(input) = component.str(prop::INPUT_TYPE) {
                details.push(format!("Type: {input}"));
            }
            label()
        }
        "Dropdown" | "RadioButtonsGroup" | "CheckboxGroup" | "ChipsSelector" => {
            details =
                options(component, prop::DATA_SOURCE, |item| item.get(prop::TITLE).and_then(Value::as_str));
            label()
        }
        "NavigationList" => {
            details = options(component, prop::LIST_ITEMS, |item| {
                item.get(prop::MAIN_CONTENT)
                    .and_then(|content| content.get(prop::TITLE))
                    .and_then(Value::as_str)
            });
            label()
        }
        "DatePicker" | "CalendarPicker" => {
            if let Some(mode) = component.str(prop::MODE) {
                details.push(format!("Mode: {mode}"));
            }
            label()
        }
        "Image" => string(component, prop::ALT_TEXT).or_else(|| Some("Image".to_owned())),
        "ImageCarousel" => {
            let count = component.get(prop::IMAGES).and_then(Value::as_array).map_or(0, Vec::len);
            Some(format!("{count} image{}", if count == 1 { "" } else { "s" }))
        }
        "EmbeddedLink" => text(),
        _ => match component.kind() {
            ComponentKind::Form(_) => name.clone().map(|name| format!("Form {name}")),
            ComponentKind::If(branch) => branch.condition_value().map(|condition| match condition {
                Value::String(text) => format!("If {}", clip(text, 100)),
                other => format!("If {}", flow_model::json::compact(other)),
            }),
            ComponentKind::Switch(switch) => {
                let cases: Vec<&str> = switch.case_names().collect();
                details.push(format!(
                    "Cases: {}",
                    if cases.is_empty() { "none".to_owned() } else { cases.join(", ") }
                ));
                string(component, key::VALUE).map(|value| format!("Switch on {value}"))
            }
            ComponentKind::Leaf(_) => label().or_else(text),
        },
    };
    for event in Event::ALL {
        if let Some(action) = component.get(event.property()) {
            details.push(
                Action::new(action).map_or_else(|| "Action without a name".to_owned(), describe_action),
            );
        }
    }
    if component.get(prop::REQUIRED).and_then(Value::as_bool) == Some(true) {
        details.push("Required".to_owned());
    }
    CardSummary { heading: clip(&heading.unwrap_or_default(), MAX_HEADING), details, name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(component: Value) -> CardSummary {
        summarize(component.as_object().unwrap())
    }

    #[test]
    fn radio_buttons_show_label_and_options() {
        let summary =
            of(json!({"type": "RadioButtonsGroup", "name": "time", "label": "Time", "required": true,
            "data-source": [{"id": "a", "title": "09:00"}, {"id": "b", "title": "10:30"}]}));
        assert_eq!(summary.heading, "Time");
        assert_eq!(summary.details, ["○ 09:00", "○ 10:30", "Required"]);
        assert_eq!(summary.name.as_deref(), Some("time"));
    }

    #[test]
    fn many_options_are_counted_and_bound_options_named() {
        let items: Vec<Value> =
            (0..9).map(|i| json!({"id": i.to_string(), "title": format!("T{i}")})).collect();
        let summary = of(json!({"type": "Dropdown", "label": "L", "data-source": items}));
        assert_eq!(summary.details.last().unwrap(), "+ 3 more");
        let bound = of(json!({"type": "Dropdown", "label": "L", "data-source": "${data.items}"}));
        assert_eq!(bound.details, ["Options from ${data.items}"]);
    }

    #[test]
    fn footer_describes_its_action() {
        let summary = of(json!({"type": "Footer", "label": "Continue",
            "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "DETAILS"}}}));
        assert_eq!(
            (summary.heading.as_str(), summary.details.as_slice()),
            ("Continue", &["Go to DETAILS".to_owned()][..])
        );
    }

    #[test]
    fn long_text_is_clipped_and_odd_values_do_not_break() {
        let summary = of(json!({"type": "TextBody", "text": "x".repeat(500)}));
        assert_eq!(summary.heading.chars().count(), MAX_HEADING + 1);
        let odd = of(json!({"type": "If", "condition": true}));
        assert_eq!(odd.heading, "If true");
        assert_eq!(of(json!({"type": 3})).heading, "");
    }
}
