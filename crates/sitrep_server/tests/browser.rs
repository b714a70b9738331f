//! The web page in a real browser: headless Chromium (Debian's `chromium`) drives the page served by
//! [`sitrep_server::Server`] on a free loopback port, over a store built here from a few short
//! articles written for this test (one carries `<script>` and `<img onerror>` payloads).
//!
//! Without `/usr/bin/chromium` (or the browser named by `SITREP_CHROMIUM`) each test prints
//! "skipping: chromium not installed (apt install chromium)" and passes, so `cargo test` works on a
//! clone without it; with `SITREP_REQUIRE_CHROMIUM=1` (CI) a missing browser fails instead.
//! Screenshots are saved as `target/browser-artifacts/page.png` (first view) and `evidence.png`
//! (an event's evidence and its article open).

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use sitrep_doc::{Doc, Meta};
use sitrep_server::{ServeOptions, Server};
use sitrep_store::{Store, Versions};

/// Set by the payloads if they ever run.
const XSS_CHECK: &str = "window.__xss === undefined && document.title === 'sitrep'";

/// The test articles: (title, published, text). The third one's text and title carry payloads.
const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "Putin orders partial withdrawal from Syria",
        "2017-12-12",
        "Russian President Vladimir Putin on Monday ordered a partial withdrawal of Russian forces \
         from Syria. \"Our task has been fulfilled,\" Putin told troops at Hmeimim air base. Syrian \
         rebels attacked government positions near Aleppo on Sunday.",
    ),
    (
        "Shelling near Donetsk",
        "2022-03-08",
        "Ukrainian forces shelled Russian positions near Donetsk on Tuesday, officials said. The \
         United States condemned the attack and France called for talks in Geneva. Café owners in \
         Kyiv said \"we are tired\" — the city’s mood in one line.",
    ),
    (
        "Strikes on Gaza <img src=x onerror=\"window.__xss='title'\">",
        "2021-05-14",
        "Israel launched air strikes on Gaza on Friday. <script>document.title='pwned';window.__xss='script'</script> \
         The payload <img src=x onerror=\"window.__xss='img'\"> must show as text. Egypt urged both \
         sides to talk.",
    ),
];

/// The server over the test store, shared by every test (its thread ends with the process).
struct Served {
    addr: SocketAddr,
    /// The id of the article with the payloads.
    xss_doc: String,
}

/// One test's Chromium, with a fresh profile (a temporary folder headless_chrome makes); dropping
/// it, also when a test fails, ends the browser and removes the profile.
struct Fixture {
    browser: Browser,
    addr: SocketAddr,
    xss_doc: &'static str,
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("SITREP_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("SITREP_REQUIRE_CHROMIUM").is_some_and(|v| v != "0" && !v.is_empty()) {
        panic!(
            "chromium not found at {} but SITREP_REQUIRE_CHROMIUM is set: apt-get install -y chromium",
            path.display()
        );
    }
    eprintln!("skipping: chromium not installed (apt install chromium)");
    None
}

/// A browser for one test, or `None` (skip) without Chromium.
fn fixture() -> Option<Fixture> {
    let chromium = chromium()?;
    static SERVED: OnceLock<Served> = OnceLock::new();
    let served = SERVED.get_or_init(serve);
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1400, 2400)))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(300))
        .build()
        .expect("chromium launch options");
    Some(Fixture {
        browser: Browser::new(options).expect("chromium starts"),
        addr: served.addr,
        xss_doc: &served.xss_doc,
    })
}

/// Builds the test store under `target/tmp` (replacing the one a run of this process id left)
/// and starts the server on a free loopback port.
fn serve() -> Served {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join(format!("browser-store-{}", std::process::id()));
    // Stores earlier runs left (a static is never dropped), once they are an hour old.
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let stale = entry
            .file_name()
            .to_string_lossy()
            .starts_with("browser-store-")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > Duration::from_secs(3600)));
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the test store's folder");
    let db = dir.join("browser.db");
    let db = db.to_str().expect("a UTF-8 target path").to_owned();
    let pipeline = sitrep_extract::Pipeline::standard();
    let mut docs = Vec::new();
    for (title, published, text) in ARTICLES {
        let meta = Meta {
            title: Some((*title).to_owned()),
            published: Some(published.parse().expect("a date")),
            source: Some("browser test".to_owned()),
            ..Meta::default()
        };
        let mut doc = Doc::new(*text, meta);
        pipeline.run(&mut doc);
        docs.push(doc);
    }
    let xss_doc = docs[2].id().to_owned();
    let mut store = Store::open(&db).expect("the test store opens");
    store
        .write(&docs, &Versions::new("test", "test"), None, false)
        .expect("the test articles are stored");
    drop(store);

    let server = Server::bind(ServeOptions::new(db, "127.0.0.1:0".parse().unwrap()))
        .expect("the server binds a loopback port");
    let addr = server.local_addr();
    std::thread::spawn(move || server.run());
    Served { addr, xss_doc }
}

/// A new tab that records console errors, uncaught exceptions and failed loads.
struct Page {
    tab: Arc<Tab>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Page {
    fn open(fixture: &Fixture, hash: &str) -> Page {
        let tab = fixture.browser.new_tab().expect("a new tab");
        tab.set_default_timeout(Duration::from_secs(30));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = errors.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let message = match event {
                Event::LogEntryAdded(entry) => {
                    let entry = &entry.params.entry;
                    let level = format!("{:?}", entry.level);
                    (level == "Error").then(|| format!("log: {} ({:?})", entry.text, entry.url))
                }
                Event::RuntimeConsoleAPICalled(call) => {
                    let kind = format!("{:?}", call.params.Type);
                    (kind == "Error" || kind == "Assert").then(|| {
                        let args: Vec<String> = call
                            .params
                            .args
                            .iter()
                            .map(|a| {
                                a.value
                                    .as_ref()
                                    .map(|v| v.to_string())
                                    .or_else(|| a.description.clone())
                                    .unwrap_or_default()
                            })
                            .collect();
                        format!("console.error: {}", args.join(" "))
                    })
                }
                Event::RuntimeExceptionThrown(thrown) => {
                    let details = &thrown.params.exception_details;
                    let description = details
                        .exception
                        .as_ref()
                        .and_then(|e| e.description.clone())
                        .unwrap_or_else(|| details.text.clone());
                    Some(format!("exception: {description}"))
                }
                _ => None,
            };
            if let Some(message) = message {
                sink.lock().unwrap().push(message);
            }
        }))
        .expect("an event listener");
        tab.enable_log().expect("the Log domain");
        tab.enable_runtime().expect("the Runtime domain");
        let url = format!("http://{}/{}", fixture.addr, hash);
        tab.navigate_to(&url)
            .and_then(|t| t.wait_until_navigated())
            .expect("the page loads");
        let page = Page { tab, errors };
        page.wait_for(
            "document.body.dataset.ready === 'true'",
            "the page to render",
        );
        page
    }

    /// Evaluates `expression` (JSON-serialisable result).
    fn eval(&self, expression: &str) -> serde_json::Value {
        let wrapped = format!("JSON.stringify((() => {{ return ({expression}); }})())");
        let result = self
            .tab
            .evaluate(&wrapped, false)
            .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"));
        match result.value {
            Some(serde_json::Value::String(json)) => serde_json::from_str(&json).unwrap(),
            _ => serde_json::Value::Null,
        }
    }

    /// Polls `condition` until it is true, or fails after 20 seconds naming `what`.
    fn wait_for(&self, condition: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.eval(condition) == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what} ({condition}); errors: {:?}; status: {}",
                    self.errors(),
                    self.eval("document.getElementById('status').textContent")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }

    fn assert_no_errors(&self) {
        let errors = self.errors();
        assert!(errors.is_empty(), "the page reported errors: {errors:#?}");
        assert_eq!(
            self.eval("document.getElementById('status').hidden"),
            serde_json::Value::Bool(true),
            "the page shows an error: {}",
            self.eval("document.getElementById('status').textContent")
        );
    }

    fn count(&self, selector: &str) -> u64 {
        let selector = serde_json::to_string(selector).unwrap();
        self.eval(&format!("document.querySelectorAll({selector}).length"))
            .as_u64()
            .unwrap_or(0)
    }

    /// Saves a screenshot of the page as `target/browser-artifacts/<name>`.
    fn screenshot(&self, name: &str) {
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("a screenshot");
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        std::fs::write(dir.join(name), png).expect("the screenshot is saved");
        eprintln!("screenshot: {}", dir.join(name).display());
    }

    fn close(self) {
        let _ = self.tab.close(false);
    }
}

fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("..")
                .join("target")
        });
    target.join("browser-artifacts")
}

#[test]
fn page_loads_without_errors_and_draws_map_and_timeline() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, "");
    assert!(
        page.count("[data-testid=event-row]") >= 3,
        "the event table lists the test events"
    );
    // Timeline: stacked bars; map: Natural Earth countries and at least one event point; network.
    assert!(page.count("#timeline rect") >= 2, "the timeline draws bars");
    assert!(
        page.count("#map path.country") > 100,
        "the map draws the world's countries"
    );
    assert!(
        page.count("#map circle.point") >= 1,
        "the map draws event places"
    );
    assert!(
        page.count("#network path.edge") >= 1,
        "the network draws actor edges"
    );
    assert!(
        page.count("#docs li") == ARTICLES.len() as u64,
        "the article list has every article"
    );
    let credits = page.eval("document.getElementById('credits').textContent");
    let credits = credits.as_str().unwrap_or_default();
    assert!(
        credits.contains("GeoNames") && credits.contains("CC BY 4.0"),
        "{credits}"
    );
    assert!(credits.contains("Natural Earth"), "{credits}");
    page.assert_no_errors();

    page.screenshot("page.png");
    page.close();
}

#[test]
fn a_filter_narrows_the_table() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, "");
    let all = page.count("[data-testid=event-row]");
    let actor = page.tab.find_element("#f-actor").expect("the actor filter");
    actor.click().expect("focusing the actor filter");
    actor
        .type_into("ISR")
        .expect("typing into the actor filter");
    page.tab
        .find_element("#f-apply")
        .and_then(|e| e.click().map(|_| ()))
        .expect("clicking apply");
    page.wait_for(
        "location.hash.includes('actor=ISR') && document.body.dataset.ready === 'true'",
        "the filtered table",
    );
    let some = page.count("[data-testid=event-row]");
    assert!(
        some >= 1 && some < all,
        "the filter should narrow {all} rows, left {some}"
    );
    let sources = page.eval(
        "[...document.querySelectorAll('[data-testid=event-row] td:nth-child(2) code')].map(c => c.textContent)",
    );
    for source in sources.as_array().expect("source codes") {
        assert!(
            source.as_str().unwrap_or_default().starts_with("ISR"),
            "{sources}"
        );
    }
    page.assert_no_errors();
    page.close();
}

#[test]
fn the_table_pages() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, "#size=4");
    let ids = "[...document.querySelectorAll('[data-testid=event-row]')].map(r => r.dataset.id)";
    let first = page.eval(ids);
    assert_eq!(first.as_array().map(Vec::len), Some(4), "{first}");
    let info = page.eval("document.getElementById('page-info').textContent");
    assert!(
        info.as_str().unwrap_or_default().starts_with("1–4 of "),
        "{info}"
    );
    page.tab
        .find_element("#next")
        .and_then(|e| e.click().map(|_| ()))
        .expect("clicking next");
    page.wait_for(
        "location.hash.includes('page=1') && document.body.dataset.ready === 'true'",
        "the second page",
    );
    let second = page.eval(ids);
    let second = second.as_array().expect("row ids");
    assert!(!second.is_empty(), "the second page has rows");
    for id in second {
        assert!(
            !first.as_array().unwrap().contains(id),
            "{id} is on both pages"
        );
    }
    let info = page.eval("document.getElementById('page-info').textContent");
    assert!(
        info.as_str().unwrap_or_default().starts_with("5–"),
        "{info}"
    );
    page.assert_no_errors();
    page.close();
}

#[test]
fn clicking_the_timeline_or_the_map_filters() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, "");
    let all = page.count("[data-testid=event-row]");
    // The first bar's top segment: its period and quad class become the filter.
    let wanted = page.eval(
        "(() => { const r = document.querySelector('#timeline g.bar rect:last-of-type'); \
         return { quad: r.dataset.quad, period: r.parentNode.dataset.period }; })()",
    );
    page.tab
        .find_element("#timeline g.bar rect:last-of-type")
        .and_then(|e| e.click().map(|_| ()))
        .expect("clicking a timeline bar");
    let quad = wanted["quad"].as_str().expect("a quad class").to_owned();
    page.wait_for(
        &format!("location.hash.includes('quad={quad}') && location.hash.includes('from=') && document.body.dataset.ready === 'true'"),
        "the table filtered by the bar",
    );
    let quads = page.eval(
        "[...document.querySelectorAll('[data-testid=event-row] .chip')].map(c => c.textContent)",
    );
    let quads = quads.as_array().expect("quad chips");
    assert!(
        !quads.is_empty() && (quads.len() as u64) < all,
        "{quads:?} of {all}"
    );
    assert!(
        quads.iter().all(|q| q.as_str() == Some(quad.as_str())),
        "{quads:?}"
    );
    assert_eq!(
        page.eval("document.getElementById('f-quad').value"),
        quad.as_str()
    );

    // A map point filters by its place.
    page.close();
    let page = Page::open(&fixture, "");
    let place = page.eval("document.querySelector('#map circle.point').dataset.place");
    let place = place.as_str().expect("a place name").to_owned();
    page.eval("document.querySelector('#map circle.point').dispatchEvent(new MouseEvent('click', {bubbles: true})) || true");
    page.wait_for(
        "location.hash.includes('place=') && document.body.dataset.ready === 'true'",
        "the table filtered by the place",
    );
    let places = page.eval(
        "[...document.querySelectorAll('[data-testid=event-row] td:nth-child(5)')].map(c => c.textContent)",
    );
    let places = places.as_array().expect("place cells");
    assert!(!places.is_empty(), "the place {place} has events");
    for cell in places {
        assert!(
            cell.as_str().unwrap_or_default().starts_with(&place),
            "{cell} is not {place}"
        );
    }
    page.assert_no_errors();
    page.close();
}

#[test]
fn clicking_an_event_opens_its_evidence_with_the_trigger_marked() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, "");
    let expected =
        page.eval("document.querySelector('[data-testid=event-row] mark.trigger').textContent");
    page.tab
        .find_element("[data-testid=event-row]")
        .and_then(|e| e.click().map(|_| ()))
        .expect("clicking the first event");
    page.wait_for(
        "document.querySelector('#evidence mark.trigger') !== null",
        "the evidence with its trigger",
    );
    let trigger = page.eval("document.querySelector('#evidence mark.trigger').textContent");
    assert!(!trigger.as_str().unwrap_or_default().is_empty());
    assert_eq!(trigger, expected, "the evidence marks the event's trigger");
    let sentence = page.eval("document.querySelector('#evidence blockquote').textContent");
    assert!(sentence
        .as_str()
        .unwrap_or_default()
        .contains(trigger.as_str().unwrap()));
    // The evidence opens the article, where the trigger is marked too.
    page.tab
        .find_element("[data-testid=open-article]")
        .and_then(|e| e.click().map(|_| ()))
        .expect("opening the article");
    page.wait_for(
        "document.querySelector('#article mark.trigger') !== null",
        "the article with its triggers",
    );
    assert!(
        page.count("#article .hl-ent") >= 1,
        "the article marks entities"
    );
    page.assert_no_errors();
    page.screenshot("evidence.png");
    page.close();
}

#[test]
fn article_payloads_render_as_text_and_never_run() {
    let Some(fixture) = fixture() else { return };
    let page = Page::open(&fixture, &format!("#doc={}", fixture.xss_doc));
    page.wait_for(
        "document.querySelector('[data-testid=article-text]') !== null",
        "the article",
    );
    // Give a payload, had it been parsed, the time to load and fire.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        page.eval(XSS_CHECK),
        serde_json::Value::Bool(true),
        "a payload ran"
    );
    let text = page.eval("document.querySelector('[data-testid=article-text]').textContent");
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("<script>document.title='pwned';window.__xss='script'</script>"),
        "the script payload shows as text: {text}"
    );
    assert!(
        text.contains("<img src=x onerror=\"window.__xss='img'\">"),
        "the img payload shows as text: {text}"
    );
    let title = page.eval("document.querySelector('[data-testid=article-title]').textContent");
    assert!(
        title.as_str().unwrap_or_default().contains("<img src=x"),
        "{title}"
    );
    assert_eq!(page.count("main script, main img, main iframe"), 0);
    page.assert_no_errors();
    page.close();
}
