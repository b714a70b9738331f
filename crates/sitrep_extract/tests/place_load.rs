//! Load time of the compiled-in gazetteer, as the first use in a fresh process pays it
//! (`cargo test --release -p sitrep_extract --test place_load -- --ignored --nocapture`).

#[test]
#[ignore]
fn gazetteer_load_time() {
    let t = std::time::Instant::now();
    let g = sitrep_extract::place::gazetteer::Gazetteer::load();
    eprintln!("load {:?} ({} entries)", t.elapsed(), g.entries.len());
    assert!(g.entries.len() > 100_000);
}
