//! The visual editor end to end: build a flow with the UI only, export it, break it, find the
//! field from the problems panel, reload mid-edit, undo back to the start.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::{self, Page, key};

const EXPECTED: &str = include_str!("expected/appointment-built.json");

fn downloads_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowsmith-e2e-downloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a downloads folder");
    dir
}

async fn wait_for_file(path: &std::path::Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        assert!(Instant::now() < deadline, "{} was not downloaded", path.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Adds a component from the palette and sets text fields of it in the inspector.
async fn add(page: &Page<'_>, kind: &str, fields: &[(&str, &str)]) {
    page.click(&format!("[data-testid=palette-item][data-type={kind}]")).await;
    page.until(&format!("{kind} selected"), &format!("document.querySelector('[data-testid=component-inspector] .inspector__title')?.textContent == '{kind}'")).await;
    for (property, value) in fields {
        let input = format!(
            "[data-testid=component-inspector] [data-property='{property}'] > input, [data-testid=component-inspector] [data-property='{property}'] > textarea"
        );
        page.fill(&input, value).await;
    }
}

async fn select_screen(page: &Page<'_>, id: &str) {
    page.click(&format!("[data-screen-id={id}] .screen-item__main")).await;
    page.until("screen inspector", "document.querySelector('[data-testid=screen-inspector]')").await;
}

async fn add_data_fields(page: &Page<'_>, names: &[&str]) {
    for name in names {
        page.fill("[data-testid=data-field-name]", name).await;
        page.click("[data-testid=add-data-field]").await;
        page.until(
            "data field",
            &format!("document.querySelector('[data-testid=data-field][data-name={name}]')"),
        )
        .await;
    }
}

async fn new_screen(page: &Page<'_>, id: &str, title: &str) {
    page.click("[data-testid=add-screen]").await;
    page.until("new screen", "document.querySelector('[data-screen-id=NEW_SCREEN]')").await;
    page.fill("[data-testid=screen-id]", id).await;
    page.keys("[data-testid=screen-id]", key::ENTER).await;
    page.until("renamed", &format!("document.querySelector('[data-screen-id={id}]')")).await;
    page.fill("[data-testid=screen-title-input]", title).await;
}

async fn set_action(page: &Page<'_>, card: &str, action: &str) {
    page.click(card).await;
    page.choose(
        "[data-testid=component-inspector] [data-property='on-click-action'] [data-testid=action-name]",
        action,
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn build_a_flow_with_the_ui_export_it_break_it_reload_and_undo() {
    let downloads = downloads_dir();
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser_downloading_to(Some(&downloads)).await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;

    // An empty flow: one terminal screen with a heading and a Footer.
    page.menu("file-menu", "new-flow").await;
    page.click("[data-template=empty]").await;
    page.until("the empty flow", "document.querySelector('[data-screen-id=WELCOME]')").await;

    // First screen.
    select_screen(&page, "WELCOME").await;
    page.fill("[data-testid=screen-id]", "APPOINTMENT").await;
    page.keys("[data-testid=screen-id]", key::ENTER).await;
    page.until("renamed", "document.querySelector('[data-screen-id=APPOINTMENT]')").await;
    page.fill("[data-testid=screen-title-input]", "Book appointment").await;
    page.click("[data-testid=screen-terminal]").await;
    page.click("[data-testid=component-card][data-type=TextHeading]").await;
    page.keys("[data-testid=component-card][data-type=TextHeading]", key::DELETE).await;
    page.until(
        "heading deleted",
        "!document.querySelector('[data-testid=component-card][data-type=TextHeading]')",
    )
    .await;
    add(&page, "TextSubheading", &[("text", "When would you like to come in?")]).await;
    add(&page, "Dropdown", &[("name", "department"), ("label", "Department")]).await;
    add(&page, "DatePicker", &[("name", "date"), ("label", "Date")]).await;
    add(&page, "RadioButtonsGroup", &[("name", "time"), ("label", "Time")]).await;

    // Second screen: its data model, two inputs and a Footer.
    new_screen(&page, "DETAILS", "Your details").await;
    add_data_fields(&page, &["department", "date", "time"]).await;
    add(&page, "TextInput", &[("name", "name"), ("label", "Full name")]).await;
    add(&page, "TextInput", &[("name", "email"), ("label", "Email")]).await;
    page.choose("[data-testid=component-inspector] [data-property='input-type'] > select", "email").await;
    add(&page, "Footer", &[("label", "Review booking")]).await;

    // Third screen: terminal, with a summary, an opt-in and a Footer that completes.
    new_screen(&page, "SUMMARY", "Confirm booking").await;
    page.click("[data-testid=screen-terminal]").await;
    add_data_fields(&page, &["department", "date", "time", "name", "email"]).await;
    add(&page, "TextBody", &[("text", "`'Appointment: ' ${data.date} ' at ' ${data.time}`")]).await;
    add(&page, "OptIn", &[("name", "accept_policy"), ("label", "I accept the cancellation policy")]).await;
    add(&page, "Footer", &[("label", "Confirm appointment")]).await;
    for binding in [
        "${data.department}",
        "${data.date}",
        "${data.time}",
        "${data.name}",
        "${data.email}",
        "${form.accept_policy}",
    ] {
        page.choose("[data-testid=payload-add]", binding).await;
    }

    // Footers of the first two screens navigate on, payloads prefilled from the targets.
    select_screen(&page, "APPOINTMENT").await;
    set_action(&page, "[data-testid=component-card][data-type=Footer]", "navigate").await;
    select_screen(&page, "DETAILS").await;
    set_action(&page, "[data-testid=component-card][data-type=Footer]", "navigate").await;

    page.until(
        "no problems",
        "document.querySelector('[data-testid=error-count]')?.textContent == '0 errors'",
    )
    .await;
    page.menu("file-menu", "export").await;
    let exported = wait_for_file(&downloads.join("Empty flow.json")).await;
    let report = flow_model::check(&exported);
    assert!(report.diagnostics.is_empty(), "the exported flow has problems: {:#?}", report.diagnostics);
    let exported_value: serde_json::Value = serde_json::from_str(&exported).expect("JSON");
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).expect("JSON");
    assert_eq!(exported_value, expected, "exported:\n{exported}");

    // An error: a label over its 20 characters. Clicking it in the panel focuses the field.
    select_screen(&page, "DETAILS").await;
    page.click("[data-testid=component-card][data-type=TextInput]").await;
    page.fill("[data-testid=component-inspector] [data-property=label] > input", "Your full legal name here")
        .await;
    page.until("one error", "document.querySelector('[data-testid=error-count]')?.textContent == '1 errors'")
        .await;
    select_screen(&page, "SUMMARY").await;
    page.click("[data-testid=problem]").await;
    page.until(
        "the label field focused",
        "document.activeElement?.closest('[data-testid=field]')?.dataset.pointer == '/screens/1/layout/children/0/label'",
    )
    .await;

    // Reload mid-edit: the edit is still there, and so is the history.
    client.refresh().await.expect("reload");
    page.until("restored", "document.querySelector('[data-testid=error-count]')?.textContent == '1 errors'")
        .await;
    assert_eq!(page.texts("[data-testid=draft-name]").await, ["Empty flow"]);

    // Undo back to the start: the empty flow.
    let deadline = Instant::now() + Duration::from_secs(60);
    while page.script("return !document.querySelector('[data-testid=undo]').disabled;").await
        == serde_json::Value::Bool(true)
    {
        page.click("[data-testid=undo]").await;
        assert!(Instant::now() < deadline, "undo did not reach the start");
    }
    page.until("the start", "document.querySelector('[data-screen-id=WELCOME]') && !document.querySelector('[data-screen-id=DETAILS]')").await;
    let text = page.script("return document.querySelector('[data-testid=canvas-title]').textContent;").await;
    assert_eq!(text, "Welcome");
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn json_view_edits_the_cards_live_and_keeps_text_that_does_not_parse() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    let editor = "[data-testid=json-editor-content]";
    // Replace the whole text with another flow: the cards follow as it parses.
    page.type_flow(r#"{"version": "7.3", "screens": [{"id": "ONLY", "title": "Typed here", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}]}"#).await;
    page.until("the typed screen", "document.querySelector('[data-screen-id=ONLY]')").await;
    assert_eq!(page.texts("[data-testid=screen-title]").await, ["Typed here"]);
    // Text that does not parse: the cards keep the last good flow, the error is shown, the
    // text stays as typed.
    page.keys(editor, ",").await;
    page.until("a JSON text problem", "[...document.querySelectorAll('[data-testid=problem-group] h3')].some(h => h.textContent.startsWith('JSON text'))").await;
    assert_eq!(page.texts("[data-testid=screen-title]").await, ["Typed here"]);
    let text =
        page.script("return document.querySelector('[data-testid=json-editor-content]').textContent;").await;
    assert!(text.as_str().is_some_and(|text| text.ends_with("]},")), "{text}");
    // The editor marks it where it is: underlined, and in the gutter, the message as title.
    page.until(
        "the problem marked in the editor",
        "[...document.querySelectorAll('.cm-content .cm-problem-error')].some(e => e.title.length > 0) && document.querySelector('.cm-problem-gutter .cm-problem-error')?.title.length > 0",
    )
    .await;
    // Undo goes back through the typed flow to the sample.
    page.click("[data-testid=undo]").await;
    page.until("the sample again", "document.querySelector('[data-screen-id=APPOINTMENT]')").await;
    client.close().await.expect("the session closes");
}

/// Drags one element onto another with HTML5 drag events (WebDriver's pointer actions do not
/// start native drag and drop in Chromium), dropping on the lower half of the target.
const DRAG: &str = r#"
const [from, to] = arguments;
const source = document.querySelector(from), target = document.querySelector(to);
const data = new DataTransfer();
const rect = target.getBoundingClientRect();
const at = { bubbles: true, cancelable: true, dataTransfer: data, clientX: rect.left + 5, clientY: rect.bottom - 2 };
source.dispatchEvent(new DragEvent('dragstart', at));
target.dispatchEvent(new DragEvent('dragover', at));
target.dispatchEvent(new DragEvent('drop', at));
source.dispatchEvent(new DragEvent('dragend', at));
"#;

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn cards_move_by_drag_and_drop_within_a_screen_and_to_another() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    let types = || async {
        let found = page
            .script("return [...document.querySelectorAll('[data-testid=canvas] [data-testid=component-card]')].map(c => c.dataset.type);")
            .await;
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    // Within the screen: the subheading goes below the Dropdown.
    client
        .execute(
            DRAG,
            vec![
                "[data-testid=component-card][data-type=TextSubheading]".into(),
                "[data-testid=component-card][data-type=Dropdown]".into(),
            ],
        )
        .await
        .expect("drag");
    page.until(
        "moved down",
        "document.querySelectorAll('[data-testid=component-card]')[1]?.dataset.type == 'Dropdown'",
    )
    .await;
    assert_eq!(types().await[..3], ["Form", "Dropdown", "TextSubheading"]);
    // To another screen: onto DETAILS in the screen list; it lands in its Form, before the Footer.
    client
        .execute(
            DRAG,
            vec![
                "[data-testid=component-card][data-type=TextSubheading]".into(),
                "[data-screen-id=DETAILS]".into(),
            ],
        )
        .await
        .expect("drag");
    page.until(
        "on DETAILS",
        "document.querySelector('[data-testid=canvas-title]')?.textContent == 'Your details'",
    )
    .await;
    assert_eq!(
        types().await,
        ["Form", "TextInput", "TextInput", "TextInput", "TextArea", "TextSubheading", "Footer"]
    );
    client.close().await.expect("the session closes");
}
