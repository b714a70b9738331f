//! Main-text extraction in one streaming pass.
//!
//! 1. The page is tokenized ([`super::lexer`]) and an open-element stack is kept with HTML's
//!    implied end tags (`<p>` closes an open `<p>`, `<li>` an open `<li>`, …). Chrome is dropped
//!    as it streams by: scripts, styles, forms controls, `nav`, `header`, `footer`, `aside`,
//!    `figure`, hidden elements, ARIA landmarks of chrome, and elements whose class or id matches
//!    `data/html/boilerplate.txt`.
//! 2. The remaining text is cut into blocks at block-level elements. Each block is judged: long
//!    enough and not mostly link text is *good*; mostly links or short is *bad*. Every open
//!    block-level element adds the block's good and bad characters to its totals.
//! 3. The article is the element with the best `good - PENALTY * bad`; its blocks are written out,
//!    without the link lists and the `<h1>` inside it, one paragraph per block.

use super::lexer::{Lexer, StartTag, Token};
use super::meta::MetaCollector;
use super::patterns::{is_related_line, Patterns, Verdict};
use super::{decode_entities, normalize_space};

/// Deeper nesting than this is flattened into the deepest element.
const MAX_DEPTH: usize = 256;
/// A block needs this many characters to count as article text.
const MIN_GOOD_CHARS: usize = 50;
/// Above this share of link characters a block is a link list, not article text.
const MAX_LINK_DENSITY: f32 = 0.33;
/// Above this share of link characters a block is a link line, written out only when alone.
const LINK_LINE_DENSITY: f32 = 0.5;
/// A short paragraph before the article's first long one needs this many words to be its lead.
const MIN_LEAD_WORDS: usize = 5;
/// Adjacent links amid prose from this many on are cut from their paragraph.
const MIN_LINK_RUN: u32 = 3;
/// Weight of bad characters against good ones when choosing the article element.
const PENALTY: f32 = 0.5;
/// How much of a block's good text each further ancestor is credited with.
const DECAY: f32 = 0.9;
/// Bad characters per character of a short block without links.
const SHORT_PENALTY: f32 = 0.5;
/// A descendant of the article element holding this share of its good text is part of it.
const RESCUE_SHARE: f32 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Inline markup: text flows through it.
    Inline,
    /// An element that starts a new block.
    Block,
    P,
    H1,
    Heading,
    Li,
    Pre,
    A,
    Table,
    Tr,
    Cell,
    Dl,
    Dt,
    List,
    /// A block whose whole content is dropped.
    Drop,
    /// No content, no end tag.
    Void,
    /// `<br>`, `<hr>`: void, but ends a block.
    Break,
    /// `<html>`, `<body>`: never judged by class.
    Root,
}

fn kind_of(name: &str) -> Kind {
    let mut buf = [0u8; 12];
    let b = name.as_bytes();
    if b.len() > buf.len() {
        return if b.contains(&b'-') {
            Kind::Block
        } else {
            Kind::Inline
        };
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"p" => Kind::P,
        b"h1" => Kind::H1,
        b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Kind::Heading,
        b"li" => Kind::Li,
        b"pre" => Kind::Pre,
        b"a" => Kind::A,
        b"table" => Kind::Table,
        b"tr" => Kind::Tr,
        b"td" | b"th" => Kind::Cell,
        b"dl" => Kind::Dl,
        b"dt" | b"dd" => Kind::Dt,
        b"ul" | b"ol" | b"menu" | b"dir" => Kind::List,
        b"html" | b"body" => Kind::Root,
        b"br" | b"hr" => Kind::Break,
        b"area" | b"base" | b"col" | b"embed" | b"img" | b"input" | b"link" | b"meta"
        | b"param" | b"source" | b"track" | b"wbr" | b"keygen" => Kind::Void,
        b"script" | b"style" | b"noscript" | b"template" | b"svg" | b"math" | b"iframe"
        | b"object" | b"canvas" | b"video" | b"audio" | b"select" | b"button" | b"textarea"
        | b"nav" | b"aside" | b"footer" | b"header" | b"figure" | b"figcaption" | b"dialog"
        | b"title" | b"noembed" | b"noframes" | b"xmp" | b"picture" | b"label" | b"fieldset"
        | b"map" | b"datalist" | b"option" | b"optgroup" | b"menuitem" => Kind::Drop,
        b"div" | b"section" | b"article" | b"main" | b"blockquote" | b"address" | b"center"
        | b"details" | b"summary" | b"form" | b"hgroup" | b"caption" | b"thead" | b"tbody"
        | b"tfoot" | b"frameset" | b"frame" | b"output" => Kind::Block,
        n if n.contains(&b'-') => Kind::Block,
        _ => Kind::Inline,
    }
}

impl Kind {
    fn is_block(self) -> bool {
        !matches!(self, Kind::Inline | Kind::A | Kind::Void)
    }

    /// Whether the start tag of this kind closes an open `<p>`.
    fn closes_p(self) -> bool {
        matches!(
            self,
            Kind::P
                | Kind::H1
                | Kind::Heading
                | Kind::Li
                | Kind::Pre
                | Kind::Table
                | Kind::Dl
                | Kind::Dt
                | Kind::List
                | Kind::Block
                | Kind::Break
        )
    }
}

struct Open<'a> {
    name: &'a str,
    kind: Kind,
    /// Index into `elems` for block-level elements.
    elem: Option<u32>,
    dropped: bool,
}

/// A block-level element's totals (or those of an inline element that a class or id pattern
/// marks as chrome, so that a rescue pass can refer to it).
#[derive(Clone, Copy, Debug)]
struct Elem {
    first_block: u32,
    end_block: u32,
    good: f32,
    bad: f32,
    /// Block-level: a candidate for the article, and a step of the good-text decay.
    block: bool,
}

/// How class and id patterns are applied.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mode<'e> {
    /// Every pattern.
    Strict,
    /// Only the strong patterns (`!word` lines).
    Lenient,
    /// Every pattern, except on the elements marked in the slice (by element index), where only
    /// the strong ones apply: the article's own containers found by a lenient pass.
    Rescue(&'e [bool]),
}

/// A run of adjacent links inside the current block.
#[derive(Clone, Copy, Debug)]
struct LinkRun {
    bytes: usize,
    chars: usize,
    link_chars: usize,
    links: u32,
}

struct Block {
    text: String,
    chars: usize,
    link_chars: usize,
    kind: Kind,
    good: bool,
    /// The block opens with link text.
    lead_link: bool,
}

impl Block {
    /// A teaser of another story: a headline link, then a summary cut off with an ellipsis.
    fn is_teaser(&self) -> bool {
        self.lead_link && (self.text.ends_with('…') || self.text.ends_with("..."))
    }

    /// A paragraph of one or more whole sentences: enough words, and a full stop at the end.
    fn is_lead_sentence(&self) -> bool {
        self.kind == Kind::P
            && self.text.split_whitespace().count() >= MIN_LEAD_WORDS
            && self
                .text
                .trim_end_matches(['"', '\'', '”', '’', ')', '»'])
                .ends_with(['.', '!', '?'])
            && !is_related_line(&self.text)
            && !is_shouted(&self.text)
    }

    /// Mostly link text.
    fn is_link_line(&self) -> bool {
        self.link_chars as f32 > LINK_LINE_DENSITY * self.chars.max(1) as f32
    }
}

/// An all-capitals line of three words or more (a teaser headline in capitals).
fn is_shouted(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
        >= 3
        && !text.chars().any(char::is_lowercase)
}

pub(crate) struct Output {
    pub(crate) text: String,
    /// The good characters of the chosen element.
    pub(crate) good: f32,
    pub(crate) meta: MetaCollector,
    /// By element index: the chosen element, its ancestors, and descendants holding much of its
    /// text (what a [`Mode::Rescue`] pass should not drop by class or id).
    pub(crate) article_path: Vec<bool>,
}

struct Pass<'a, 'e> {
    stack: Vec<Open<'a>>,
    elems: Vec<Elem>,
    blocks: Vec<Block>,
    cur: String,
    cur_chars: usize,
    cur_link_chars: usize,
    pending_space: bool,
    /// The current block opens with link text.
    cur_lead_link: bool,
    /// Where the current run of adjacent links (only spaces between them) began in `cur`.
    run: Option<LinkRun>,
    /// Depth of dropped elements, `<a>` and `<pre>` among the open ones.
    dropped: usize,
    links: usize,
    pre: usize,
    mode: Mode<'e>,
    buf: String,
    meta: MetaCollector,
    in_h1: bool,
    h1_text: String,
    raw_owner: Option<&'a str>,
    ld_json: bool,
}

pub(crate) fn run(html: &str, mode: Mode<'_>) -> Output {
    let mut pass = Pass {
        stack: Vec::new(),
        elems: Vec::new(),
        blocks: Vec::new(),
        cur: String::new(),
        cur_chars: 0,
        cur_link_chars: 0,
        pending_space: false,
        cur_lead_link: false,
        run: None,
        dropped: 0,
        links: 0,
        pre: 0,
        mode,
        buf: String::new(),
        meta: MetaCollector::default(),
        in_h1: false,
        h1_text: String::new(),
        raw_owner: None,
        ld_json: false,
    };
    // The document itself is an element, so that text outside any block has a home.
    pass.elems.push(Elem {
        first_block: 0,
        end_block: 0,
        good: 0.0,
        bad: 0.0,
        block: true,
    });
    for token in Lexer::new(html) {
        match token {
            Token::Text(t) => pass.text(t),
            Token::Raw(t) => pass.raw(t),
            Token::Start(tag) => pass.start(&tag),
            Token::End(name) => pass.end(name),
        }
    }
    pass.flush();
    while !pass.stack.is_empty() {
        pass.pop();
    }
    let end = pass.blocks.len() as u32;
    pass.elems[0].end_block = end;
    let (text, good, best) = pass.write();
    let article_path = pass.article_path(best);
    let mut meta = pass.meta;
    if meta.h1.is_none() {
        let h1 = normalize_space(&pass.h1_text);
        if !h1.is_empty() {
            meta.h1 = Some(h1);
        }
    }
    Output {
        text,
        good,
        meta,
        article_path,
    }
}

impl<'a> Pass<'a, '_> {
    fn text(&mut self, raw: &str) {
        if self.in_h1 && self.h1_text.len() < 1000 {
            self.h1_text.push_str(&decode_entities(raw));
            self.h1_text.push(' ');
        }
        if self.dropped > 0 {
            return;
        }
        let decoded = decode_entities(raw);
        let in_link = self.links > 0;
        if !in_link && self.run.is_some() && !decoded.trim().is_empty() {
            self.end_link_run();
        }
        for c in decoded.chars() {
            if self.pre > 0 && c == '\n' {
                self.cur.push('\n');
                self.pending_space = false;
            } else if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
                self.pending_space = !self.cur.is_empty();
            } else {
                if self.cur_chars == 0 {
                    self.cur_lead_link = in_link;
                }
                if self.pending_space {
                    self.cur.push(' ');
                    self.cur_chars += 1;
                    self.pending_space = false;
                }
                self.cur.push(c);
                self.cur_chars += 1;
                if in_link {
                    self.cur_link_chars += 1;
                }
            }
        }
    }

    fn raw(&mut self, raw: &str) {
        match self.raw_owner {
            Some(name) if name.eq_ignore_ascii_case("title") => self.meta.title(raw),
            Some(name) if name.eq_ignore_ascii_case("script") && self.ld_json => {
                self.meta.json_ld(raw)
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &StartTag<'a>) {
        let kind = kind_of(tag.name);
        self.raw_owner = Some(tag.name);
        match kind {
            Kind::Void => {
                if tag.name.eq_ignore_ascii_case("meta") {
                    self.meta.meta(tag);
                } else if tag.name.eq_ignore_ascii_case("link") {
                    self.meta.link(tag);
                }
                return;
            }
            Kind::Break => {
                self.close_p_if(kind);
                self.flush();
                return;
            }
            Kind::Drop => {
                self.ld_json = tag.name.eq_ignore_ascii_case("script")
                    && tag
                        .attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            }
            _ => {}
        }
        self.meta.dated(tag, tag.name.eq_ignore_ascii_case("time"));
        // Implied end tags.
        if kind.closes_p() {
            self.close_p_if(kind);
        }
        match kind {
            Kind::Li => self.close_open(&[Kind::Li], &[Kind::List, Kind::Table]),
            Kind::Dt => self.close_open(&[Kind::Dt], &[Kind::Dl, Kind::Table]),
            Kind::Tr => self.close_open(&[Kind::Tr], &[Kind::Table]),
            Kind::Cell => self.close_open(&[Kind::Cell], &[Kind::Tr, Kind::Table]),
            Kind::H1 | Kind::Heading => self.close_open(&[Kind::H1, Kind::Heading], &[Kind::Block]),
            Kind::A => self.close_open(&[Kind::A], &[Kind::Block, Kind::P, Kind::Li, Kind::Cell]),
            _ => {}
        }
        if tag.self_closing && kind != Kind::Drop && kind != Kind::Root && !kind.is_block() {
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let (marked, lenient) = if kind == Kind::Root {
            (false, false)
        } else {
            self.is_chrome(tag)
        };
        let index = self.elems.len();
        let exempt = match self.mode {
            Mode::Strict => false,
            Mode::Lenient => true,
            Mode::Rescue(path) => path.get(index).copied().unwrap_or(false),
        };
        let dropped = kind == Kind::Drop || if exempt { lenient } else { marked };
        if kind.is_block() {
            self.flush();
        }
        // Elements are numbered the same way in every mode, so that a rescue pass can name them.
        let elem = (kind.is_block() || marked).then(|| {
            self.elems.push(Elem {
                first_block: self.blocks.len() as u32,
                end_block: self.blocks.len() as u32,
                good: 0.0,
                bad: 0.0,
                block: kind.is_block(),
            });
            index as u32
        });
        if dropped {
            self.dropped += 1;
        }
        if kind == Kind::A && tag.attr("href").is_some() {
            self.links += 1;
            if self.dropped == 0 {
                let run = self.run.get_or_insert(LinkRun {
                    bytes: self.cur.len(),
                    chars: self.cur_chars,
                    link_chars: self.cur_link_chars,
                    links: 0,
                });
                run.links += 1;
            }
        }
        if kind == Kind::Pre {
            self.pre += 1;
        }
        if kind == Kind::H1 {
            self.in_h1 = self.meta.h1.is_none() && self.h1_text.is_empty();
        }
        self.stack.push(Open {
            name: tag.name,
            kind,
            elem,
            dropped,
        });
        // A self-closing `<div/>` is not void in HTML, but treating it as empty is kinder.
        if tag.self_closing && kind != Kind::Drop {
            self.pop();
        }
    }

    fn end(&mut self, name: &str) {
        let kind = kind_of(name);
        if matches!(kind, Kind::Void) {
            return;
        }
        if kind == Kind::Break {
            self.flush();
            return;
        }
        let found = self.stack.iter().rposition(|o| {
            if kind == Kind::Inline || kind == Kind::Block || kind == Kind::Drop {
                o.name.eq_ignore_ascii_case(name)
            } else if matches!(kind, Kind::H1 | Kind::Heading) {
                matches!(o.kind, Kind::H1 | Kind::Heading)
            } else {
                o.kind == kind && o.name.eq_ignore_ascii_case(name)
            }
        });
        if let Some(i) = found {
            while self.stack.len() > i {
                self.pop();
            }
        }
    }

    /// Closes an open `<p>` when a block starts inside it.
    fn close_p_if(&mut self, kind: Kind) {
        if !kind.closes_p() {
            return;
        }
        for i in (0..self.stack.len()).rev() {
            match self.stack[i].kind {
                Kind::P => {
                    while self.stack.len() > i {
                        self.pop();
                    }
                    return;
                }
                Kind::Inline | Kind::A => continue,
                _ => return,
            }
        }
    }

    /// Closes the nearest open element of `kinds`, unless one of `stop` is nearer.
    fn close_open(&mut self, kinds: &[Kind], stop: &[Kind]) {
        for i in (0..self.stack.len()).rev() {
            let k = self.stack[i].kind;
            if kinds.contains(&k) {
                while self.stack.len() > i {
                    self.pop();
                }
                return;
            }
            if stop.contains(&k) {
                return;
            }
        }
    }

    fn pop(&mut self) {
        let Some(top) = self.stack.last() else { return };
        if top.kind.is_block() {
            self.flush();
        }
        let Some(top) = self.stack.pop() else { return };
        if top.dropped {
            self.dropped -= 1;
        }
        match top.kind {
            Kind::A => self.links = self.links.saturating_sub(1),
            Kind::Pre => self.pre -= 1,
            Kind::H1 => self.in_h1 = false,
            _ => {}
        }
        if let Some(e) = top.elem {
            self.elems[e as usize].end_block = self.blocks.len() as u32;
        }
    }

    /// Whether a start tag's attributes mark it as chrome: with every class and id pattern, and
    /// with the strong ones only.
    fn is_chrome(&mut self, tag: &StartTag<'_>) -> (bool, bool) {
        let mut chrome = false;
        let mut main = false;
        let mut class = Verdict::default();
        for (name, value) in tag.attrs() {
            let n = name.as_bytes();
            if n.eq_ignore_ascii_case(b"class") || n.eq_ignore_ascii_case(b"id") {
                if value.is_empty() {
                    continue;
                }
                let v = Patterns::get().judge(value, &mut self.buf);
                class.main |= v.main;
                class.chrome |= v.chrome;
                class.strong |= v.strong;
            } else if n.eq_ignore_ascii_case(b"hidden") {
                chrome = true;
            } else if n.eq_ignore_ascii_case(b"aria-hidden") {
                chrome |= value.trim().eq_ignore_ascii_case("true");
            } else if n.eq_ignore_ascii_case(b"role") {
                chrome |= matches!(
                    value.trim().to_ascii_lowercase().as_str(),
                    "navigation"
                        | "banner"
                        | "contentinfo"
                        | "complementary"
                        | "dialog"
                        | "alertdialog"
                        | "menu"
                        | "menubar"
                        | "search"
                        | "toolbar"
                );
            } else if n.eq_ignore_ascii_case(b"itemprop") {
                main |= value.trim().eq_ignore_ascii_case("articleBody");
            } else if n.eq_ignore_ascii_case(b"style") {
                let v = value.to_ascii_lowercase();
                let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                chrome |= v.contains("display:none") || v.contains("visibility:hidden");
            }
        }
        let strict = (chrome || class.chrome) && !(main || class.main);
        let lenient = (chrome || class.strong) && !main;
        (strict, lenient)
    }

    /// Prose resumes after a run of links: a run of [`MIN_LINK_RUN`] links or more with prose on
    /// both sides is a pop-up or a list of related stories inlined in a paragraph, and goes.
    fn end_link_run(&mut self) {
        let Some(run) = self.run.take() else { return };
        if run.links >= MIN_LINK_RUN && run.chars > 0 && run.bytes <= self.cur.len() {
            self.cur.truncate(run.bytes);
            self.cur_chars = run.chars;
            self.cur_link_chars = run.link_chars;
            self.pending_space = !self.cur.is_empty();
        }
    }

    /// Ends the current block.
    fn flush(&mut self) {
        self.run = None;
        let text = self.cur.trim();
        if text.is_empty() {
            self.cur.clear();
            self.cur_chars = 0;
            self.cur_link_chars = 0;
            self.pending_space = false;
            return;
        }
        let kind = self
            .stack
            .iter()
            .rev()
            .map(|o| o.kind)
            .find(|k| k.is_block())
            .unwrap_or(Kind::Block);
        let chars = self.cur_chars;
        let links = self.cur_link_chars;
        let density = links as f32 / chars.max(1) as f32;
        let (good, bad) = match kind {
            _ if density > MAX_LINK_DENSITY => (0.0, chars as f32),
            Kind::H1 | Kind::Heading => (0.0, 0.0),
            _ if chars >= MIN_GOOD_CHARS => (chars as f32, links as f32),
            Kind::Cell if links == 0 => (0.0, 0.0),
            _ => (0.0, chars as f32 * SHORT_PENALTY),
        };
        // Good text counts less the further up it is credited, so that the element holding the
        // paragraphs beats an ancestor that adds a few teasers; bad text counts in full.
        let mut weight = 1.0;
        for o in self.stack.iter().rev() {
            if let Some(e) = o.elem {
                let e = &mut self.elems[e as usize];
                e.good += good * weight;
                e.bad += bad;
                if e.block {
                    weight *= DECAY;
                }
            }
        }
        self.elems[0].good += good * weight;
        self.elems[0].bad += bad;
        let text = if text.len() == self.cur.len() {
            std::mem::take(&mut self.cur)
        } else {
            let t = text.to_owned();
            self.cur.clear();
            t
        };
        self.blocks.push(Block {
            text,
            chars,
            link_chars: links,
            kind,
            good: good > 0.0,
            lead_link: self.cur_lead_link,
        });
        self.cur_chars = 0;
        self.cur_link_chars = 0;
        self.pending_space = false;
    }

    /// Picks the article element and writes its blocks.
    fn write(&self) -> (String, f32, usize) {
        let best = self
            .elems
            .iter()
            .enumerate()
            .filter(|(_, e)| e.block)
            .max_by(|(_, a), (_, b)| {
                let sa = a.good - PENALTY * a.bad;
                let sb = b.good - PENALTY * b.bad;
                sa.total_cmp(&sb)
            })
            .map(|(i, e)| (i, *e));
        let Some((best_index, mut best)) = best else {
            return (String::new(), 0.0, 0);
        };
        let short_page = best.good <= 0.0;
        if short_page {
            // No block is long enough to be article text (a snippet, a stub): keep everything.
            best = self.elems[0];
        }
        let mut out = String::new();
        let end = (best.end_block as usize).min(self.blocks.len());
        let blocks = self
            .blocks
            .get(best.first_block as usize..end)
            .unwrap_or_default();
        // Bylines, dates and share counts before the first good block and after the last one go.
        let keep = |b: &Block| b.good || matches!(b.kind, Kind::Heading);
        let (first, last) = if short_page {
            (0, blocks.len())
        } else {
            let mut first = blocks.iter().position(keep).unwrap_or(blocks.len());
            // A short lead paragraph (one sentence) just before the first long one is kept.
            while first > 0 && blocks[first - 1].is_lead_sentence() {
                first -= 1;
            }
            let last = blocks.iter().rposition(|b| b.good).map_or(first, |i| i + 1);
            (first, last.max(first))
        };
        let span = &blocks[first..last];
        let linky = |i: usize| span.get(i).is_some_and(Block::is_link_line);
        for (i, block) in span.iter().enumerate() {
            // A lone link line amid the article's paragraphs is its own (a source, a shop link);
            // runs of them are link lists, and lines such as "Read more: …" point elsewhere.
            let drop = block.kind == Kind::H1
                || block.is_teaser()
                || (block.is_link_line()
                    && (linky(i.wrapping_sub(1))
                        || linky(i + 1)
                        || is_related_line(&block.text)
                        || is_shouted(&block.text)));
            if drop && !short_page {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        (out, best.good, best_index)
    }

    /// The elements a rescue pass should judge by strong patterns only: `best`, its ancestors,
    /// and its descendants that hold at least [`RESCUE_SHARE`] of its good text.
    fn article_path(&self, best: usize) -> Vec<bool> {
        let mut path = vec![false; self.elems.len()];
        let Some(b) = self.elems.get(best).copied() else {
            return path;
        };
        for (i, (e, p)) in self.elems.iter().zip(path.iter_mut()).enumerate() {
            *p = if i <= best {
                e.first_block <= b.first_block && e.end_block >= b.end_block
            } else {
                e.first_block >= b.first_block
                    && e.end_block <= b.end_block
                    && e.good >= RESCUE_SHARE * b.good
            };
        }
        path
    }
}
