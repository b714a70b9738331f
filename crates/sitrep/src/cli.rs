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

Exit codes: 0 all inputs read; 1 some inputs or documents could not be read (each is reported on
stderr and skipped); 2 failure (bad arguments, database unusable).";

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Files or directories to read; "-" or nothing reads stdin.
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
    /// annotations.
    #[arg(long)]
    pub(crate) reprocess: bool,

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
Examples:
  sitrep events --actor RUS --target SYR --from 2015-01 --to 2017-12";

#[derive(Debug, Args)]
pub(crate) struct EventsArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,
}

const TIMELINE_EXAMPLES: &str = "\
Examples:
  sitrep timeline --actor RUS --by month";

#[derive(Debug, Args)]
pub(crate) struct TimelineArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,
}

const EXPORT_EXAMPLES: &str = "\
Examples:
  sitrep export --format csv --out events.csv";

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The store: a SQLite file path or a postgres://USER@HOST/DATABASE URL.
    #[arg(long, value_name = "DB", default_value = "sitrep.db")]
    pub(crate) db: String,
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
    #[arg(long, value_name = "TOKEN", env = "SITREP_TOKEN", hide_env_values = true)]
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
