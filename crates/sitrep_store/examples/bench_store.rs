//! The store benchmark of `cargo run --release -p xtask -- bench store`, runnable on its own:
//! `cargo run --release -p sitrep_store --example bench_store -- [EVENTS] [RUNS]`.

#[path = "../../../xtask/src/bench_store.rs"]
mod bench_store;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    bench_store::run(&args)
}
