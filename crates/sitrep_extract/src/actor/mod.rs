//! CAMEO actor codes for entities and noun phrases, dated by the document's publication date.
//!
//! The [`ActorCoder`] fills each entity's `actor`:
//!
//! - **PERSON**: a person the knowledge base knows gets the code of the role they hold on the
//!   publication date (today without one): "Prime Minister Putin" in 2010 → RUSGOV, "President
//!   Bush" in 2005 → USAGOV. An unknown person gets the country of a nationality cue in their
//!   noun phrase plus the agent there ("Syrian opposition leader X" → SYR + OPP), else nothing;
//!   later mentions of the same canonical name share the code.
//! - **ORG, GROUP**: the knowledge-base code; an unknown organization with a country and an agent
//!   inside its name gets both ("Russian Defence Ministry" → RUS + GOV).
//! - **GPE**: a country name gives the country code; a metonym ("Moscow", "the Kremlin") gives the
//!   country's government (RUSGOV) unless a place preposition stands before it ("in Moscow": a
//!   place, no actor).
//! - **NORP**: the country code ("Russian" → RUS). **LOC, FAC**: no actor.
//!
//! [`ActorCoder::code_phrase`] codes a whole noun phrase for the event coder, combining the
//! entities, demonyms and agents inside it: "Russian troops" → RUSMIL, "Iraq's prime minister" →
//! IRQGOV, "his forces" → the country of the last person named + MIL, "Syrian rebels" → SYRREB.

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use sitrep_doc::layer::NounPhrase;
use sitrep_doc::{Doc, Entity, EntityLabel, Layer, Token};

use crate::chunk::possessor;
use crate::kb::index::{CountryForm, Target};
use crate::kb::KnowledgeBase;
use crate::Stage;

/// Prepositions after which a metonym is a place, not an actor.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "across",
    "throughout",
    "within",
    "from",
    "into",
    "to",
    "via",
    "toward",
    "towards",
    "of",
];

/// Assigns CAMEO actor codes to entities; codes noun phrases for the event coder.
#[derive(Clone, Debug)]
pub struct ActorCoder {
    kb: Arc<KnowledgeBase>,
}

impl Stage for ActorCoder {
    fn name(&self) -> &'static str {
        "actor"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Entities, Layer::Chunks]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Actors]
    }

    fn process(&self, doc: &mut Doc) {
        let codes = self.entity_codes(doc);
        for (e, code) in doc.entities_mut().iter_mut().zip(codes) {
            e.actor = code;
        }
    }
}

impl ActorCoder {
    pub fn new(kb: Arc<KnowledgeBase>) -> ActorCoder {
        ActorCoder { kb }
    }

    /// The actor code of every entity of `doc`, in order.
    pub fn entity_codes(&self, doc: &Doc) -> Vec<Option<String>> {
        let mut memo: FxHashMap<&str, Option<String>> = FxHashMap::default();
        let mut out = Vec::with_capacity(doc.entities().len());
        for (i, e) in doc.entities().iter().enumerate() {
            let code = match (e.label, e.canonical.as_deref()) {
                (EntityLabel::Person, Some(name)) if memo.contains_key(name) => memo[name].clone(),
                _ => self.entity_code(doc, i),
            };
            if let (EntityLabel::Person, Some(name)) = (e.label, e.canonical.as_deref()) {
                if code.is_some() || !memo.contains_key(name) {
                    memo.insert(name, code.clone());
                }
            }
            out.push(code);
        }
        out
    }

    /// The actor code of entity `index` of `doc` (its `actor` field is not read).
    pub fn entity_code(&self, doc: &Doc, index: usize) -> Option<String> {
        self.entity_code_at(doc, index, 0)
    }

    /// [`entity_code`](Self::entity_code), `depth` levels deep in possessors ("his" → a person
    /// whose own phrase has a possessor …): two at most.
    fn entity_code_at(&self, doc: &Doc, index: usize, depth: u8) -> Option<String> {
        if depth > 2 {
            return None;
        }
        let kb = &*self.kb;
        let e = doc.entities().get(index)?;
        let target = e
            .canonical
            .as_deref()
            .and_then(|c| kb.by_canonical(e.label, c));
        match (e.label, target) {
            (EntityLabel::Loc | EntityLabel::Fac, _) => None,
            (_, Some(t @ Target::Country(_, CountryForm::Metonym))) => {
                let code = kb.code(t, doc.published())?;
                (!after_place_preposition(doc, e)).then(|| format!("{code}GOV"))
            }
            (_, Some(t)) => kb.code(t, doc.published()).map(str::to_owned),
            (EntityLabel::Person, None) => {
                let np = containing_phrase(doc, e)?;
                let tokens = entity_tokens(doc, e);
                let cue = self.phrase_cue(doc, np, Some(tokens), depth);
                cue.country.map(|c| combine(&c, cue.agent.as_deref()))
            }
            (EntityLabel::Org | EntityLabel::Group, None) => {
                // A country and an agent inside the name: "Russian Defence Ministry".
                let tokens = entity_tokens(doc, e);
                let country = self.country_in(doc, tokens.clone())?;
                let agent = self.agent_in(doc, tokens, None)?;
                Some(combine(&country, Some(&agent)))
            }
            _ => None,
        }
    }

    /// The actor code of noun phrase `index` of `doc`: the entity at its head when it has a
    /// code, else a country (possessor, possessive pronoun, demonym or country name inside) with
    /// the agent of the phrase ("Russian troops" → RUSMIL); a bare agent ("rebels" → REB) when
    /// no country is found; `None` when neither.
    pub fn code_phrase(&self, doc: &Doc, index: usize) -> Option<String> {
        let np = doc.noun_phrases().get(index)?;
        let head = np.head.index();
        let entities = entities_in(doc, np.span);
        for (i, e) in entities.clone().zip(&doc.entities()[entities.clone()]) {
            let toks = entity_tokens(doc, e);
            if toks.contains(&head) {
                if let Some(code) = e.actor.clone().or_else(|| self.entity_code_at(doc, i, 0)) {
                    return Some(code);
                }
                if matches!(
                    e.label,
                    EntityLabel::Gpe | EntityLabel::Loc | EntityLabel::Fac
                ) {
                    // A place ("in Moscow").
                    return None;
                }
            }
        }
        let cue = self.phrase_cue(doc, np, None, 0);
        match (cue.country, cue.agent) {
            (Some(c), a) => Some(combine(&c, a.as_deref())),
            (None, Some(a)) => Some(a),
            (None, None) => None,
        }
    }

    /// The country and agent cues of a noun phrase, outside the tokens `skip` (a person's own
    /// name).
    fn phrase_cue(&self, doc: &Doc, np: &NounPhrase, skip: Option<Range<usize>>, depth: u8) -> Cue {
        let range = np.tokens.start as usize..np.tokens.end as usize;
        let mut country = None;
        if let Some(p) = possessor(doc, np) {
            let p = p.start as usize..p.end as usize;
            // Not the person's own name as possessor ("Mansour's forces" coding Mansour).
            let own = skip
                .as_ref()
                .is_some_and(|s| s.start < p.end && p.start < s.end);
            if !own {
                country = self.possessor_country(doc, p, depth + 1);
            }
        }
        if country.is_none() {
            let before_skip = match &skip {
                Some(s) => range.start..s.start.max(range.start),
                None => range.clone(),
            };
            country = self.country_in(doc, before_skip);
        }
        if country.is_none() {
            // An organization or group modifying the head: "Islamic State fighters".
            let tokens = doc.tokens();
            let end = skip.as_ref().map_or(np.head.index(), |s| s.start);
            if end > range.start {
                let span = sitrep_doc::Span::new(
                    tokens[range.start].span.start(),
                    tokens[end - 1].span.end(),
                );
                for i in entities_in(doc, span) {
                    let e = &doc.entities()[i];
                    if matches!(e.label, EntityLabel::Org | EntityLabel::Group)
                        && span.contains(e.span)
                    {
                        if let Some(code) = e
                            .actor
                            .clone()
                            .or_else(|| self.entity_code_at(doc, i, depth + 1))
                        {
                            country = Some(code);
                            break;
                        }
                    }
                }
            }
        }
        let agent = self.agent_in(doc, range, skip);
        Cue { country, agent }
    }

    /// The country (or organization) a possessor stands for: an entity inside it, or for a
    /// possessive pronoun the last person (his, her) or group, organization or country (its,
    /// their) named before.
    fn possessor_country(&self, doc: &Doc, p: Range<usize>, depth: u8) -> Option<String> {
        let tokens = doc.tokens();
        if p.len() == 1 {
            let word = doc.slice(tokens[p.start].span).to_ascii_lowercase();
            let labels: &[EntityLabel] = match word.as_str() {
                "his" | "her" => &[EntityLabel::Person],
                "its" | "their" => &[EntityLabel::Org, EntityLabel::Group, EntityLabel::Gpe],
                _ => &[],
            };
            if !labels.is_empty() {
                let before = tokens[p.start].span.start();
                let ents = doc.entities();
                let upto = ents.partition_point(|e| e.span.start() < before);
                for i in (0..upto).rev() {
                    if labels.contains(&ents[i].label) {
                        let code = ents[i]
                            .actor
                            .clone()
                            .or_else(|| self.entity_code_at(doc, i, depth));
                        if let Some(code) = code {
                            return Some(self.root(&code));
                        }
                    }
                }
                return None;
            }
        }
        let span =
            sitrep_doc::Span::new(tokens[p.start].span.start(), tokens[p.end - 1].span.end());
        let ents = entities_in(doc, span);
        for i in ents.rev() {
            let e = &doc.entities()[i];
            if matches!(e.label, EntityLabel::Loc | EntityLabel::Fac) {
                continue;
            }
            let code = e
                .actor
                .clone()
                .or_else(|| self.entity_code_at(doc, i, depth));
            if let Some(code) = code {
                return Some(self.root(&code));
            }
        }
        None
    }

    /// The country root of a code ("RUSGOV" → RUS) when it starts with a known country code;
    /// the code itself otherwise (an organization).
    fn root(&self, code: &str) -> String {
        match code.get(..3) {
            Some(root) if self.kb.country_by_code(root).is_some() => root.to_owned(),
            _ => code.to_owned(),
        }
    }

    /// The country named inside tokens `range`: a NORP or GPE entity there, or (inside an
    /// unknown organization's name) a country name or demonym the dictionary knows.
    fn country_in(&self, doc: &Doc, range: Range<usize>) -> Option<String> {
        if range.is_empty() {
            return None;
        }
        let tokens = doc.tokens();
        let span = sitrep_doc::Span::new(
            tokens[range.start].span.start(),
            tokens[range.end - 1].span.end(),
        );
        let kb = &*self.kb;
        for i in entities_in(doc, span) {
            let e = &doc.entities()[i];
            if matches!(e.label, EntityLabel::Norp | EntityLabel::Gpe) && span.contains(e.span) {
                let t = e
                    .canonical
                    .as_deref()
                    .and_then(|c| kb.by_canonical(e.label, c));
                if let Some(t @ Target::Country(..)) = t {
                    return kb.code(t, None).map(str::to_owned);
                }
            }
        }
        // Inside an entity span (no entities nested): look the words up.
        let mut key = String::new();
        for t in &tokens[range] {
            key.clear();
            crate::kb::index::normalize_into(doc.slice(t.span), &mut key);
            let node = kb.names(&key)?;
            let hit = node.candidates.iter().rev().find(|c| {
                matches!(
                    c.target,
                    Target::Country(_, CountryForm::Name | CountryForm::Demonym)
                )
            });
            if let Some(c) = hit {
                return kb.code(c.target, None).map(str::to_owned);
            }
        }
        None
    }

    /// The leftmost longest agent phrase among the lemmas of tokens `range` (outside `skip`).
    fn agent_in(
        &self,
        doc: &Doc,
        range: Range<usize>,
        skip: Option<Range<usize>>,
    ) -> Option<String> {
        let kb = &*self.kb;
        let tokens = doc.tokens();
        let max = kb.agent_words().max(1);
        let mut key = String::new();
        let usable = |i: usize| skip.as_ref().is_none_or(|s| !s.contains(&i));
        for start in range.clone() {
            if !usable(start) {
                continue;
            }
            let mut best: Option<String> = None;
            key.clear();
            let stop = range.end.min(start + max);
            for (end, token) in tokens.iter().enumerate().take(stop).skip(start) {
                if !usable(end) {
                    break;
                }
                if end > start {
                    key.push(' ');
                }
                push_lemma(&mut key, doc, token);
                match kb.agent(&key) {
                    None => break,
                    Some("") => {}
                    Some(code) => best = Some(code.to_owned()),
                }
            }
            if best.is_none() {
                // The word itself, when its lemma is not listed ("forces" vs "force").
                key.clear();
                push_lower(&mut key, doc.slice(tokens[start].span));
                if let Some(code) = kb.agent(&key).filter(|c| !c.is_empty()) {
                    best = Some(code.to_owned());
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }
}

/// Country and agent found in a noun phrase.
struct Cue {
    country: Option<String>,
    agent: Option<String>,
}

/// "RUS" + "MIL" → "RUSMIL"; a code that already has a sector stays as it is.
fn combine(country: &str, agent: Option<&str>) -> String {
    match agent {
        Some(a) if country.len() == 3 => format!("{country}{a}"),
        _ => country.to_owned(),
    }
}

/// Appends the lower-cased lemma of a token (its text without one).
fn push_lemma(key: &mut String, doc: &Doc, token: &Token) {
    let word = token
        .lemma
        .as_deref()
        .unwrap_or_else(|| doc.slice(token.span));
    push_lower(key, word);
}

/// Appends `word` lower-cased, ’ as '.
fn push_lower(out: &mut String, word: &str) {
    for c in word.chars() {
        match c {
            '’' | '‘' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The indices of the entities overlapping `span`.
fn entities_in(doc: &Doc, span: sitrep_doc::Span) -> Range<usize> {
    let ents = doc.entities();
    let lo = ents.partition_point(|e| e.span.end() <= span.start());
    let mut hi = lo;
    while hi < ents.len() && ents[hi].span.start() < span.end() {
        hi += 1;
    }
    lo..hi.max(lo)
}

/// The token indices an entity covers.
fn entity_tokens(doc: &Doc, e: &Entity) -> Range<usize> {
    let tokens = doc.tokens();
    let lo = tokens.partition_point(|t| t.span.start() < e.span.start());
    let hi = tokens.partition_point(|t| t.span.start() < e.span.end());
    lo..hi.max(lo)
}

/// The noun phrase containing an entity.
fn containing_phrase<'d>(doc: &'d Doc, e: &Entity) -> Option<&'d NounPhrase> {
    let nps = doc.noun_phrases();
    let i = nps.partition_point(|np| np.span.start() <= e.span.start());
    let np = nps.get(i.checked_sub(1)?)?;
    np.span.contains(e.span).then_some(np)
}

/// Whether a place preposition stands right before the entity ("in Moscow").
fn after_place_preposition(doc: &Doc, e: &Entity) -> bool {
    let tokens = doc.tokens();
    let i = tokens.partition_point(|t| t.span.start() < e.span.start());
    let Some(mut k) = i.checked_sub(1) else {
        return false;
    };
    // Skip a determiner ("in the Kremlin").
    if doc.slice(tokens[k].span).eq_ignore_ascii_case("the") {
        let Some(k2) = k.checked_sub(1) else {
            return false;
        };
        k = k2;
    }
    let word = doc.slice(tokens[k].span);
    PLACE_PREPOSITIONS
        .iter()
        .any(|p| word.eq_ignore_ascii_case(p))
}

#[cfg(test)]
pub(crate) mod tests;
