//! The knowledge version: a hash of the knowledge that decides what extraction finds (the
//! compiled-in knowledge base and event dictionaries, plus any user dictionaries), recorded with
//! every stored document so that `sitrep ingest --reprocess` knows what to redo.

use sha2::{Digest, Sha256};

/// `kb-` and 12 hex digits of the SHA-256 of the compiled-in dictionaries (knowledge base and
/// event patterns, each with its path) followed by the bytes of each extra dictionary in order.
/// The same data gives the same version on every build and machine.
pub fn knowledge_version<B: AsRef<[u8]>>(extra: &[B]) -> String {
    let mut hasher = Sha256::new();
    let builtin = crate::kb::load::builtin_files()
        .iter()
        .chain(crate::event::dict::SOURCES.iter());
    for (path, text) in builtin {
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    for bytes in extra {
        let bytes = bytes.as_ref();
        hasher.update(b"--dict");
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let digest = hasher.finalize();
    let mut version = String::from("kb-");
    for byte in &digest[..6] {
        version.push_str(&format!("{byte:02x}"));
    }
    version
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_stable_and_follows_extra_dictionaries() {
        let none: [&[u8]; 0] = [];
        let base = knowledge_version(&none);
        assert!(base.starts_with("kb-") && base.len() == 15, "{base}");
        assert_eq!(base, knowledge_version(&none));
        let with = knowledge_version(&[b"#sitrep countries\nXX\tExample\n".as_slice()]);
        assert_ne!(base, with);
        assert_ne!(
            with,
            knowledge_version(&[b"#sitrep countries\n".as_slice()])
        );
    }
}
