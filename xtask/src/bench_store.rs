//! `cargo run --release -p xtask -- bench store [EVENTS] [RUNS]`: event-query latency on a
//! SQLite store of synthetic events (default 1,000,000 events, 30 timed runs per query).
//!
//! The store is built once with [`sitrep_store::synthetic::fill`] in target/bench-store/ and
//! reused while it holds the expected number of events. Each query runs once untimed (to warm
//! the page cache), then `RUNS` times; the median and 95th percentile are printed in ms. The
//! acceptance figure is the first one: `events --actor RUS --target SYR --from 2015-01
//! --to 2017-12`, first page of 100 newest-first rows with the total, ≤ 50 ms.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use sitrep_store::{EventFilter, Period, Store};

/// Runs the benchmark; `args` are what follows `bench store`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let number = |i: usize, default: usize| -> Result<usize> {
        match args.get(i) {
            Some(a) => a.replace('_', "").parse().with_context(|| {
                format!("{a:?} is not a number; usage: bench store [EVENTS] [RUNS]")
            }),
            None => Ok(default),
        }
    };
    let events = number(0, 1_000_000)?;
    let runs = number(1, 30)?.max(1);
    if args.len() > 2 {
        bail!("too many arguments; usage: bench store [EVENTS] [RUNS]");
    }
    let dir = workspace_root()?.join("target").join("bench-store");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let db = dir.join(format!("events-{events}.db"));
    let db = db
        .to_str()
        .context("the target directory's path is not UTF-8")?
        .to_owned();
    let mut store = open_filled(&db, events)?;
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{db}{s}")).ok())
        .map(|m| m.len())
        .sum();
    println!("store: {db} ({:.0} MB)", size as f64 / 1e6);

    let acceptance = EventFilter {
        actor: Some("RUS".into()),
        target: Some("SYR".into()),
        from: Some("2015-01".into()),
        to: Some("2017-12".into()),
        limit: 100,
        ..Default::default()
    };
    let page = store.events(&acceptance)?;
    println!(
        "events --actor RUS --target SYR --from 2015-01 --to 2017-12: {} matches, first page {} rows",
        page.total,
        page.events.len()
    );
    println!("{:<58} {:>9} {:>9}", "query", "median ms", "p95 ms");
    let text = EventFilter {
        text: Some("air strikes".into()),
        limit: 100,
        ..Default::default()
    };
    let newest = EventFilter {
        limit: 100,
        ..Default::default()
    };
    let rus = EventFilter {
        either: Some("RUS".into()),
        ..Default::default()
    };
    time(
        runs,
        "events --actor RUS --target SYR --from 2015-01 --to 2017-12",
        || store_events(&mut store, &acceptance),
    )?;
    // Closures below re-borrow the store one at a time.
    let mut cases: Vec<(&str, Case)> = vec![
        (
            "events (no filter, first page, total)",
            Box::new(move |s| store_events(s, &newest)),
        ),
        (
            "events --text \"air strikes\"",
            Box::new(move |s| store_events(s, &text)),
        ),
        (
            "events --mentions --actor RUS --target SYR --from 2015-01 --to 2017-12",
            {
                let f = EventFilter {
                    mentions: true,
                    ..acceptance.clone()
                };
                Box::new(move |s| store_events(s, &f))
            },
        ),
        (
            "timeline --actor RUS --target SYR --by week (2015–2017)",
            {
                let f = acceptance.clone();
                Box::new(move |s| s.timeline(&f, Period::Week).map(drop).map_err(Into::into))
            },
        ),
        (
            "timeline --either RUS --by month",
            Box::new(move |s| {
                s.timeline(&rus, Period::Month)
                    .map(drop)
                    .map_err(Into::into)
            }),
        ),
        (
            "network --actor RUS (top 50)",
            Box::new(|s| {
                let f = EventFilter {
                    actor: Some("RUS".into()),
                    ..Default::default()
                };
                s.network(&f, 50).map(drop).map_err(Into::into)
            }),
        ),
    ];
    for (name, case) in &mut cases {
        time(runs, name, || case(&mut store))?;
    }
    Ok(())
}

/// One timed query.
type Case = Box<dyn FnMut(&mut Store) -> Result<()>>;

fn store_events(store: &mut Store, filter: &EventFilter) -> Result<()> {
    store.events(filter)?;
    Ok(())
}

/// Opens the store at `db`, filling it with `events` synthetic events unless it has them.
fn open_filled(db: &str, events: usize) -> Result<Store> {
    if Path::new(db).exists() {
        let mut store = Store::open(db)?;
        if store.stats()?.merged_events == events as u64 {
            return Ok(store);
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{suffix}"));
        }
    }
    let mut store = Store::open(db)?;
    let start = Instant::now();
    eprintln!("filling {db} with {events} synthetic events…");
    sitrep_store::synthetic::fill(&mut store, events, 1)?;
    eprintln!("filled in {:.1} s", start.elapsed().as_secs_f64());
    Ok(store)
}

/// Runs `f` once untimed, then `runs` times; prints the median and 95th percentile.
fn time(runs: usize, name: &str, mut f: impl FnMut() -> Result<()>) -> Result<()> {
    f()?;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    let median = ms[ms.len() / 2];
    let p95 = ms[((ms.len() as f64 * 0.95).ceil() as usize).clamp(1, ms.len()) - 1];
    println!("{name:<58} {median:>9.1} {p95:>9.1}");
    Ok(())
}

/// The directory holding the workspace's Cargo.toml.
fn workspace_root() -> Result<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let manifest = dir.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).is_ok_and(|t| t.contains("[workspace]")) {
            return Ok(dir);
        }
        if !dir.pop() {
            bail!(
                "no workspace Cargo.toml above {}",
                env!("CARGO_MANIFEST_DIR")
            );
        }
    }
}
