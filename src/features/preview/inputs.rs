//! Input components: their values live in the visit's form (`${form.NAME}`), their messages in
//! its errors. A value change clears the input's message; leaving a text field checks it;
//! selections run their on-select / on-unselect actions.
use flow_model::catalog::prop;
use std::sync::Arc;

use flow_model::catalog::Event;
use flow_model::evaluate::display;
use flow_model::model::Component;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::render::{Ctx, Object, image_url, on_click, problem};

/// The view of an input component (or a note for a type the preview does not know).
pub fn input(ctx: Ctx, object: Object, kind: &str) -> AnyView {
    let Some(name) = Component::new(&object).name().map(str::to_owned) else {
        return match flow_model::catalog::component(kind) {
            Some(_) => problem(format!("This {kind} has no name, so it cannot hold a value.")),
            None if kind.is_empty() => problem("A component without a type cannot be shown.".to_owned()),
            None => problem(format!("'{kind}' is not a WhatsApp component; it cannot be shown.")),
        };
    };
    let field = Field { ctx, object, name: Arc::from(name.as_str()) };
    match kind {
        "TextInput" => text_input(field, false),
        "TextArea" => text_input(field, true),
        "Dropdown" => dropdown(field),
        "RadioButtonsGroup" => choices(field, false),
        "CheckboxGroup" => choices(field, true),
        "ChipsSelector" => chips(field),
        "OptIn" => opt_in(field),
        "DatePicker" => date(field),
        "CalendarPicker" => calendar(field),
        "PhotoPicker" | "DocumentPicker" => picker(field, kind == "PhotoPicker"),
        _ => problem(format!("'{kind}' is not a WhatsApp component; it cannot be shown.")),
    }
}

/// An input: where its value and message live.
#[derive(Clone)]
struct Field {
    ctx: Ctx,
    object: Object,
    name: Arc<str>,
}

impl Field {
    /// The id of the field's label, which names its control (`aria-labelledby`).
    fn label_id(&self) -> String {
        format!("wa-label-{}", self.name)
    }

    fn text(&self, property: &'static str) -> impl Fn() -> String + Clone + 'static {
        let (ctx, object) = (self.ctx, Arc::clone(&self.object));
        move || ctx.text(&object, property)
    }

    fn enabled(&self) -> impl Fn() -> bool + Clone + 'static {
        let (ctx, object) = (self.ctx, Arc::clone(&self.object));
        move || ctx.flag(&object, "enabled", true)
    }

    fn required(&self) -> impl Fn() -> bool + Clone + 'static {
        let (ctx, object) = (self.ctx, Arc::clone(&self.object));
        move || ctx.flag(&object, "required", false)
    }

    /// The value now (untracked: for controls that own their state).
    fn value_untracked(&self) -> Option<Value> {
        self.ctx.visit.form.with_untracked(|form| form.get(&*self.name).cloned())
    }

    fn value(&self) -> Option<Value> {
        self.ctx.visit.form.with(|form| form.get(&*self.name).cloned())
    }

    fn set(&self, value: Value) {
        self.ctx.session.set_value(self.ctx.visit, &self.name, value);
    }

    fn check(&self) {
        self.ctx.session.check_field(self.ctx.visit, &self.object);
    }

    /// A unique name for radio groups (per visit).
    fn group(&self) -> String {
        format!("v{}-{}", self.ctx.visit.key, self.name)
    }

    /// Runs on-select / on-unselect: without on-unselect, on-select handles both.
    fn selection_action(&self, item: Option<&Value>, selected: bool) {
        let pick = |object: &Map<String, Value>| {
            let action = |event: Event| Component::new(object).get(event.property()).cloned();
            if selected {
                action(Event::OnSelect)
            } else {
                action(Event::OnUnselect).or_else(|| action(Event::OnSelect))
            }
        };
        let action = item.and_then(Value::as_object).and_then(pick).or_else(|| pick(&self.object));
        self.ctx.run(action.as_ref(), false);
    }

    /// Label, control, helper text and message.
    fn frame(&self, control: AnyView) -> AnyView {
        let label = self.text(prop::LABEL);
        let helper = self.text(prop::HELPER_TEXT);
        let description = self.text(prop::DESCRIPTION);
        let required = self.required();
        let large = Component::new(&self.object).str(prop::LABEL_VARIANT) == Some("large");
        let (errors, name) = (self.ctx.visit.errors, Arc::clone(&self.name));
        let error = move || errors.with(|errors| errors.get(&*name).map(display));
        let invalid = error.clone();
        view! {
            <div class="wa-field" class:wa-field--large=large class:wa-field--invalid=move || invalid().is_some() data-name=self.name.to_string()>
                <span class="wa-field__label" id=self.label_id()>{label}{move || required().then_some(" *")}</span>
                <span class="wa-caption">{description}</span>
                {control}
                <span class="wa-field__helper">{helper}</span>
                <span class="wa-field__error" role="alert" data-testid="preview-error">{error}</span>
            </div>
        }
        .into_any()
    }
}

fn text_input(field: Field, area: bool) -> AnyView {
    let initial = field.value_untracked().map(|value| display(&value)).unwrap_or_default();
    let input_type = field.text(prop::INPUT_TYPE);
    let enabled = field.enabled();
    let max = {
        let (ctx, object) = (field.ctx, Arc::clone(&field.object));
        let property = if area { "max-length" } else { "max-chars" };
        move || ctx.number(&object, property).map(|max| max.max(0.0) as u32)
    };
    let on_input = {
        let field = field.clone();
        move |event: leptos::ev::Event| field.set(Value::String(event_target_value(&event)))
    };
    let on_blur = {
        let field = field.clone();
        move |_| field.check()
    };
    let control = if area {
        let count = {
            let field = field.clone();
            move || field.value().map(|value| display(&value).chars().count()).unwrap_or_default()
        };
        let max_shown = max.clone();
        view! {
            <textarea class="wa-input" rows="3" aria-labelledby=field.label_id() maxlength=max prop:value=initial disabled=move || !enabled() on:input=on_input on:blur=on_blur></textarea>
            <span class="wa-counter">{count}{move || max_shown().map(|max| format!("/{max}"))}</span>
        }
        .into_any()
    } else {
        let kind = input_type.clone();
        let html_type = move || match kind().as_str() {
            "email" => "email",
            "password" | "passcode" => "password",
            "phone" => "tel",
            _ => "text",
        };
        let mode = move || match input_type().as_str() {
            "number" => "decimal",
            "passcode" => "numeric",
            "phone" => "tel",
            "email" => "email",
            _ => "text",
        };
        view! {
            <input class="wa-input" type=html_type aria-labelledby=field.label_id() inputmode=mode maxlength=max prop:value=initial disabled=move || !enabled() on:input=on_input on:blur=on_blur />
        }
        .into_any()
    };
    field.frame(control)
}

/// The items of a data-source (written or bound), as objects.
fn items(field: &Field) -> Vec<Value> {
    match field.ctx.value(&field.object, prop::DATA_SOURCE) {
        Value::Array(items) => items.into_iter().filter(Value::is_object).collect(),
        _ => Vec::new(),
    }
}

fn item_text(item: &Value, key: &str) -> String {
    item.get(key).map(display).unwrap_or_default()
}

fn item_enabled(item: &Value) -> bool {
    item.get(prop::ENABLED).and_then(Value::as_bool).unwrap_or(true)
}

fn dropdown(field: Field) -> AnyView {
    let enabled = field.enabled();
    let initial = field.value_untracked().map(|value| display(&value)).unwrap_or_default();
    let options = {
        let field = field.clone();
        move || {
            items(&field)
                .into_iter()
                .map(|item| {
                    let id = item_text(&item, "id");
                    let selected = id == initial;
                    view! { <option value=id selected=selected disabled=!item_enabled(&item)>{item_text(&item, "title")}</option> }
                })
                .collect::<Vec<_>>()
        }
    };
    let on_change = {
        let field = field.clone();
        move |event: leptos::ev::Event| {
            let id = event_target_value(&event);
            field.set(Value::String(id.clone()));
            let item = items(&field).into_iter().find(|item| item_text(item, "id") == id);
            field.selection_action(item.as_ref(), true);
        }
    };
    let control = view! {
        <select class="wa-input wa-select" aria-labelledby=field.label_id() disabled=move || !enabled() on:change=on_change>
            <option value="" disabled=true selected=field.value_untracked().is_none()>"Select"</option>
            {options}
        </select>
    }
    .into_any();
    field.frame(control)
}

fn selected_ids(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(ids)) => ids.iter().map(display).collect(),
        Some(Value::String(id)) => vec![id],
        _ => Vec::new(),
    }
}

fn choices(field: Field, multiple: bool) -> AnyView {
    let enabled = field.enabled();
    let large = Component::new(&field.object).str(prop::MEDIA_SIZE) == Some("large");
    let group = field.group();
    let list = {
        let field = field.clone();
        move || {
            items(&field)
                .into_iter()
                .map(|item| {
                    let id = item_text(&item, "id");
                    let checked = {
                        let (field, id) = (field.clone(), id.clone());
                        move || selected_ids(field.value()).contains(&id)
                    };
                    let on_change = {
                        let (field, id, item) = (field.clone(), id.clone(), item.clone());
                        move |event: leptos::ev::Event| {
                            let on = event_target_checked(&event);
                            let value = if multiple {
                                let mut ids = selected_ids(field.value_untracked());
                                ids.retain(|other| *other != id);
                                if on {
                                    ids.push(id.clone());
                                }
                                Value::Array(ids.into_iter().map(Value::String).collect())
                            } else {
                                Value::String(id.clone())
                            };
                            field.set(value);
                            field.selection_action(Some(&item), on);
                        }
                    };
                    let image = item.get(prop::IMAGE).map(display).and_then(|src| image_url(&src));
                    let color = item.get(prop::COLOR).and_then(Value::as_str).filter(|c| c.len() == 7 && c.starts_with('#')).map(str::to_owned);
                    let item_on = item_enabled(&item);
                    let enabled = enabled.clone();
                    view! {
                        <label class="wa-option" class:wa-option--large=large>
                            {image.map(|src| view! { <img class="wa-option__image" src=src alt=item_text(&item, "alt-text") /> })}
                            {color.map(|color| view! { <span class="wa-option__color" style:background=color></span> })}
                            <span class="wa-option__text">
                                <span class="wa-option__title">{item_text(&item, "title")}</span>
                                <span class="wa-caption">{item_text(&item, "description")}</span>
                                <span class="wa-caption">{item_text(&item, "metadata")}</span>
                            </span>
                            <input
                                type=if multiple { "checkbox" } else { "radio" }
                                name=group.clone()
                                value=id
                                prop:checked=checked
                                disabled=move || !item_on || !enabled()
                                on:change=on_change
                            />
                        </label>
                    }
                })
                .collect::<Vec<_>>()
        }
    };
    field.frame(
        view! { <div class="wa-options" role=if multiple { "group" } else { "radiogroup" }>{list}</div> }
            .into_any(),
    )
}

fn chips(field: Field) -> AnyView {
    let enabled = field.enabled();
    let list = {
        let field = field.clone();
        move || {
            items(&field)
                .into_iter()
                .map(|item| {
                    let id = item_text(&item, "id");
                    let on = {
                        let (field, id) = (field.clone(), id.clone());
                        move || selected_ids(field.value()).contains(&id)
                    };
                    let toggle = {
                        let (field, id, item, on) = (field.clone(), id.clone(), item.clone(), on.clone());
                        move |_| {
                            let now = !on();
                            let mut ids = selected_ids(field.value_untracked());
                            ids.retain(|other| *other != id);
                            if now {
                                ids.push(id.clone());
                            }
                            field.set(Value::Array(ids.into_iter().map(Value::String).collect()));
                            field.selection_action(Some(&item), now);
                        }
                    };
                    let item_on = item_enabled(&item);
                    let enabled = enabled.clone();
                    view! {
                        <button type="button" class="wa-chip" aria-pressed=move || on().to_string() disabled=move || !item_on || !enabled() on:click=toggle>
                            {item_text(&item, "title")}
                        </button>
                    }
                })
                .collect::<Vec<_>>()
        }
    };
    field.frame(view! { <div class="wa-chips">{list}</div> }.into_any())
}

fn opt_in(field: Field) -> AnyView {
    let label = field.text(prop::LABEL);
    let required = field.required();
    let initial = field.value_untracked().and_then(|value| value.as_bool()).unwrap_or(false);
    let read_more = on_click(&field.object).cloned();
    let (errors, name) = (field.ctx.visit.errors, Arc::clone(&field.name));
    let error = move || errors.with(|errors| errors.get(&*name).map(display));
    let on_change = {
        let field = field.clone();
        move |event: leptos::ev::Event| {
            let on = event_target_checked(&event);
            field.set(Value::Bool(on));
            field.selection_action(None, on);
        }
    };
    let ctx = field.ctx;
    view! {
        <div class="wa-optin" data-name=field.name.to_string()>
            <label class="wa-optin__row">
                <input type="checkbox" prop:checked=initial on:change=on_change />
                <span>{label}{move || required().then_some(" *")}</span>
            </label>
            {read_more.map(|action| view! {
                <button type="button" class="wa-embedded-link" on:click=move |_| ctx.run(Some(&action), false)>"Read more"</button>
            })}
            <span class="wa-field__error" role="alert" data-testid="preview-error">{error}</span>
        </div>
    }
    .into_any()
}

/// A date field; `labelled` when the field's own label names it (not a part of a range, which
/// its `<label>` names).
fn date_input(
    field: &Field,
    labelled: bool,
    initial: String,
    on_change: impl Fn(String) + 'static,
) -> AnyView {
    let (ctx, object) = (field.ctx, Arc::clone(&field.object));
    let bound = move |name: &'static str| {
        let object = Arc::clone(&object);
        move || super::runtime::date_text(&ctx.text(&object, name)).unwrap_or_default()
    };
    let enabled = field.enabled();
    let blur = field.clone();
    view! {
        <input
            class="wa-input"
            type="date"
            aria-labelledby=labelled.then(|| field.label_id())
            min=bound("min-date")
            max=bound("max-date")
            prop:value=initial
            disabled=move || !enabled()
            on:change=move |event| on_change(event_target_value(&event))
            on:blur=move |_| blur.check()
        />
    }
    .into_any()
}

fn date(field: Field) -> AnyView {
    let initial = field.value_untracked().map(|value| display(&value)).unwrap_or_default();
    let setter = field.clone();
    let control = date_input(&field, true, initial, move |date| {
        setter.set(Value::String(date));
        setter.selection_action(None, true);
    });
    field.frame(control)
}

fn calendar(field: Field) -> AnyView {
    let range = field.ctx.text(&field.object, "mode") == "range";
    if !range {
        return date(field);
    }
    let current = field.value_untracked().and_then(|value| value.as_object().cloned()).unwrap_or_default();
    let label = field.ctx.value(&field.object, prop::LABEL);
    let title = field.text(prop::TITLE);
    let part = |key: &'static str| {
        let setter = field.clone();
        let initial = current.get(key).map(display).unwrap_or_default();
        let control = date_input(&field, false, initial, move |date| {
            let mut range =
                setter.value_untracked().and_then(|value| value.as_object().cloned()).unwrap_or_default();
            range.insert(key.to_owned(), Value::String(date));
            setter.set(Value::Object(range));
            setter.selection_action(None, true);
        });
        let text = label.get(key).map(display).unwrap_or_else(|| key.replace('-', " "));
        view! { <label class="wa-range__part"><span class="wa-caption">{text}</span>{control}</label> }
    };
    let control = view! {
        <div class="wa-range">
            <span class="wa-option__title">{title}</span>
            {part("start-date")}
            {part("end-date")}
        </div>
    }
    .into_any();
    let (errors, name) = (field.ctx.visit.errors, Arc::clone(&field.name));
    view! {
        <div class="wa-field" data-name=field.name.to_string()>
            {control}
            <span class="wa-field__error" role="alert" data-testid="preview-error">{move || errors.with(|errors| errors.get(&*name).map(display))}</span>
        </div>
    }
    .into_any()
}

fn picker(field: Field, photos: bool) -> AnyView {
    let enabled = field.enabled();
    let max = {
        let (ctx, object) = (field.ctx, Arc::clone(&field.object));
        move || {
            ctx.number(&object, if photos { "max-uploaded-photos" } else { "max-uploaded-documents" })
                .unwrap_or(30.0) as usize
        }
    };
    let files = {
        let field = field.clone();
        move || field.value().and_then(|value| value.as_array().cloned()).unwrap_or_default()
    };
    let add = {
        let field = field.clone();
        move |_| {
            let mut list =
                field.value_untracked().and_then(|value| value.as_array().cloned()).unwrap_or_default();
            let n = list.len() + 1;
            let (file, mime) = if photos {
                (format!("photo_{n}.jpg"), "image/jpeg")
            } else {
                (format!("document_{n}.pdf"), "application/pdf")
            };
            let mut media = Map::new();
            media.insert("file_name".to_owned(), Value::String(file));
            media.insert("mime_type".to_owned(), Value::String(mime.to_owned()));
            media.insert("id".to_owned(), Value::String(format!("preview-media-{n}")));
            list.push(Value::Object(media));
            field.set(Value::Array(list));
        }
    };
    let remove = {
        let field = field.clone();
        move |index: usize| {
            let mut list =
                field.value_untracked().and_then(|value| value.as_array().cloned()).unwrap_or_default();
            if index < list.len() {
                list.remove(index);
            }
            field.set(Value::Array(list));
        }
    };
    let source = field.ctx.text(&field.object, "photo-source");
    let action = if !photos {
        "Choose a document"
    } else {
        match source.as_str() {
            "camera" => "Take a photo",
            "gallery" => "Choose from gallery",
            _ => "Take a photo or choose one",
        }
    };
    let count_files = files.clone();
    let control = view! {
        <ul class="wa-files">
            {move || files().into_iter().enumerate().map(|(index, file)| {
                let remove = remove.clone();
                view! {
                    <li>
                        <span>{item_text(&file, "file_name")}</span>
                        <button type="button" class="wa-embedded-link" on:click=move |_| remove(index)>"Remove"</button>
                    </li>
                }
            }).collect::<Vec<_>>()}
        </ul>
        <button
            type="button"
            class="wa-picker"
            disabled=move || { !enabled() || count_files().len() >= max() }
            on:click=add
        >
            {action}
        </button>
        <span class="wa-caption">"Simulated: no file is read."</span>
    }
    .into_any();
    field.frame(control)
}
