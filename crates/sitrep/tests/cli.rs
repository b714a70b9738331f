//! End-to-end tests of the `sitrep` binary: exit codes, stdout, stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn docs(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Every span in a document lies on character boundaries and its "text" is what it covers.
fn check_spans(doc: &serde_json::Value) {
    let text = doc["text"].as_str().unwrap();
    fn walk(v: &serde_json::Value, text: &str) {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(s), Some(e)) = (
                    map.get("start").and_then(|s| s.as_u64()),
                    map.get("end").and_then(|e| e.as_u64()),
                ) {
                    let covered = text
                        .get(s as usize..e as usize)
                        .unwrap_or_else(|| panic!("span {s}..{e} is not on char boundaries"));
                    if let Some(t) = map.get("text").and_then(|t| t.as_str()) {
                        assert_eq!(t, covered);
                    }
                }
                map.iter()
                    .filter(|(k, _)| k.as_str() != "text")
                    .for_each(|(_, v)| walk(v, text));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, text)),
            _ => {}
        }
    }
    walk(doc, text);
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("schema/sitrep-document.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the schema is valid")
}

fn assert_valid(validator: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "output does not match the schema: {errors:#?}"
    );
}

#[test]
fn plain_text_without_chrome_keeps_its_text_and_offsets() {
    let dir = scratch("plain");
    let text = "Russian President Vladimir Putin ordered a partial withdrawal of his forces from Syria on Monday.\n\nThe U.S. welcomed the move.\n";
    std::fs::write(dir.join("a.txt"), text).unwrap();
    let out = run(&[
        "extract",
        "--quiet",
        "--published",
        "2017-12-12",
        dir.join("a.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let docs = docs(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["text"], text);
    assert_eq!(docs[0]["published"], "2017-12-12");
    assert_eq!(docs[0]["language"], "en");
    assert!(docs[0].get("tokens").is_none(), "tokens only with --tokens");
    assert_valid(&validator(), &docs[0]);
    check_spans(&docs[0]);
    assert_eq!(stderr(&out), "");
}

#[test]
fn tokens_on_request_and_pretty_format() {
    let out = sitrep()
        .args(["extract", "--tokens", "--format", "pretty", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"Troops left Aleppo.")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        stdout(&out).contains("\n  \"text\""),
        "pretty output is indented"
    );
    let tokens = doc["tokens"].as_array().expect("tokens present");
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| {
            &"Troops left Aleppo."
                [t["start"].as_u64().unwrap() as usize..t["end"].as_u64().unwrap() as usize]
        })
        .collect();
    assert_eq!(words, ["Troops", "left", "Aleppo", "."]);
    assert_valid(&validator(), &doc);
}

#[test]
fn examples_match_the_schema() {
    let examples = workspace().join("examples");
    if !examples.exists() {
        return;
    }
    let out = run(&["extract", "--quiet", "--tokens", examples.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let validator = validator();
    let docs = docs(&out);
    assert!(
        docs.len() >= 5,
        "at least five example articles, got {}",
        docs.len()
    );
    for doc in &docs {
        assert_valid(&validator, doc);
        check_spans(doc);
        assert!(!doc["text"].as_str().unwrap().trim().is_empty());
        assert!(!doc["sentences"].as_array().unwrap().is_empty());
    }
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_processed() {
    let dir = scratch("bad");
    std::fs::write(
        dir.join("good.txt"),
        "Protesters marched through central Minsk on Sunday, and police detained dozens.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 255, 0],
    )
    .unwrap();
    std::fs::write(
        dir.join("latin1.txt"),
        b"Caf\xe9 owners in Gen\xe8ve protested against the new tax on Monday.\n",
    )
    .unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(
        dir.join("lines.jsonl"),
        "{\"id\": \"ok1\", \"text\": \"Rebels shelled the town of Idlib on Tuesday, local officials said.\"}\n{\"id\": broken\n{\"id\": \"ok2\", \"html\": \"<p>Government troops retook the village near Hama after heavy fighting overnight.</p>\"}\n",
    )
    .unwrap();
    std::fs::write(dir.join("broken.html"), "<html><body><div><p>Officials in Kabul said talks with the delegation would resume next week.<p><b>unclosed").unwrap();
    let mut gz = Vec::new();
    {
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        for _ in 0..200 {
            enc.write_all(
                b"The ministry said on Monday that it would review the decision of the court. ",
            )
            .unwrap();
        }
        enc.finish().unwrap();
    }
    std::fs::write(dir.join("truncated.txt.gz"), &gz[..gz.len() / 2]).unwrap();

    std::fs::write(dir.join("crawl.warc"), warc_with_a_corrupt_record()).unwrap();

    let out = run(&["extract", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let ids: Vec<String> = docs(&out)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        ids.contains(&"ok1".to_owned()) && ids.contains(&"ok2".to_owned()),
        "{ids:?}"
    );
    let texts = stdout(&out);
    assert!(texts.contains("Protesters marched"), "good.txt processed");
    assert!(
        texts.contains("Officials in Kabul"),
        "broken HTML still extracted"
    );
    for named in [
        "binary.txt",
        "latin1.txt",
        "empty.txt",
        "lines.jsonl, line 2",
        "truncated.txt.gz",
    ] {
        assert!(err.contains(named), "stderr names {named}: {err}");
    }
    assert!(err.contains("could not be read"), "summary: {err}");
}

/// Three WARC response records, the second with a header that is not a number.
fn warc_with_a_corrupt_record() -> Vec<u8> {
    let record = |uri: &str, body: &str, length: Option<&str>| {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><article><p>{body}</p></article></body></html>");
        let length = length.map_or(http.len().to_string(), str::to_owned);
        format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n{http}\r\n\r\n"
        )
    };
    [
        record(
            "https://example.org/1",
            "Ministers met in Vienna on Tuesday to discuss the nuclear deal, diplomats said.",
            None,
        ),
        record(
            "https://example.org/2",
            "This record is damaged.",
            Some("twelve"),
        ),
        record(
            "https://example.org/3",
            "The talks ended without agreement late on Wednesday, officials said.",
            None,
        ),
    ]
    .concat()
    .into_bytes()
}

#[test]
fn a_huge_document_is_refused_naming_the_limit_and_the_flag() {
    let dir = scratch("huge");
    let path = dir.join("huge.txt");
    let line = "Officials said the talks would resume next week in Geneva after a pause. "
        .repeat(100)
        + "\n";
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    while file.get_ref().metadata().unwrap().len() < 50_000_000 {
        file.write_all(line.as_bytes()).unwrap();
        file.flush().unwrap();
    }
    drop(file);
    let out = run(&["extract", path.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("huge.txt") && err.contains("limit") && err.contains("--max-doc-bytes"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn non_english_documents_are_skipped_not_failed() {
    let dir = scratch("lang");
    std::fs::write(
        dir.join("fr.txt"),
        "Le président russe a ordonné lundi le retrait partiel de ses forces déployées en Syrie, a annoncé le Kremlin.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("en.txt"),
        "The Kremlin said on Monday that Russian forces would partly withdraw from Syria.\n",
    )
    .unwrap();
    let out = run(&["extract", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(docs(&out).len(), 1);
    assert!(
        stderr(&out).contains("1 skipped (not English: fr)"),
        "{}",
        stderr(&out)
    );
    let out = run(&["extract", "--all-languages", dir.to_str().unwrap()]);
    let langs: Vec<String> = docs(&out)
        .iter()
        .map(|d| d["language"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(langs, ["en", "fr"]);
}

#[test]
fn bad_arguments_fail_with_a_hint() {
    let out = run(&["extract", "--published", "last week", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --published \"last week\" is not a date\nhint: write it as YYYY-MM-DD, e.g. --published 2017-12-12\n"
    );
    let out = run(&["extract", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipe");
    for i in 0..400 {
        std::fs::write(
            dir.join(format!("{i:03}.txt")),
            format!("Report {i}: troops moved north of the city on Friday, witnesses said.\n"),
        )
        .unwrap();
    }
    let mut child = sitrep()
        .args(["extract", dir.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn dict_adds_phoenix_actors() {
    let dir = scratch("dict");
    let dict = dir.join("zembla.actors");
    std::fs::write(
        &dict,
        "# Phoenix-style actor file written for a sitrep test (fictional people)\n\
         VALDOR_KESTRAN_ [RUSGOV 150101-201231]\n+KESTRAN_\n\n\
         OSTRIAN_LIBERATION_FRONT_ [SYRREB]\n+OLF_\n",
    )
    .unwrap();
    let out = sitrep()
        .args(["extract", "-q", "--published", "2017-12-12", "--dict", dict.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(
                b"Valdor Kestran met the Ostrian Liberation Front on Monday. Kestran said the OLF would disarm.",
            )?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = &docs(&out)[0];
    let entities: Vec<(String, String)> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    for (text, actor) in [
        ("Valdor Kestran", "RUSGOV"),
        ("Ostrian Liberation Front", "SYRREB"),
        ("Kestran", "RUSGOV"),
        ("OLF", "SYRREB"),
    ] {
        assert!(
            entities.contains(&(text.to_owned(), actor.to_owned())),
            "{text} → {actor} in {entities:?}"
        );
    }
}

#[test]
fn a_malformed_dictionary_names_file_line_and_expectation() {
    let dir = scratch("baddict");
    let dict = dir.join("people.tsv");
    std::fs::write(
        &dict,
        "#sitrep people\nJohn Doe\tDoe\tUSAGOV\tpresident\t2017-13-01\t\n",
    )
    .unwrap();
    let out = run(&["extract", "--dict", dict.to_str().unwrap(), "-"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("people.tsv line 2")
            && err.contains("\"2017-13-01\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
}
