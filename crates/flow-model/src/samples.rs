//! Generated flows at Meta's limits, for benchmarks and performance tests (native and in the
//! browser). Not templates: they are big on purpose, not useful.
use serde_json::{Value, json};

/// A screen id for position `index`: letters only, as ids allow no digits (`SCREEN_A`,
/// `SCREEN_B`, …, `SCREEN_BA`, …).
fn screen_id(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index;
    loop {
        letters.push(char::from(b'A' + (rest % 26) as u8));
        rest /= 26;
        if rest == 0 {
            break;
        }
    }
    letters.reverse();
    format!("SCREEN_{}", letters.into_iter().collect::<String>())
}

fn options(count: usize) -> Value {
    Value::Array(
        (0..count)
            .map(|option| json!({"id": format!("option_{option}"), "title": format!("Option {option}")}))
            .collect(),
    )
}

/// One content component (or, for an If, a component with one inside it: `2` components).
fn component(kind: usize, field: usize) -> (Value, usize) {
    let name = format!("field_{field}");
    match kind % 10 {
        0 => (json!({"type": "TextHeading", "text": format!("Question group {field}")}), 1),
        1 => (
            json!({"type": "TextBody", "text": "Please answer the questions below; you can change them before you confirm."}),
            1,
        ),
        2 => (
            json!({"type": "TextInput", "name": name, "label": "Your answer", "input-type": "text", "required": true}),
            1,
        ),
        3 => (
            json!({"type": "Dropdown", "name": name, "label": "Pick one",
                   "data-source": options(2)}),
            1,
        ),
        4 => (
            json!({"type": "RadioButtonsGroup", "name": name, "label": "Choose one option",
                   "data-source": options(2)}),
            1,
        ),
        5 => (json!({"type": "OptIn", "name": name, "label": "Send me a reminder the day before"}), 1),
        6 => (json!({"type": "TextArea", "name": name, "label": "Comments"}), 1),
        7 => (
            json!({"type": "DatePicker", "name": name, "label": "Preferred date", "min-date": "2026-01-01"}),
            1,
        ),
        8 => (
            json!({"type": "If", "condition": "${data.previous_answer} != ''",
                   "then": [{"type": "TextCaption", "text": "`'You said: ' ${data.previous_answer}`"}]}),
            2,
        ),
        _ => (json!({"type": "TextSubheading", "text": format!("Part {field}")}), 1),
    }
}

/// A valid-shaped flow (Flow JSON 7.3) of `screens` screens with `components` components
/// each (Form wrappers not counted, as Meta counts them), linked by navigate actions, the last
/// screen terminal. 100 screens of 50 components, Meta's maxima, make about 1 MB of pretty JSON.
pub fn maximal_flow(screens: usize, components: usize) -> String {
    let screen_list: Vec<Value> = (0..screens)
        .map(|index| {
            let mut children = Vec::new();
            let mut count = 0;
            let mut field = 0;
            // Room for the Footer; an If counts as two.
            while count + 1 < components {
                let (child, size) = component(field, field);
                if count + size + 1 > components {
                    children.push(json!({"type": "TextBody", "text": "One more thing."}));
                    count += 1;
                } else {
                    children.push(child);
                    count += size;
                }
                field += 1;
            }
            let last = index + 1 == screens;
            let action = if last {
                json!({"name": "complete", "payload": {"answer": "${form.field_2}"}})
            } else {
                json!({"name": "navigate", "next": {"type": "screen", "name": screen_id(index + 1)},
                       "payload": {"previous_answer": "${form.field_2}"}})
            };
            children.push(json!({"type": "Footer", "label": if last { "Confirm" } else { "Continue" },
                                 "on-click-action": action}));
            let mut screen = json!({
                "id": screen_id(index),
                "title": format!("Step {} of {screens}", index + 1),
                "data": {"previous_answer": {"type": "string", "__example__": "An earlier answer"}},
                "layout": {"type": "SingleColumnLayout", "children": [
                    {"type": "Form", "name": "form", "children": children}
                ]}
            });
            if last && let Some(object) = screen.as_object_mut() {
                object.insert("terminal".to_owned(), Value::Bool(true));
            }
            screen
        })
        .collect();
    let flow = json!({"version": "7.3", "screens": screen_list});
    serde_json::to_string_pretty(&flow).unwrap_or_default()
}

/// An endpoint flow (Flow JSON 7.3, data API 3.0) of `screens` small screens whose routing
/// model gives each screen up to `routes` forward destinations, spread without pattern (the
/// next screen always among them). Even screens navigate to the next one, odd ones ask the
/// endpoint (data_exchange), the last is terminal: a dense routing graph for the graph view.
pub fn routing_flow(screens: usize, routes: usize) -> String {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut routing = serde_json::Map::new();
    let screen_list: Vec<Value> = (0..screens)
        .map(|index| {
            let last = index + 1 == screens;
            let mut targets: Vec<usize> = Vec::new();
            if !last {
                targets.push(index + 1);
            }
            for _ in 1..routes {
                let target = index + 2 + (next() % 12) as usize;
                if target < screens && !targets.contains(&target) {
                    targets.push(target);
                }
            }
            routing.insert(screen_id(index), targets.iter().map(|&t| Value::from(screen_id(t))).collect());
            let action = if last {
                json!({"name": "complete"})
            } else if index % 2 == 0 {
                json!({"name": "navigate", "next": {"type": "screen", "name": screen_id(index + 1)}})
            } else {
                json!({"name": "data_exchange", "payload": {"step": index}})
            };
            let mut screen = json!({
                "id": screen_id(index),
                "title": format!("Step {}", index + 1),
                "layout": {"type": "SingleColumnLayout", "children": [
                    {"type": "TextBody", "text": "Tell us a little more."},
                    {"type": "Footer", "label": if last { "Done" } else { "Continue" }, "on-click-action": action}
                ]}
            });
            if last && let Some(object) = screen.as_object_mut() {
                object.insert("terminal".to_owned(), Value::Bool(true));
            }
            screen
        })
        .collect();
    let flow = json!({"version": "7.3", "data_api_version": "3.0", "routing_model": routing, "screens": screen_list});
    serde_json::to_string_pretty(&flow).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_letters_only_and_distinct() {
        assert_eq!(screen_id(0), "SCREEN_A");
        assert_eq!(screen_id(25), "SCREEN_Z");
        assert_eq!(screen_id(26), "SCREEN_BA");
        assert!(crate::is_valid_screen_id(&screen_id(99)));
    }

    #[test]
    fn the_maximal_flow_has_the_counts_asked_for() {
        let text = maximal_flow(100, 50);
        let document = crate::parse(&text).document.unwrap();
        let screens = document.screens();
        assert_eq!(screens.len(), 100);
        assert!(screens.iter().all(|screen| screen.component_types.len() == 51), "50 and the Form");
        assert!((950_000..1_150_000).contains(&text.len()), "{} bytes", text.len());
    }
}
