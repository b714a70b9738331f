//! The weights of the averaged perceptron and their compact file format.
//!
//! ```text
//! magic "sitrep-pos-1\n", u32 tags (17), u32 features, f32 scale (weight = stored / scale)
//! then per feature, sorted by key: u64 key, u8 n, n × (u8 tag, i16 weight)     (little-endian)
//! ```

use sitrep_doc::Pos;

use super::features::{features, TokenInfo, N_FEATURES, N_TAGS, START_TAG};
use super::table::KeyTable;

const MAGIC: &[u8] = b"sitrep-pos-1\n";

/// A bad model file (a bug in the build: the file is compiled in).
#[derive(Debug, thiserror::Error)]
#[error("pos model data/model/pos-tagger.bin: {0}; regenerate it with `cargo run --release -p xtask -- train tagger`")]
pub struct ModelError(String);

/// Feature key → one weight per tag.
#[derive(Debug, Default)]
pub(crate) struct Model {
    table: KeyTable,
    rows: Vec<[i16; N_TAGS]>,
}

impl Model {
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError(
                "not a sitrep POS model (bad magic bytes)".into(),
            ));
        }
        let tags = r.u32()? as usize;
        if tags != N_TAGS {
            return Err(ModelError(format!("{tags} tags, expected {N_TAGS}")));
        }
        let n = r.u32()? as usize;
        let _scale = r.u32()?;
        let mut table = KeyTable::with_capacity(n);
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let key = r.u64()?;
            let mut row = [0i16; N_TAGS];
            for _ in 0..r.take(1)?[0] {
                let tag = r.take(1)?[0] as usize;
                let w = i16::from_le_bytes([r.take(1)?[0], r.take(1)?[0]]);
                *row.get_mut(tag)
                    .ok_or_else(|| ModelError(format!("tag {tag} out of range")))? = w;
            }
            table.insert(key, rows.len() as u32);
            rows.push(row);
        }
        if r.at != bytes.len() {
            return Err(ModelError("trailing bytes".into()));
        }
        Ok(Model { table, rows })
    }

    /// Serializes sorted `(key, weights)` rows, weights already scaled.
    pub(crate) fn to_bytes(rows: &[(u64, [i16; N_TAGS])], scale: f32) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend((N_TAGS as u32).to_le_bytes());
        out.extend((rows.len() as u32).to_le_bytes());
        out.extend(scale.to_le_bytes());
        for (key, row) in rows {
            out.extend(key.to_le_bytes());
            out.push(row.iter().filter(|w| **w != 0).count() as u8);
            for (tag, w) in row.iter().enumerate().filter(|(_, w)| **w != 0) {
                out.push(tag as u8);
                out.extend(w.to_le_bytes());
            }
        }
        out
    }

    #[inline]
    pub(crate) fn scores(&self, keys: &[u64; N_FEATURES]) -> [i32; N_TAGS] {
        let mut s = [0i32; N_TAGS];
        for &k in keys {
            if let Some(r) = self.table.get(k) {
                let row = &self.rows[r as usize];
                for (s, w) in s.iter_mut().zip(row) {
                    *s += i32::from(*w);
                }
            }
        }
        s
    }

    /// Greedy left-to-right decoding of a padded sentence (see [`super::features::sentence_infos`]).
    pub(crate) fn decode(&self, ctx: &[TokenInfo], out: &mut Vec<Pos>) {
        let n = ctx.len().saturating_sub(2 * super::features::PAD);
        let (mut p1, mut p2) = (START_TAG, START_TAG);
        let mut keys = [0u64; N_FEATURES];
        for i in 0..n {
            features(ctx, i, p1, p2, &mut keys);
            let tag = argmax(&self.scores(&keys));
            out.push(Pos::ALL[tag]);
            p2 = p1;
            p1 = tag as u8;
        }
    }
}

/// The first index of the highest score.
#[inline]
pub(crate) fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate().skip(1) {
        if *s > scores[best] {
            best = i;
        }
    }
    best
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let s = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or_else(|| ModelError(format!("truncated at byte {}", self.at)))?;
        self.at += n;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, ModelError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_bad_bytes() {
        let mut row = [0i16; N_TAGS];
        row[3] = -7;
        row[16] = 300;
        let bytes = Model::to_bytes(&[(5, row), (9, [0; N_TAGS])], 100.0);
        let model = Model::from_bytes(&bytes).unwrap();
        assert_eq!(model.len(), 2);
        let mut keys = [0u64; N_FEATURES];
        keys[0] = 5;
        keys[1] = 5;
        let s = model.scores(&keys);
        assert_eq!((s[3], s[16], s[0]), (-14, 600, 0));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Model::from_bytes(b"nonsense").is_err());
        let err = Model::from_bytes(b"").unwrap_err().to_string();
        assert!(err.contains("train tagger"), "{err}");
    }

    #[test]
    fn argmax_takes_the_first_best() {
        assert_eq!(argmax(&[1, 5, 5, 2]), 1);
        assert_eq!(argmax(&[0i32; 4]), 0);
    }
}
