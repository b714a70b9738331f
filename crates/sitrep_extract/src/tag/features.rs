//! The tagger's features: every token's word, affixes, shape, capitalization and word classes are
//! hashed once per sentence ([`TokenInfo`]), then each position's features are 64-bit keys mixed
//! from those hashes and the two previous tags ([`features`]). Nothing allocates per token.

use super::lexicon::Lexicon;

/// The number of tags ([`sitrep_doc::Pos::ALL`]).
pub(crate) const N_TAGS: usize = 17;
/// The "tag" of the positions before the sentence.
pub(crate) const START_TAG: u8 = N_TAGS as u8;
/// Features per position.
pub(crate) const N_FEATURES: usize = 30;
/// Context positions on each side of a sentence.
pub(crate) const PAD: usize = 2;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// One step of an FxHash-style hash.
#[inline]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Curly quotes as straight ones, dashes as hyphens.
#[inline]
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    }
}

/// The lexicon key of a word as written (the `exact` hash of [`TokenInfo::new`]).
pub(crate) fn exact_key(word: &str) -> u64 {
    word.chars()
        .fold(0, |h, c| mix(h, u64::from(fold_char(c) as u32)))
}

/// What the features need of a token, computed once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TokenInfo {
    /// Lower case, digits as 0, curly quotes straight.
    pub(crate) word: u64,
    /// The first 1, 2 and 3 characters (normalized as `word`).
    pub(crate) prefix: [u64; 3],
    /// The last 1, 2, 3 and 4 characters.
    pub(crate) suffix: [u64; 4],
    /// Character classes with repeats collapsed ("Xx", "d.d", "X.X.").
    pub(crate) shape: u64,
    /// [`Cap`] as a number.
    pub(crate) cap: u8,
    /// Bits: digit, hyphen, all digits, period, apostrophe.
    pub(crate) misc: u8,
    /// Word classes from the lexicon (a bit set; 0 when unknown).
    pub(crate) lex: u16,
}

/// Capitalization classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cap {
    /// No letters.
    NoLetters = 0,
    Lower = 1,
    /// An upper-case first letter and no other upper case ("Putin", "I").
    Title = 2,
    /// Two or more letters, all upper case ("NATO").
    Upper = 3,
    /// Anything else ("iPhone", "McCain").
    Mixed = 4,
}

/// Padding before (`BEFORE`) and after (`AFTER`) a sentence.
const BEFORE: u64 = 0x9e37_79b9_7f4a_7c15;
const AFTER: u64 = 0xc2b2_ae3d_27d4_eb4f;

impl TokenInfo {
    pub(crate) fn pad(value: u64) -> TokenInfo {
        TokenInfo {
            word: value,
            prefix: [value; 3],
            suffix: [value; 4],
            shape: value,
            cap: 7,
            misc: 0,
            lex: 0,
        }
    }

    /// Hashes a word in one pass over its characters.
    pub(crate) fn new(word: &str, lexicon: &Lexicon) -> TokenInfo {
        let mut norm = 0u64; // lower case, digits as 0
        let mut lower = 0u64; // lower case (lexicon key)
        let mut exact = 0u64; // as written (lexicon key)
        let mut prefix = [0u64; 3];
        let mut last = [0u32; 4];
        let mut n = 0usize;
        let mut shape = 0u64;
        let mut shape_len = 0;
        let mut prev_class = u32::MAX;
        let (mut upper, mut lowers, mut first_upper) = (0usize, 0usize, false);
        let mut misc = 0u8;
        let mut digits = 0usize;
        for c in word.chars() {
            let c = fold_char(c);
            let l = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            let class = if c.is_ascii_digit() {
                digits += 1;
                misc |= 1;
                'd' as u32
            } else if c.is_uppercase() {
                upper += 1;
                if n == 0 {
                    first_upper = true;
                }
                'X' as u32
            } else if c.is_lowercase() {
                lowers += 1;
                'x' as u32
            } else {
                match c {
                    '-' => misc |= 2,
                    '.' => misc |= 8,
                    '\'' => misc |= 16,
                    _ => {}
                }
                c as u32
            };
            if class != prev_class && shape_len < 8 {
                shape = mix(shape, u64::from(class));
                shape_len += 1;
                prev_class = class;
            }
            let d = if c.is_ascii_digit() { '0' } else { l };
            norm = mix(norm, u64::from(d as u32));
            lower = mix(lower, u64::from(l as u32));
            exact = mix(exact, u64::from(c as u32));
            if n < 3 {
                prefix[n] = norm;
            }
            last[n % 4] = d as u32;
            n += 1;
        }
        for p in prefix.iter_mut().skip(n) {
            *p = norm;
        }
        let mut suffix = [0u64; 4];
        let mut h = 0u64;
        for (k, s) in suffix.iter_mut().enumerate() {
            if k < n {
                h = mix(h, u64::from(last[(n - 1 - k) % 4]));
            }
            *s = h;
        }
        if n > 0 && digits == n {
            misc |= 4;
        }
        let letters = upper + lowers;
        let cap = if letters == 0 {
            Cap::NoLetters
        } else if upper == 0 {
            Cap::Lower
        } else if first_upper && upper == 1 {
            Cap::Title
        } else if upper == letters && letters > 1 {
            Cap::Upper
        } else {
            Cap::Mixed
        };
        let lex = lexicon
            .get(exact)
            .or_else(|| lexicon.get(lower))
            .unwrap_or(0);
        TokenInfo {
            word: norm,
            prefix,
            suffix,
            shape,
            cap: cap as u8,
            misc,
            lex,
        }
    }
}

/// Fills `ctx` with the padded token infos of a sentence: `ctx[i + PAD]` is word `i`.
pub(crate) fn sentence_infos<'a>(
    words: impl IntoIterator<Item = &'a str>,
    lexicon: &Lexicon,
    ctx: &mut Vec<TokenInfo>,
) {
    ctx.clear();
    ctx.extend([TokenInfo::pad(BEFORE); PAD]);
    ctx.extend(words.into_iter().map(|w| TokenInfo::new(w, lexicon)));
    ctx.extend([TokenInfo::pad(AFTER); PAD]);
}

/// The feature keys of word `i` (0-based, unpadded) given the two previous tags.
#[inline]
pub(crate) fn features(ctx: &[TokenInfo], i: usize, p1: u8, p2: u8, out: &mut [u64; N_FEATURES]) {
    let j = i + PAD;
    let (m2, m1, w, n1, n2) = (&ctx[j - 2], &ctx[j - 1], &ctx[j], &ctx[j + 1], &ctx[j + 2]);
    let initial = u64::from(i == 0);
    let (p1, p2) = (u64::from(p1), u64::from(p2));
    let f = |t: u64, v: u64| mix(mix(t.wrapping_mul(0x2545_f491_4f6c_dd1d), v), t);
    *out = [
        f(0, 0),
        f(1, w.word),
        f(2, w.suffix[0]),
        f(3, w.suffix[1]),
        f(4, w.suffix[2]),
        f(5, w.suffix[3]),
        f(6, w.prefix[0]),
        f(7, w.prefix[1]),
        f(8, w.prefix[2]),
        f(9, w.shape),
        f(10, u64::from(w.cap) << 1 | initial),
        f(11, u64::from(w.misc)),
        f(12, u64::from(w.lex)),
        f(13, m1.word),
        f(14, n1.word),
        f(15, m2.word),
        f(16, n2.word),
        f(17, m1.suffix[2]),
        f(18, n1.suffix[2]),
        f(19, u64::from(m1.lex)),
        f(20, u64::from(n1.lex)),
        f(21, p1),
        f(22, p2),
        f(23, p1 << 8 | p2),
        f(24, mix(w.word, p1)),
        f(25, mix(m1.word, w.word)),
        f(26, mix(w.word, n1.word)),
        f(
            27,
            u64::from(m1.cap) << 12 | u64::from(w.cap) << 8 | u64::from(n1.cap) << 4 | initial,
        ),
        f(28, u64::from(w.lex) << 8 | p1),
        f(29, u64::from(w.lex) << 8 | u64::from(w.cap) << 1 | initial),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(w: &str) -> TokenInfo {
        TokenInfo::new(w, &Lexicon::empty())
    }

    #[test]
    fn case_digits_and_quotes_are_normalized() {
        assert_eq!(info("Putin").word, info("putin").word);
        assert_eq!(info("1999").word, info("2017").word);
        assert_ne!(info("1999").word, info("199").word);
        assert_eq!(info("don’t").word, info("don't").word);
    }

    #[test]
    fn affixes_and_shape() {
        assert_eq!(info("ordered").suffix[1], info("wanted").suffix[1]);
        assert_ne!(info("ordered").suffix[2], info("wanted").suffix[2]);
        assert_eq!(info("Putin").shape, info("Moscow").shape);
        assert_ne!(info("Putin").shape, info("NATO").shape);
        assert_eq!(info("un").prefix[2], info("un").word);
        // Short words: the longer suffixes are the whole word's.
        assert_eq!(info("a").suffix[3], info("a").suffix[0]);
    }

    #[test]
    fn capitalization_classes() {
        assert_eq!(info("Putin").cap, Cap::Title as u8);
        assert_eq!(info("I").cap, Cap::Title as u8);
        assert_eq!(info("NATO").cap, Cap::Upper as u8);
        assert_eq!(info("iPhone").cap, Cap::Mixed as u8);
        assert_eq!(info("forces").cap, Cap::Lower as u8);
        assert_eq!(info("1,000").cap, Cap::NoLetters as u8);
        assert_eq!(info("2017").misc & 4, 4);
        assert_eq!(info("so-called").misc & 2, 2);
    }

    #[test]
    fn features_differ_by_context_and_tags() {
        let lexicon = Lexicon::empty();
        let mut ctx = Vec::new();
        sentence_infos(["Putin", "ordered", "it"], &lexicon, &mut ctx);
        assert_eq!(ctx.len(), 3 + 2 * PAD);
        let (mut a, mut b) = ([0; N_FEATURES], [0; N_FEATURES]);
        features(&ctx, 1, 11, START_TAG, &mut a);
        features(&ctx, 1, 7, START_TAG, &mut b);
        assert_eq!(a[..21], b[..21]);
        assert_ne!(a[21], b[21]);
        // Every template gives its own key, even for equal values.
        let mut keys = a.to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), N_FEATURES);
        // The edges of the sentence are padded, not out of bounds.
        features(&ctx, 0, START_TAG, START_TAG, &mut a);
        features(&ctx, 2, 1, 1, &mut b);
    }
}
