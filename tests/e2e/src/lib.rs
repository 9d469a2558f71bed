//! Harness for the end-to-end tests: the real Mailwright window under Xvfb, driven through
//! tauri-driver and WebKitWebDriver (W3C WebDriver), with screenshots of every screen visited.
//!
//! Run by `cargo xtask test`, which builds the app and provides Xvfb and tauri-driver.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Runs a command whose daemons must not inherit a pipe (the harness would wait for it to
/// close): output goes to `log`, which is shown when the command fails. The real-server suites
/// start Postfix and Dovecot with it.
pub fn run_logged(command: &mut Command, log: &Path) {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let status = command
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .expect("command runs");
    assert!(
        status.success(),
        "{command:?} failed:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// The app binary: `$MAILWRIGHT_APP`, else the debug build in the workspace's target directory.
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("MAILWRIGHT_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target"));
            target.join("debug/mailwright-app")
        });
    assert!(
        path.exists(),
        "{} is missing: run the GUI tests through `cargo xtask test`",
        path.display()
    );
    path
}

/// A free TCP port on 127.0.0.1 (bound and released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running tauri-driver; killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts tauri-driver on a free loopback port; the app it launches inherits `env`.
    pub fn start(env: &[(&str, String)]) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the GUI tests through `cargo xtask test` (it starts Xvfb)"
        );
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new("tauri-driver");
        // Its own process group, so WebKitWebDriver and the app end with it (see Drop).
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .expect("tauri-driver runs (cargo xtask test installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }

    /// Opens a session: launches the app and returns a WebDriver client for its window.
    pub async fn session(&self) -> Client {
        self.session_with(&app_binary()).await
    }

    /// Opens a session with the app at `app` (another build, or another app to compare with).
    pub async fn session_with(&self, app: &Path) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.display().to_string() }),
        );
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{}", self.port);
        // On a cold machine the first session can fail while the drivers are still starting.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match builder.connect(&url).await {
                Ok(client) => return client,
                Err(error) if attempt < 5 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({error}); retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(error) => {
                    panic!("no WebDriver session with the app after {attempt} attempts: {error}")
                }
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Kill the whole group: tauri-driver, WebKitWebDriver and any app window left open.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// The app's data directory under an XDG data home (named for the bundle identifier).
pub const APP_DATA_DIR: &str = "data/org.mailwright.Mailwright";

/// A fresh app home under `root` whose saved project is `domain`: the XDG variables that point
/// the app there.
pub fn project_env(root: &Path, domain: &str) -> Vec<(&'static str, String)> {
    app_env(
        root,
        &format!("{{\"version\": 1, \"domain\": \"{domain}\"}}"),
    )
}

/// A fresh app home under `root` whose saved project is the JSON `project`: the XDG variables
/// that point the app there.
pub fn app_env(root: &Path, project: &str) -> Vec<(&'static str, String)> {
    let project_dir = root.join(APP_DATA_DIR);
    std::fs::create_dir_all(&project_dir).unwrap();
    std::fs::write(project_dir.join("project.json"), project).unwrap();
    // The user's Documents and Downloads folders (XDG user dirs): where the app may write a new
    // file typed into a field.
    let config = root.join("config");
    std::fs::create_dir_all(&config).unwrap();
    for dir in ["Documents", "Downloads"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!(
            "XDG_DOCUMENTS_DIR=\"{}\"\nXDG_DOWNLOAD_DIR=\"{}\"\n",
            root.join("Documents").display(),
            root.join("Downloads").display()
        ),
    )
    .unwrap();
    vec![
        ("XDG_DATA_HOME", root.join("data").display().to_string()),
        ("XDG_CONFIG_HOME", root.join("config").display().to_string()),
        ("XDG_CACHE_HOME", root.join("cache").display().to_string()),
    ]
}

/// Saves real screenshots of the app window (ImageMagick `import` from the X display) at
/// 1280×800 as `target/e2e-screenshots/<name>.png` (its path is returned) and at 1024×700 as
/// `<name>-1024x700.png`; fails when the page scrolls sideways at either size.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let path = at_size(client, name, 1280, 800, name).await;
    at_size(client, name, 1024, 700, &format!("{name}-1024x700")).await;
    client.set_window_rect(0, 0, 1280, 800).await.unwrap();
    path
}

/// The window at `width`×`height`, captured as `file`; fails when the page scrolls sideways.
async fn at_size(client: &Client, name: &str, width: u32, height: u32, file: &str) -> PathBuf {
    client.set_window_rect(0, 0, width, height).await.unwrap();
    // Let the page settle (fonts, layout) before the picture. Charts follow a resize on their
    // own schedule (later on a busy machine), so a page still too wide is measured again for up
    // to 3 s; one that stays too wide fails.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let mut wide: Vec<String> = Vec::new();
    for _ in 0..6 {
        wide = client
            .execute(SIDEWAYS, vec![])
            .await
            .unwrap()
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if wide.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Captured first, so the picture shows what is wrong.
    let path = capture(file);
    assert!(
        wide.is_empty(),
        "{name} at {width}×{height}: the page scrolls sideways ({wide:?}); see {}",
        path.display()
    );
    path
}

/// The page and the main panel, named when wider than the window (they would scroll sideways),
/// with the innermost elements that stick out on the right (what to fix).
const SIDEWAYS: &str = "const out = []; \
    for (const el of [document.documentElement, document.body, document.querySelector('main'), document.querySelector('nav')]) { \
      if (!el || el.scrollWidth <= el.clientWidth + 1) continue; \
      const edge = el.getBoundingClientRect().left + el.clientWidth + 1; \
      const out_of = (c) => c.getBoundingClientRect().right > edge; \
      const culprits = [...el.querySelectorAll('*')].filter((c) => out_of(c) && ![...c.children].some(out_of)).slice(0, 3) \
        .map((c) => c.tagName + '.' + c.className + ' “' + (c.textContent || '').trim().slice(0, 30) + '”'); \
      out.push(el.tagName + ' ' + el.scrollWidth + '>' + el.clientWidth + ' because of ' + culprits.join(', ')); \
    } \
    return out;";

/// Captures the window to `target/e2e-screenshots/<file>.png`.
fn capture(file: &str) -> PathBuf {
    let dir = workspace_root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{file}.png"));
    // Under Xvfb the first capture after the page changed can show the previous frame (the
    // X server gets WebKit's damage late): capture twice and keep the second.
    for _ in 0..2 {
        let status = Command::new("/usr/bin/import")
            .args(["-window", &window_id().unwrap_or_else(|| "root".into())])
            .arg(&path)
            .status()
            .expect("ImageMagick's import runs");
        assert!(status.success(), "screenshot {file} failed");
        std::thread::sleep(Duration::from_millis(300));
    }
    path
}

/// The X window id of the Mailwright window, via `xwininfo`.
fn window_id() -> Option<String> {
    let out = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"Mailwright\""))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .next()
}

/// Waits up to `secs` for an element matching `css`.
pub async fn wait_for(client: &Client, css: &str, secs: u64) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {secs} s: {e}"))
}

/// The `data-finding-id` of every finding card on screen, in order.
pub async fn finding_ids(client: &Client) -> Vec<String> {
    let mut ids = Vec::new();
    for card in client
        .find_all(Locator::Css("[data-finding-id]"))
        .await
        .unwrap()
    {
        ids.push(
            card.attr("data-finding-id")
                .await
                .unwrap()
                .unwrap_or_default(),
        );
    }
    ids
}

/// The test switches that point the app's MTA-STS policy fetches at a test web server on
/// `port` and trust its CA (`ca_pem`, written to `root`).
pub fn policy_env(root: &Path, port: u16, ca_pem: &str) -> [(&'static str, String); 2] {
    let ca = root.join("test-ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    [
        ("MAILWRIGHT_HTTPS_PORT", port.to_string()),
        ("MAILWRIGHT_EXTRA_CA", ca.display().to_string()),
    ]
}

/// A fresh app home for `domain` that asks the DNS server at `dns` and fetches MTA-STS
/// policies from the test web server on `port` (trusting `ca_pem`).
pub fn checked_project_env(
    root: &Path,
    domain: &str,
    dns: SocketAddr,
    port: u16,
    ca_pem: &str,
) -> Vec<(&'static str, String)> {
    let mut env = project_env(root, domain);
    env.push(nameserver_env(dns));
    env.extend(policy_env(root, port, ca_pem));
    env
}

/// The DNS server address as the app will be told it.
pub fn nameserver_env(addr: SocketAddr) -> (&'static str, String) {
    ("MAILWRIGHT_NAMESERVER", addr.to_string())
}

/// Empties a text field the way a person would (firing `input`), then types `text` into it.
pub async fn type_into(client: &Client, css: &str, text: &str) {
    // WebKitWebDriver's Element Clear fires no input event, so the UI would not see it.
    // The main panel scrolls by itself, which WebKitWebDriver does not do: scroll first.
    let clear = "const el = document.querySelector(arguments[0]); el.scrollIntoView({block: 'center'}); \
                 el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true }));";
    client.execute(clear, vec![css.into()]).await.unwrap();
    // WebKitWebDriver refuses to type an empty string.
    if text.is_empty() {
        return;
    }
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("could not type into {css}: {e}"));
}

/// Clicks the sidebar entry whose text contains `title`, then waits until that step is on
/// screen (every step but the first is loaded the first time it is opened).
pub async fn click_step(client: &Client, title: &str) {
    let mut clicked = false;
    for button in client.find_all(Locator::Css("nav button")).await.unwrap() {
        if button.text().await.unwrap().contains(title) {
            button.click().await.unwrap();
            clicked = true;
            break;
        }
    }
    assert!(clicked, "no step called {title}");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let headings = client.find_all(Locator::Css("main h2")).await.unwrap();
        for heading in headings {
            if heading.text().await.unwrap_or_default().contains(title) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "the step {title} did not open");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the element matching `css` (which must be on screen).
pub async fn text_of(client: &Client, css: &str) -> String {
    find_soon(client, css).await.text().await.unwrap()
}

/// The element matching `css`, looked for again for up to 5 s: one WebDriver lookup can miss an
/// element just drawn on a busy machine.
async fn find_soon(client: &Client, css: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(element) => return element,
            Err(e) if Instant::now() >= deadline => panic!("no {css} on screen ({e})"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// The text of every element matching `css`, in page order.
pub async fn texts_of(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        texts.push(element.text().await.unwrap_or_default());
    }
    texts
}

/// The text of the element matching `css`, waiting until it contains `wanted` (up to `secs`).
pub async fn wait_for_text(client: &Client, css: &str, wanted: &str, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut text = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            text = element.text().await.unwrap_or_default();
            if text.contains(wanted) {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("{css} did not show “{wanted}” within {secs} s; it showed: {text}");
}

/// Clicks the element matching `css` (scrolled into view first).
pub async fn click(client: &Client, css: &str) {
    let script = "document.querySelector(arguments[0])?.scrollIntoView({block: 'center'})";
    client.execute(script, vec![css.into()]).await.unwrap();
    find_soon(client, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("could not click {css}: {e}"));
}

/// Clicks the visible button whose text contains `label` (scrolled into view first). A button
/// just revealed (a disclosure opened, a panel loaded) may not be shown yet on a busy machine,
/// so it is looked for again for up to 5 s.
pub async fn click_button(client: &Client, label: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !try_click_button(client, label).await {
        assert!(
            Instant::now() < deadline,
            "no visible button “{label}” on screen"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Clicks the visible button whose text contains `label`; false when there is none.
async fn try_click_button(client: &Client, label: &str) -> bool {
    let buttons = client
        .find_all(Locator::Css("button"))
        .await
        .unwrap_or_default();
    for button in buttons {
        if button.text().await.unwrap_or_default().contains(label)
            && button.is_displayed().await.unwrap_or(false)
        {
            let element = serde_json::to_value(&button).unwrap();
            client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'})",
                    vec![element.clone()],
                )
                .await
                .unwrap();
            // A check of what was just typed can add a line above the button a moment later:
            // click once it has stopped moving, so the click lands on it.
            let mut last = serde_json::Value::Null;
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let now = client
                    .execute(
                        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.left];",
                        vec![element.clone()],
                    )
                    .await
                    .unwrap_or_default();
                if now == last {
                    break;
                }
                last = now;
            }
            button
                .click()
                .await
                .unwrap_or_else(|e| panic!("could not click “{label}”: {e}"));
            return true;
        }
    }
    false
}

/// Scrolls the element matching `css` into view (for screenshots).
pub async fn scroll_to(client: &Client, css: &str) {
    let script = "document.querySelector(arguments[0])?.scrollIntoView({block: 'start'})";
    client.execute(script, vec![css.into()]).await.unwrap();
}

/// Opens the disclosure panel whose title contains `title` (if it is closed).
pub async fn open_disclosure(client: &Client, title: &str) {
    for element in client
        .find_all(Locator::Css(".disclosure-title"))
        .await
        .unwrap()
    {
        if element.text().await.unwrap_or_default().contains(title) {
            if element.attr("aria-expanded").await.unwrap().as_deref() != Some("true") {
                let handle = serde_json::to_value(&element).unwrap();
                let script = "arguments[0].scrollIntoView({block: 'center'})";
                client.execute(script, vec![handle]).await.unwrap();
                element.click().await.unwrap();
            }
            return;
        }
    }
    panic!("no “{title}” section");
}
