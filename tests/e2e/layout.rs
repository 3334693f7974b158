//! The editor on a designer's screen (issue 16): panes that keep their minimum widths at
//! 1024×768, 1280×800, 1440×900 and 1920×1080 with every view and preview, the toolbar in one
//! row from 1280 px, splitters by mouse and keyboard kept per browser, rails on narrow windows,
//! a newcomer's first minute in the sandbox, the keyboard-only path, and axe-core on every view,
//! preview and dialog and on the embed page.
use std::time::Duration;

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use flowsmith::api::{Account, Client, Via};
use serde_json::Value;

use crate::client::Native;
use crate::support::{self, Page, key};

/// The designed window sizes.
const SIZES: [(u32, u32); 4] = [(1024, 768), (1280, 800), (1440, 900), (1920, 1080)];

/// The panes' smallest widths (features/shell/mod.rs, style/main.css).
const MINIMUMS: [(&str, f64); 3] = [("screens", 200.0), ("preview", 340.0), ("inspector", 280.0)];

/// In-page: each pane's drawn width and state (open in the row, collapsed to its rail, open
/// over the others), the rails shown, the main pane's width, overflow, the toolbar's height
/// against one of its buttons.
const MEASURE: &str = r#"
const width = (element) => element.getBoundingClientRect().width;
const panes = {};
for (const pane of document.querySelectorAll('[data-testid=pane]')) {
  const style = getComputedStyle(pane);
  panes[pane.dataset.pane] = { width: width(pane), state: style.display === 'none' ? 'rail' : style.position === 'absolute' ? 'overlay' : 'open' };
}
const rails = [...document.querySelectorAll('[data-testid=rail]')].filter((rail) => getComputedStyle(rail).display !== 'none').map((rail) => rail.dataset.pane);
return {
  inner: innerWidth, scroll: document.documentElement.scrollWidth, main: width(document.getElementById('pane-main')), panes, rails,
  toolbar: document.querySelector('.toolbar').getBoundingClientRect().height,
  button: document.querySelector('[data-testid=open-library]').getBoundingClientRect().height,
};
"#;

async fn measure(page: &Page<'_>) -> Value {
    // Layout settles within a frame of a click.
    page.script("return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))));")
        .await;
    page.script(MEASURE).await
}

async fn status_is(page: &Page<'_>, status: &str) {
    page.until(
        status,
        &format!("document.querySelector('[data-testid=remote-status]')?.dataset.status == '{status}'"),
    )
    .await;
}

/// Saves the open draft to WhatsApp for the first time (name and a category asked).
async fn first_save(page: &Page<'_>, name: &str) {
    page.click("[data-testid=save-remote]").await;
    page.fill("[data-testid=details-name]", name).await;
    page.click("[data-testid=details-category][value=OTHER]").await;
    page.click("[data-testid=details-save]").await;
    status_is(page, "DRAFT").await;
}

/// Shows the preview as asked: closed, the phone's tab, or WhatsApp's.
async fn show_preview(page: &Page<'_>, preview: &str) {
    let open = page.script("return !!document.querySelector('[data-testid=preview-area]')").await
        == Value::Bool(true);
    if open != (preview != "closed") {
        page.click("[data-testid=toggle-preview]").await;
    }
    if preview != "closed" {
        page.click(&format!("[data-testid=preview-tab-{preview}]")).await;
    }
}

async fn show_view(page: &Page<'_>, view: &str) {
    page.click(&format!("[data-testid=workspace-{view}]")).await;
    let shown = match view {
        "graph" => "[data-testid=graph-view]",
        "json" => "[data-testid=json-editor-content]",
        _ => "[data-testid=canvas]",
    };
    page.find(shown).await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn panes_keep_their_minimums_at_four_window_sizes_with_every_view_and_preview() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    // Linked to a flow on WhatsApp, so WhatsApp's preview tab can show too.
    first_save(&page, "layout").await;

    for (width, height) in SIZES {
        page.viewport(width, height).await;
        for view in ["cards", "graph", "json"] {
            show_view(&page, view).await;
            for preview in ["closed", "phone", "whatsapp"] {
                show_preview(&page, preview).await;
                let seen = measure(&page).await;
                let at = format!("{width}x{height}, {view}, preview {preview}: {seen}");
                assert!(
                    seen["main"].as_f64().unwrap_or_default() >= 320.0,
                    "the main pane is crushed at {at}"
                );
                assert!(seen["scroll"].as_f64() <= seen["inner"].as_f64(), "the page overflows at {at}");
                for (pane, minimum) in MINIMUMS {
                    if seen["panes"][pane]["state"] == "open" {
                        let drawn = seen["panes"][pane]["width"].as_f64().unwrap_or_default();
                        assert!(drawn >= minimum, "{pane} is {drawn} px, under {minimum}, at {at}");
                    }
                }
                // The design: at 1024 px the screens pane is the one that gives way to the preview.
                let rails: &[&str] = if width < 1140 && preview != "closed" { &["screens"] } else { &[] };
                assert_eq!(seen["rails"], serde_json::json!(rails), "rails at {at}");
                if width >= 1280 {
                    let (toolbar, button) = (seen["toolbar"].as_f64(), seen["button"].as_f64());
                    if toolbar >= button.map(|b| b * 2.0) {
                        page.screenshot(&format!("toolbar at {at}")).await;
                        let parts = page.script("return [...document.querySelectorAll('.toolbar > *, .remote-bar > *')].map((e) => e.className + ' ' + Math.round(e.getBoundingClientRect().width))").await;
                        panic!("the toolbar is more than one row at {at}: {parts}");
                    }
                }
            }
        }
    }
    client.close().await.expect("the session closes");
}

/// Drags the element matching `selector` by `dx` pixels with the mouse.
async fn drag_by(page: &Page<'_>, selector: &str, dx: i64) {
    let handle = page.find(selector).await;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement { element: handle, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(150)), x: dx as f64, y: 0.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    page.client.perform_actions(mouse).await.expect("the drag is performed");
}

async fn pane_width(page: &Page<'_>, pane: &str) -> f64 {
    page.script(&format!("return document.getElementById('pane-{pane}').getBoundingClientRect().width"))
        .await
        .as_f64()
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn splitters_resize_by_mouse_and_keyboard_and_the_widths_are_kept() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.viewport(1440, 900).await;
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=preview-area]").await;
    assert_eq!(pane_width(&page, "screens").await, 240.0, "the default width");

    // The mouse: the screens pane 80 px wider.
    drag_by(&page, "[data-testid=splitter][aria-controls=pane-screens]", 80).await;
    assert_eq!(pane_width(&page, "screens").await, 320.0);
    // The keyboard: ← widens a pane on the right, Home and End go to its limits.
    let splitter = "[data-testid=splitter][aria-controls=pane-inspector]";
    page.tab_to(splitter).await;
    page.press(&format!("{}{}", key::LEFT, key::LEFT)).await;
    assert_eq!(pane_width(&page, "inspector").await, 352.0);
    assert_eq!(
        page.script(&format!("return document.querySelector('{splitter}').getAttribute('aria-valuenow')"))
            .await,
        "352"
    );
    page.press(key::HOME).await;
    assert_eq!(pane_width(&page, "inspector").await, 280.0);
    // End: as wide as the main pane allows (never under its 320 px).
    page.press(key::END).await;
    let main = page.script("return document.getElementById('pane-main').getBoundingClientRect().width").await;
    assert!(main.as_f64().unwrap_or_default() >= 320.0, "{main}");
    page.press(key::HOME).await;
    page.press(&format!("{}{}", key::SHIFT, key::LEFT)).await;
    assert_eq!(pane_width(&page, "inspector").await, 344.0, "Shift moves four steps");

    // Kept in this browser.
    client.refresh().await.expect("the editor reloads");
    page.find("[data-testid=preview-area]").await;
    assert_eq!(pane_width(&page, "screens").await, 320.0);
    assert_eq!(pane_width(&page, "inspector").await, 344.0);
    // A double click restores the default.
    let screens = page.find("[data-testid=splitter][aria-controls=pane-screens]").await;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement { element: screens, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(mouse).await.expect("a double click");
    assert_eq!(pane_width(&page, "screens").await, 240.0);
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn on_a_narrow_window_a_collapsed_pane_opens_from_its_rail_over_the_others() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.viewport(1024, 768).await;
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    page.click("[data-testid=toggle-preview]").await;
    let seen = measure(&page).await;
    assert_eq!(seen["panes"]["screens"]["state"], "rail", "{seen}");
    let rail = "[data-testid=rail][data-pane=screens]";
    page.click(rail).await;
    let seen = measure(&page).await;
    assert_eq!(seen["panes"]["screens"]["state"], "overlay", "{seen}");
    assert_eq!(
        page.script(&format!("return document.querySelector('{rail}').getAttribute('aria-expanded')")).await,
        "true"
    );
    // A screen chosen in it shows at once; Escape closes it and gives focus back to the rail.
    page.click("[data-screen-id=DETAILS] .screen-item__main").await;
    page.until(
        "DETAILS on the canvas",
        "document.querySelector('[data-testid=canvas-title]')?.textContent == 'Your details'",
    )
    .await;
    page.press(key::ESCAPE).await;
    let seen = measure(&page).await;
    assert_eq!(seen["panes"]["screens"]["state"], "rail", "{seen}");
    assert_eq!(page.focused().await, "button[data-testid=rail]");
    // A click in the main pane closes it too; the main pane never went under its minimum.
    page.click(rail).await;
    let main = page.find("#pane-main").await;
    let away = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement { element: main, duration: None, x: 120.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(away).await.expect("a click beside the pane");
    let seen = measure(&page).await;
    assert_eq!(seen["panes"]["screens"]["state"], "rail", "{seen}");
    assert!(seen["main"].as_f64().unwrap_or_default() >= 320.0, "{seen}");
    // A wider window gives the pane its place back.
    page.viewport(1280, 800).await;
    let seen = measure(&page).await;
    assert_eq!(seen["panes"]["screens"]["state"], "open", "{seen}");
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn a_newcomer_in_the_sandbox_gets_an_account_a_hint_and_empty_states_that_say_what_next() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    // One line on the first visit, gone on the next.
    let hint = page.find("[data-testid=first-visit]").await.text().await.expect("text");
    assert!(hint.contains("sample") && hint.contains("File › New"), "{hint}");
    // The sandbox's first account is chosen: Flows… lists its flows at once.
    page.until(
        "an account",
        "document.querySelector('[data-testid=connection-account]')?.textContent == 'sandbox1WA'",
    )
    .await;
    // Flows… shows the Flows page; its tab On WhatsApp lists the account's flows.
    page.click("[data-testid=open-library]").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    page.click("[data-testid=tab-whatsapp]").await;
    page.until(
        "the flows",
        "document.querySelectorAll('[data-testid=library-dialog] [data-testid=flow-row]').length > 0",
    )
    .await;
    assert_eq!(page.texts("[data-testid=library-error]").await, [""]);
    // An empty list says how to make a flow (a search that finds nothing says so).
    page.fill("[data-testid=library-search]", "nothing is called this").await;
    assert_eq!(page.texts("[data-testid=library-empty]").await, ["No flows match."]);
    client.enter_parent_frame().await.expect("back to the editor");
    page.click("[data-testid=flows-frame-dialog] [aria-label=Close]").await;
    // No problems: what to do next.
    let empty = page.find(".problems__empty").await.text().await.expect("text");
    assert!(empty.contains("Preview") && empty.contains("save it to WhatsApp"), "{empty}");
    // Save to WhatsApp works at once, without choosing an account.
    first_save(&page, "first minute").await;

    client.refresh().await.expect("the editor reloads");
    page.find("[data-testid=screen-list]").await;
    assert!(page.texts("[data-testid=first-visit]").await.is_empty(), "the hint is for the first visit");
    client.close().await.expect("the session closes");
}

const SMALL_FLOW: &str = r#"{"version": "7.3", "screens": [{"id": "ASK", "title": "Ask", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [{"type": "TextInput", "name": "nick", "label": "Nickname"}, {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]}"#;

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn keyboard_only_open_a_flow_edit_switch_views_preview_and_save() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    page.until(
        "an account",
        "document.querySelector('[data-testid=connection-account]')?.textContent == 'sandbox1WA'",
    )
    .await;

    // Open a flow: File › Paste…, type it, Open. Focus comes back to the File menu.
    page.tab_to("[data-testid=file-menu] summary").await;
    page.press(key::ENTER).await;
    page.tab_to("[data-testid=paste-flow]").await;
    page.press(key::ENTER).await;
    page.find("[data-testid=paste-dialog][open]").await;
    page.tab_to("[data-testid=paste-text]").await;
    page.press(SMALL_FLOW).await;
    page.tab_to("[data-testid=paste-open]").await;
    page.press(key::ENTER).await;
    page.until("the pasted flow", "document.querySelector('[data-screen-id=ASK]')").await;
    page.until(
        "focus back on the File menu",
        "document.activeElement?.matches('[data-testid=file-menu] summary')",
    )
    .await;

    // Edit a field: select the card, then its label in the inspector.
    page.tab_to("[data-testid=component-card][data-type=TextInput]").await;
    page.press(key::ENTER).await;
    page.find("[data-testid=component-inspector]").await;
    page.tab_to("[data-testid=component-inspector] [data-property=label] > input").await;
    page.press(&format!("{}a{}Your nickname", key::CONTROL, key::RELEASE)).await;
    page.until("the card follows", "document.querySelector('[data-testid=component-card][data-type=TextInput] .card__heading')?.textContent == 'Your nickname'").await;

    // Switch views.
    for view in ["graph", "json", "cards"] {
        page.tab_to(&format!("[data-testid=workspace-{view}]")).await;
        page.press(key::ENTER).await;
        assert_eq!(
            page.script(&format!(
                "return document.querySelector('[data-testid=workspace-{view}]').getAttribute('aria-pressed')"
            ))
            .await,
            "true"
        );
    }
    page.find("[data-testid=canvas]").await;

    // Open and close the preview; focus goes back to its button.
    page.tab_to("[data-testid=toggle-preview]").await;
    page.press(key::ENTER).await;
    page.find("[data-testid=preview-area]").await;
    page.tab_to("[data-testid=preview-close]").await;
    page.press(key::ENTER).await;
    page.until("the preview closed", "!document.querySelector('[data-testid=preview-area]')").await;
    page.until("focus on the preview's button", "document.activeElement?.dataset.testid == 'toggle-preview'")
        .await;

    // Save to WhatsApp: name and category, then Ctrl+S after another edit.
    page.tab_to("[data-testid=save-remote]").await;
    page.press(key::ENTER).await;
    page.find("[data-testid=details-dialog][open]").await;
    page.tab_to("[data-testid=details-name]").await;
    page.press("Keyboard flow").await;
    page.tab_to("[data-testid=details-category][value=OTHER]").await;
    page.press(key::SPACE).await;
    page.tab_to("[data-testid=details-save]").await;
    page.press(key::ENTER).await;
    status_is(&page, "DRAFT").await;
    page.tab_to("[data-testid=component-inspector] [data-property=label] > input").await;
    page.press("!").await;
    page.until("unsaved", "document.querySelector('[data-testid=unsaved-changes]')").await;
    page.press(&format!("{}s{}", key::CONTROL, key::RELEASE)).await;
    page.until("saved", "!document.querySelector('[data-testid=unsaved-changes]') && !document.querySelector('[data-testid=remote-busy]')").await;
    client.close().await.expect("the session closes");
}

/// Opens a dialog, checks it with axe, closes it with Escape, and checks focus went back.
async fn check_dialog(page: &Page<'_>, dialog: &str, open: impl std::future::Future<Output = ()>) {
    open.await;
    page.find(&format!("[data-testid={dialog}][open]")).await;
    page.axe(&format!("the {dialog}")).await;
    page.press(key::ESCAPE).await;
    page.until(
        &format!("{dialog} closed"),
        &format!("!document.querySelector('[data-testid={dialog}][open]')"),
    )
    .await;
    page.until(
        &format!("focus back after {dialog}"),
        "document.activeElement && document.activeElement !== document.body && !document.activeElement.closest('dialog:not([open])')",
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn axe_finds_no_serious_violation_in_any_view_preview_or_dialog_nor_on_the_embed_page() {
    let (server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.viewport(1440, 900).await;
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=preview-area]").await;
    page.until("the phone", "document.querySelector('[data-testid=preview-frame]')").await;
    page.axe("the editor with the phone preview").await;
    show_view(&page, "graph").await;
    page.axe("the graph").await;
    show_view(&page, "json").await;
    page.axe("the JSON view").await;
    show_view(&page, "cards").await;

    for (item, dialog) in
        [("new-flow", "new-flow-dialog"), ("paste-flow", "paste-dialog"), ("drafts", "flows-frame-dialog")]
    {
        check_dialog(&page, dialog, page.menu("file-menu", item)).await;
        assert_eq!(page.focused().await, "summary", "focus back on the File menu after {dialog}");
    }
    check_dialog(&page, "shortcuts-dialog", page.click("[data-testid=show-shortcuts]")).await;
    assert_eq!(page.focused().await, "button[data-testid=show-shortcuts]");
    check_dialog(&page, "connection-dialog", page.click("[data-testid=connection-button]")).await;
    // The Flows page, checked on its own document: each tab, migrate, the clone and delete forms.
    page.click("[data-testid=open-library]").await;
    page.find("[data-testid=flows-frame-dialog][open]").await;
    page.axe("the Flows page's dialog").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    page.find("[data-testid=ws-table], [data-testid=ws-empty]").await;
    page.axe("the Flows page: the workspace").await;
    page.click("[data-testid=tab-whatsapp]").await;
    page.until(
        "the flows",
        "document.querySelectorAll('[data-testid=library-dialog] [data-testid=flow-row]').length > 0",
    )
    .await;
    page.axe("the Flows page: on WhatsApp").await;
    check_dialog(&page, "migrate-dialog", page.click("[data-testid=open-migrate]")).await;
    page.click("[data-testid=flow-row] [data-testid=flow-clone]").await;
    page.find("[data-testid=clone-name]").await;
    page.axe("the clone form").await;
    page.click("[data-testid=confirm-dialog] button:not([data-testid])").await;
    page.click("[data-testid=flow-row][data-status=DRAFT] [data-testid=flow-delete]").await;
    page.find("[data-testid=confirm-yes]").await;
    page.axe("the delete confirmation").await;
    page.click("[data-testid=confirm-dialog] button:not([data-testid])").await;
    page.click("[data-testid=tab-drafts]").await;
    page.find("[data-testid=draft]").await;
    page.axe("the Flows page: in this browser").await;
    client.enter_parent_frame().await.expect("back to the editor");
    // The focus is in the frame: the Flows page tells the editor, which closes it.
    page.press(key::ESCAPE).await;
    page.until("the Flows frame closed", "!document.querySelector('[data-testid=flows-frame]')").await;
    assert_eq!(page.focused().await, "button[data-testid=open-library]");
    // The Flows page's add-to-workspace dialog (the editor's Add to workspace… opens it).
    page.click("[data-testid=workspace-add]").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    page.find("[data-testid=ws-add][open]").await;
    page.axe("the add-to-workspace dialog").await;
    page.click("[data-testid=ws-add] .dialog__actions button:not([data-testid])").await;
    page.until("the add dialog closed", "!document.querySelector('[data-testid=ws-add][open]')").await;
    client.enter_parent_frame().await.expect("back to the editor");
    page.click("[data-testid=flows-frame-dialog] [aria-label=Close]").await;
    page.until("the Flows frame closed", "!document.querySelector('[data-testid=flows-frame]')").await;

    page.click("[data-testid=save-remote]").await;
    page.find("[data-testid=details-dialog][open]").await;
    page.axe("the details-dialog").await;
    page.fill("[data-testid=details-name]", "checked").await;
    page.click("[data-testid=details-category][value=OTHER]").await;
    page.click("[data-testid=details-save]").await;
    status_is(&page, "DRAFT").await;
    check_dialog(&page, "publish-dialog", page.menu("flow-menu", "publish")).await;
    page.click("[data-testid=preview-tab-whatsapp]").await;
    page.until(
        "WhatsApp's preview",
        "document.querySelector('[data-testid=remote-preview-frame]')?.dataset.loaded == 'true'",
    )
    .await;
    page.axe("WhatsApp's preview tab").await;

    // Someone else saves the flow: saving asks.
    let api = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let account = Account { partner_id: "sandboxPA".into(), waba_id: "sandbox1WA".into() };
    let flows = api.list_flows(&account).await.expect("flows");
    let id = flows.iter().find(|flow| flow.name == "checked").map(|flow| flow.id.clone()).expect("saved");
    let theirs = flow_model::templates::APPOINTMENT_BOOKING.replacen("Book appointment", "Theirs", 1);
    api.upload_flow_json(&account, &id, &theirs).await.expect("their upload");
    page.click("[data-screen-id=DETAILS] .screen-item__main").await;
    page.fill("[data-testid=screen-title-input]", "Mine").await;
    check_dialog(&page, "conflict-dialog", page.click("[data-testid=save-remote]")).await;

    check_dialog(&page, "rename-screen", page.click("[data-screen-id=DETAILS] [aria-label='Rename screen']"))
        .await;
    check_dialog(&page, "delete-screen", page.click("[data-screen-id=DETAILS] [aria-label='Delete screen']"))
        .await;
    show_view(&page, "graph").await;
    let drawn = crate::graph::drag(
        &page,
        "[data-testid=graph-node][data-screen-id=APPOINTMENT] [data-testid=graph-handle]",
        "[data-testid=graph-node][data-screen-id=SUMMARY] .graph-node__card",
    );
    check_dialog(&page, "connect-dialog", drawn).await;
    show_view(&page, "cards").await;

    // A narrow window: rails, and a pane open over the others.
    page.viewport(1024, 768).await;
    page.axe("the editor at 1024 px with rails").await;
    page.click("[data-testid=rail][data-pane=screens]").await;
    page.axe("the screens pane open from its rail").await;

    // The embed page on its own, on a screen with every kind of input.
    let fragment = client
        .execute_async(crate::bench::FRAGMENT, vec![Value::from(flow_model::samples::maximal_flow(1, 50))])
        .await
        .expect("the fragment");
    client
        .goto(&format!("{url}/embed#flow={}", fragment.as_str().expect("text")))
        .await
        .expect("the embed page");
    page.find("[data-testid=preview-screen]").await;
    page.axe("the embed page").await;
    drop(server);
    client.close().await.expect("the session closes");
}
