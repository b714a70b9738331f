//! `sitrep events`, `sitrep timeline` and `sitrep export` against a store holding the example
//! articles: filters, formats, paging, bad arguments and empty results.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use sitrep_store::testing::postgres_database;

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

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("events_cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A store with the example articles, ingested once for all tests.
fn db() -> &'static str {
    static DB: OnceLock<String> = OnceLock::new();
    DB.get_or_init(|| {
        let db = scratch("examples").join("sitrep.db").display().to_string();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let out = run(&["ingest", &examples.display().to_string(), "--db", &db, "-q"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        db
    })
}

/// Runs `sitrep ARGS --db <examples>` and expects success.
fn ok(args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--db", db()]);
    let out = run(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "sitrep {}: {}",
        args.join(" "),
        stderr(&out)
    );
    out
}

/// The JSONL lines of `sitrep events ARGS --format jsonl`.
fn events(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["events", "--format", "jsonl"];
    all.extend(args);
    stdout(&ok(&all))
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Every merged event in the store.
fn all_events() -> Vec<Value> {
    let events = events(&["--limit", "10000"]);
    assert!(!events.is_empty(), "the examples hold events");
    events
}

/// Expects exit 2 with an error and a hint on stderr and nothing on stdout.
fn fails(args: &[&str], message: &str) {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "sitrep {}: {err}",
        args.join(" ")
    );
    assert!(err.contains(message), "sitrep {}: {err}", args.join(" "));
    assert!(
        err.contains("hint:") || err.contains("--help"),
        "sitrep {}: {err}",
        args.join(" ")
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_missing_database_is_named_with_a_hint_to_ingest() {
    let db = scratch("missing").join("nothing.db").display().to_string();
    for command in ["events", "timeline", "export"] {
        let out = run(&[command, "--db", &db]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("database {db}: no such file")),
            "{err}"
        );
        assert!(
            err.contains("hint: store some articles first: sitrep ingest"),
            "{err}"
        );
        assert!(
            !Path::new(&db).exists(),
            "{command} must not create the database"
        );
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message_and_a_hint() {
    let db = db();
    fails(
        &["events", "--db", db, "--from", "2017-13"],
        "--from \"2017-13\" is not a date",
    );
    fails(
        &["events", "--db", db, "--from", "2018", "--to", "2017"],
        "is after --to",
    );
    fails(
        &["events", "--db", db, "--code", "fight"],
        "is not a CAMEO event code",
    );
    fails(
        &["events", "--db", db, "--country", "Syria"],
        "is not an ISO 3166-1",
    );
    fails(
        &["events", "--db", db, "--limit", "0"],
        "--limit 0 is out of range",
    );
    fails(&["events", "--db", db, "--header"], "--header only applies");
    fails(&["events", "--db", db, "--quad", "7"], "invalid value '7'");
    fails(&["events", "--db", db, "--page", "0"], "--page");
    fails(
        &["events", "--db", db, "--page", "2", "--offset", "3"],
        "cannot be used with",
    );
    fails(
        &["timeline", "--db", db, "--by", "hour"],
        "invalid value 'hour'",
    );
    fails(
        &["export", "--db", db, "--format", "xml"],
        "invalid value 'xml'",
    );
    fails(
        &["export", "--db", db, "--to", "last week"],
        "is not a date",
    );
    fails(
        &["events", "--db", db, "--mentions-of", "999999999"],
        "no merged event 999999999",
    );
}

#[test]
fn the_table_has_a_header_and_the_footer_pages() {
    let out = ok(&["events", "--limit", "2"]);
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].trim_start().starts_with("ID  DATE") && lines[0].ends_with("EVIDENCE"),
        "{table}"
    );
    assert!(lines[0].contains("SOURCE → TARGET"), "{table}");
    let total = all_events().len();
    assert_eq!(lines.len(), 1 + total.min(2), "{table}");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("events 1-{} of {total}", total.min(2))),
        "{err}"
    );
    if total > 2 {
        assert!(err.contains("next: --page 2"), "{err}");
    }
}

#[test]
fn jsonl_rows_are_event_records() {
    for e in all_events() {
        for field in [
            "id",
            "code",
            "root",
            "quad",
            "goldstein",
            "mentions",
            "documents",
            "evidence",
        ] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        let text = e["evidence"]["text"].as_str().unwrap();
        let [s, t] = [0, 1].map(|i| e["evidence"]["trigger"][i].as_u64().unwrap() as usize);
        assert!(text.get(s..t).is_some_and(|t| !t.is_empty()), "{e}");
    }
}

#[test]
fn actor_filters_match_by_prefix() {
    let all = all_events();
    let Some(source) = all.iter().find_map(|e| e["source"].as_str()) else {
        return;
    };
    let prefix = &source[..source.len().min(3)];
    let found = events(&["--actor", &prefix.to_lowercase(), "--limit", "10000"]);
    assert!(!found.is_empty());
    for e in &found {
        assert!(e["source"].as_str().unwrap().starts_with(prefix), "{e}");
    }
    let either = events(&["--either", prefix, "--limit", "10000"]);
    assert!(either.len() >= found.len());
    for e in &either {
        let s = e["source"].as_str().unwrap_or("");
        let t = e["target"].as_str().unwrap_or("");
        assert!(s.starts_with(prefix) || t.starts_with(prefix), "{e}");
    }
    if let Some(target) = all.iter().find_map(|e| e["target"].as_str()) {
        for e in events(&["--target", target, "--limit", "10000"]) {
            assert!(e["target"].as_str().unwrap().starts_with(target), "{e}");
        }
    }
}

#[test]
fn code_quad_and_date_filters_hold() {
    let all = all_events();
    let root = all[0]["root"].as_str().unwrap();
    let family = events(&["--code", root, "--limit", "10000"]);
    assert!(!family.is_empty());
    assert!(family
        .iter()
        .all(|e| e["code"].as_str().unwrap().starts_with(root)));

    let quad = all[0]["quad"].as_u64().unwrap();
    let by_quad = events(&["--quad", &quad.to_string(), "--limit", "10000"]);
    assert!(!by_quad.is_empty());
    assert!(by_quad.iter().all(|e| e["quad"].as_u64() == Some(quad)));
    let names = [
        "verbal-cooperation",
        "material-cooperation",
        "verbal-conflict",
        "material-conflict",
    ];
    let by_name = events(&["--quad", names[quad as usize - 1], "--limit", "10000"]);
    assert_eq!(by_name, by_quad);

    if let Some(date) = all
        .iter()
        .find_map(|e| e["date"].as_str().filter(|d| d.len() == 10))
    {
        let month = &date[..7];
        let found = events(&["--from", month, "--to", month, "--limit", "10000"]);
        assert!(!found.is_empty(), "{month}");
        for e in &found {
            let d = e["date"].as_str().unwrap();
            assert!(
                d.starts_with(month) || month.starts_with(d),
                "{d} in {month}"
            );
        }
    }
}

#[test]
fn place_and_country_filters_hold() {
    let all = all_events();
    let Some(place) = all
        .iter()
        .find(|e| e["place"].is_object())
        .map(|e| &e["place"])
    else {
        return;
    };
    let name = place["name"].as_str().unwrap();
    let found = events(&["--place", &name.to_uppercase(), "--limit", "10000"]);
    assert!(!found.is_empty(), "{name}");
    assert!(found.iter().all(|e| e["place"]["name"] == place["name"]));
    if let Some(country) = place["country"].as_str() {
        let found = events(&["--country", &country.to_lowercase(), "--limit", "10000"]);
        assert!(!found.is_empty());
        assert!(found
            .iter()
            .all(|e| e["place"]["country"].as_str() == Some(country)));
    }
}

#[test]
fn paging_walks_through_the_events() {
    let all = all_events();
    let page2 = events(&["--limit", "2", "--page", "2"]);
    assert_eq!(
        page2,
        all.iter().skip(2).take(2).cloned().collect::<Vec<_>>()
    );
    let offset = events(&["--limit", "2", "--offset", "1"]);
    assert_eq!(
        offset,
        all.iter().skip(1).take(2).cloned().collect::<Vec<_>>()
    );
    let past = ok(&["events", "--page", "100000"]);
    assert_eq!(stdout(&past), "");
    assert!(
        stderr(&past).contains("try a smaller --page"),
        "{}",
        stderr(&past)
    );
}

#[test]
fn mentions_list_one_row_per_sentence() {
    let merged = all_events();
    let mentions = events(&["--mentions", "--limit", "10000"]);
    let total: u64 = merged.iter().map(|e| e["mentions"].as_u64().unwrap()).sum();
    assert_eq!(mentions.len() as u64, total);
    assert!(mentions
        .iter()
        .all(|m| m["mentions"] == 1 && m["documents"] == 1));

    let most = merged
        .iter()
        .max_by_key(|e| e["mentions"].as_u64().unwrap())
        .unwrap();
    let id = most["id"].to_string();
    let of = events(&["--mentions-of", &id]);
    assert_eq!(of.len() as u64, most["mentions"].as_u64().unwrap());
    assert!(of.iter().all(|m| m["code"]
        .as_str()
        .unwrap()
        .starts_with(most["root"].as_str().unwrap())));
    let table = ok(&["events", "--mentions-of", &id]);
    assert!(stdout(&table).lines().next().unwrap().contains("DOC"));
}

#[test]
fn nothing_matching_is_said_on_stderr_and_is_no_failure() {
    for args in [
        &["events", "--actor", "ZZZQQQ"][..],
        &["events", "--actor", "ZZZQQQ", "--format", "csv"],
        &["timeline", "--actor", "ZZZQQQ"],
    ] {
        let out = ok(args);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).contains("matches the filters"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn csv_and_gdelt_hold_the_same_events_as_jsonl() {
    let all = all_events();
    let csv_out = stdout(&ok(&["events", "--format", "csv", "--limit", "10000"]));
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "id");
    assert!(header.iter().any(|h| h == "evidence"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), all.len());
    let evidence = header.iter().position(|h| h == "evidence").unwrap();
    for (record, event) in records.iter().zip(&all) {
        assert_eq!(record[0], event["id"].to_string());
        assert_eq!(
            &record[evidence],
            event["evidence"]["text"].as_str().unwrap()
        );
    }

    let gdelt = stdout(&ok(&["events", "--format", "gdelt", "--limit", "10000"]));
    let lines: Vec<&str> = gdelt.lines().collect();
    assert_eq!(lines.len(), all.len());
    for (line, event) in lines.iter().zip(&all) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 61, "{line}");
        assert_eq!(cells[0], event["id"].to_string());
        assert_eq!(cells[26], event["code"].as_str().unwrap());
        assert_eq!(cells[29], event["quad"].to_string());
        assert_eq!(cells[5], event["source"].as_str().unwrap_or(""));
    }
    let with_header = stdout(&ok(&[
        "events", "--format", "gdelt", "--header", "--limit", "1",
    ]));
    assert!(with_header.starts_with("GLOBALEVENTID\tSQLDATE\tMonthYear\tYear\tFractionDate\t"));
}

#[test]
fn the_timeline_counts_dated_events_by_quad_class() {
    let all = all_events();
    let dated = all.iter().filter(|e| e["date"].is_string()).count() as u64;
    let csv_out = stdout(&ok(&["timeline", "--format", "csv", "--by", "year"]));
    let mut lines = csv_out.lines();
    assert_eq!(
        lines.next(),
        Some("period,verbal_cooperation,material_cooperation,verbal_conflict,material_conflict,total")
    );
    let mut sum = 0;
    for line in lines {
        let cells: Vec<u64> = line
            .split(',')
            .skip(1)
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(cells[..4].iter().sum::<u64>(), cells[4], "{line}");
        sum += cells[4];
    }
    assert_eq!(sum, dated);

    let table = stdout(&ok(&["timeline", "--by", "month"]));
    assert!(table.starts_with("PERIOD"), "{table}");
    assert!(table.contains("█ material conflict"), "{table}");
    for by in ["day", "week", "year"] {
        ok(&["timeline", "--by", by]);
    }
}

#[test]
fn export_writes_every_event_page_by_page() {
    let all = all_events();
    let dir = scratch("export");
    for format in ["jsonl", "csv", "gdelt"] {
        let file = dir.join(format!("events.{format}"));
        let out = ok(&[
            "export",
            "--format",
            format,
            "--out",
            &file.display().to_string(),
        ]);
        assert_eq!(stdout(&out), "");
        assert!(
            stderr(&out).contains(&format!("{} events written to", all.len())),
            "{}",
            stderr(&out)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let rows = text.lines().count() - usize::from(format == "csv");
        // Evidence sentences may hold line breaks inside CSV quotes: count records instead.
        if format == "csv" {
            let n = csv::Reader::from_reader(text.as_bytes()).records().count();
            assert_eq!(n, all.len());
        } else {
            assert_eq!(rows, all.len(), "{format}");
        }
        assert!(!dir.join(format!("events.{format}.partial")).exists());
    }
    let limited = ok(&["export", "--limit", "1", "-q"]);
    assert_eq!(stdout(&limited).lines().count(), 1.min(all.len()));
    assert_eq!(stderr(&limited), "");
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_needs_the_feature() {
    let file = scratch("no-parquet").join("events.parquet");
    let out = run(&[
        "export",
        "--db",
        db(),
        "--format",
        "parquet",
        "--out",
        &file.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("`parquet` cargo feature"), "{err}");
    assert!(
        err.contains("hint: build it with: cargo install --path crates/sitrep --features parquet"),
        "{err}"
    );
    assert!(!file.exists());
}

/// What identifies an event across stores (ids depend on the order of writing).
fn key(e: &Value) -> String {
    let mut e = e.clone();
    e.as_object_mut().unwrap().remove("id");
    e.to_string()
}

#[test]
fn postgres_answers_as_sqlite_does() {
    let url = match std::env::var("SITREP_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!("postgres_answers_as_sqlite_does: SITREP_TEST_POSTGRES is not set, skipping");
            return;
        }
    };
    let pg = postgres_database(&url, "sitrep_events_cli");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let out = run(&["ingest", &examples.display().to_string(), "--db", &pg, "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for args in [
        &["events", "--format", "jsonl", "--limit", "10000"][..],
        &[
            "events",
            "--format",
            "jsonl",
            "--limit",
            "10000",
            "--mentions",
        ],
        &[
            "events", "--format", "jsonl", "--limit", "10000", "--code", "19", "--from", "2020",
        ],
    ] {
        let lines = |db: &str| -> Vec<String> {
            let mut all = args.to_vec();
            all.extend(["--db", db]);
            let out = run(&all);
            assert_eq!(out.status.code(), Some(0), "{db}: {}", stderr(&out));
            let mut keys: Vec<String> = stdout(&out)
                .lines()
                .map(|l| key(&serde_json::from_str(l).unwrap()))
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(lines(&pg), lines(db()), "{args:?}");
    }
    for args in [
        &["timeline", "--format", "csv", "--by", "week"][..],
        &[
            "timeline", "--format", "csv", "--by", "day", "--either", "USA",
        ],
    ] {
        let csv = |db: &str| {
            let mut all = args.to_vec();
            all.extend(["--db", db]);
            stdout(&run(&all))
        };
        assert_eq!(csv(&pg), csv(db()), "{args:?}");
    }
    let gdelt = stdout(&run(&["export", "--format", "gdelt", "--db", &pg, "-q"]));
    assert_eq!(gdelt.lines().count(), all_events().len());
    assert!(gdelt.lines().all(|l| l.split('\t').count() == 61));
}
