//! Mounting components in the test page and reading the DOM.
use wasm_bindgen::JsCast;

/// A fresh container in the test page's body. Decimals are read as the app reads them (the
/// app sets this up at start, before any component is mounted).
pub fn container() -> web_sys::HtmlElement {
    flowsmith::text::use_browser_numbers();
    let document = web_sys::window().and_then(|window| window.document()).expect("a document");
    // A modal dialog an earlier test left open makes the rest of the page inert (nothing else
    // takes focus or clicks): each test starts with none.
    let open = document.query_selector_all("dialog[open]").expect("a valid selector");
    for index in 0..open.length() {
        if let Some(dialog) = open.item(index) {
            dialog.unchecked_into::<web_sys::HtmlDialogElement>().close();
        }
    }
    let element = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&element).expect("appended");
    element.unchecked_into()
}

/// The text of every element matching `selector` under `root`.
pub fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .map(|node| node.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The first element matching `selector` under `root`.
pub fn find(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// Resolves after `ms` milliseconds (a timer registered now).
pub async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets effects and timers run (a macrotask).
pub async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Types into an input: sets its value and sends the input event.
pub fn type_into(input: &web_sys::HtmlElement, text: &str) {
    let input: web_sys::HtmlInputElement = input.clone().unchecked_into();
    input.set_value(text);
    let event = web_sys::Event::new("input").expect("an event");
    input.dispatch_event(&event).expect("dispatched");
}
