//! `sitrep`: turns news articles into evidence-backed event data.

mod cli;
mod command;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Extract(args) => command::extract::run(args),
        cli::Command::Ingest(args) => command::ingest::run(args),
        cli::Command::Search(args) => command::search::run(args),
        cli::Command::Events(args) => command::events::run(args),
        cli::Command::Timeline(args) => command::timeline::run(args),
        cli::Command::Export(args) => command::export::run(args),
        cli::Command::Serve(args) => command::serve::run(args),
        cli::Command::Demo(args) => command::demo::run(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) => {
            report::fatal(&err);
            report::Status::Failure.into()
        }
    }
}
