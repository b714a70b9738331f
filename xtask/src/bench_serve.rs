//! `cargo run --release -p xtask -- bench serve`: a load test of `sitrep serve` on loopback.
//!
//! Fills a SQLite store with generated events ([`sitrep_store::synthetic::fill`], 1M by default,
//! kept under `target/bench-serve/` and reused), starts the server in-process on 127.0.0.1:0, and
//! runs keep-alive HTTP/1.1 client threads for a bounded time, each sending a mix of typical
//! `/api/events` filters (actor, target, code family, quad, date range, country, paging). Reports
//! requests per second, errors and latency percentiles, and fails unless the targets hold:
//! ≥ 2,000 requests/s, no errors, p99 ≤ 50 ms.
//!
//! Options: `--events N` (default 1000000), `--seconds S` (default 30, at most 300), `--clients C`
//! (default 4), `--db PATH` (default target/bench-serve/events-N.db), `--no-check` (report only),
//! `--uncached` (every request a different page size, so the server's response cache misses and
//! each request is a store query: measures the store, not the cache).
//!
//! The default mix repeats 16 queries, as the page does: after the warm-up the server answers
//! them from its response cache (invalidated when the database changes), so the default run
//! measures the HTTP layer and the cache; `--uncached` measures the store's queries.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// Typical filters the page sends: the first page of everything, one actor, an actor pair, a
/// code family, a quad class, a date range, a country, later pages, mentions.
const QUERIES: &[&str] = &[
    "/api/events",
    "/api/events?actor=RUS",
    "/api/events?target=SYR",
    "/api/events?actor=USA&target=IRN",
    "/api/events?either=TUR",
    "/api/events?code=19",
    "/api/events?code=04&actor=CHN",
    "/api/events?quad=4",
    "/api/events?quad=1&either=FRA",
    "/api/events?from=2016-01&to=2017-12",
    "/api/events?actor=RUS&from=2015&to=2017",
    "/api/events?country=SY",
    "/api/events?country=UA&quad=4",
    "/api/events?offset=100",
    "/api/events?actor=ISR&offset=50&limit=50",
    "/api/events?mentions=true&actor=IRQ",
];

const TARGET_RPS: f64 = 2000.0;
const TARGET_P99: Duration = Duration::from_millis(50);

struct Options {
    events: usize,
    seconds: u64,
    clients: usize,
    db: Option<PathBuf>,
    check: bool,
    uncached: bool,
}

fn options(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        events: 1_000_000,
        seconds: 30,
        clients: 4,
        db: None,
        check: true,
        uncached: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--events" => options.events = value("--events")?.parse().context("--events")?,
            "--seconds" => options.seconds = value("--seconds")?.parse().context("--seconds")?,
            "--clients" => options.clients = value("--clients")?.parse().context("--clients")?,
            "--db" => options.db = Some(PathBuf::from(value("--db")?)),
            "--no-check" => options.check = false,
            "--uncached" => options.uncached = true,
            other => bail!(
                "unknown argument {other:?}\nhint: bench serve [--events N] [--seconds S] \
                 [--clients C] [--db PATH] [--no-check] [--uncached]"
            ),
        }
    }
    if !(1..=300).contains(&options.seconds) {
        bail!(
            "--seconds {} is out of range\nhint: give 1 to 300",
            options.seconds
        );
    }
    if !(1..=256).contains(&options.clients) {
        bail!(
            "--clients {} is out of range\nhint: give 1 to 256",
            options.clients
        );
    }
    if options.events == 0 {
        bail!("--events 0 leaves nothing to query\nhint: give e.g. --events 1000000");
    }
    Ok(options)
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let options = options(args)?;
    let db = match &options.db {
        Some(db) => db.clone(),
        None => {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-serve");
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join(format!("events-{}.db", options.events))
        }
    };
    let db_str = db
        .to_str()
        .context("the database path is not UTF-8")?
        .to_owned();
    prepare(&db_str, options.events)?;

    let server = sitrep_server::Server::bind(sitrep_server::ServeOptions::new(
        db_str.clone(),
        "127.0.0.1:0".parse()?,
    ))
    .map_err(|e| anyhow::anyhow!("{e}\nhint: {}", e.hint.as_deref().unwrap_or("")))?;
    let addr = server.local_addr();
    // The server runs until the process ends.
    std::thread::spawn(move || server.run());

    // Warm up: every query once, checked.
    let mut client = Client::connect(addr)?;
    for query in QUERIES {
        let (status, body) = client.get(query)?;
        if status != 200 {
            bail!(
                "GET {query} answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
    }
    drop(client);

    eprintln!(
        "bench serve: {} clients for {} s against {addr} ({} events in {db_str})",
        options.clients, options.seconds, options.events
    );
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.clients)
        .map(|worker| {
            let uncached = options.uncached;
            std::thread::spawn(move || load(addr, worker, deadline, uncached))
        })
        .collect();
    let mut latencies: Vec<u32> = Vec::new();
    let mut per_query: Vec<Vec<u32>> = vec![Vec::new(); QUERIES.len()];
    let mut errors = 0u64;
    let mut first_error = None;
    for worker in workers {
        let tally = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
        for (query, micros) in tally.samples {
            latencies.push(micros);
            per_query[query].push(micros);
        }
        errors += tally.errors;
        first_error = first_error.or(tally.first_error);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let requests = latencies.len() as u64 + errors;
    let rps = latencies.len() as f64 / elapsed;
    let p50 = percentile(&latencies, 0.50);
    let p99 = percentile(&latencies, 0.99);
    println!(
        "requests {requests}  ok {}  errors {errors}  {rps:.0} req/s  p50 {:.2} ms  p90 {:.2} ms  \
         p99 {:.2} ms  max {:.2} ms",
        latencies.len(),
        ms(p50),
        ms(percentile(&latencies, 0.90)),
        ms(p99),
        ms(latencies.last().copied().unwrap_or(0)),
    );
    for (query, samples) in QUERIES.iter().zip(&mut per_query) {
        samples.sort_unstable();
        println!(
            "  {:<45} n {:>7}  p50 {:>6.2} ms  p99 {:>6.2} ms",
            query,
            samples.len(),
            ms(percentile(samples, 0.50)),
            ms(percentile(samples, 0.99)),
        );
    }
    if let Some(err) = first_error {
        eprintln!("bench serve: first error: {err}");
    }
    if options.check {
        let p99 = Duration::from_micros(u64::from(p99));
        if errors > 0 || rps < TARGET_RPS || p99 > TARGET_P99 {
            bail!(
                "the server missed its targets (≥ {TARGET_RPS:.0} req/s, 0 errors, p99 ≤ {} ms)",
                TARGET_P99.as_millis()
            );
        }
        println!(
            "targets met: ≥ {TARGET_RPS:.0} req/s, 0 errors, p99 ≤ {} ms",
            TARGET_P99.as_millis()
        );
    }
    Ok(())
}

/// Creates the store with `events` generated events, unless it holds them already.
fn prepare(db: &str, events: usize) -> anyhow::Result<()> {
    let mut store = sitrep_store::Store::open(db).map_err(|e| anyhow::anyhow!("{e}"))?;
    let stats = store.stats().map_err(|e| anyhow::anyhow!("{e}"))?;
    if stats.merged_events as usize >= events {
        return Ok(());
    }
    if stats.merged_events > 0 {
        bail!(
            "{db} holds {} events, not {events}\nhint: delete it, or pass another --db",
            stats.merged_events
        );
    }
    eprintln!("bench serve: generating {events} events into {db}");
    let started = Instant::now();
    sitrep_store::synthetic::fill(&mut store, events, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "bench serve: generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    /// (query index, latency in µs) of each successful request.
    samples: Vec<(usize, u32)>,
    errors: u64,
    first_error: Option<String>,
}

/// One client: sends the queries in turn (each worker starting elsewhere in the list) over one
/// keep-alive connection until the deadline, reconnecting after an error.
fn load(addr: SocketAddr, worker: usize, deadline: Instant, uncached: bool) -> Tally {
    let mut tally = Tally::default();
    let mut client = None;
    let mut i = worker * 7;
    while Instant::now() < deadline {
        let query = i % QUERIES.len();
        i += 1;
        let path = if uncached {
            // A page size no other request used (per worker), so the cache cannot answer.
            let sep = if QUERIES[query].contains('?') {
                '&'
            } else {
                '?'
            };
            let limit = 1 + (i / QUERIES.len() * 8 + worker) % 1000;
            format!(
                "{}{sep}limit={limit}",
                QUERIES[query].replace("&limit=50", "")
            )
        } else {
            QUERIES[query].to_owned()
        };
        let started = Instant::now();
        let result = match client.as_mut() {
            Some(c) => Ok(c),
            None => Client::connect(addr).map(|c| client.insert(c)),
        }
        .and_then(|c| c.get(&path));
        match result {
            Ok((200, _)) => {
                let micros = started.elapsed().as_micros();
                tally
                    .samples
                    .push((query, u32::try_from(micros).unwrap_or(u32::MAX)));
            }
            Ok((status, body)) => {
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| {
                    format!(
                        "GET {path} answered {status}: {}",
                        String::from_utf8_lossy(&body)
                    )
                });
            }
            Err(err) => {
                tally.errors += 1;
                tally
                    .first_error
                    .get_or_insert_with(|| format!("GET {path}: {err:#}"));
                client = None;
            }
        }
    }
    tally
}

/// A minimal keep-alive HTTP/1.1 client: GET, then read the status, headers and body (by
/// Content-Length, or chunked).
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    addr: SocketAddr,
}

impl Client {
    fn connect(addr: SocketAddr) -> anyhow::Result<Client> {
        let stream =
            TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(40)))?;
        Ok(Client {
            reader: BufReader::with_capacity(1 << 16, stream.try_clone()?),
            writer: stream,
            addr,
        })
    }

    fn get(&mut self, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\r\n",
            self.addr
        );
        self.writer.write_all(request.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("the server closed the connection");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.parse::<usize>()?);
                } else if name.eq_ignore_ascii_case("transfer-encoding")
                    && value.eq_ignore_ascii_case("chunked")
                {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .with_context(|| format!("bad chunk size {line:?}"))?;
                let start = body.len();
                body.resize(start + size, 0);
                self.reader.read_exact(&mut body[start..])?;
                line.clear();
                self.reader.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let length = length.context("the response has no Content-Length")?;
            body.resize(length, 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(micros: u32) -> f64 {
    f64::from(micros) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 0.50), 50);
        assert_eq!(percentile(&sorted, 0.99), 99);
        assert_eq!(percentile(&sorted, 1.0), 100);
        assert_eq!(percentile(&[], 0.5), 0);
    }

    #[test]
    fn options_are_bounded() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert!(options(&args("--seconds 0")).is_err());
        assert!(options(&args("--clients 1000")).is_err());
        assert!(options(&args("--colour red")).is_err());
        let o = options(&args("--events 1000 --seconds 5 --clients 2 --no-check")).unwrap();
        assert_eq!(
            (o.events, o.seconds, o.clients, o.check),
            (1000, 5, 2, false)
        );
    }
}
