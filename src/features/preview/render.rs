//! Components as WhatsApp shows them: the walk over a screen's lists (Form, If and Switch
//! evaluated live, `visible` bindings), text, images, links, navigation lists and the Footer.
//! Inputs are in `inputs.rs`. Every flow string reaches the DOM as a text node or an attribute
//! value, never as HTML.
use flow_model::catalog::prop;
use flow_model::number::fixed;
use std::sync::Arc;

use flow_model::catalog::Event;
use flow_model::evaluate;
use flow_model::model::{Component, ComponentKind, Components, Form, If, Switch, key};
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::inputs;
use super::markdown::{self, Element, Flavor, Node};
use super::runtime;
use super::session::{Session, Visit};

/// A component object, owned (views outlive the flow value they came from).
pub type Object = Arc<Map<String, Value>>;

/// What every component view needs: the session and the visit it shows.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The running flow.
    pub session: Session,
    /// The visit of the screen shown.
    pub visit: Visit,
}

impl Ctx {
    /// A text property, evaluated (tracked); a broken expression shows its message.
    pub fn text(&self, component: &Map<String, Value>, name: &str) -> String {
        let mut lookup = self.session.lookup(self.visit);
        runtime::text_property(Component::new(component), name, &mut lookup)
            .unwrap_or_else(|error| format!("⚠ {error}"))
    }

    /// A boolean property, evaluated (tracked).
    pub fn flag(&self, component: &Map<String, Value>, name: &str, default: bool) -> bool {
        let mut lookup = self.session.lookup(self.visit);
        runtime::bool_property(Component::new(component), name, default, &mut lookup)
    }

    /// A number property, evaluated (tracked), with the catalog's default.
    pub fn number(&self, component: &Map<String, Value>, name: &str) -> Option<f64> {
        let mut lookup = self.session.lookup(self.visit);
        runtime::number_property(Component::new(component), name, &mut lookup)
    }

    /// Any property evaluated (a list bound to data, an object of texts).
    pub fn value(&self, component: &Map<String, Value>, name: &str) -> Value {
        let mut lookup = self.session.lookup(self.visit);
        Component::new(component)
            .get(name)
            .map(|value| evaluate::evaluate_value(value, &mut lookup).unwrap_or(Value::Null))
            .unwrap_or(Value::Null)
    }

    /// Runs an action object of a component.
    pub fn run(&self, action: Option<&Value>, check_first: bool) {
        if let Some(action) = action {
            self.session.run(self.visit, action, check_first);
        }
    }
}

/// The components of a list (`layout.children`, a Form's children, a branch), in order.
pub fn list(ctx: Ctx, items: Components<'_>, pointer: &str) -> Vec<AnyView> {
    items
        .entries()
        .map(|(index, item)| {
            let at = format!("{pointer}/{index}");
            match item {
                Some(item) => component(ctx, Arc::new(item.object().clone()), at),
                None => problem(format!("Item {index} of this list is not a component object.")),
            }
        })
        .collect()
}

/// A note in place of what cannot be shown.
pub fn problem(text: String) -> AnyView {
    view! { <p class="wa-problem" data-testid="preview-problem">{text}</p> }.into_any()
}

fn component(ctx: Ctx, object: Object, pointer: String) -> AnyView {
    let shown = Component::new(&object);
    let kind = shown.type_name().unwrap_or_default().to_owned();
    let has_visible = shown.visible_value().is_some();
    match shown.kind() {
        ComponentKind::Form(form) => {
            let children = list(ctx, form.children(), &Form::children_pointer(&pointer));
            view! { <div class="wa-form" data-pointer=pointer>{children}</div> }.into_any()
        }
        ComponentKind::If(_) => if_view(ctx, Arc::clone(&object), pointer),
        ComponentKind::Switch(_) => switch_view(ctx, Arc::clone(&object), pointer),
        ComponentKind::Leaf(_) => {
            let visible = {
                let object = Arc::clone(&object);
                Memo::new(move |_| !has_visible || ctx.flag(&object, key::VISIBLE, true))
            };
            let highlighted = {
                let pointer = pointer.clone();
                Memo::new(move |_| ctx.session.highlighted.with(|h| h.as_deref() == Some(pointer.as_str())))
            };
            let click_pointer = pointer.clone();
            let footer = kind == "Footer";
            (move || {
                visible.get().then(|| {
                    let inner = leaf(ctx, Arc::clone(&object), &kind);
                    let click_pointer = click_pointer.clone();
                    view! {
                        <div
                            class="wa-c"
                            class:wa-c--footer=footer
                            class:wa-c--highlight=move || highlighted.get()
                            data-pointer=pointer.clone()
                            data-type=kind.clone()
                            on:click=move |event| {
                                event.stop_propagation();
                                ctx.session.clicked(ctx.visit, &click_pointer);
                            }
                        >
                            {inner}
                        </div>
                    }
                })
            })
            .into_any()
        }
    }
}

fn if_of(object: &Map<String, Value>) -> If<'_> {
    If::new(Component::new(object))
}

fn switch_of(object: &Map<String, Value>) -> Switch<'_> {
    Switch::new(Component::new(object))
}

/// The component's `on-click-action`, as written.
pub fn on_click(object: &Map<String, Value>) -> Option<&Value> {
    Component::new(object).get(Event::OnClick.property())
}

fn if_view(ctx: Ctx, object: Object, pointer: String) -> AnyView {
    let condition = {
        let object = Arc::clone(&object);
        Memo::new(move |_| {
            let mut lookup = ctx.session.lookup(ctx.visit);
            runtime::condition_holds(if_of(&object).condition_value(), &mut lookup)
                .map_err(|error| error.to_string())
        })
    };
    let at = pointer.clone();
    view! {
        <div class="wa-form" data-pointer=pointer>
            {move || match condition.get() {
                Ok(holds) => list(ctx, if_of(&object).branch(holds), &If::branch_pointer(&at, holds)).into_any(),
                Err(error) => problem(format!("This If's condition cannot be evaluated: {error}")),
            }}
        </div>
    }
    .into_any()
}

fn switch_view(ctx: Ctx, object: Object, pointer: String) -> AnyView {
    let case = {
        let object = Arc::clone(&object);
        Memo::new(move |_| {
            let value = switch_of(&object).value().unwrap_or_default();
            let mut lookup = ctx.session.lookup(ctx.visit);
            evaluate::evaluate_text(value, &mut lookup).map(|value| evaluate::display(&value)).ok()
        })
    };
    let at = pointer.clone();
    view! {
        <div class="wa-form" data-pointer=pointer>
            {move || {
                let key = case.get().unwrap_or_default();
                list(ctx, switch_of(&object).case(&key), &Switch::case_pointer(&at, &key)).into_any()
            }}
        </div>
    }
    .into_any()
}

fn leaf(ctx: Ctx, object: Object, kind: &str) -> AnyView {
    match kind {
        "TextHeading" => text_view(ctx, object, "wa-heading"),
        "TextSubheading" => text_view(ctx, object, "wa-subheading"),
        "TextBody" => text_view(ctx, object, "wa-body"),
        "TextCaption" => text_view(ctx, object, "wa-caption"),
        "RichText" => rich_text(ctx, object),
        "Image" => image(ctx, object),
        "ImageCarousel" => carousel(ctx, object),
        "EmbeddedLink" => embedded_link(ctx, object),
        "NavigationList" => navigation_list(ctx, object),
        "Footer" => footer(ctx, object),
        _ => inputs::input(ctx, object, kind),
    }
}

/// The lines of a text that may be a string, a binding or a list of strings, joined.
fn lines(ctx: Ctx, object: &Map<String, Value>) -> String {
    match Component::new(object).get(prop::TEXT) {
        Some(Value::Array(lines)) => lines
            .iter()
            .map(|line| match line {
                Value::String(text) => text.clone(),
                other => evaluate::display(other),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => match ctx.value(object, "text") {
            Value::Array(lines) => lines.iter().map(evaluate::display).collect::<Vec<_>>().join("\n"),
            _ => ctx.text(object, "text"),
        },
    }
}

fn text_view(ctx: Ctx, object: Object, class: &'static str) -> AnyView {
    let markdown = Component::new(&object).get(prop::MARKDOWN).and_then(Value::as_bool) == Some(true);
    let weight = {
        let object = Arc::clone(&object);
        move || ctx.text(&object, prop::FONT_WEIGHT)
    };
    let strike = {
        let object = Arc::clone(&object);
        move || ctx.flag(&object, "strikethrough", false)
    };
    let body = move || {
        let text = lines(ctx, &object);
        if markdown { markdown_view(ctx, markdown::parse(&text, Flavor::Text)) } else { text.into_any() }
    };
    view! {
        <div
            class=class
            class:wa-text--markdown=markdown
            class:wa-text--strike=strike
            data-weight=weight
        >
            {body}
        </div>
    }
    .into_any()
}

fn rich_text(ctx: Ctx, object: Object) -> AnyView {
    view! {
        <div class="wa-rich">{move || markdown_view(ctx, markdown::parse(&lines(ctx, &object), Flavor::Rich))}</div>
    }
    .into_any()
}

/// Markdown nodes as DOM elements (text nodes and safe attributes only).
pub fn markdown_view(ctx: Ctx, nodes: Vec<Node>) -> AnyView {
    nodes.into_iter().map(|node| node_view(ctx, node)).collect::<Vec<_>>().into_any()
}

fn node_view(ctx: Ctx, node: Node) -> AnyView {
    match node {
        Node::Text(text) => text.into_any(),
        Node::Break => view! { <br /> }.into_any(),
        Node::Rule => view! { <hr /> }.into_any(),
        Node::Image(src, alt) => view! { <img class="wa-md-image" src=src alt=alt /> }.into_any(),
        Node::Link(url, children) => {
            let shown = url.clone();
            view! {
                <a
                    class="wa-link"
                    href=url
                    rel="noopener noreferrer nofollow"
                    target="_blank"
                    on:click=move |event| {
                        event.prevent_default();
                        ctx.session.snackbar.set(Some(format!("Opens {shown} (not followed in the preview)")));
                    }
                >
                    {markdown_view(ctx, children)}
                </a>
            }
            .into_any()
        }
        Node::Element(element, children) => {
            let inner = markdown_view(ctx, children);
            match element {
                Element::Paragraph => view! { <p>{inner}</p> }.into_any(),
                Element::Heading => view! { <h1 class="wa-heading">{inner}</h1> }.into_any(),
                Element::Subheading => view! { <h2 class="wa-subheading">{inner}</h2> }.into_any(),
                Element::MinorHeading => view! { <p class="wa-body"><strong>{inner}</strong></p> }.into_any(),
                Element::Italic => view! { <em>{inner}</em> }.into_any(),
                Element::Bold => view! { <strong>{inner}</strong> }.into_any(),
                Element::Strike => view! { <s>{inner}</s> }.into_any(),
                Element::List => view! { <ul>{inner}</ul> }.into_any(),
                Element::OrderedList(start) => {
                    view! { <ol start=start.min(u64::from(u32::MAX)).to_string()>{inner}</ol> }.into_any()
                }
                Element::Item => view! { <li>{inner}</li> }.into_any(),
                Element::Table => view! { <div class="wa-table"><table>{inner}</table></div> }.into_any(),
                Element::TableHead => view! { <thead><tr>{inner}</tr></thead> }.into_any(),
                Element::TableRow => view! { <tr>{inner}</tr> }.into_any(),
                Element::TableCell => view! { <td>{inner}</td> }.into_any(),
                Element::Plain => inner,
            }
        }
    }
}

/// A `data:` URL for base64 image data (its type read from the first bytes), or `None` when
/// the text is not base64.
pub fn image_url(base64: &str) -> Option<String> {
    let base64 = base64.trim();
    if base64.is_empty() || !base64.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n".contains(&b)) {
        return None;
    }
    let kind = if base64.starts_with("/9j/") {
        "jpeg"
    } else if base64.starts_with("UklGR") {
        "webp"
    } else if base64.starts_with("R0lGOD") {
        "gif"
    } else {
        "png"
    };
    Some(format!("data:image/{kind};base64,{base64}"))
}

fn image(ctx: Ctx, object: Object) -> AnyView {
    let src = {
        let object = Arc::clone(&object);
        Memo::new(move |_| image_url(&ctx.text(&object, prop::SRC)))
    };
    let style = {
        let object = Arc::clone(&object);
        move || {
            let mut style = String::new();
            if let Some(width) = ctx.number(&object, "width") {
                style.push_str(&format!("width:{}px;", fixed(width.clamp(0.0, 2000.0), 1)));
            }
            if let Some(height) = ctx.number(&object, "height") {
                style.push_str(&format!("height:{}px;", fixed(height.clamp(0.0, 2000.0), 1)));
            } else if let Some(ratio) = ctx.number(&object, "aspect-ratio").filter(|r| *r > 0.0) {
                style.push_str(&format!("aspect-ratio:{};", fixed(ratio.clamp(0.01, 100.0), 4)));
            }
            let fit = if ctx.text(&object, prop::SCALE_TYPE) == "cover" { "cover" } else { "contain" };
            style.push_str(&format!("object-fit:{fit};"));
            style
        }
    };
    let alt = {
        let object = Arc::clone(&object);
        move || ctx.text(&object, prop::ALT_TEXT)
    };
    (move || match src.get() {
        Some(src) => {
            view! { <img class="wa-image" src=src alt=alt.clone() style=style.clone() /> }.into_any()
        }
        None => problem("This Image's src is not base64 image data.".to_owned()),
    })
    .into_any()
}

fn carousel(ctx: Ctx, object: Object) -> AnyView {
    let ratio = {
        let object = Arc::clone(&object);
        move || if ctx.text(&object, prop::ASPECT_RATIO) == "16:9" { "16 / 9" } else { "4 / 3" }
    };
    let fit = {
        let object = Arc::clone(&object);
        move || if ctx.text(&object, prop::SCALE_TYPE) == "cover" { "cover" } else { "contain" }
    };
    let images = move || {
        let images = ctx.value(&object, prop::IMAGES);
        let images = images.as_array().cloned().unwrap_or_default();
        let count = images.len();
        images
            .into_iter()
            .enumerate()
            .map(|(index, image)| {
                let src = image.get(prop::SRC).map(evaluate::display).and_then(|src| image_url(&src));
                let alt = image.get(prop::ALT_TEXT).map(evaluate::display).unwrap_or_default();
                let label = format!("{} of {count}", index + 1);
                view! {
                    <figure class="wa-carousel__slide" style:aspect-ratio=ratio.clone() style:object-fit=fit.clone()>
                        {match src {
                            Some(src) => view! { <img src=src alt=alt /> }.into_any(),
                            None => view! { <span class="wa-problem">"Not base64 image data"</span> }.into_any(),
                        }}
                        <figcaption>{label}</figcaption>
                    </figure>
                }
            })
            .collect::<Vec<_>>()
    };
    view! { <div class="wa-carousel">{images}</div> }.into_any()
}

fn embedded_link(ctx: Ctx, object: Object) -> AnyView {
    let text = {
        let object = Arc::clone(&object);
        move || ctx.text(&object, prop::TEXT)
    };
    view! {
        <button type="button" class="wa-embedded-link" on:click=move |_| ctx.run(on_click(&object), true)>
            {text}
        </button>
    }
    .into_any()
}

fn footer(ctx: Ctx, object: Object) -> AnyView {
    let text = |name: &'static str| {
        let object = Arc::clone(&object);
        move || ctx.text(&object, name)
    };
    let enabled = {
        let object = Arc::clone(&object);
        move || ctx.flag(&object, "enabled", true) && !ctx.session.busy.get()
    };
    let (left, center, right, label) =
        (text(prop::LEFT_CAPTION), text(prop::CENTER_CAPTION), text(prop::RIGHT_CAPTION), text(prop::LABEL));
    view! {
        <div class="wa-footer">
            <div class="wa-footer__captions">
                <span>{left}</span>
                <span>{center}</span>
                <span>{right}</span>
            </div>
            <button
                type="button"
                class="wa-footer__button"
                data-testid="preview-footer"
                disabled=move || !enabled()
                on:click=move |_| ctx.run(on_click(&object), true)
            >
                {move || if ctx.session.busy.get() { "…".to_owned() } else { label() }}
            </button>
        </div>
    }
    .into_any()
}

fn navigation_list(ctx: Ctx, object: Object) -> AnyView {
    let header = {
        let object = Arc::clone(&object);
        move || (ctx.text(&object, prop::LABEL), ctx.text(&object, prop::DESCRIPTION))
    };
    let large = {
        let object = Arc::clone(&object);
        move || ctx.text(&object, prop::MEDIA_SIZE) == "large"
    };
    let items = move || {
        let items = ctx.value(&object, prop::LIST_ITEMS);
        let object = Arc::clone(&object);
        items
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(move |item| navigation_item(ctx, Arc::clone(&object), item))
            .collect::<Vec<_>>()
    };
    view! {
        <div class="wa-navlist" class:wa-navlist--large=large>
            {move || {
                let (label, description) = header();
                view! {
                    <p class="wa-navlist__label">{label}</p>
                    <p class="wa-caption">{description}</p>
                }
            }}
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

fn navigation_item(ctx: Ctx, list: Object, item: Value) -> AnyView {
    let part = |key: &str, field: &str| {
        item.get(key).and_then(|part| part.get(field)).map(evaluate::display).unwrap_or_default()
    };
    let (title, description, metadata) = (
        part("main-content", "title"),
        part("main-content", "description"),
        part("main-content", "metadata"),
    );
    let end = [part("end", "title"), part("end", "description"), part("end", "metadata")];
    let start = item
        .get(prop::START)
        .and_then(|start| start.get(prop::IMAGE))
        .map(evaluate::display)
        .and_then(|src| image_url(&src));
    let badge = item.get(prop::BADGE).map(evaluate::display).filter(|badge| !badge.is_empty());
    let tags: Vec<String> = item
        .get(prop::TAGS)
        .and_then(Value::as_array)
        .map(|tags| tags.iter().map(evaluate::display).collect())
        .unwrap_or_default();
    let action = item.as_object().and_then(on_click).or_else(|| on_click(&list)).cloned();
    view! {
        <li>
            <button type="button" class="wa-navlist__item" on:click=move |_| ctx.run(action.as_ref(), true)>
                {start.map(|src| view! { <img class="wa-navlist__start" src=src alt="" /> })}
                <span class="wa-navlist__main">
                    <span class="wa-navlist__title">{title}</span>
                    <span class="wa-caption">{description}</span>
                    <span class="wa-caption">{metadata}</span>
                    <span class="wa-navlist__tags">
                        {badge.map(|badge| view! { <span class="wa-badge">{badge}</span> })}
                        {tags.into_iter().map(|tag| view! { <span class="wa-tag">{tag}</span> }).collect::<Vec<_>>()}
                    </span>
                </span>
                <span class="wa-navlist__end">
                    {end.into_iter().map(|text| view! { <span>{text}</span> }).collect::<Vec<_>>()}
                </span>
                <span class="wa-chevron" aria-hidden="true">"›"</span>
            </button>
        </li>
    }
    .into_any()
}
