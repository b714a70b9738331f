//! Every `/api/` endpoint in-process (`router(…).oneshot(request)`): status codes, JSON shapes,
//! paging, bad parameters (400), tokens (401/403), body limits (413), the page's headers.
//!
//! The fixture store is built once per run: a few articles written for these tests plus the
//! repository's own example, run through the standard pipeline and stored.

use std::path::PathBuf;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use sitrep_doc::{Doc, Meta};
use sitrep_extract::Pipeline;
use sitrep_server::{router, ServeOptions, CONTENT_SECURITY_POLICY, EXTRACT_BODY_LIMIT};
use sitrep_store::{Store, Versions};
use tower::ServiceExt;

const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "test-ceasefire",
        "2019-03-04",
        "Turkish troops shelled Kurdish positions near Afrin on Sunday, local officials said. \
         The United Nations condemned the attack and urged both sides to respect the ceasefire. \
         Turkey's foreign minister said Ankara would keep defending its border.",
    ),
    (
        "test-aid",
        "2020-08-06",
        "France sent two planes of medical aid to Beirut on Thursday after the explosion in the \
         port. President Emmanuel Macron visited the city and promised more help to Lebanon. \
         Lebanese protesters accused the government of negligence.",
    ),
    (
        "test-talks",
        "2021-06-17",
        "President Joe Biden met Russian President Vladimir Putin in Geneva on Wednesday. \
         The two leaders agreed to return their ambassadors and to begin talks on arms control. \
         Putin said the meeting had been constructive.",
    ),
];

/// The fixture database's path (built on first use, kept for the whole run).
fn fixture_db() -> &'static str {
    static DB: OnceLock<String> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sitrep-serve-api-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db: PathBuf = dir.join("fixture.db");
        let db = db.to_str().unwrap().to_owned();
        let pipeline = Pipeline::standard();
        let mut docs = Vec::new();
        for (id, published, text) in ARTICLES {
            let meta = Meta {
                id: Some((*id).to_owned()),
                title: Some(format!("Test article {id}")),
                published: Some(published.parse().unwrap()),
                ..Meta::default()
            };
            docs.push(Doc::new(*text, meta));
        }
        let blog = include_str!("../../../examples/blog-putin-syria.txt");
        docs.push(Doc::new(
            blog,
            Meta {
                id: Some("example-blog".to_owned()),
                published: Some("2017-12-12".parse().unwrap()),
                ..Meta::default()
            },
        ));
        for doc in &mut docs {
            pipeline.run(doc);
        }
        let mut store = Store::open(&db).unwrap();
        store
            .write(&docs, &Versions::new("test", "kb-test"), None, false)
            .unwrap();
        db
    })
}

fn app() -> Router {
    router(&ServeOptions::new(
        fixture_db(),
        "127.0.0.1:0".parse().unwrap(),
    ))
    .unwrap()
}

fn app_with(addr: &str, token: Option<&str>, public: bool) -> Router {
    let mut options = ServeOptions::new(fixture_db(), addr.parse().unwrap());
    options.token = token.map(str::to_owned);
    options.public = public;
    router(&options).unwrap()
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.body))
        })
    }

    #[track_caller]
    fn expect(self, status: StatusCode) -> Reply {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// An error reply: JSON with a message and a code.
    #[track_caller]
    fn expect_error(self, status: StatusCode) -> Value {
        let reply = self.expect(status);
        let json = reply.json();
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{json}"
        );
        assert!(json["error"]["code"].is_string(), "{json}");
        json
    }
}

async fn send(app: Router, request: Request<Body>) -> Reply {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: Router, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    send(app, request).await
}

#[tokio::test]
async fn health_and_security_headers() {
    let reply = get(app(), "/api/health").await.expect(StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
    assert_eq!(reply.json()["version"], env!("CARGO_PKG_VERSION"));
    for uri in ["/api/health", "/api/nope", "/", "/assets/nope.js"] {
        let reply = get(app(), uri).await;
        assert_eq!(
            reply.headers[header::CONTENT_SECURITY_POLICY],
            CONTENT_SECURITY_POLICY,
            "{uri}"
        );
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::REFERRER_POLICY], "no-referrer");
    }
    assert!(CONTENT_SECURITY_POLICY.contains("default-src 'self'"));
    assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn openapi_describes_every_endpoint_and_parameter() {
    let reply = get(app(), "/api/openapi.json").await.expect(StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let spec = reply.json();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    for path in [
        "/api/health",
        "/api/openapi.json",
        "/api/events",
        "/api/events/{id}",
        "/api/timeline",
        "/api/actors",
        "/api/network",
        "/api/places",
        "/api/documents",
        "/api/documents/{id}",
        "/api/search",
        "/api/extract",
        "/api/ingest",
    ] {
        assert!(paths.contains_key(path), "{path} is not described");
    }
    // Every query parameter the description names is one the server takes.
    for (path, item) in paths {
        let Some(get_op) = item.get("get") else {
            continue;
        };
        if path.contains('{') {
            continue;
        }
        for param in get_op["parameters"].as_array().unwrap() {
            let name = param["name"].as_str().unwrap();
            let reply = get(app(), &format!("{path}?{name}=")).await;
            let body = String::from_utf8_lossy(&reply.body);
            assert!(
                !body.contains("unknown parameter"),
                "{path} refuses its documented parameter {name}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn events_page_and_filter() {
    let all = get(app(), "/api/events?limit=1000")
        .await
        .expect(StatusCode::OK)
        .json();
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 2, "the fixture articles should hold events: {all}");
    assert_eq!(all["offset"], 0);
    assert_eq!(all["limit"], 1000);
    let events = all["events"].as_array().unwrap();
    assert_eq!(events.len() as u64, total);
    for event in events {
        for field in [
            "id",
            "code",
            "root",
            "quad",
            "date_from",
            "mentions",
            "evidence",
        ] {
            assert!(event.get(field).is_some(), "no {field} in {event}");
        }
        let evidence = &event["evidence"];
        let text = evidence["text"].as_str().unwrap();
        let [start, end] = [0, 1].map(|i| evidence["trigger"][i].as_u64().unwrap() as usize);
        assert!(
            text.get(start..end).is_some_and(|t| !t.is_empty()),
            "{evidence}"
        );
    }

    // Paging: two pages of one are the first two rows.
    let first = get(app(), "/api/events?limit=1")
        .await
        .expect(StatusCode::OK)
        .json();
    let second = get(app(), "/api/events?limit=1&offset=1")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(first["events"][0], events[0]);
    assert_eq!(second["events"][0], events[1]);
    assert_eq!(first["total"], total);
    let past = get(app(), &format!("/api/events?offset={total}"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(past["events"].as_array().unwrap().len(), 0);

    // Default page size.
    let default = get(app(), "/api/events")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(default["limit"], 50);

    // Filters narrow.
    let code = events[0]["code"].as_str().unwrap();
    let root = &code[..2];
    let by_root = get(app(), &format!("/api/events?code={root}&limit=1000"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(by_root["total"].as_u64().unwrap() >= 1);
    for event in by_root["events"].as_array().unwrap() {
        assert!(event["code"].as_str().unwrap().starts_with(root), "{event}");
    }
    let quad = events[0]["quad"].as_u64().unwrap();
    let by_quad = get(app(), &format!("/api/events?quad={quad}&limit=1000"))
        .await
        .expect(StatusCode::OK)
        .json();
    for event in by_quad["events"].as_array().unwrap() {
        assert_eq!(event["quad"], quad);
    }
    let none = get(app(), "/api/events?from=1990&to=1990-12-31")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(none["total"], 0);
    let mentions = get(app(), "/api/events?mentions=true&limit=1000")
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(mentions["total"].as_u64().unwrap() >= total);
    for mention in mentions["events"].as_array().unwrap() {
        assert_eq!(mention["mentions"], 1);
    }
    get(
        app(),
        "/api/events?q=withdrawal&actor=rus&either=SYR&country=sy&place=Latakia",
    )
    .await
    .expect(StatusCode::OK);
}

#[tokio::test]
async fn bad_event_parameters_are_400() {
    for query in [
        "limit=0",
        "limit=1001",
        "limit=many",
        "offset=-1",
        "quad=5",
        "quad=conflict",
        "from=2017-13",
        "from=2017-02-30",
        "to=last+week",
        "from=2018&to=2017",
        "code=war",
        "actor=R*S",
        "country=Syria",
        "mentions=maybe",
        "colour=red",
        "actor=RUS&actor=SYR",
    ] {
        let json = get(app(), &format!("/api/events?{query}"))
            .await
            .expect_error(StatusCode::BAD_REQUEST);
        assert_eq!(json["error"]["code"], "bad_request", "{query}");
        assert!(json["error"]["hint"].is_string(), "{query}: {json}");
    }
    let json = get(app(), "/api/events?colour=red")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("colour"),
        "{json}"
    );
}

#[tokio::test]
async fn one_event_with_its_mentions() {
    let page = get(app(), "/api/events?limit=1")
        .await
        .expect(StatusCode::OK)
        .json();
    let id = page["events"][0]["id"].as_i64().unwrap();
    let json = get(app(), &format!("/api/events/{id}"))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(json["event"]["id"], id);
    let mentions = json["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    assert_eq!(
        json["event"]["mentions"].as_u64().unwrap(),
        mentions.len() as u64
    );
    assert_eq!(json["event"]["code"], page["events"][0]["code"]);
    get(app(), "/api/events/999999999")
        .await
        .expect_error(StatusCode::NOT_FOUND);
    get(app(), "/api/events/abc")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    get(app(), &format!("/api/events/{id}?x=1"))
        .await
        .expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn aggregates() {
    for by in ["day", "week", "month", "year"] {
        let buckets = get(app(), &format!("/api/timeline?by={by}"))
            .await
            .expect(StatusCode::OK)
            .json();
        let buckets = buckets.as_array().unwrap();
        assert!(!buckets.is_empty(), "{by}");
        for bucket in buckets {
            let quads: u64 = (0..4).map(|i| bucket["quad"][i].as_u64().unwrap()).sum();
            assert_eq!(quads, bucket["total"].as_u64().unwrap());
            assert_eq!(bucket["period"].as_str().unwrap().len(), 10);
        }
    }
    get(app(), "/api/timeline").await.expect(StatusCode::OK);
    get(app(), "/api/timeline?by=hour")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    get(app(), "/api/timeline?limit=5")
        .await
        .expect_error(StatusCode::BAD_REQUEST);

    let actors = get(app(), "/api/actors?limit=5")
        .await
        .expect(StatusCode::OK)
        .json();
    let actors = actors.as_array().unwrap();
    assert!(!actors.is_empty() && actors.len() <= 5);
    assert!(actors[0]["actor"].is_string() && actors[0]["as_source"].is_u64());

    let network = get(app(), "/api/network")
        .await
        .expect(StatusCode::OK)
        .json();
    for edge in network.as_array().unwrap() {
        assert!(
            edge["source"].is_string() && edge["target"].is_string(),
            "{edge}"
        );
    }
    let places = get(app(), "/api/places?limit=10")
        .await
        .expect(StatusCode::OK)
        .json();
    for place in places.as_array().unwrap() {
        assert!(place["lat"].is_f64() && place["events"].is_u64(), "{place}");
    }
    for uri in [
        "/api/actors?limit=0",
        "/api/network?quad=0",
        "/api/places?offset=3",
        "/api/actors?by=month",
    ] {
        get(app(), uri).await.expect_error(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn documents_list_and_view() {
    let list = get(app(), "/api/documents")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list["total"], ARTICLES.len() as u64 + 1);
    let docs = list["documents"].as_array().unwrap();
    assert_eq!(docs.len(), ARTICLES.len() + 1);
    let page = get(app(), "/api/documents?limit=2&offset=1")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(page["documents"].as_array().unwrap().len(), 2);
    assert_eq!(page["documents"][0], docs[1]);

    let doc = get(app(), "/api/documents/test-aid")
        .await
        .expect(StatusCode::OK);
    assert_eq!(doc.headers[header::CONTENT_TYPE], "application/json");
    let doc = doc.json();
    assert_eq!(doc["id"], "test-aid");
    assert_eq!(doc["published"], "2020-08-06");
    let text = doc["text"].as_str().unwrap();
    assert!(text.starts_with("France sent"));
    for layer in [
        "sentences",
        "entities",
        "times",
        "places",
        "quotes",
        "events",
    ] {
        assert!(doc[layer].is_array(), "no {layer}");
    }
    for entity in doc["entities"].as_array().unwrap() {
        let (start, end) = (
            entity["start"].as_u64().unwrap(),
            entity["end"].as_u64().unwrap(),
        );
        assert_eq!(&text[start as usize..end as usize], entity["text"]);
    }
    get(app(), "/api/documents/no-such-doc")
        .await
        .expect_error(StatusCode::NOT_FOUND);
    get(app(), "/api/documents?limit=5000")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    get(app(), "/api/documents?actor=RUS")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_sentences() {
    let hits = get(app(), "/api/search?q=medical+aid")
        .await
        .expect(StatusCode::OK)
        .json();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits[0]["id"], "test-aid");
    assert!(hits[0]["sentence"]
        .as_str()
        .unwrap()
        .contains("medical aid"));
    let none = get(app(), "/api/search?q=zeppelin")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(none.as_array().unwrap().len(), 0);
    get(app(), "/api/search")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    get(app(), "/api/search?q=...")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    get(app(), "/api/search?q=aid&limit=0")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn extract_on_the_fly() {
    let text =
        "Russian President Vladimir Putin ordered the withdrawal of troops from Syria on Monday.";
    let json = post(app(), "/api/extract", "text/plain; charset=utf-8", text)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(json["text"], text);
    assert!(json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["text"] == "Vladimir Putin"));

    let body = serde_json::json!({"text": text, "published": "2017-12-12", "title": "Pullout"});
    let json = post(app(), "/api/extract", "application/json", body.to_string())
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(json["published"], "2017-12-12");
    assert_eq!(json["title"], "Pullout");
    let monday = json["times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "on Monday" || t["text"] == "Monday");
    if let Some(monday) = monday {
        assert_eq!(monday["value"], "2017-12-11");
    }

    // Nothing was stored.
    let list = get(app(), "/api/documents")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list["total"], ARTICLES.len() as u64 + 1);

    let bad = serde_json::json!({"text": text, "published": "someday"});
    post(app(), "/api/extract", "application/json", bad.to_string())
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    post(app(), "/api/extract", "application/json", "{\"txt\": 1}")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    post(app(), "/api/extract", "application/json", "not json")
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    post(app(), "/api/extract", "application/xml", "<a/>")
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    post(app(), "/api/extract", "text/plain", vec![0xff, 0xfe, b'a'])
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    let big = "a".repeat(EXTRACT_BODY_LIMIT + 1);
    post(app(), "/api/extract", "text/plain", big)
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE);
    get(app(), "/api/extract")
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED);
}

async fn ingest(app: Router, token: Option<&str>, body: &Value) -> Reply {
    let mut request = Request::post("/api/ingest").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send(app, request.body(Body::from(body.to_string())).unwrap()).await
}

#[tokio::test]
async fn ingest_needs_the_token() {
    // A store of its own: this test writes.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ingest.db");
    Store::open(db.to_str().unwrap()).unwrap();
    let app = |token: Option<&str>| {
        let mut options = ServeOptions::new(db.to_str().unwrap(), "127.0.0.1:0".parse().unwrap());
        options.token = token.map(str::to_owned);
        router(&options).unwrap()
    };
    let body = serde_json::json!([
        {"id": "posted-1", "text": "Israeli aircraft struck targets near Damascus on Tuesday.", "published": "2023-10-10"},
        {"text": "Protesters marched in Tbilisi against the new law.", "title": "Tbilisi"}
    ]);

    // Without a configured token the server takes no ingest at all.
    ingest(app(None), Some("x"), &body)
        .await
        .expect_error(StatusCode::FORBIDDEN);

    let reply = ingest(app(Some("s3cret")), None, &body).await;
    assert!(reply.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    reply.expect_error(StatusCode::UNAUTHORIZED);
    ingest(app(Some("s3cret")), Some("wrong"), &body)
        .await
        .expect_error(StatusCode::UNAUTHORIZED);

    // One router before and after: its cached answers follow the store.
    let shared = app(Some("s3cret"));
    let before = get(shared.clone(), "/api/documents")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(before["total"], 0);
    let json = ingest(shared.clone(), Some("s3cret"), &body)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(json["read"], 2);
    assert_eq!(json["stored"], 2);
    assert_eq!(json["documents"][0]["id"], "posted-1");
    assert_eq!(json["documents"][0]["status"], "stored");
    let again = ingest(app(Some("s3cret")), Some("s3cret"), &body)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(again["stored"], 0);
    assert_eq!(again["already_stored"], 2);

    let list = get(shared.clone(), "/api/documents")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(list["total"], 2);
    let doc = get(app(None), "/api/documents/posted-1")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(doc["published"], "2023-10-10");

    let one = serde_json::json!({"text": "Troops left the city.", "published": "not a date"});
    ingest(app(Some("s3cret")), Some("s3cret"), &one)
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    let neither = serde_json::json!({"title": "no body"});
    ingest(app(Some("s3cret")), Some("s3cret"), &neither)
        .await
        .expect_error(StatusCode::BAD_REQUEST);
    let many: Vec<Value> = (0..1001)
        .map(|i| serde_json::json!({"text": format!("text {i}")}))
        .collect();
    ingest(app(Some("s3cret")), Some("s3cret"), &Value::from(many))
        .await
        .expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reads_off_loopback_need_the_token_unless_public() {
    let guarded = || app_with("0.0.0.0:8080", Some("s3cret"), false);
    let reply = get(guarded(), "/api/events").await;
    assert!(reply.headers.contains_key(header::WWW_AUTHENTICATE));
    reply.expect_error(StatusCode::UNAUTHORIZED);
    get(guarded(), "/api/documents/test-aid")
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
    post(guarded(), "/api/extract", "text/plain", "Troops left.")
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
    // Health and the description stay open, and so does the page.
    get(guarded(), "/api/health").await.expect(StatusCode::OK);
    get(guarded(), "/api/openapi.json")
        .await
        .expect(StatusCode::OK);
    let request = Request::get("/api/events")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::empty())
        .unwrap();
    send(guarded(), request).await.expect(StatusCode::OK);

    let public = app_with("0.0.0.0:8080", None, true);
    get(public, "/api/events").await.expect(StatusCode::OK);
    let public = app_with("0.0.0.0:8080", None, true);
    ingest(public, None, &serde_json::json!({"text": "x"}))
        .await
        .expect_error(StatusCode::FORBIDDEN);

    let mut options = ServeOptions::new(fixture_db(), "0.0.0.0:0".parse().unwrap());
    let err = router(&options).unwrap_err();
    assert!(err.message.contains("0.0.0.0"), "{err}");
    assert!(err.hint.unwrap().contains("--public"));
    options.token = Some(" ".to_owned());
    assert!(router(&options).is_err());
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json() {
    let json = get(app(), "/api/nope")
        .await
        .expect_error(StatusCode::NOT_FOUND);
    assert_eq!(json["error"]["code"], "not_found");
    let reply = send(
        app(),
        Request::post("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(reply.headers[header::ALLOW], "GET,HEAD");
    reply.expect_error(StatusCode::METHOD_NOT_ALLOWED);
    let reply = send(
        app(),
        Request::builder()
            .method(Method::HEAD)
            .uri("/api/health")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn the_page_and_its_assets() {
    let web = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web");
    let index = get(app(), "/").await;
    if web.join("index.html").is_file() {
        let index = index.expect(StatusCode::OK);
        assert_eq!(
            index.headers[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
    } else {
        index.expect_error(StatusCode::NOT_FOUND);
    }
    // Every file under web/ is served with a content type that fits it.
    let mut stack = vec![web.clone()];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&web)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            let reply = get(app(), &format!("/assets/{rel}"))
                .await
                .expect(StatusCode::OK);
            assert_eq!(reply.body, std::fs::read(&path).unwrap(), "{rel}");
            let ext = rel.rsplit('.').next().unwrap();
            let wanted = match ext {
                "js" => Some("text/javascript; charset=utf-8"),
                "css" => Some("text/css; charset=utf-8"),
                "json" => Some("application/json"),
                "svg" => Some("image/svg+xml"),
                "png" => Some("image/png"),
                "html" => Some("text/html; charset=utf-8"),
                _ => None,
            };
            if let Some(wanted) = wanted {
                assert_eq!(reply.headers[header::CONTENT_TYPE], wanted, "{rel}");
            }
            // A second fetch with the ETag is a 304.
            let etag = reply.headers[header::ETAG].clone();
            let request = Request::get(format!("/assets/{rel}"))
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .unwrap();
            send(app(), request).await.expect(StatusCode::NOT_MODIFIED);
            seen += 1;
        }
    }
    let _ = seen;
    for uri in [
        "/assets/nope.js",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/vendor/../../Cargo.toml",
    ] {
        get(app(), uri).await.expect_error(StatusCode::NOT_FOUND);
    }
}

#[test]
fn a_missing_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nowhere.db");
    let err = router(&ServeOptions::new(
        db.to_str().unwrap(),
        "127.0.0.1:0".parse().unwrap(),
    ))
    .unwrap_err();
    assert!(err.message.contains("nowhere.db"), "{err}");
    assert!(err.hint.unwrap().contains("sitrep demo"));
    assert!(!db.exists(), "serving must not create the database");
}

#[test]
fn bind_reports_an_address_in_use() {
    let first = sitrep_server::Server::bind(ServeOptions::new(
        fixture_db(),
        "127.0.0.1:0".parse().unwrap(),
    ))
    .unwrap();
    let taken = first.local_addr();
    assert_ne!(taken.port(), 0);
    let err = sitrep_server::Server::bind(ServeOptions::new(fixture_db(), taken)).unwrap_err();
    assert!(err.message.contains(&taken.to_string()), "{err}");
    assert!(err.hint.unwrap().contains("--addr"));
}

/// The same reads over PostgreSQL (no response cache there), when a test server is given:
/// `SITREP_TEST_POSTGRES=postgres://…`. Read-only: the database may hold other tests' rows.
/// A plain test: the blocking PostgreSQL client must be opened (and dropped) outside the runtime,
/// as `Server::bind` and `Server::run` do.
#[test]
fn reads_over_postgres() {
    let Ok(url) = std::env::var("SITREP_TEST_POSTGRES") else {
        eprintln!("skipped: SITREP_TEST_POSTGRES is not set");
        return;
    };
    let app = router(&ServeOptions::new(url, "127.0.0.1:0".parse().unwrap())).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for uri in [
            "/api/health",
            "/api/events?limit=2",
            "/api/events?mentions=true&quad=4&from=2000",
            "/api/timeline?by=year",
            "/api/actors?limit=3",
            "/api/network",
            "/api/places",
            "/api/documents?limit=2",
            "/api/search?q=troops",
        ] {
            get(app.clone(), uri).await.expect(StatusCode::OK);
        }
        get(app.clone(), "/api/events?quad=7")
            .await
            .expect_error(StatusCode::BAD_REQUEST);
        get(app.clone(), "/api/documents/no-such-doc")
            .await
            .expect_error(StatusCode::NOT_FOUND);
    });
    drop(runtime);
    drop(app);
}
