//! Markdown as WhatsApp shows it (§4.1), read by pulldown-cmark into a small tree of the
//! elements WhatsApp supports, then turned into DOM nodes one by one: no flow text is ever
//! parsed as HTML. Raw HTML stays visible text, links keep only `http(s)` targets, images only
//! inline `data:image/(png|jpeg|webp);base64` sources, and nesting is capped.
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

/// Which markdown a component understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// RichText: headings, emphasis, lists, links, tables and inline images.
    Rich,
    /// TextBody and TextCaption with `markdown: true`: emphasis, paragraphs, lists and links
    /// (no headings, images or tables: those show as plain text).
    Text,
}

/// One element of rendered markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Text, shown as it is.
    Text(String),
    /// A line break.
    Break,
    /// A horizontal rule.
    Rule,
    /// An element with children.
    Element(Element, Vec<Node>),
    /// A link to an `http(s)` address.
    Link(String, Vec<Node>),
    /// An inline image: its `data:` URL and its alternative text.
    Image(String, String),
}

/// The elements markdown produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// A paragraph.
    Paragraph,
    /// `#`: shown as a TextHeading.
    Heading,
    /// `##`: shown as a TextSubheading.
    Subheading,
    /// `###` to `######`: shown as body text in bold.
    MinorHeading,
    /// `*italic*`.
    Italic,
    /// `**bold**`.
    Bold,
    /// `~~strike~~`.
    Strike,
    /// A bulleted list.
    List,
    /// A numbered list, from this number.
    OrderedList(u64),
    /// A list item.
    Item,
    /// A table.
    Table,
    /// The header row of a table.
    TableHead,
    /// A table row.
    TableRow,
    /// A table cell.
    TableCell,
    /// Anything else that holds content (block quotes, code): shown as its text.
    Plain,
}

/// Deeper than this, elements are flattened into their parent: a pathological input cannot
/// build a DOM deep enough to exhaust the stack.
const MAX_NESTING: usize = 24;

/// Whether a link target may be shown as a link.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && !url.chars().any(char::is_control)
}

/// Whether an image source is an inline base64 PNG, JPEG or WebP.
pub fn is_inline_image(src: &str) -> bool {
    let lower = src.get(..24).unwrap_or(src).to_ascii_lowercase();
    ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,", "data:image/webp;base64,"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        && src
            .bytes()
            .skip_while(|b| *b != b',')
            .skip(1)
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
}

/// The tree of `text` as `flavor` shows it.
pub fn parse(text: &str, flavor: Flavor) -> Vec<Node> {
    let mut options = Options::ENABLE_STRIKETHROUGH;
    if flavor == Flavor::Rich {
        options |= Options::ENABLE_TABLES;
    }
    // Open elements: what each becomes when it ends, and its children so far.
    let mut stack: Vec<(Open, Vec<Node>)> = vec![(Open::Root, Vec::new())];
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => {
                let open = open_of(&tag, flavor);
                stack.push((open, Vec::new()));
            }
            Event::End(_) => {
                if stack.len() <= 1 {
                    continue;
                }
                let Some((open, children)) = stack.pop() else { continue };
                let depth = stack.len();
                let node = close(open, children, depth);
                if let Some((_, parent)) = stack.last_mut() {
                    parent.extend(node);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_text(&mut stack, &text);
            }
            Event::SoftBreak | Event::HardBreak => push(&mut stack, Node::Break),
            Event::Rule => push(&mut stack, Node::Rule),
            Event::TaskListMarker(done) => push_text(&mut stack, if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                push_text(&mut stack, &text);
            }
        }
    }
    // Unclosed elements (never from pulldown-cmark, but cheap to be sure of): close them all.
    while stack.len() > 1 {
        let Some((open, children)) = stack.pop() else { break };
        let node = close(open, children, stack.len());
        if let Some((_, parent)) = stack.last_mut() {
            parent.extend(node);
        }
    }
    stack.pop().map(|(_, children)| children).unwrap_or_default()
}

/// What an open tag becomes.
#[derive(Debug)]
enum Open {
    Root,
    Element(Element),
    Link(Option<String>),
    Image(Option<String>),
}

fn open_of(tag: &Tag<'_>, flavor: Flavor) -> Open {
    let rich = flavor == Flavor::Rich;
    Open::Element(match tag {
        Tag::Paragraph => Element::Paragraph,
        Tag::Heading { level, .. } if rich => match level {
            HeadingLevel::H1 => Element::Heading,
            HeadingLevel::H2 => Element::Subheading,
            _ => Element::MinorHeading,
        },
        Tag::Heading { .. } => Element::Paragraph,
        Tag::Emphasis => Element::Italic,
        Tag::Strong => Element::Bold,
        Tag::Strikethrough => Element::Strike,
        Tag::List(Some(start)) => Element::OrderedList(*start),
        Tag::List(None) => Element::List,
        Tag::Item => Element::Item,
        Tag::Table(_) => Element::Table,
        Tag::TableHead => Element::TableHead,
        Tag::TableRow => Element::TableRow,
        Tag::TableCell => Element::TableCell,
        Tag::Link { dest_url, .. } => {
            return Open::Link(is_web_link(dest_url).then(|| dest_url.trim().to_owned()));
        }
        Tag::Image { dest_url, .. } => {
            return Open::Image((rich && is_inline_image(dest_url)).then(|| dest_url.to_string()));
        }
        _ => Element::Plain,
    })
}

fn close(open: Open, children: Vec<Node>, depth: usize) -> Vec<Node> {
    let flatten = depth >= MAX_NESTING;
    match open {
        Open::Root => children,
        Open::Element(Element::Plain) => children,
        Open::Element(_) | Open::Link(_) if flatten => children,
        Open::Element(element) => vec![Node::Element(element, children)],
        Open::Link(Some(url)) => vec![Node::Link(url, children)],
        Open::Link(None) => children,
        Open::Image(Some(src)) => vec![Node::Image(src, plain_text(&children))],
        Open::Image(None) => children,
    }
}

/// The text of nodes, without markup.
pub fn plain_text(nodes: &[Node]) -> String {
    let mut text = String::new();
    let mut pending: Vec<&Node> = nodes.iter().rev().collect();
    while let Some(node) = pending.pop() {
        match node {
            Node::Text(part) => text.push_str(part),
            Node::Break => text.push(' '),
            Node::Element(_, children) | Node::Link(_, children) => pending.extend(children.iter().rev()),
            Node::Image(_, alt) => text.push_str(alt),
            Node::Rule => {}
        }
    }
    text
}

fn push(stack: &mut [(Open, Vec<Node>)], node: Node) {
    if let Some((_, children)) = stack.last_mut() {
        children.push(node);
    }
}

fn push_text(stack: &mut [(Open, Vec<Node>)], text: &str) {
    if let Some((_, children)) = stack.last_mut() {
        match children.last_mut() {
            Some(Node::Text(previous)) => previous.push_str(text),
            _ => children.push(Node::Text(text.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Node {
        Node::Text(value.to_owned())
    }

    #[test]
    fn rich_text_has_headings_lists_tables_and_inline_images() {
        let nodes = parse("# Title\n## Sub\n### Minor\n\n- a\n- **b**\n\n|x|y|\n|-|-|\n|1|2|", Flavor::Rich);
        assert_eq!(nodes[0], Node::Element(Element::Heading, vec![text("Title")]));
        assert_eq!(nodes[1], Node::Element(Element::Subheading, vec![text("Sub")]));
        assert_eq!(nodes[2], Node::Element(Element::MinorHeading, vec![text("Minor")]));
        assert!(matches!(&nodes[3], Node::Element(Element::List, items) if items.len() == 2));
        assert!(matches!(&nodes[4], Node::Element(Element::Table, rows) if rows.len() == 2));
        let image = parse("![a dot](data:image/png;base64,iVBORw0KGgo=)", Flavor::Rich);
        assert_eq!(
            image,
            [Node::Element(
                Element::Paragraph,
                vec![Node::Image("data:image/png;base64,iVBORw0KGgo=".into(), "a dot".into())]
            )]
        );
    }

    #[test]
    fn text_markdown_has_no_headings_images_or_tables() {
        let nodes = parse("# Title\n\n![alt](data:image/png;base64,AAAA)\n\n|x|\n|-|", Flavor::Text);
        assert_eq!(nodes[0], Node::Element(Element::Paragraph, vec![text("Title")]));
        assert_eq!(nodes[1], Node::Element(Element::Paragraph, vec![text("alt")]));
        assert_eq!(plain_text(&nodes[2..]), "|x| |-|");
    }

    #[test]
    fn hostile_markdown_stays_text() {
        let nodes = parse("<script>alert(1)</script> <b onclick=x>hi</b>", Flavor::Rich);
        assert_eq!(plain_text(&nodes), "<script>alert(1)</script> <b onclick=x>hi</b>");
        for link in
            ["[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html,hi)", "[x](//evil)"]
        {
            assert_eq!(
                parse(link, Flavor::Rich),
                [Node::Element(Element::Paragraph, vec![text("x")])],
                "{link}"
            );
        }
        let svg = parse("![x](data:image/svg+xml;base64,PHN2Zz4=)", Flavor::Rich);
        assert_eq!(plain_text(&svg), "x");
        assert!(matches!(&parse("[ok](https://example.com)", Flavor::Text)[0],
            Node::Element(_, children) if matches!(&children[0], Node::Link(url, _) if url == "https://example.com")));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let deep = format!("{}x", "> ".repeat(5_000));
        assert_eq!(plain_text(&parse(&deep, Flavor::Rich)), "x");
        let lists = format!("{}x", "- ".repeat(2_000));
        let nodes = parse(&lists, Flavor::Rich);
        fn depth(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|node| match node {
                    Node::Element(_, children) | Node::Link(_, children) => 1 + depth(children),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&nodes) <= MAX_NESTING + 1, "{}", depth(&nodes));
    }
}
