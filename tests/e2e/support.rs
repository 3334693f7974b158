//! End-to-end harness: a real `flowsmith serve` on a free port, chromedriver, headless Chromium.
//!
//! `cargo xtask test` builds the app and the server, then runs these tests with
//! `FLOWSMITH_BIN` (the server binary) and `FLOWSMITH_DIST` (the built app) set.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// Chromium flags that work as root on a machine without a display or a network.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,800",
];

/// A child process killed when dropped, so a failing test leaves nothing running.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn required_env(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`"))
}

/// `flowsmith serve` on a free port, serving the built app; returns it with its base URL.
pub fn start_server() -> (Process, String) {
    start_server_with(&[])
}

/// Like [`start_server`], with more `flowsmith serve` arguments (e.g. `--frame-ancestor`).
pub fn start_server_with(extra: &[&str]) -> (Process, String) {
    start_server_in(&fresh_data_dir(), extra)
}

/// A data folder of its own, so tests never see each other's flows.
pub fn fresh_data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("flowsmith-e2e-data-{}-{}", std::process::id(), free_port()))
}

/// `flowsmith user add NAME --role ROLE` on the workspace in `data_dir`, with `password`.
pub fn add_user(data_dir: &std::path::Path, name: &str, role: &str, password: &str) {
    use std::io::Write as _;
    let mut child = Command::new(required_env("FLOWSMITH_BIN"))
        .args(["user", "add", name, "--role", role, "--password-stdin", "--data-dir"])
        .arg(data_dir)
        .env_remove("FLOWSMITH_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("flowsmith user add starts");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("the password");
    assert!(child.wait().expect("flowsmith user add ends").success(), "user {name} added");
}

/// [`start_server_with`] on the workspace and sandbox in `data_dir`.
pub fn start_server_in(data_dir: &std::path::Path, extra: &[&str]) -> (Process, String) {
    start_server_on(data_dir, 0, extra)
}

/// [`start_server_in`] on port `port` (0: any free one), for a server whose address another
/// must know before it starts.
pub fn start_server_on(data_dir: &std::path::Path, port: u16, extra: &[&str]) -> (Process, String) {
    let mut child = Command::new(required_env("FLOWSMITH_BIN"))
        .args(["serve", "--port", &port.to_string(), "--app-dir"])
        .arg(required_env("FLOWSMITH_DIST"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(extra)
        .env("FLOWSMITH_LOG", "warn")
        .env_remove("FLOWSMITH_PARTNER_API_KEY")
        .env_remove("FLOWSMITH_MODE")
        .stdout(Stdio::piped())
        .spawn()
        .expect("flowsmith starts");
    // The server prints its URL once it listens: no polling, no port race.
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints its address");
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in the server's first line: {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    (Process(child), url)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port()
}

/// chromedriver on a free port, and a headless Chromium session through it.
pub async fn start_browser() -> (Process, Client) {
    start_browser_downloading_to(None).await
}

/// Like [`start_browser`], with downloads saved into `downloads`.
pub async fn start_browser_downloading_to(downloads: Option<&std::path::Path>) -> (Process, Client) {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    let port = free_port();
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {chromedriver}: {error}"));
    let driver = Process(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = std::env::temp_dir().join(format!("flowsmith-e2e-profile-{port}"));
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut capabilities = serde_json::Map::new();
    let mut options = serde_json::json!({ "args": args });
    if let Some(downloads) = downloads {
        options["prefs"] = serde_json::json!({
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        });
    }
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    // Chromium sometimes exits while starting on a loaded machine ("session not created: Chrome
    // instance exited", seen with the load average at 9 on 2 cores): a second start is tried
    // before failing, so the tests test the app and not the machine's load.
    let mut attempt = 0;
    let client = loop {
        attempt += 1;
        let connected = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match connected {
            Ok(client) => break client,
            Err(error) if attempt < 3 => {
                eprintln!("Chromium did not start (attempt {attempt}): {error}; trying again");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(error) => panic!("a Chromium session: {error}"),
        }
    };
    (driver, client)
}

/// Shorthands for driving the app, each failing with what it was looking for.
pub struct Page<'c> {
    pub client: &'c Client,
}

const WAIT: Duration = Duration::from_secs(15);

impl Page<'_> {
    /// The element for a CSS selector, waiting for it to appear.
    pub async fn find(&self, selector: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(fantoccini::Locator::Css(selector))
            .await
            .unwrap_or_else(|error| panic!("no element matches {selector}: {error}"))
    }

    /// Clicks the element.
    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("cannot click {selector}: {error}"));
    }

    /// Replaces the text of an input.
    pub async fn fill(&self, selector: &str, text: &str) {
        let element = self.find(selector).await;
        element.clear().await.unwrap_or_else(|error| panic!("cannot clear {selector}: {error}"));
        element.send_keys(text).await.unwrap_or_else(|error| panic!("cannot type into {selector}: {error}"));
    }

    /// Sends keys (WebDriver key codes allowed) to the element.
    pub async fn keys(&self, selector: &str, keys: &str) {
        self.find(selector)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|error| panic!("cannot type into {selector}: {error}"));
    }

    /// Chooses an option of a select by value.
    pub async fn choose(&self, selector: &str, value: &str) {
        self.find(selector)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|error| panic!("cannot choose {value} in {selector}: {error}"));
    }

    /// The text of every element matching the selector (no waiting).
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(fantoccini::Locator::Css(selector)).await.unwrap_or_default() {
            texts.push(element.text().await.unwrap_or_default());
        }
        texts
    }

    /// Saves a screenshot under target/e2e-failures/, named after what failed.
    pub async fn screenshot(&self, what: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-failures");
        let name: String = what.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}.png"));
            if std::fs::write(&path, png).is_ok() {
                eprintln!("screenshot: {}", path.display());
            }
        }
    }

    /// Whether `secret` is anywhere in the page (its markup, an input's value) or the browser's
    /// storage.
    pub async fn keeps(&self, secret: &str) -> bool {
        let script = format!(
            "const key = {}; return document.documentElement.outerHTML.includes(key) \
             || [...document.querySelectorAll('input')].some(i => i.value.includes(key)) \
             || JSON.stringify(localStorage).includes(key) || JSON.stringify(sessionStorage).includes(key)",
            serde_json::Value::from(secret)
        );
        self.script(&script).await != serde_json::Value::Bool(false)
    }

    /// Runs JavaScript and returns its value.
    pub async fn script(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, Vec::new()).await.unwrap_or_else(|error| panic!("script failed: {error}"))
    }

    /// Waits until the JavaScript expression is true.
    pub async fn until(&self, what: &str, expression: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.script(&format!("return !!({expression});")).await == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() >= deadline {
                self.screenshot(what).await;
                panic!("timed out waiting for {what} ({expression})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Page<'_> {
    /// Replaces the whole flow.json in the JSON view by `flow`, typed.
    pub async fn type_flow(&self, flow: &str) {
        self.click("[data-testid=workspace-json]").await;
        let editor = "[data-testid=json-editor-content]";
        self.click(editor).await;
        self.keys(editor, &format!("{}a{}", key::CONTROL, key::RELEASE)).await;
        self.keys(editor, flow).await;
    }

    /// Opens a toolbar menu (`data-testid` of the menu) and chooses an item in it.
    pub async fn menu(&self, menu: &str, item: &str) {
        self.click(&format!("[data-testid={menu}] summary")).await;
        self.click(&format!("[data-testid={menu}] [data-testid={item}]")).await;
    }

    /// Makes the page's viewport `width` × `height` CSS pixels (headless Chromium's window has
    /// no frame, but the size is checked rather than assumed).
    pub async fn viewport(&self, width: u32, height: u32) {
        // Headless Chromium's window has a frame of its own: measured, then added.
        self.client.set_window_size(width, height).await.expect("the window is resized");
        let inner = self.script("return [innerWidth, innerHeight]").await;
        let frame = |at: usize, asked: u32| {
            asked + (asked as i64 - inner[at].as_i64().unwrap_or(asked as i64)).max(0) as u32
        };
        self.client.set_window_size(frame(0, width), frame(1, height)).await.expect("the window is resized");
        self.until(
            &format!("a {width}x{height} viewport"),
            &format!("innerWidth == {width} && innerHeight == {height}"),
        )
        .await;
    }

    /// Presses keys (WebDriver key codes) where the focus is, as a person at a keyboard would.
    /// Ctrl, Shift, Alt and Meta stay held until `key::RELEASE` (or the end), as in WebDriver's
    /// send keys.
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const MODIFIERS: [char; 4] = ['\u{E008}', '\u{E009}', '\u{E00A}', '\u{E03D}'];
        let mut actions = KeyActions::new("keyboard".to_owned());
        let mut held = Vec::new();
        for key in keys.chars().chain(std::iter::once('\u{E000}')) {
            if key == '\u{E000}' {
                for value in held.drain(..) {
                    actions = actions.then(KeyAction::Up { value });
                }
            } else if MODIFIERS.contains(&key) {
                held.push(key);
                actions = actions.then(KeyAction::Down { value: key });
            } else {
                actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
            }
        }
        self.client.perform_actions(actions).await.expect("the keys are pressed");
    }

    /// Presses Tab until the focused element matches `selector`: how someone without a mouse
    /// gets there (in the JSON view, Escape then Tab, as its shortcut says). Fails after 120 presses.
    pub async fn tab_to(&self, selector: &str) {
        let matches =
            format!("return !!document.activeElement?.matches({});", serde_json::Value::from(selector));
        for _ in 0..120 {
            if self.script(&matches).await == serde_json::Value::Bool(true) {
                return;
            }
            // The JSON view keeps Tab for indenting; Escape first lets it move focus on.
            if self.script("return !!document.activeElement?.closest('.cm-editor')").await
                == serde_json::Value::Bool(true)
            {
                self.press(key::ESCAPE).await;
            }
            self.press(key::TAB).await;
        }
        self.screenshot(&format!("tab to {selector}")).await;
        panic!("Tab never reached {selector}");
    }

    /// What has the focus, as a CSS-like description (tag, test id).
    pub async fn focused(&self) -> String {
        let description = self
            .script("const e = document.activeElement; return e ? e.tagName.toLowerCase() + (e.dataset.testid ? '[data-testid=' + e.dataset.testid + ']' : '') : '';")
            .await;
        description.as_str().unwrap_or_default().to_owned()
    }

    /// Runs axe-core (installed from npm by `cargo xtask`, pinned in package-lock.json) on the
    /// page as it is now, and fails on any serious or critical violation, naming each rule and
    /// the first nodes. `what` says what is shown, for the failure message.
    pub async fn axe(&self, what: &str) {
        if self.script("return !!window.axe").await != serde_json::Value::Bool(true) {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).unwrap_or_else(|error| {
                panic!("{}: {error}; `cargo xtask test` installs it (npm ci)", path.display())
            });
            self.script(&format!("{source}\nreturn !!window.axe;")).await;
        }
        let result = self
            .client
            .execute_async(AXE_RUN, Vec::new())
            .await
            .unwrap_or_else(|error| panic!("axe could not run on {what}: {error}"));
        let violations = result.as_array().cloned().unwrap_or_else(|| panic!("axe on {what}: {result}"));
        if !violations.is_empty() {
            self.screenshot(&format!("axe {what}")).await;
        }
        assert!(
            violations.is_empty(),
            "axe finds serious or critical violations on {what}:\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }
}

/// In-page: axe-core's serious and critical violations (frames are checked on their own pages:
/// the embed page is, WhatsApp's preview is Meta's page).
const AXE_RUN: &str = r#"
const [done] = arguments;
axe.run(document, { iframes: false, resultTypes: ['violations'] }).then(
  (results) => done(results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' — ' + n.failureSummary) }))),
  (error) => done({ error: String(error) }));
"#;

/// WebDriver key codes.
pub mod key {
    pub const CONTROL: &str = "\u{E009}";
    pub const SHIFT: &str = "\u{E008}";
    pub const RELEASE: &str = "\u{E000}";
    pub const ENTER: &str = "\u{E007}";
    pub const DELETE: &str = "\u{E017}";
    pub const TAB: &str = "\u{E004}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = "\u{E00D}";
    pub const LEFT: &str = "\u{E012}";
    pub const RIGHT: &str = "\u{E014}";
    pub const HOME: &str = "\u{E011}";
    pub const END: &str = "\u{E010}";
}
