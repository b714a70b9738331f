//! Finding the documents another sitrep or knowledge base produced, so that `sitrep ingest
//! --reprocess` can re-extract them from the store itself.

use sitrep_doc::json::from_json;
use sitrep_doc::Doc;

use crate::backend::Value;
use crate::{ErrorKind, Store, StoreError, Versions};

impl Store {
    /// Up to `limit` stored documents that versions other than `current` produced, in content-hash
    /// order after `after` (a hash; `""` to start), each as a fresh [`Doc`] holding only its text
    /// and metadata, ready to extract again. Returns `(hash, doc)` pairs; pass the last hash as
    /// `after` for the next page.
    pub fn outdated(
        &mut self,
        current: &Versions,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, Doc)>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .conn
            .query(
                "SELECT hash, json FROM documents \
                 WHERE (sitrep_version <> ?1 OR kb_version <> ?2) AND hash > ?3 \
                 ORDER BY hash LIMIT ?4",
                &[
                    current.sitrep.as_str().into(),
                    current.kb.as_str().into(),
                    Value::Text(after),
                    Value::Int(limit),
                ],
            )
            .map_err(|e| StoreError::query(&self.db, "could not list outdated documents", e))?;
        let mut docs = Vec::with_capacity(rows.len());
        for row in rows {
            let hash = row[0].text().unwrap_or_default();
            let json = crate::unpack_json(&row[1]).map_err(|err| {
                StoreError::new(
                    &self.db,
                    ErrorKind::Corrupt,
                    format!("document {hash} could not be read back: {err}"),
                )
                .hint("ingest its source file again with `sitrep ingest FILE --reprocess`")
            })?;
            let stored = from_json(&json).map_err(|err| {
                StoreError::new(
                    &self.db,
                    ErrorKind::Corrupt,
                    format!("document {hash} could not be read back"),
                )
                .hint("ingest its source file again with `sitrep ingest FILE --reprocess`")
                .source(err)
            })?;
            docs.push((hash, Doc::new(stored.text(), stored.meta().clone())));
        }
        Ok(docs)
    }

    /// How many stored documents versions other than `current` produced.
    pub fn count_outdated(&mut self, current: &Versions) -> Result<u64, StoreError> {
        let rows = self
            .conn
            .query(
                "SELECT count(*) FROM documents WHERE sitrep_version <> ?1 OR kb_version <> ?2",
                &[current.sitrep.as_str().into(), current.kb.as_str().into()],
            )
            .map_err(|e| StoreError::query(&self.db, "could not count outdated documents", e))?;
        Ok(rows
            .first()
            .map_or(0, |row| u64::try_from(row[0].int()).unwrap_or(0)))
    }
}
