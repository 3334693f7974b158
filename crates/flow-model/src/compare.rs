//! What changed between two versions of a flow, in the terms a designer thinks in: the flow's
//! own settings, the screens added, removed or changed, and in a changed screen its own
//! properties and the components added, removed or changed (with the properties that
//! changed). History and conflicts show this instead of a text diff.
//!
//! Screens are matched by `id`. Components are matched within their screen by `type` and
//! `name` when they have a name (inputs, forms), otherwise by `type` and their rank among the
//! components of that type without a name (the second TextBody with the second TextBody), so
//! inserting a component above others does not make every one below look changed. What
//! nests components (`children`, `then`, `else`, `cases`, `layout`) is not a property of its
//! own: what it holds is compared component by component.
use serde_json::{Map, Value};

use crate::catalog::prop;
use crate::json::member;
use crate::model::key;
use crate::walk;

/// How something differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
    /// In both, different.
    Changed,
}

/// A component that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentChange {
    /// How.
    pub change: Change,
    /// Its type (`TextInput`), or `?` when it has none.
    pub kind: String,
    /// What tells it apart for people: its name, else the start of its text or label.
    pub label: String,
    /// The properties that differ (for [`Change::Changed`]), in the newer version's order.
    pub properties: Vec<String>,
}

/// A screen that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenChange {
    /// How.
    pub change: Change,
    /// Its id.
    pub id: String,
    /// Its title (the newer version's when it has one).
    pub title: String,
    /// Its own properties that differ (`title`, `data`, `terminal`, …).
    pub properties: Vec<String>,
    /// Its components that differ, in document order.
    pub components: Vec<ComponentChange>,
    /// Whether it moved in the list of screens.
    pub moved: bool,
}

/// Everything that differs between two flows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// Top-level members that differ, other than `screens` (`version`, `routing_model`, …).
    pub flow: Vec<String>,
    /// Screens that differ, in the newer version's order, removed ones last.
    pub screens: Vec<ScreenChange>,
}

impl Comparison {
    /// Whether the two flows are the same.
    pub fn is_empty(&self) -> bool {
        self.flow.is_empty() && self.screens.is_empty()
    }

    /// One line for people: "2 screens changed, 1 added; version changed".
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "No differences".to_owned();
        }
        let count = |change: Change| self.screens.iter().filter(|screen| screen.change == change).count();
        let mut parts = Vec::new();
        for (change, word) in
            [(Change::Changed, "changed"), (Change::Added, "added"), (Change::Removed, "removed")]
        {
            match count(change) {
                0 => {}
                1 => parts.push(format!("1 screen {word}")),
                n => parts.push(format!("{n} screens {word}")),
            }
        }
        if !self.flow.is_empty() {
            parts.push(format!("{} changed", self.flow.join(", ")));
        }
        parts.join("; ")
    }
}

impl Comparison {
    /// The differences as lines for people, each with how it differs: the flow's settings,
    /// then each screen followed by its components (`nested`).
    pub fn lines(&self) -> Vec<Line> {
        let mut lines = Vec::new();
        if !self.flow.is_empty() {
            lines.push(Line {
                change: Change::Changed,
                nested: false,
                text: format!("Flow: {}", self.flow.join(", ")),
            });
        }
        for screen in &self.screens {
            let mut what = Vec::new();
            if screen.moved {
                what.push("moved".to_owned());
            }
            if !screen.properties.is_empty() {
                what.push(screen.properties.join(", "));
            }
            let title = if screen.title.is_empty() {
                String::new()
            } else {
                format!(" \u{201c}{}\u{201d}", screen.title)
            };
            let detail = if what.is_empty() { String::new() } else { format!(": {}", what.join("; ")) };
            lines.push(Line {
                change: screen.change,
                nested: false,
                text: format!("Screen {}{title}{detail}", screen.id),
            });
            for component in &screen.components {
                let label = if component.label.is_empty() {
                    String::new()
                } else {
                    format!(" \u{201c}{}\u{201d}", component.label)
                };
                let properties = if component.properties.is_empty() {
                    String::new()
                } else {
                    format!(": {}", component.properties.join(", "))
                };
                lines.push(Line {
                    change: component.change,
                    nested: true,
                    text: format!("{}{label}{properties}", component.kind),
                });
            }
        }
        lines
    }
}

/// One line of a comparison for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// How the thing it names differs.
    pub change: Change,
    /// Whether it is a component of the screen above.
    pub nested: bool,
    /// What it says, e.g. `Screen BOOK “Book”: title` or `TextInput “email”: label`.
    pub text: String,
}

impl Change {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }

    /// `+`, `−` or `~`.
    pub fn sign(self) -> &'static str {
        match self {
            Change::Added => "+",
            Change::Removed => "\u{2212}",
            Change::Changed => "~",
        }
    }
}

/// Members that hold components rather than being properties.
const NESTING: [&str; 5] = [key::CHILDREN, key::THEN, key::ELSE, key::CASES, key::LAYOUT];

/// What differs from `old` to `new` (each a flow.json value; anything that is not an object
/// compares as an empty flow).
pub fn compare(old: &Value, new: &Value) -> Comparison {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let flow = changed_members(old, new, &[key::SCREENS]);
    let old_screens = screens(old);
    let new_screens = screens(new);
    let mut changes = Vec::new();
    for (position, (id, screen)) in new_screens.iter().enumerate() {
        let title = text_of(screen, key::TITLE);
        match old_screens.iter().position(|(old_id, _)| old_id == id) {
            None => changes.push(ScreenChange {
                change: Change::Added,
                id: (*id).to_owned(),
                title,
                properties: Vec::new(),
                components: Vec::new(),
                moved: false,
            }),
            Some(old_position) => {
                let Some((_, old_screen)) = old_screens.get(old_position) else { continue };
                let properties = changed_members(old_screen, screen, &NESTING);
                let components = compare_components(old_screen, screen);
                // Moved: its place among the screens both versions have changed.
                let rank = |list: &[(&str, &Map<String, Value>)],
                            other: &[(&str, &Map<String, Value>)],
                            at: usize| {
                    list.iter().take(at).filter(|(id, _)| other.iter().any(|(o, _)| o == id)).count()
                };
                let moved = rank(&old_screens, &new_screens, old_position)
                    != rank(&new_screens, &old_screens, position);
                if !properties.is_empty() || !components.is_empty() || moved {
                    changes.push(ScreenChange {
                        change: Change::Changed,
                        id: (*id).to_owned(),
                        title,
                        properties,
                        components,
                        moved,
                    });
                }
            }
        }
    }
    for (id, screen) in &old_screens {
        if !new_screens.iter().any(|(new_id, _)| new_id == id) {
            changes.push(ScreenChange {
                change: Change::Removed,
                id: (*id).to_owned(),
                title: text_of(screen, key::TITLE),
                properties: Vec::new(),
                components: Vec::new(),
                moved: false,
            });
        }
    }
    Comparison { flow, screens: changes }
}

/// The screens of a flow with their ids (screens without an id are named by position).
fn screens(flow: &Map<String, Value>) -> Vec<(&str, &Map<String, Value>)> {
    let list = member(flow, key::SCREENS).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    list.iter()
        .filter_map(Value::as_object)
        .map(|screen| (member(screen, key::ID).and_then(Value::as_str).unwrap_or("?"), screen))
        .collect()
}

fn text_of(object: &Map<String, Value>, key: &str) -> String {
    member(object, key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Members (other than `skip`) that differ, in `new`'s order, then those only in `old`.
fn changed_members(old: &Map<String, Value>, new: &Map<String, Value>, skip: &[&str]) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(key, value)| !skip.contains(&key.as_str()) && old.get(*key) != Some(*value))
        .map(|(key, _)| key.clone())
        .collect();
    changed
        .extend(old.keys().filter(|key| !skip.contains(&key.as_str()) && !new.contains_key(*key)).cloned());
    changed
}

/// A component's key within its screen: type and name, or type and rank among the nameless of
/// its type.
/// A component with its key (type, then name or rank).
type Keyed<'a> = ((String, String), &'a Map<String, Value>);

fn keyed(screen: &Map<String, Value>) -> Vec<Keyed<'_>> {
    let list = walk::components(screen, "");
    let mut ranks: Vec<(&str, usize)> = Vec::new();
    list.iter()
        .map(|component| {
            let kind = component.kind.unwrap_or("?");
            let key = match member(component.component, key::NAME).and_then(Value::as_str) {
                Some(name) => format!("name:{name}"),
                None => {
                    let rank = match ranks.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, rank)) => {
                            *rank += 1;
                            *rank
                        }
                        None => {
                            ranks.push((kind, 0));
                            0
                        }
                    };
                    format!("rank:{rank}")
                }
            };
            ((kind.to_owned(), key), component.component)
        })
        .collect()
}

fn compare_components(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<ComponentChange> {
    let old = keyed(old);
    let new = keyed(new);
    let mut changes = Vec::new();
    for (key, component) in &new {
        match old.iter().find(|(old_key, _)| old_key == key) {
            None => changes.push(component_change(Change::Added, &key.0, component, Vec::new())),
            Some((_, before)) => {
                let properties = changed_members(before, component, &NESTING);
                if !properties.is_empty() {
                    changes.push(component_change(Change::Changed, &key.0, component, properties));
                }
            }
        }
    }
    for (key, component) in &old {
        if !new.iter().any(|(new_key, _)| new_key == key) {
            changes.push(component_change(Change::Removed, &key.0, component, Vec::new()));
        }
    }
    changes
}

fn component_change(
    change: Change,
    kind: &str,
    component: &Map<String, Value>,
    properties: Vec<String>,
) -> ComponentChange {
    let label = [key::NAME, prop::LABEL, prop::TEXT, key::TITLE]
        .iter()
        .find_map(|key| member(component, key).and_then(Value::as_str))
        .map(|text| {
            let mut short: String = text.chars().take(40).collect();
            if text.chars().count() > 40 {
                short.push('…');
            }
            short
        })
        .unwrap_or_default();
    ComponentChange { change, kind: kind.to_owned(), label, properties }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn flow(screens: Value) -> Value {
        json!({"version": "7.2", "screens": screens})
    }

    fn screen(id: &str, children: Value) -> Value {
        json!({"id": id, "title": id.to_lowercase(), "layout": {"type": "SingleColumnLayout", "children": children}})
    }

    #[test]
    fn the_same_flow_has_no_differences() {
        let one = flow(json!([screen("A", json!([{"type": "TextBody", "text": "hi"}]))]));
        let comparison = compare(&one, &one.clone());
        assert!(comparison.is_empty());
        assert_eq!(comparison.summary(), "No differences");
    }

    #[test]
    fn screens_added_removed_changed_and_moved() {
        let old = flow(json!([screen("A", json!([])), screen("B", json!([])), screen("C", json!([]))]));
        let mut new = flow(json!([screen("B", json!([])), screen("A", json!([])), screen("D", json!([]))]));
        new["version"] = json!("7.3");
        let comparison = compare(&old, &new);
        assert_eq!(comparison.flow, ["version"]);
        let seen: Vec<(&str, Change, bool)> =
            comparison.screens.iter().map(|s| (s.id.as_str(), s.change, s.moved)).collect();
        assert_eq!(
            seen,
            [
                ("B", Change::Changed, true),
                ("A", Change::Changed, true),
                ("D", Change::Added, false),
                ("C", Change::Removed, false)
            ]
        );
        assert_eq!(
            comparison.summary(),
            "2 screens changed; 1 screen added; 1 screen removed; version changed"
        );
    }

    #[test]
    fn components_are_matched_by_name_or_rank_so_an_insertion_changes_only_itself() {
        let old = flow(json!([screen(
            "A",
            json!([
                {"type": "TextBody", "text": "one"},
                {"type": "Form", "name": "form", "children": [
                    {"type": "TextInput", "name": "email", "label": "Email"},
                    {"type": "TextInput", "name": "phone", "label": "Phone"}
                ]}
            ])
        )]));
        let new = flow(json!([screen(
            "A",
            json!([
                {"type": "TextHeading", "text": "Welcome"},
                {"type": "TextBody", "text": "one"},
                {"type": "Form", "name": "form", "children": [
                    {"type": "TextInput", "name": "email", "label": "E-mail", "required": true},
                    {"type": "TextInput", "name": "phone", "label": "Phone"}
                ]}
            ])
        )]));
        let comparison = compare(&old, &new);
        assert_eq!(comparison.screens.len(), 1);
        let screen = &comparison.screens[0];
        assert!(screen.properties.is_empty() && !screen.moved, "{screen:?}");
        let changes: Vec<(Change, &str, &str, Vec<&str>)> = screen
            .components
            .iter()
            .map(|c| {
                (
                    c.change,
                    c.kind.as_str(),
                    c.label.as_str(),
                    c.properties.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                (Change::Added, "TextHeading", "Welcome", vec![]),
                (Change::Changed, "TextInput", "email", vec!["label", "required"]),
            ]
        );
        assert_eq!(comparison.summary(), "1 screen changed");
        let lines: Vec<(Change, bool, String)> =
            comparison.lines().into_iter().map(|line| (line.change, line.nested, line.text)).collect();
        assert_eq!(
            lines,
            [
                (Change::Changed, false, "Screen A \u{201c}a\u{201d}".to_owned()),
                (Change::Added, true, "TextHeading \u{201c}Welcome\u{201d}".to_owned()),
                (Change::Changed, true, "TextInput \u{201c}email\u{201d}: label, required".to_owned()),
            ]
        );
    }

    #[test]
    fn screen_properties_and_removed_components() {
        let old = flow(json!([{"id": "A", "title": "Old", "data": {"x": {"type": "string"}},
            "layout": {"type": "SingleColumnLayout", "children": [{"type": "Footer", "label": "Go"}]}}]));
        let new = flow(json!([{"id": "A", "title": "New", "terminal": true,
            "layout": {"type": "SingleColumnLayout", "children": []}}]));
        let comparison = compare(&old, &new);
        let screen = &comparison.screens[0];
        assert_eq!(screen.properties, ["title", "terminal", "data"]);
        assert_eq!(screen.title, "New");
        assert_eq!(screen.components[0].change, Change::Removed);
        assert_eq!(screen.components[0].label, "Go");
    }

    #[test]
    fn anything_that_is_not_a_flow_compares_as_empty() {
        let comparison = compare(&json!([1]), &flow(json!([screen("A", json!([]))])));
        assert_eq!(comparison.flow, ["version"]);
        assert_eq!(comparison.screens[0].change, Change::Added);
        let long = "x".repeat(50);
        let change =
            component_change(Change::Added, "TextBody", json!({"text": long}).as_object().unwrap(), vec![]);
        assert_eq!(change.label.chars().count(), 41);
    }
}
