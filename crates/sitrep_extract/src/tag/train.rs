//! Training the averaged perceptron (Collins 2002; the greedy tagger of Honnibal's "A good POS
//! tagger in about 200 lines of Python"). Used by `cargo run --release -p xtask -- train tagger`;
//! nothing here runs in the pipeline.

use std::collections::HashMap;

use sitrep_doc::Pos;

use super::features::{features, sentence_infos, TokenInfo, N_FEATURES, N_TAGS, START_TAG};
use super::lexicon::Lexicon;
use super::model::{argmax, Model};

/// A feature's weights, with the running sums that give the averaged weights.
#[derive(Clone)]
struct Weights {
    w: [i32; N_TAGS],
    total: [i64; N_TAGS],
    stamp: [u32; N_TAGS],
}

/// Learns tag weights one sentence at a time; [`Trainer::finish`] gives the model file's bytes.
pub struct Trainer {
    lexicon: &'static Lexicon,
    weights: HashMap<u64, Weights>,
    step: u32,
    ctx: Vec<TokenInfo>,
}

impl Default for Trainer {
    fn default() -> Trainer {
        Trainer::new()
    }
}

impl Trainer {
    /// A trainer using the shipped word-class lexicon.
    pub fn new() -> Trainer {
        Trainer::with_lexicon(super::lexicon())
    }

    pub(crate) fn with_lexicon(lexicon: &'static Lexicon) -> Trainer {
        Trainer {
            lexicon,
            weights: HashMap::new(),
            step: 0,
            ctx: Vec::new(),
        }
    }

    /// Tags the sentence greedily with the current weights and, at each wrong tag, moves the
    /// weights towards the gold tag. Returns how many tags were right. Extra words or tags beyond
    /// the shorter of the two are ignored.
    pub fn train_sentence(&mut self, words: &[&str], gold: &[Pos]) -> usize {
        let n = words.len().min(gold.len());
        let mut ctx = std::mem::take(&mut self.ctx);
        sentence_infos(words[..n].iter().copied(), self.lexicon, &mut ctx);
        let (mut p1, mut p2) = (START_TAG, START_TAG);
        let mut keys = [0u64; N_FEATURES];
        let mut right = 0;
        for (i, gold) in gold[..n].iter().enumerate() {
            self.step += 1;
            features(&ctx, i, p1, p2, &mut keys);
            let mut scores = [0i64; N_TAGS];
            for k in &keys {
                if let Some(w) = self.weights.get(k) {
                    for (s, w) in scores.iter_mut().zip(&w.w) {
                        *s += i64::from(*w);
                    }
                }
            }
            let guess = argmax(&scores);
            let truth = Pos::ALL.iter().position(|p| p == gold).unwrap_or(0);
            if guess == truth {
                right += 1;
            } else {
                for k in keys {
                    let w = self.weights.entry(k).or_insert(Weights {
                        w: [0; N_TAGS],
                        total: [0; N_TAGS],
                        stamp: [0; N_TAGS],
                    });
                    for (tag, delta) in [(truth, 1), (guess, -1)] {
                        w.total[tag] += i64::from(self.step - w.stamp[tag]) * i64::from(w.w[tag]);
                        w.stamp[tag] = self.step;
                        w.w[tag] += delta;
                    }
                }
            }
            p2 = p1;
            p1 = guess as u8;
        }
        self.ctx = ctx;
        right
    }

    /// The averaged weights, rounded to 16 bits with the same scale for all, without features
    /// whose weights are all below `min_weight` in magnitude: the bytes of the model file,
    /// identical for identical training.
    pub fn finish(self, min_weight: f64) -> Vec<u8> {
        let steps = f64::from(self.step.max(1));
        let mut rows: Vec<(u64, [f64; N_TAGS])> = self
            .weights
            .iter()
            .map(|(k, w)| {
                let mut avg = [0.0; N_TAGS];
                for (t, a) in avg.iter_mut().enumerate() {
                    let total = w.total[t] + i64::from(self.step - w.stamp[t]) * i64::from(w.w[t]);
                    let v = total as f64 / steps;
                    *a = if v.abs() < min_weight { 0.0 } else { v };
                }
                (*k, avg)
            })
            .filter(|(_, a)| a.iter().any(|v| *v != 0.0))
            .collect();
        rows.sort_unstable_by_key(|(k, _)| *k);
        let max = rows
            .iter()
            .flat_map(|(_, a)| a.iter())
            .fold(1e-9f64, |m, v| m.max(v.abs()));
        let scale = 32_000.0 / max;
        let quantized: Vec<(u64, [i16; N_TAGS])> = rows
            .iter()
            .map(|(k, a)| (*k, a.map(|v| (v * scale).round() as i16)))
            .filter(|(_, a)| a.iter().any(|v| *v != 0))
            .collect();
        Model::to_bytes(&quantized, scale as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static EMPTY: LazyLock<Lexicon> = LazyLock::new(Lexicon::empty);

    #[test]
    fn learns_a_toy_language_and_is_deterministic() {
        let data: [(&[&str], &[Pos]); 3] = [
            (
                &["the", "rebels", "attacked", "the", "town", "."],
                &[
                    Pos::Det,
                    Pos::Noun,
                    Pos::Verb,
                    Pos::Det,
                    Pos::Noun,
                    Pos::Punct,
                ],
            ),
            (
                &["Troops", "left", "Aleppo", "."],
                &[Pos::Noun, Pos::Verb, Pos::Propn, Pos::Punct],
            ),
            (
                &["they", "fled", "the", "city"],
                &[Pos::Pron, Pos::Verb, Pos::Det, Pos::Noun],
            ),
        ];
        let train = || {
            let mut t = Trainer::with_lexicon(&EMPTY);
            let mut right = 0;
            for _ in 0..10 {
                right = data.iter().map(|(w, g)| t.train_sentence(w, g)).sum();
            }
            (right, t.finish(0.0))
        };
        let (right, bytes) = train();
        assert_eq!(right, 14, "the last pass tags its training data right");
        assert_eq!(bytes, train().1);
        let model = Model::from_bytes(&bytes).unwrap();
        let mut ctx = Vec::new();
        sentence_infos(["they", "attacked", "the", "town", "."], &EMPTY, &mut ctx);
        let mut tags = Vec::new();
        model.decode(&ctx, &mut tags);
        assert_eq!(
            tags,
            [Pos::Pron, Pos::Verb, Pos::Det, Pos::Noun, Pos::Punct]
        );
    }
}
