//! An open-addressing hash table from 64-bit keys (already hashed) to `u32` values: the lookup
//! structure behind the lexicon and the model's weights.

/// Keys are hashes, so the table probes linearly from the key's low bits.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyTable {
    keys: Vec<u64>,
    values: Vec<u32>,
    len: usize,
}

/// Stands for key 0, which marks an empty slot.
const ZERO: u64 = 0x8000_0000_0000_0001;

impl KeyTable {
    /// A table for `n` keys at most half full.
    pub(crate) fn with_capacity(n: usize) -> KeyTable {
        let size = (n.max(4) * 2).next_power_of_two();
        KeyTable {
            keys: vec![0; size],
            values: vec![0; size],
            len: 0,
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Inserts or overwrites; grows when more than half full.
    pub(crate) fn insert(&mut self, key: u64, value: u32) {
        if (self.len + 1) * 2 > self.keys.len() {
            let mut bigger = KeyTable::with_capacity(self.keys.len());
            for (&k, &v) in self.keys.iter().zip(&self.values) {
                if k != 0 {
                    bigger.insert(k, v);
                }
            }
            *self = bigger;
        }
        let key = if key == 0 { ZERO } else { key };
        let mask = self.keys.len() - 1;
        let mut slot = (key as usize) & mask;
        loop {
            match self.keys[slot] {
                0 => {
                    self.keys[slot] = key;
                    self.values[slot] = value;
                    self.len += 1;
                    return;
                }
                k if k == key => {
                    self.values[slot] = value;
                    return;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let key = if key == 0 { ZERO } else { key };
        let mask = self.keys.len() - 1;
        let mut slot = (key as usize) & mask;
        loop {
            match self.keys[slot] {
                0 => return None,
                k if k == key => return Some(self.values[slot]),
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_grows_and_finds() {
        let mut t = KeyTable::with_capacity(1);
        for k in 0..1000u64 {
            t.insert(k.wrapping_mul(0x9e37_79b9_7f4a_7c15), k as u32);
        }
        t.insert(0, 7);
        t.insert(0, 8);
        assert_eq!(t.len(), 1000);
        assert_eq!(t.get(0), Some(8));
        assert_eq!(t.get(5u64.wrapping_mul(0x9e37_79b9_7f4a_7c15)), Some(5));
        assert_eq!(t.get(12345), None);
        assert_eq!(KeyTable::default().get(3), None);
    }
}
