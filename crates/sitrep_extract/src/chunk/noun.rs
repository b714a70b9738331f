//! Base noun phrases.

use sitrep_doc::Pos;

use super::lexicon::{same_word, MultiKind, POSS_MARKER, POSS_PRONOUN, QUANTIFIER};
use super::{Scan, VForm};

impl Scan<'_> {
    /// The noun phrase starting at token `i` (before `b`): its end and head.
    pub(super) fn noun_phrase(&self, i: usize, b: usize) -> Option<(usize, usize)> {
        let t = self.toks;
        let mut k = i;
        // "more than 1,000", "at least 20", "almost two": only before a number.
        if self.quantity_at(k, b) {
            k += self.quantifier_at(k, b);
        }
        let tok = t[k];
        if tok.pos == Pos::Pron {
            if !(tok.word.has(POSS_PRONOUN) && self.starts_body(k + 1, b)) {
                return (k == i).then_some((k + 1, k));
            }
            k += 1;
        }
        while k < b && t[k].pos == Pos::Det && k - i < 4 {
            k += 1;
        }
        let mut determined = k > i;
        let body = k;
        // The rightmost noun, number and adjective of the stretch after the last possessive.
        let (mut noun, mut num, mut adj) = (None, None, None);
        let mut best: Option<(usize, usize)> = None;
        while k < b {
            let tok = t[k];
            let next = |pos: &[Pos]| k + 1 < b && pos.contains(&t[k + 1].pos);
            let after_nominal = k > i && matches!(t[k - 1].pos, Pos::Noun | Pos::Propn | Pos::Num);
            match tok.pos {
                Pos::Noun | Pos::Propn => noun = Some(k),
                Pos::Num => num = Some(k),
                Pos::Adj => {
                    adj = Some(k);
                    if !determined || noun.is_some() || num.is_some() {
                        k += 1;
                        continue;
                    }
                }
                Pos::Sym if next(&[Pos::Num]) => {
                    k += 1;
                    continue;
                }
                Pos::Sym if k > body && t[k - 1].pos == Pos::Num => {}
                Pos::Part
                    if tok.word.has(POSS_MARKER) && after_nominal && self.starts_body(k + 1, b) =>
                {
                    (noun, num, adj) = (None, None, None);
                    determined = true;
                    k += 1;
                    continue;
                }
                Pos::Adv if k > i && next(&[Pos::Adj]) => {
                    k += 1;
                    continue;
                }
                Pos::Verb
                    if (determined || k > body)
                        && !after_nominal
                        && matches!(tok.form, VForm::Ing | VForm::Ed)
                        && next(&[Pos::Noun, Pos::Propn, Pos::Adj]) =>
                {
                    k += 1;
                    continue;
                }
                _ => break,
            }
            if let Some(head) = noun.or(num).or(adj) {
                best = Some((k + 1, head));
            }
            k += 1;
        }
        best
    }

    /// Whether a noun phrase's body (after its determiner) can start at `k`.
    fn starts_body(&self, k: usize, b: usize) -> bool {
        let t = self.toks;
        k < b
            && match t[k].pos {
                Pos::Adj | Pos::Noun | Pos::Propn | Pos::Num => true,
                Pos::Adv => k + 1 < b && t[k + 1].pos == Pos::Adj,
                Pos::Verb => {
                    matches!(t[k].form, VForm::Ing | VForm::Ed)
                        && k + 1 < b
                        && matches!(t[k + 1].pos, Pos::Noun | Pos::Propn)
                }
                _ => false,
            }
    }

    /// Whether a noun phrase (of any kind) can start at `k`: a preposition or particle before it
    /// is then no particle of the verb before.
    pub(super) fn starts_np(&self, k: usize, b: usize) -> bool {
        k < b
            && (matches!(self.toks[k].pos, Pos::Det | Pos::Pron)
                || self.starts_body(k, b)
                || self.quantity_at(k, b))
    }

    /// Whether a quantifier and a number start at `k` ("up to 700", "about 50").
    pub(super) fn quantity_at(&self, k: usize, b: usize) -> bool {
        let n = k + self.quantifier_at(k, b);
        let number = |j: usize| j < b && self.toks[j].pos == Pos::Num;
        n > k && (number(n) || (n < b && self.toks[n].pos == Pos::Det && number(n + 1)))
    }

    /// The length of a quantifier before a number at `k` ("at least"), 0 when there is none.
    fn quantifier_at(&self, k: usize, b: usize) -> usize {
        let word = self.toks[k].word;
        if word.has(QUANTIFIER) {
            return 1;
        }
        self.multi_at(k, b, |kind| kind == MultiKind::Quantifier)
            .map_or(0, |(len, _)| len)
    }

    /// The multi-word entry of a wanted kind at `k`: its length and kind.
    pub(super) fn multi_at(
        &self,
        k: usize,
        b: usize,
        want: impl Fn(MultiKind) -> bool,
    ) -> Option<(usize, MultiKind)> {
        if !self.toks[k].word.has(super::lexicon::MULTI) {
            return None;
        }
        self.lex.multis().iter().find_map(|m| {
            let fits = want(m.kind)
                && k + m.words.len() <= b
                && m.words
                    .iter()
                    .enumerate()
                    .all(|(n, w)| same_word(self.text(k + n), w));
            fits.then_some((m.words.len(), m.kind))
        })
    }
}
