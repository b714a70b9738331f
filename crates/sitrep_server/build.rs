//! Rebuild when the web page changes: release builds embed web/ at compile time.

fn main() {
    println!("cargo:rerun-if-changed=web");
}
