//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns news articles into evidence-backed event data: who did what to whom, when, where, and
/// who said what.
#[derive(Debug, Parser)]
#[command(
    name = "sitrep",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Read articles and write one annotated JSON document per line to stdout.
    #[command(after_help = EXTRACT_EXAMPLES)]
    Extract(ExtractArgs),

    /// Read articles, extract them on all cores and store them in a database.
    #[command(after_help = INGEST_EXAMPLES)]
    Ingest(IngestArgs),

    /// Full-text search over the stored sentences.
    #[command(after_help = SEARCH_EXAMPLES)]
    Search(SearchArgs),

    /// List stored events: merged across documents by default, with filters and paging.
    #[command(after_help = EVENTS_EXAMPLES)]
    Events(EventsArgs),

    /// Count stored events per day, week, month or year, by quad class.
    #[command(after_help = TIMELINE_EXAMPLES)]
    Timeline(TimelineArgs),

    /// Write every stored event (or those a filter selects) as JSONL, CSV, GDELT 2.0 or Parquet.
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),

    /// Serve the JSON API and the web page over a store.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),

    /// Ingest the bundled example articles, show what they hold, and serve the web page.
    #[command(after_help = DEMO_EXAMPLES)]
    Demo(DemoArgs),
}

const EXTRACT_EXAMPLES: &str = "\
Inputs: plain text, HTML, JSONL ({\"text\" or \"html\", \"id\", \"url\", \"title\", \"published\", \"source\"}),
WARC (.warc, .warc.gz), RSS/Atom feeds and directories of them; .gz and .zst are decompressed.

Examples:
  sitrep extract examples/                     every example article, one JSON object per line
  sitrep extract article.html --format pretty  one page, indented
  curl -s https://example.org/a | sitrep extract --published 2017-12-12
  sitrep extract crawl.warc.gz > docs.jsonl 2> errors.log

Exit codes: 0 all inputs read; 1 some inputs or documents could not be read (each is reported on
stderr and skipped); 2 failure (bad arguments, output not writable). Documents skipped on purpose
(not English) are counted in the summary and are not failures.";

#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// Files or directories to read; "-" or nothing reads stdin.
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub(crate) format: Format,

    /// Publication date (YYYY-MM-DD) for documents that carry none; relative dates resolve against it.
    #[arg(long, value_name = "DATE")]
    pub(crate) published: Option<String>,

    /// A dictionary to add to the knowledge base or override entries of (repeatable): sitrep's
    /// TSV formats (docs/knowledge-base.md) or PETRARCH/Phoenix .actors/.agents files.
    #[arg(long = "dict", value_name = "PATH")]
    pub(crate) dicts: Vec<PathBuf>,

    /// Include the tokens layer in the output.
    #[arg(long)]
    pub(crate) tokens: bool,

    /// Keep documents that are not in English instead of skipping them.
    #[arg(long)]
    pub(crate) all_languages: bool,

    /// Refuse documents larger than this many bytes (after decompression).
    #[arg(long, value_name = "BYTES", default_value_t = sitrep_read::DEFAULT_MAX_DOC_BYTES)]
    pub(crate) max_doc_bytes: usize,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Print no progress or summary, only errors.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Indented JSON, documents separated by a blank line.
    Pretty,
}

const INGEST_EXAMPLES: &str = "\
Reads the same inputs as `sitrep extract`. Documents are keyed by the hash of their text: one
already stored is skipped, so an interrupted ingest resumes by running it again.

Examples:
  sitrep ingest examples/                          into ./sitrep.db (SQLite)
  sitrep ingest crawl.warc.gz --db news.db
  sitrep ingest feeds/ --db postgres://me@localhost/news
  sitrep ingest examples/ --reprocess              re-extract what an older sitrep stored
  sitrep ingest --reprocess --db news.db           the same for every stored document, from its text

Exit codes: 0 all inputs read; 1 some inputs or documents could not be read (each is reported on
stderr and skipped); 2 failure (bad arguments, database unusable).";

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Files or directories to read; "-" or nothing reads stdin (with --reprocess, nothing
    /// re-extracts the outdated documents already in the store).
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<PathBuf>,

    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    /// Publication date (YYYY-MM-DD) for documents that carry none; relative dates resolve against it.
    #[arg(long, value_name = "DATE")]
    pub(crate) published: Option<String>,

    /// A dictionary to add to the knowledge base or override entries of (repeatable): sitrep's
    /// TSV formats (docs/knowledge-base.md) or PETRARCH/Phoenix .actors/.agents files.
    #[arg(long = "dict", value_name = "PATH")]
    pub(crate) dicts: Vec<PathBuf>,

    /// Re-extract documents that another sitrep or knowledge-base version stored, replacing their
    /// annotations; without INPUT, every such document in the store, from its stored text.
    #[arg(long)]
    pub(crate) reprocess: bool,

    /// Refuse documents larger than this many bytes (after decompression).
    #[arg(long, value_name = "BYTES", default_value_t = sitrep_read::DEFAULT_MAX_DOC_BYTES)]
    pub(crate) max_doc_bytes: usize,

    /// Extraction threads (default: all cores); one more thread writes to the store.
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Print no progress or summary, only errors.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

const SEARCH_EXAMPLES: &str = "\
Words must all occur (\"withdrawals\" also finds \"withdrawal\"); \"quoted phrases\" match in order; OR
between words finds either.

Examples:
  sitrep search Aleppo
  sitrep search '\"partial withdrawal\" Syria' --limit 5
  sitrep search ceasefire --db postgres://me@localhost/news --format jsonl";

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// What to search for.
    #[arg(value_name = "TEXT")]
    pub(crate) text: String,

    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    /// Show at most this many sentences.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) limit: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    pub(crate) format: SearchFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SearchFormat {
    /// Aligned columns for reading.
    Table,
    /// One JSON object per line: id, title, published, index, sentence.
    Jsonl,
}

const EVENTS_EXAMPLES: &str = "\
Lists merged events (one row per real-world event, however many articles report it), newest first;
--mentions lists every mention (one row per event found in a sentence) instead. Actor and event
codes match by prefix: --actor RUS matches RUS, RUSGOV and RUSMIL; --code 19 the whole family.
At most --limit rows are shown in every format (20 by default); page with --page or --offset, or use
`sitrep export` to write all of them.

Examples:
  sitrep events --actor RUS --target SYR --from 2015-01 --to 2017-12
  sitrep events --either SYR --code 19 --quad material-conflict
  sitrep events --place Aleppo --page 2
  sitrep events --country SY --text withdrawal --format jsonl
  sitrep events --mentions-of 12                 the mentions merged into event 12
  sitrep events --format gdelt --limit 100 > events.tsv

Exit codes: 0 success (also when nothing matches: stderr says so); 2 failure (bad arguments,
database missing or unusable).";

#[derive(Debug, Args)]
pub(crate) struct EventsArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    #[command(flatten)]
    pub(crate) filter: EventFilterArgs,

    /// List the mentions merged into this event (an ID from the first column) instead.
    #[arg(long, value_name = "ID", conflicts_with = "mentions")]
    pub(crate) mentions_of: Option<i64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub(crate) format: EventsFormat,

    /// Show at most this many events (the store caps a page at 10000).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) limit: usize,

    /// Skip this many events first.
    #[arg(long, value_name = "N", conflicts_with = "page")]
    pub(crate) offset: Option<usize>,

    /// Show page N (1 is the first) of --limit events each.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) page: Option<u64>,

    /// With --format gdelt: start with a header row of GDELT's column names (its files have none).
    #[arg(long)]
    pub(crate) header: bool,
}

/// Which events `events`, `timeline` and `export` select.
#[derive(Debug, Default, Args)]
pub(crate) struct EventFilterArgs {
    /// Source actor (CAMEO code, by prefix: RUS, RUSGOV, IGOUNO).
    #[arg(long, value_name = "CODE")]
    pub(crate) actor: Option<String>,

    /// Target actor (CAMEO code, by prefix).
    #[arg(long, value_name = "CODE")]
    pub(crate) target: Option<String>,

    /// Source or target actor (CAMEO code, by prefix).
    #[arg(long, value_name = "CODE")]
    pub(crate) either: Option<String>,

    /// CAMEO event code, by prefix: 19 is the family (fight), 190 and 1951 single codes.
    #[arg(long, value_name = "CODE")]
    pub(crate) code: Option<String>,

    /// Quad class, by name or number (1-4).
    #[arg(long, value_enum, value_name = "CLASS")]
    pub(crate) quad: Option<Quad>,

    /// First date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub(crate) from: Option<String>,

    /// Last date, inclusive: YYYY, YYYY-MM (the whole month) or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub(crate) to: Option<String>,

    /// Place of the event, whole name, any case (Aleppo).
    #[arg(long, value_name = "NAME")]
    pub(crate) place: Option<String>,

    /// Country of the event's place: ISO 3166-1 alpha-2 or alpha-3 (SY, SYR).
    #[arg(long, value_name = "CODE")]
    pub(crate) country: Option<String>,

    /// Words the evidence sentence must contain (full-text search, as `sitrep search`).
    #[arg(long, value_name = "TEXT")]
    pub(crate) text: Option<String>,

    /// Mentions (one per event found in a sentence) instead of merged events.
    #[arg(long)]
    pub(crate) mentions: bool,
}

/// CAMEO quad classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Quad {
    /// 1: statements, appeals, consultations.
    #[value(alias = "1")]
    VerbalCooperation,
    /// 2: aid, concessions, cooperation in deed.
    #[value(alias = "2")]
    MaterialCooperation,
    /// 3: demands, threats, protests, rejections.
    #[value(alias = "3")]
    VerbalConflict,
    /// 4: coercion, assaults, fighting.
    #[value(alias = "4")]
    MaterialConflict,
}

impl Quad {
    /// The class's number, 1-4.
    pub(crate) fn number(self) -> u8 {
        match self {
            Quad::VerbalCooperation => 1,
            Quad::MaterialCooperation => 2,
            Quad::VerbalConflict => 3,
            Quad::MaterialConflict => 4,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum EventsFormat {
    /// Aligned columns for reading.
    Table,
    /// Comma-separated, with a header row: one column per field, the evidence sentence included.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// GDELT 2.0 events: 61 tab-separated columns, no header row.
    Gdelt,
}

const TIMELINE_EXAMPLES: &str = "\
Counts the events the filters select per period and quad class, oldest first, with a bar per period
(quad classes told apart by shade: ░ verbal cooperation, ▒ material cooperation, ▓ verbal conflict,
█ material conflict). Events without a date are not counted.

Examples:
  sitrep timeline --actor RUS --by month
  sitrep timeline --either SYR --from 2015 --to 2017 --by week
  sitrep timeline --code 19 --by year --format csv";

#[derive(Debug, Args)]
pub(crate) struct TimelineArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    #[command(flatten)]
    pub(crate) filter: EventFilterArgs,

    /// Period to count by.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub(crate) by: By,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub(crate) format: TimelineFormat,
}

/// Timeline period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum By {
    Day,
    /// ISO weeks (Monday to Sunday).
    Week,
    Month,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TimelineFormat {
    /// Counts and a bar chart; periods without events show as empty rows.
    Table,
    /// period,verbal_cooperation,material_cooperation,verbal_conflict,material_conflict,total
    Csv,
    /// One JSON object per period: period, quad (four counts), total.
    Jsonl,
}

const EXPORT_EXAMPLES: &str = "\
Writes every event the filters select (all of them by default), page by page. The formats load in
pandas or DuckDB as they are:
  jsonl    one JSON object per event, as `sitrep events --format jsonl`
  csv      a header row, one column per field, the evidence sentence included
  gdelt    GDELT 2.0 events: 61 tab-separated columns, no header row (--header adds one); FIPS 10-4
           country codes; columns sitrep has no value for are empty
  parquet  one column per field as in csv (needs a binary built with --features parquet)

Examples:
  sitrep export --format csv --out events.csv
  sitrep export --format gdelt --actor RUS --from 2017 --out rus-2017.export.tsv
  sitrep export --format parquet --out events.parquet
  sitrep export --mentions --format jsonl | gzip > mentions.jsonl.gz

  pandas: pd.read_csv(\"rus-2017.export.tsv\", sep=\"\\t\", header=None)";

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    #[command(flatten)]
    pub(crate) filter: EventFilterArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub(crate) format: ExportFormat,

    /// Write to this file (replaced only once the export is complete) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,

    /// Write at most this many events.
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<u64>,

    /// With --format gdelt: start with a header row of GDELT's column names.
    #[arg(long)]
    pub(crate) header: bool,

    /// Print no summary, only errors.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated, with a header row.
    Csv,
    /// GDELT 2.0 events file: tab-separated, 61 columns.
    Gdelt,
    /// Apache Parquet (binaries built with --features parquet).
    Parquet,
}

const SERVE_EXAMPLES: &str = "\
The page and the API are open to anyone who can reach the address. On a loopback address (the
default) reads need no token; on any other address they need it too unless --public is given.
Writes (POST /api/ingest) always need the token.

Examples:
  sitrep serve                                      http://127.0.0.1:8080/ over ./sitrep.db
  sitrep serve --db news.db --addr 127.0.0.1:9000
  SITREP_TOKEN=s3cret sitrep serve --addr 0.0.0.0:8080
  sitrep serve --addr 0.0.0.0:8080 --public --token s3cret   reads open, writes need the token";

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) addr: String,

    /// Token that write requests (and reads, off loopback) must carry as "Authorization: Bearer TOKEN".
    #[arg(
        long,
        value_name = "TOKEN",
        env = "SITREP_TOKEN",
        hide_env_values = true
    )]
    pub(crate) token: Option<String>,

    /// Let anyone read without the token when bound to a non-loopback address.
    #[arg(long)]
    pub(crate) public: bool,
}

const DEMO_EXAMPLES: &str = "\
The example articles are built into the binary (examples/ in the repository); the store is a normal
sitrep database you can query afterwards with `sitrep events` or `sitrep search`.

Examples:
  sitrep demo                       ./sitrep.db, then http://127.0.0.1:8080/
  sitrep demo --db /tmp/demo.db --addr 127.0.0.1:9000
  sitrep demo --no-serve            ingest and print the summary only";

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The store to create or add to: a SQLite file path or a postgres:// URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,

    /// Address to serve the page on (port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) addr: String,

    /// Ingest and print the summary and timeline, but do not start the server.
    #[arg(long)]
    pub(crate) no_serve: bool,
}
