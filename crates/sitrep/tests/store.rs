//! `sitrep ingest` and `sitrep search` against a real store, on every backend: SQLite always,
//! PostgreSQL when `SITREP_TEST_POSTGRES=postgres://…` names a server where the tests may create
//! databases.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sitrep_doc::json::from_json;
use sitrep_doc::{content_id, Doc};
use sitrep_store::testing::databases;
use sitrep_store::{Store, Versions};

fn sitrep() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.env_remove("RUST_LOG").env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str]) -> Output {
    sitrep()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sitrep runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn examples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .display()
        .to_string()
}

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("store")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh, empty database per backend for the test `name`.
fn backends(name: &str) -> Vec<String> {
    databases(
        &scratch(&format!("{name}-db")).join("sitrep.db"),
        &format!("sitrep_cli_{name}"),
    )
}

/// The example articles as `sitrep extract` annotates them.
fn extracted_examples() -> Vec<Doc> {
    let out = run(&["extract", &examples()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| from_json(line).expect("extract writes the JSON contract"))
        .collect()
}

#[test]
fn ingesting_twice_stores_nothing_new_and_says_so() {
    for db in backends("twice") {
        let first = run(&["ingest", &examples(), "--db", &db]);
        assert_eq!(first.status.code(), Some(0), "{db}: {}", stderr(&first));
        assert_eq!(stdout(&first), "", "data goes to the store, not stdout");
        let docs = extracted_examples();
        assert!(
            stderr(&first).contains(&format!("{n} documents read, {n} stored", n = docs.len())),
            "{db}: {}",
            stderr(&first)
        );
        let stats = Store::open(&db).unwrap().stats().unwrap();

        let again = run(&["ingest", &examples(), "--db", &db]);
        assert_eq!(again.status.code(), Some(0), "{db}: {}", stderr(&again));
        assert!(
            stderr(&again).contains(&format!(
                "nothing new stored, {} already stored",
                docs.len()
            )),
            "{db}: {}",
            stderr(&again)
        );
        let mut store = Store::open(&db).unwrap();
        let after = store.stats().unwrap();
        assert_eq!(after.documents, stats.documents, "{db}");
        assert_eq!(after.sentences, stats.sentences, "{db}");
        assert_eq!((after.runs, after.unfinished_runs), (2, 0), "{db}");
        assert_eq!(after.orphans, 0, "{db}");

        // What is stored is what extract writes.
        for doc in &docs {
            let stored = store.document(doc.id()).unwrap().expect("stored");
            assert_eq!(
                sitrep_doc::json::to_json(&stored, Default::default()),
                sitrep_doc::json::to_json(doc, Default::default()),
                "{db}: {}",
                doc.id()
            );
        }
    }
}

#[test]
fn reprocess_re_extracts_what_another_version_stored() {
    for db in backends("reprocess") {
        // An "older sitrep" stored the examples with no annotations at all.
        let old = Versions::new("0.0.1", "kb-old");
        let bare: Vec<Doc> = extracted_examples()
            .iter()
            .map(|d| Doc::new(d.text(), d.meta().clone()))
            .collect();
        let mut store = Store::open(&db).unwrap();
        store.write(&bare, &old, None, false).unwrap();
        assert_eq!(store.stats().unwrap().sentences, 0);
        assert!(store.search("Putin", 10).unwrap().is_empty(), "{db}");

        let plain = run(&["ingest", &examples(), "--db", &db]);
        assert_eq!(plain.status.code(), Some(0), "{db}: {}", stderr(&plain));
        assert!(
            stderr(&plain).contains("rerun with --reprocess"),
            "{db}: {}",
            stderr(&plain)
        );
        assert_eq!(store.stats().unwrap().sentences, 0, "{db}: left alone");

        let re = run(&["ingest", &examples(), "--db", &db, "--reprocess"]);
        assert_eq!(re.status.code(), Some(0), "{db}: {}", stderr(&re));
        assert!(
            stderr(&re).contains(&format!("{} re-extracted", bare.len())),
            "{db}: {}",
            stderr(&re)
        );
        let stats = store.stats().unwrap();
        assert_eq!(stats.documents, bare.len() as u64, "{db}");
        assert!(stats.sentences > 0, "{db}");
        assert_eq!(stats.orphans, 0, "{db}");
        for doc in &bare {
            let versions = store.versions(&content_id(doc.text())).unwrap().unwrap();
            assert_eq!(versions.sitrep, env!("CARGO_PKG_VERSION"), "{db}");
            assert_ne!(versions.kb, "kb-old", "{db}");
        }
        assert!(!store.search("Putin", 10).unwrap().is_empty(), "{db}");

        // Now current: a second --reprocess has nothing to do.
        let again = run(&["ingest", &examples(), "--db", &db, "--reprocess"]);
        assert!(
            stderr(&again).contains("nothing new stored"),
            "{db}: {}",
            stderr(&again)
        );

        // Without inputs, --reprocess re-extracts the store's outdated documents from their text.
        let mut store_old = Store::open(&db).unwrap();
        let before = store_old.stats().unwrap();
        store_old.write(&bare, &old, None, true).unwrap();
        assert_eq!(
            store_old.stats().unwrap().sentences,
            0,
            "{db}: made old again"
        );
        let from_store = run(&["ingest", "--db", &db, "--reprocess"]);
        assert_eq!(
            from_store.status.code(),
            Some(0),
            "{db}: {}",
            stderr(&from_store)
        );
        assert!(
            stderr(&from_store).contains(&format!("{} documents re-extracted from", bare.len())),
            "{db}: {}",
            stderr(&from_store)
        );
        let after = store_old.stats().unwrap();
        assert_eq!(after.sentences, before.sentences, "{db}");
        assert_eq!(after.events, before.events, "{db}");
        assert_eq!(after.orphans, 0, "{db}");
        let nothing = run(&["ingest", "--db", &db, "--reprocess"]);
        assert!(
            stderr(&nothing).contains("nothing to re-extract"),
            "{db}: {}",
            stderr(&nothing)
        );

        // A user dictionary changes the knowledge version: --reprocess redoes everything.
        let dict = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reprocess-extra.tsv");
        std::fs::write(
            &dict,
            "#sitrep organizations\nNGOXYZ\tORG\tXyz Relief Network\t\n",
        )
        .unwrap();
        let dict = dict.display().to_string();
        let with_dict = run(&[
            "ingest",
            &examples(),
            "--db",
            &db,
            "--reprocess",
            "--dict",
            &dict,
        ]);
        assert_eq!(
            with_dict.status.code(),
            Some(0),
            "{db}: {}",
            stderr(&with_dict)
        );
        assert!(
            stderr(&with_dict).contains(&format!("{} re-extracted", bare.len())),
            "{db}: {}",
            stderr(&with_dict)
        );
    }
}

#[test]
fn search_prints_matching_sentences() {
    for db in backends("search") {
        let out = run(&["ingest", &examples(), "--db", &db, "-q"]);
        assert_eq!(out.status.code(), Some(0), "{db}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "-q prints only errors");

        let out = run(&["search", "withdrawal", "--db", &db, "--format", "jsonl"]);
        assert_eq!(out.status.code(), Some(0), "{db}: {}", stderr(&out));
        let hits: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!hits.is_empty(), "{db}");
        for hit in &hits {
            let sentence = hit["sentence"].as_str().unwrap().to_lowercase();
            assert!(sentence.contains("withdraw"), "{db}: {sentence}");
            assert!(hit["id"].is_string() && hit.get("title").is_some());
            assert!(hit.get("published").is_some());
        }

        let out = run(&["search", "withdrawal", "--db", &db, "--limit", "1"]);
        let table = stdout(&out);
        assert!(table.starts_with("ID "), "{db}: {table}");
        assert_eq!(table.lines().count(), 2, "{db}: header and one row");

        let out = run(&["search", "zanzibar", "--db", &db]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stdout(&out), "");
        assert!(stderr(&out).contains("no sentence"), "{}", stderr(&out));
    }
}

#[test]
fn store_errors_name_the_database_and_hint() {
    let out = run(&["search", "x", "--db", "/nonexistent/sitrep.db"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: database /nonexistent/sitrep.db"),
        "{err}"
    );
    assert!(err.contains("hint: store some articles first"), "{err}");

    let out = run(&["ingest", &examples(), "--db", "/nonexistent/dir/sitrep.db"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("database /nonexistent/dir/sitrep.db"), "{err}");
    assert!(err.contains("hint: check that the directory"), "{err}");

    let out = run(&[
        "ingest",
        &examples(),
        "--db",
        "postgres://me:pw@127.0.0.1:1/x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("postgres://me:***@127.0.0.1:1/x"), "{err}");
    assert!(!err.contains(":pw@"), "{err}");
    assert!(
        err.contains("hint: check that the server is running"),
        "{err}"
    );
}

#[test]
fn a_bad_document_is_reported_and_the_rest_stored() {
    let dir = scratch("partial");
    let input = dir.join("mixed.jsonl");
    let mut file = std::fs::File::create(&input).unwrap();
    writeln!(file, r#"{{"id": "ok", "text": "Officials said on Monday that aid convoys reached the northern city after days of delay."}}"#).unwrap();
    writeln!(file, "{{not json").unwrap();
    drop(file);
    let db = dir.join("sitrep.db").display().to_string();
    let out = run(&["ingest", input.to_str().unwrap(), "--db", &db]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 stored"), "{}", stderr(&out));
    assert_eq!(Store::open(&db).unwrap().stats().unwrap().documents, 1);
}

/// `n` short English articles, each with text of its own.
fn corpus(path: &Path, n: usize) {
    const PLACES: [&str; 5] = [
        "the border",
        "the capital",
        "the port",
        "the valley",
        "the coast",
    ];
    const ACTORS: [&str; 4] = ["Officials", "Aid workers", "Police", "Local residents"];
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let text = format!(
            "{actor} said on Monday that {trucks} trucks carrying food reached {place} in district {i}. \
             The convoy had waited for {days} days before the road was opened again.",
            actor = ACTORS[i % ACTORS.len()],
            trucks = 10 + i % 90,
            place = PLACES[i % PLACES.len()],
            days = 2 + i % 7,
        );
        let line = serde_json::json!({"id": format!("gen-{i:05}"), "text": text, "published": "2020-03-02"});
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

#[test]
fn a_killed_ingest_resumes_without_loss_or_duplicates() {
    const N: usize = 3000;
    let dir = scratch("kill");
    let input = dir.join("corpus.jsonl");
    corpus(&input, N);
    for db in backends("kill") {
        let mut child = sitrep()
            .args(["ingest", input.to_str().unwrap(), "--db", &db, "-q"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until some documents are stored, then SIGKILL mid-run.
        let deadline = Instant::now() + Duration::from_secs(120);
        let stored_at_kill = loop {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("{db}: ingest ended before it could be killed ({status}); raise N");
            }
            let stored = Store::open(&db)
                .ok()
                .and_then(|mut s| s.stats().ok())
                .map_or(0, |s| s.documents);
            if stored >= 200 {
                child.kill().unwrap(); // SIGKILL on Unix
                child.wait().unwrap();
                break stored;
            }
            assert!(Instant::now() < deadline, "{db}: nothing stored in 120 s");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut store = Store::open(&db).unwrap();
        let after_kill = store.stats().unwrap();
        assert!(after_kill.documents >= stored_at_kill, "{db}");
        assert!(
            (after_kill.documents as usize) < N,
            "{db}: killed too late to test anything"
        );
        assert_eq!(after_kill.orphans, 0, "{db}");
        assert_eq!(
            after_kill.unfinished_runs, 1,
            "{db}: the killed run stays unfinished"
        );
        // Every stored document is whole: its sentences are all there.
        assert_eq!(after_kill.sentences, after_kill.documents * 2, "{db}");

        let rerun = run(&["ingest", input.to_str().unwrap(), "--db", &db]);
        assert_eq!(rerun.status.code(), Some(0), "{db}: {}", stderr(&rerun));
        let message = stderr(&rerun);
        assert!(
            message.contains(&format!(
                "{N} documents read, {} stored, {} already stored",
                N as u64 - after_kill.documents,
                after_kill.documents
            )),
            "{db}: {message}"
        );
        let done = store.stats().unwrap();
        assert_eq!(
            done.documents, N as u64,
            "{db}: every document exactly once"
        );
        assert_eq!(done.sentences, 2 * N as u64, "{db}");
        assert_eq!(done.orphans, 0, "{db}");
        assert_eq!((done.runs, done.unfinished_runs), (2, 1), "{db}");
        for i in [0, N / 2, N - 1] {
            let doc = store
                .document(&format!("gen-{i:05}"))
                .unwrap()
                .expect("stored");
            assert!(doc.text().contains(&format!("district {i}.")), "{db}");
            assert_eq!(doc.sentences().len(), 2, "{db}");
        }
    }
}
