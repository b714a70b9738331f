//! Verb groups.

use sitrep_doc::layer::{Tense, TokenIdx, VerbGroup};
use sitrep_doc::Pos;

use super::lexicon::{
    same_word, AuxForm, AuxVerb, MultiKind, FREE_PARTICLE, NEGATOR, PARTICLE, QUESTION, TO,
};
use super::{Scan, VForm};

/// The verb before the next one in a group: what it asks of the next (a participle after
/// "have", a base form after "did", …).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Prev {
    #[default]
    None,
    Be,
    Have,
    Do,
    Get,
    Modal,
    To,
    Lexical,
}

/// What a verb group has gathered so far; handed on to a coordinated verb ("were arrested and
/// charged") or from a fronted auxiliary to the verb after the subject ("Did rebels attack").
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct State {
    prev: Prev,
    tense: Option<Tense>,
    modal: Option<u32>,
    negated: bool,
    passive: bool,
    perfect: bool,
    progressive: bool,
}

/// What [`Scan::verb_group`] found at a token.
pub(super) enum Outcome {
    None,
    /// A group ending at `end`; `next` hands its auxiliaries to a coordinated verb at a token.
    Group {
        group: VerbGroup,
        end: usize,
        next: Option<(usize, State)>,
    },
    /// A fronted auxiliary ending at `end`, whose verb group starts at `at`, after the subject.
    Fronted {
        end: usize,
        at: usize,
        state: State,
    },
}

/// One verb of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Aux(AuxVerb, AuxForm),
    /// A modal: its tense and its number of words ("going to": 2).
    Modal(Tense, usize),
    Lexical(VForm),
}

impl Elem {
    fn len(self) -> usize {
        match self {
            Elem::Modal(_, n) => n,
            _ => 1,
        }
    }
}

/// Adverbs and negators skipped between the verbs of a group.
struct Skip {
    end: usize,
    negated: bool,
    /// The token after the last negator.
    neg_end: usize,
}

/// Whether `e` may follow `prev` in one group.
fn compatible(prev: Prev, e: Elem) -> bool {
    use AuxForm::{Base, Gerund, Participle, Past};
    match (prev, e) {
        (Prev::None, _) => true,
        (Prev::Lexical, _) => false,
        (Prev::Be, Elem::Modal(_, n)) => n > 1,
        (_, Elem::Modal(..)) => false,
        (Prev::Do | Prev::Modal | Prev::To, Elem::Aux(_, f)) => f == Base,
        (Prev::Do | Prev::Modal | Prev::To, Elem::Lexical(f)) => f == VForm::Base,
        (Prev::Be, Elem::Aux(_, f)) => f == Gerund,
        (Prev::Be, Elem::Lexical(f)) => matches!(f, VForm::Base | VForm::Ed | VForm::Ing),
        (Prev::Have, Elem::Aux(v, f)) => {
            f == Participle || (f == Past && matches!(v, AuxVerb::Have | AuxVerb::Get))
        }
        (Prev::Have, Elem::Lexical(f)) => matches!(f, VForm::Base | VForm::Ed),
        (Prev::Get, Elem::Lexical(f)) => matches!(f, VForm::Base | VForm::Ed | VForm::Ing),
        (Prev::Get, Elem::Aux(..)) => false,
    }
}

impl Scan<'_> {
    /// The verb group starting at token `i` of the sentence `a..b`, continuing `init` when a
    /// fronted or coordinated group handed its state to this token.
    pub(super) fn verb_group(&self, i: usize, a: usize, b: usize, init: Option<State>) -> Outcome {
        let t = self.toks;
        let inherited = init.is_some();
        let starts = matches!(t[i].pos, Pos::Aux | Pos::Verb)
            || t[i].word.has(TO)
            || self.negator_at(i, b) > 0;
        if !inherited && !starts {
            return Outcome::None;
        }
        let mut st = init.unwrap_or_default();
        let mut before_head = st;
        let (mut j, mut end) = (i, i);
        let mut first: Option<Elem> = None;
        let mut last: Option<(usize, Elem)> = None;
        loop {
            let skip = self.skip_modifiers(j, b);
            let k = skip.end;
            if k >= b {
                break;
            }
            if st.prev == Prev::None
                && t[k].word.has(TO)
                && matches!(t[k].pos, Pos::Part | Pos::Adp)
            {
                let after = self.skip_modifiers(k + 1, b).end;
                if after < b && self.elem(after, b).is_some_and(|e| compatible(Prev::To, e)) {
                    st.negated |= skip.negated;
                    st.prev = Prev::To;
                    st.tense = Some(Tense::Nonfinite);
                    (j, end) = (k + 1, k + 1);
                    continue;
                }
                break;
            }
            let Some(e) = self.elem(k, b) else { break };
            if !compatible(st.prev, e) {
                break;
            }
            st.negated |= skip.negated;
            before_head = st;
            apply(&mut st, k, e);
            first.get_or_insert(e);
            last = Some((k, e));
            (j, end) = (k + e.len(), k + e.len());
            if matches!(e, Elem::Lexical(_)) {
                break;
            }
        }
        let Some((head, head_elem)) = last else {
            return Outcome::None;
        };
        let lexical = matches!(head_elem, Elem::Lexical(_));
        let mut particle = None;
        if lexical {
            // "the convoy attacked by militants": a reduced passive.
            let lone = !inherited && head == i && st.prev == Prev::Lexical;
            if lone
                && head_elem == Elem::Lexical(VForm::Ed)
                && head > a
                && matches!(t[head - 1].pos, Pos::Noun | Pos::Propn | Pos::Punct)
                && end < b
                && same_word(self.text(end), "by")
            {
                st.passive = true;
                st.tense = Some(Tense::Nonfinite);
            }
            if self.is_particle(end, b)
                && !self.quantity_at(end, b)
                && (self.is_phrasal(head, end)
                    || (self.toks[end].word.has(FREE_PARTICLE) && !self.starts_np(end + 1, b)))
            {
                particle = Some(end);
                end += 1;
            } else if let Some((e, _)) = self.noun_phrase_at(end, b) {
                if e - end <= 4
                    && self.is_particle(e, b)
                    && self.is_phrasal(head, e)
                    && !self.starts_np(e + 1, b)
                {
                    particle = Some(e);
                }
            }
        } else {
            // "is not", "did n't": negation after the last auxiliary belongs to it.
            let tail = self.skip_modifiers(end, b);
            if tail.negated {
                end = tail.neg_end;
                st.negated = true;
            }
            let finite = matches!(
                first,
                Some(Elem::Modal(_, 1) | Elem::Aux(_, AuxForm::Present | AuxForm::Past))
            );
            if !inherited && finite && self.fronted(a, i) {
                if let Some((e, _)) = self.noun_phrase_at(end, b).filter(|&(e, _)| e - end <= 6) {
                    let k = self.skip_modifiers(e, b).end;
                    if k < b && self.elem(k, b).is_some_and(|el| compatible(st.prev, el)) {
                        return Outcome::Fronted {
                            end,
                            at: e,
                            state: st,
                        };
                    }
                }
            }
        }
        // "were arrested and charged": the second verb shares the auxiliaries of the first.
        let mut next = None;
        if lexical && before_head.prev != Prev::None && end < b && t[end].pos == Pos::Cconj {
            let k = self.skip_modifiers(end + 1, b).end;
            let verb = k < b
                && self.elem(k, b).is_some_and(|e| {
                    matches!(e, Elem::Lexical(_)) && compatible(before_head.prev, e)
                });
            if verb {
                next = Some((end + 1, before_head));
            }
        }
        let group = VerbGroup {
            span: self.span(i..end),
            tokens: i as u32..end as u32,
            head: TokenIdx(head as u32),
            particle: particle.map(|p| TokenIdx(p as u32)),
            modal: st.modal.map(TokenIdx),
            negated: st.negated,
            passive: st.passive,
            perfect: st.perfect,
            progressive: st.progressive,
            tense: st.tense.unwrap_or(Tense::Present),
        };
        Outcome::Group { group, end, next }
    }

    /// A noun phrase starting at `k`, if `k` is inside the sentence.
    fn noun_phrase_at(&self, k: usize, b: usize) -> Option<(usize, usize)> {
        if k < b {
            self.noun_phrase(k, b)
        } else {
            None
        }
    }

    /// The verb at `k`, if it is one.
    fn elem(&self, k: usize, b: usize) -> Option<Elem> {
        let tok = self.toks[k];
        if !matches!(tok.pos, Pos::Aux | Pos::Verb) {
            return None;
        }
        let modal = self.multi_at(k, b, |m| matches!(m, MultiKind::Modal(_)));
        if let Some((len, MultiKind::Modal(tense))) = modal {
            let after = self.skip_modifiers(k + len, b).end;
            if after < b && matches!(self.toks[after].pos, Pos::Aux | Pos::Verb) {
                return Some(Elem::Modal(tense, len));
            }
        }
        let w = tok.word;
        if w.aux_have && self.participle_follows(k + 1, b) {
            let form = w.aux.map_or(AuxForm::Present, |(_, f)| f);
            return Some(Elem::Aux(AuxVerb::Have, form));
        }
        if let Some(tense) = w.modal {
            return Some(Elem::Modal(tense, 1));
        }
        if let Some((verb, form)) = w.aux {
            return Some(Elem::Aux(verb, form));
        }
        Some(Elem::Lexical(tok.form))
    }

    /// Whether a participle ("been", "gone", "attacked") follows at `k`, after adverbs.
    fn participle_follows(&self, k: usize, b: usize) -> bool {
        let n = self.skip_modifiers(k, b).end;
        if n >= b || !matches!(self.toks[n].pos, Pos::Aux | Pos::Verb) {
            return false;
        }
        let w = self.toks[n].word;
        match w.aux {
            Some((_, form)) => form == AuxForm::Participle,
            None => w.modal.is_none() && self.toks[n].form == VForm::Ed,
        }
    }

    /// Adverbs and negators from `j` (at most four tokens).
    fn skip_modifiers(&self, j: usize, b: usize) -> Skip {
        let mut skip = Skip {
            end: j,
            negated: false,
            neg_end: j,
        };
        for _ in 0..4 {
            let k = skip.end;
            if k >= b {
                break;
            }
            let n = self.negator_at(k, b);
            if n > 0 {
                skip.end += n;
                skip.negated = true;
                skip.neg_end = skip.end;
            } else if self.toks[k].pos == Pos::Adv {
                skip.end += 1;
            } else {
                break;
            }
        }
        skip
    }

    /// The length of a negator at `k` ("not": 1, "no longer": 2), 0 when there is none.
    fn negator_at(&self, k: usize, b: usize) -> usize {
        if self.toks[k].word.has(NEGATOR) {
            return 1;
        }
        self.multi_at(k, b, |m| m == MultiKind::Negator)
            .map_or(0, |(n, _)| n)
    }

    fn is_particle(&self, k: usize, b: usize) -> bool {
        k < b
            && self.toks[k].word.has(PARTICLE)
            && matches!(self.toks[k].pos, Pos::Adp | Pos::Adv | Pos::Part)
    }

    /// Whether the verb at `verb` and the particle at `particle` form a listed phrasal verb.
    fn is_phrasal(&self, verb: usize, particle: usize) -> bool {
        let lemma = self.tokens[verb].lemma.as_deref();
        let verb = lemma.unwrap_or_else(|| self.text(verb));
        self.lex.is_phrasal(verb, self.text(particle))
    }

    /// Whether a group starting at `i` stands where an inverted auxiliary can: first in the
    /// sentence, after punctuation or question words only ("What did he say?").
    fn fronted(&self, a: usize, i: usize) -> bool {
        i - a <= 3
            && self.toks[a..i]
                .iter()
                .all(|t| t.pos == Pos::Punct || t.word.has(QUESTION))
    }
}

/// Adds the verb `e` at token `k` to the group's state.
fn apply(st: &mut State, k: usize, e: Elem) {
    let participle = match e {
        Elem::Aux(_, AuxForm::Participle) => true,
        Elem::Aux(AuxVerb::Have | AuxVerb::Get, AuxForm::Past) => st.prev == Prev::Have,
        Elem::Lexical(f) => matches!(f, VForm::Ed | VForm::Base),
        _ => false,
    };
    let gerund = matches!(e, Elem::Aux(_, AuxForm::Gerund) | Elem::Lexical(VForm::Ing));
    match st.prev {
        Prev::Be if gerund => st.progressive = true,
        Prev::Be | Prev::Get if participle => st.passive = true,
        Prev::Have if participle => st.perfect = true,
        _ => {}
    }
    let tense = match e {
        Elem::Modal(tense, _) => {
            st.modal = Some(k as u32);
            st.prev = Prev::Modal;
            st.tense = Some(tense);
            return;
        }
        Elem::Aux(verb, form) => {
            st.prev = match verb {
                AuxVerb::Be => Prev::Be,
                AuxVerb::Have => Prev::Have,
                AuxVerb::Do => Prev::Do,
                AuxVerb::Get => Prev::Get,
            };
            match form {
                AuxForm::Base | AuxForm::Present => Tense::Present,
                AuxForm::Past => Tense::Past,
                AuxForm::Participle | AuxForm::Gerund => Tense::Nonfinite,
            }
        }
        Elem::Lexical(form) => {
            st.prev = Prev::Lexical;
            match form {
                VForm::Ed => Tense::Past,
                VForm::Ing => Tense::Nonfinite,
                VForm::Base | VForm::S | VForm::None => Tense::Present,
            }
        }
    };
    st.tense.get_or_insert(tense);
}
