//! Page metadata: title, canonical URL, site name, publication date, from `<meta>`, `<link>`,
//! JSON-LD, `<time>`, `<h1>` and `<title>`.

use jiff::civil::Date;
use serde_json::Value;

use super::lexer::StartTag;
use super::{decode_entities, normalize_space};
use crate::date::parse_date;

const DATE_META: &str = include_str!("../../../../data/html/date-meta.txt");

/// Metadata candidates seen while reading a page; [`MetaCollector::finish`] picks the best.
#[derive(Default)]
pub(crate) struct MetaCollector {
    og_title: Option<String>,
    twitter_title: Option<String>,
    ld_headline: Option<String>,
    pub(crate) h1: Option<String>,
    title: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    og_site: Option<String>,
    ld_publisher: Option<String>,
    /// (rank from the date-meta list, date): lower rank wins.
    meta_date: Option<(usize, Date)>,
    ld_date: Option<Date>,
    time_date: Option<Date>,
}

/// The metadata [`MetaCollector::finish`] returns.
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) site_name: Option<String>,
    pub(crate) published: Option<Date>,
}

fn clean(raw: &str) -> Option<String> {
    let s = normalize_space(&decode_entities(raw));
    (!s.is_empty()).then_some(s)
}

fn set_once(slot: &mut Option<String>, raw: &str) {
    if slot.is_none() {
        *slot = clean(raw);
    }
}

impl MetaCollector {
    /// Looks at a `<meta>` tag.
    pub(crate) fn meta(&mut self, tag: &StartTag<'_>) {
        let Some(content) = tag.attr("content") else {
            return;
        };
        let key = tag
            .attr("property")
            .or_else(|| tag.attr("name"))
            .or_else(|| tag.attr("itemprop"));
        let Some(key) = key else { return };
        let key = key.trim();
        match key.to_ascii_lowercase().as_str() {
            "og:title" => set_once(&mut self.og_title, content),
            "twitter:title" => set_once(&mut self.twitter_title, content),
            "og:url" => set_once(&mut self.og_url, content),
            "og:site_name" => set_once(&mut self.og_site, content),
            lower => {
                if let Some(rank) = date_meta_rank(lower) {
                    if self.meta_date.is_none_or(|(r, _)| rank < r) {
                        if let Some(date) = parse_date(content) {
                            self.meta_date = Some((rank, date));
                        }
                    }
                }
            }
        }
    }

    /// Looks at a `<link>` tag.
    pub(crate) fn link(&mut self, tag: &StartTag<'_>) {
        let is_canonical = tag.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|w| w.eq_ignore_ascii_case("canonical"))
        });
        if is_canonical {
            if let Some(href) = tag.attr("href") {
                set_once(&mut self.canonical, href);
            }
        }
    }

    /// Looks at any other tag for `<time datetime>` and `itemprop=datePublished`.
    pub(crate) fn dated(&mut self, tag: &StartTag<'_>, is_time: bool) {
        if self.time_date.is_some() {
            return;
        }
        let published = tag
            .attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
        if published || is_time {
            let value = tag.attr("datetime").or_else(|| tag.attr("content"));
            if let Some(date) = value.and_then(|v| parse_date(&decode_entities(v))) {
                self.time_date = Some(date);
            }
        }
    }

    pub(crate) fn title(&mut self, raw: &str) {
        set_once(&mut self.title, raw);
    }

    /// Reads a `<script type="application/ld+json">` block.
    pub(crate) fn json_ld(&mut self, raw: &str) {
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            return;
        };
        self.walk_ld(&value, 0);
    }

    fn walk_ld(&mut self, value: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.walk_ld(v, depth + 1)),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    self.walk_ld(graph, depth + 1);
                }
                let is_article = map.get("@type").is_some_and(|t| {
                    let article =
                        |s: &str| s.ends_with("Article") || s == "BlogPosting" || s == "Report";
                    match t {
                        Value::String(s) => article(s),
                        Value::Array(a) => a.iter().filter_map(Value::as_str).any(article),
                        _ => false,
                    }
                });
                if !is_article {
                    return;
                }
                if let Some(Value::String(h)) = map.get("headline") {
                    set_once(&mut self.ld_headline, h);
                }
                if self.ld_date.is_none() {
                    if let Some(Value::String(d)) = map.get("datePublished") {
                        self.ld_date = parse_date(d);
                    }
                }
                if let Some(Value::String(name)) = map.get("publisher").and_then(|p| p.get("name"))
                {
                    set_once(&mut self.ld_publisher, name);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn finish(self) -> PageMeta {
        let site_name = self.og_site.or(self.ld_publisher);
        let title = self
            .og_title
            .or(self.twitter_title)
            .or(self.ld_headline)
            .or(self.h1)
            .map(|t| strip_site(&t, site_name.as_deref(), false))
            .or_else(|| {
                self.title
                    .map(|t| strip_site(&t, site_name.as_deref(), true))
            });
        PageMeta {
            title,
            url: self.canonical.or(self.og_url),
            site_name,
            published: self
                .meta_date
                .map(|(_, d)| d)
                .or(self.ld_date)
                .or(self.time_date),
        }
    }
}

/// The rank of a `<meta>` name among the publication-date names (lower is better).
fn date_meta_rank(lower: &str) -> Option<usize> {
    DATE_META
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .position(|l| l.eq_ignore_ascii_case(lower))
}

const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];

/// Removes a trailing " | Site" from a title: always when the suffix is the site's name, and for
/// a `<title>` (`generic`) whenever the rest is longer than the suffix.
fn strip_site(title: &str, site: Option<&str>, generic: bool) -> String {
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let head = head.trim();
            let tail = tail.trim();
            if head.is_empty() {
                continue;
            }
            let is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail));
            if is_site || (generic && tail.len() < head.len()) {
                return head.to_owned();
            }
        }
    }
    title.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_site_suffix() {
        assert_eq!(
            strip_site("Storm hits coast | Daily Post", None, true),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site("Storm hits coast - Daily Post", Some("Daily Post"), false),
            "Storm hits coast"
        );
        assert_eq!(strip_site("Storm - coast", None, false), "Storm - coast");
    }

    #[test]
    fn date_meta_names_are_ranked() {
        assert_eq!(date_meta_rank("article:published_time"), Some(0));
        assert!(date_meta_rank("sailthru.date").is_some());
        assert!(date_meta_rank("dc.date.issued").is_some());
        assert_eq!(date_meta_rank("description"), None);
    }
}
