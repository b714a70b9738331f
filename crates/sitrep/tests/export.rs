//! The export files load in pandas as they are: the GDELT file with `read_csv(sep="\t",
//! header=None)`, the CSV with `read_csv`, and (built with `--features parquet`) the Parquet file
//! with pyarrow. Needs a Python with pandas and pyarrow named by `SITREP_TEST_PYTHON`; skipped
//! (with a message) when it is unset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sitrep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sitrep runs")
}

fn check(out: &Output, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("export")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Loads the exports in pandas and compares them with the JSONL export, event by event.
const CHECK: &str = r#"
import json, math, sys
import pandas as pd

jsonl, gdelt, csv_path, parquet = sys.argv[1:5]
events = [json.loads(line) for line in open(jsonl, encoding="utf-8")]
assert events, "the examples hold events"
by_id = {e["id"]: e for e in events}

def same(cell, value):
    if value is None:
        return cell is None or (isinstance(cell, float) and math.isnan(cell))
    if isinstance(value, float) or isinstance(cell, float):
        return abs(float(cell) - float(value)) < 1e-9
    return str(cell) == str(value)

g = pd.read_csv(gdelt, sep="\t", header=None)
assert g.shape == (len(events), 61), g.shape
assert set(g[0]) == set(by_id), "GLOBALEVENTID is the event id"
g = pd.read_csv(gdelt, sep="\t", header=None, dtype={26: str, 27: str, 28: str})
for _, row in g.iterrows():
    e = by_id[row[0]]
    assert row[26] == e["code"], (row[26], e["code"])
    assert row[28] == e["root"], (row[28], e["root"])
    assert row[29] == e["quad"]
    assert same(row[30], e["goldstein"])
    assert row[31] == e["mentions"] and row[33] == e["documents"]
    assert same(row[5], e["source"]) and same(row[15], e["target"])
    if e["date"] and len(e["date"]) == 10:
        assert str(int(row[1])) == e["date"].replace("-", ""), (row[1], e["date"])
    place = e["place"]
    if place:
        assert same(row[56], place["lat"]) and same(row[57], place["lon"])
    else:
        assert math.isnan(row[51]) and math.isnan(row[56])

expected = ["id", "code", "root", "plover", "goldstein", "quad", "source", "source_text",
            "target", "target_text", "date", "date_precision", "date_from", "place",
            "place_country", "place_lat", "place_lon", "mentions", "documents", "confidence",
            "doc", "title", "url", "published", "sentence", "trigger", "trigger_start",
            "trigger_end", "evidence"]

def check_flat(df, name):
    assert list(df.columns) == expected, (name, list(df.columns))
    assert len(df) == len(events), (name, len(df))
    for _, row in df.iterrows():
        e = by_id[int(row["id"])]
        assert row["evidence"] == e["evidence"]["text"], name
        s, t = e["evidence"]["trigger"]
        assert row["trigger"] == e["evidence"]["text"].encode()[s:t].decode(), name
        assert str(row["code"]).zfill(len(e["code"])) == e["code"], name
        assert same(row["source"], e["source"]), name
        assert same(row["place_lat"], e["place"]["lat"] if e["place"] else None), name
        assert same(row["confidence"], e["confidence"]), name

check_flat(pd.read_csv(csv_path, dtype={"code": str, "root": str}), "csv")
if parquet != "-":
    df = pd.read_parquet(parquet, engine="pyarrow")
    assert str(df["code"].dtype) in ("object", "string", "str"), df["code"].dtype
    check_flat(df, "parquet")
print(f"pandas read {len(events)} events from every export")
"#;

#[test]
fn exports_load_in_pandas() {
    let python = match std::env::var("SITREP_TEST_PYTHON") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!(
                "exports_load_in_pandas: SITREP_TEST_PYTHON is not set, skipping (point it to a \
                 Python with pandas and pyarrow)"
            );
            return;
        }
    };
    let dir = scratch("pandas");
    let db = dir.join("sitrep.db").display().to_string();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    check(
        &sitrep(&["ingest", &examples.display().to_string(), "--db", &db, "-q"]),
        "ingest",
    );
    let path = |name: &str| dir.join(name).display().to_string();
    let mut files = vec![
        ("jsonl", path("events.jsonl")),
        ("gdelt", path("events.export.tsv")),
        ("csv", path("events.csv")),
    ];
    if cfg!(feature = "parquet") {
        files.push(("parquet", path("events.parquet")));
    }
    for (format, file) in &files {
        check(
            &sitrep(&[
                "export", "--db", &db, "--format", format, "--out", file, "-q",
            ]),
            format,
        );
    }
    let parquet = if cfg!(feature = "parquet") {
        path("events.parquet")
    } else {
        eprintln!("exports_load_in_pandas: built without --features parquet, not checking Parquet");
        "-".to_owned()
    };
    let out = Command::new(&python)
        .args(["-c", CHECK, &files[0].1, &files[1].1, &files[2].1, &parquet])
        .output()
        .unwrap_or_else(|e| panic!("SITREP_TEST_PYTHON={python}: {e}"));
    assert!(
        out.status.success(),
        "pandas could not load the exports:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
}
