//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one document per item or entry.
//!
//! Parsed by hand over `quick-xml` events rather than with `feed-rs`: sitrep needs five fields per
//! item and the full content (`content:encoded`, Atom `<content type="html">`) kept as HTML for the
//! main-text extractor, and `feed-rs` brings a much larger dependency tree (it also parses JSON
//! Feed, media extensions, and dates with chrono) for fields sitrep drops. quick-xml is lenient
//! about mismatched end tags and unknown entities (`&nbsp;` in feeds without a DTD).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use sitrep_doc::Meta;

use crate::{Body, Origin, RawDoc, ReadError};

#[derive(Default)]
struct Item {
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    date: Option<String>,
    /// `content:encoded` or Atom `<content>`, and whether it is HTML.
    content: Option<(String, bool)>,
    /// RSS `description` (HTML) or Atom `<summary>`, and whether it is HTML.
    summary: Option<(String, bool)>,
}

/// The field an element fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Id,
    Date,
    Content(bool),
    Summary(bool),
    FeedTitle,
}

/// The documents (and errors) of a feed.
pub(crate) fn read_feed(path: &str, xml: &str) -> Vec<Result<RawDoc, ReadError>> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;

    let mut out = Vec::new();
    let mut feed_title: Option<String> = None;
    let mut item: Option<Item> = None;
    let mut items = 0usize;
    // Element names from the root down, and the field being collected with its depth.
    let mut stack: Vec<String> = Vec::new();
    let mut field: Option<(Field, usize, String)> = None;
    let mut saw_feed = false;
    let mut item_depth = 0usize;

    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = reader.error_position() as usize;
                let line = 1 + xml.as_bytes()[..at.min(xml.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                out.push(Err(ReadError::new(
                    Origin::record(path, format!("line {line}")),
                    format!("feed is not well-formed XML: {e}"),
                    Some("the items before this point were read; check the feed with an XML validator"),
                )));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let name = local(&e);
                let depth = stack.len();
                if matches!(name.as_str(), "rss" | "feed" | "rdf" | "channel") {
                    saw_feed = true;
                }
                if field.is_none() {
                    if (name == "item" || name == "entry") && item.is_none() {
                        item = Some(Item::default());
                        item_depth = depth;
                        items += 1;
                    } else if let Some(f) = field_of(&name, &e, item.is_some(), &stack) {
                        if f == Field::Content(true) && attr(&e, "type").as_deref() == Some("xhtml")
                        {
                            // Atom XHTML content: the markup inside, as it stands.
                            let raw = match reader.read_text(e.name()) {
                                Ok(text) => text.html_content().into_owned(),
                                Err(_) => String::new(),
                            };
                            if let Some(item) = &mut item {
                                item.content = Some((raw, true));
                            }
                            continue;
                        }
                        if f == Field::Link {
                            if let Some(href) = attr(&e, "href") {
                                set_link(&mut item, &e, href);
                            }
                        }
                        field = Some((f, depth, String::new()));
                    }
                }
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = local(&e);
                if field.is_none() && name == "link" {
                    if let Some(href) = attr(&e, "href") {
                        set_link(&mut item, &e, href);
                    }
                }
            }
            Event::End(_) => {
                stack.pop();
                let depth = stack.len();
                if field.as_ref().is_some_and(|(_, d, _)| *d == depth) {
                    if let Some((f, _, text)) = field.take() {
                        store(f, text, &mut item, &mut feed_title);
                    }
                } else if field.is_none() && item.is_some() && depth == item_depth {
                    if let Some(done) = item.take() {
                        out.push(Ok(to_doc(path, items, done, None)));
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = &mut field {
                    text.push_str(&t.html_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, _, text)) = &mut field {
                    text.push_str(&t.html_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = &mut field {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => {
                            let name: &str = &r;
                            let entity = format!("&{name};");
                            text.push_str(&html_escape::decode_html_entities(&entity));
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(done) = item.take() {
        // A feed cut inside an item: keep what the item had.
        out.push(Ok(to_doc(path, items, done, None)));
    }
    // The channel title is only known once read (it may follow the items in Atom).
    for doc in out.iter_mut().flatten() {
        if doc.meta.source.is_none() {
            doc.meta.source.clone_from(&feed_title);
        }
    }
    let mut out: Vec<_> = out
        .into_iter()
        .map(|doc| doc.and_then(check_body))
        .collect();
    if items == 0 && out.is_empty() {
        out.push(Err(ReadError::new(
            Origin::file(path),
            if saw_feed {
                "feed has no items".to_owned()
            } else {
                "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)".to_owned()
            },
            Some("pass an RSS 2.0 or Atom feed, or name an HTML file .html"),
        )));
    }
    out
}

/// An item with no body at all is an error: there is nothing to read.
fn check_body(doc: RawDoc) -> Result<RawDoc, ReadError> {
    let empty = match &doc.body {
        Body::Text(t) | Body::Html(t) => t.trim().is_empty(),
    };
    if empty {
        return Err(ReadError::new(
            doc.origin,
            "item has no content, description or summary",
            Some("the feed carries only titles and links; fetch the linked pages and read them as HTML"),
        ));
    }
    Ok(doc)
}

fn to_doc(path: &str, n: usize, item: Item, source: Option<String>) -> RawDoc {
    let body = match item.content.or(item.summary) {
        Some((text, true)) => Body::Html(text),
        Some((text, false)) => Body::Text(text),
        None => Body::Text(String::new()),
    };
    RawDoc {
        origin: Origin::record(path, format!("item {n}")),
        meta: Meta {
            id: item.id,
            url: item.link,
            title: item.title,
            source,
            published: item.date.as_deref().and_then(crate::date::parse_date),
        },
        body,
        published_fallback: None,
    }
}

/// The local name of an element (`content:encoded` → `encoded`), lower case.
fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.trim().to_owned())
}

/// Atom `<link href>`: the `alternate` (or unlabelled) link is the article's.
fn set_link(item: &mut Option<Item>, e: &BytesStart<'_>, href: String) {
    let Some(item) = item else { return };
    let rel = attr(e, "rel");
    if matches!(rel.as_deref(), None | Some("alternate")) && !href.is_empty() {
        item.link = Some(href);
    }
}

/// Which field an element fills.
fn field_of(name: &str, e: &BytesStart<'_>, in_item: bool, stack: &[String]) -> Option<Field> {
    let parent = stack.last().map(String::as_str);
    if !in_item {
        return (name == "title" && matches!(parent, Some("channel" | "feed")))
            .then_some(Field::FeedTitle);
    }
    // Only the item's own children (not, say, an Atom <source><title>).
    if !matches!(parent, Some("item" | "entry")) {
        return None;
    }
    let html_type = || {
        matches!(
            attr(e, "type").as_deref(),
            Some("html" | "xhtml" | "text/html")
        )
    };
    Some(match name {
        "title" => Field::Title,
        "link" => Field::Link,
        "guid" | "id" => Field::Id,
        "pubdate" | "published" | "date" | "issued" => Field::Date,
        "updated" | "modified" => Field::Date,
        "encoded" => Field::Content(true),
        "content" => {
            if attr(e, "src").is_some() {
                return None;
            }
            Field::Content(html_type())
        }
        "description" => Field::Summary(true),
        "summary" => Field::Summary(html_type()),
        _ => return None,
    })
}

fn store(f: Field, text: String, item: &mut Option<Item>, feed_title: &mut Option<String>) {
    let trimmed = text.trim();
    if f == Field::FeedTitle {
        if feed_title.is_none() && !trimmed.is_empty() {
            *feed_title = Some(trimmed.to_owned());
        }
        return;
    }
    let Some(item) = item else { return };
    let value = || (!trimmed.is_empty()).then(|| trimmed.to_owned());
    match f {
        Field::Title => item.title = item.title.take().or_else(value),
        Field::Link => item.link = item.link.take().or_else(value),
        Field::Id => item.id = item.id.take().or_else(value),
        // The first date wins: published comes before updated in practice and in preference.
        Field::Date => item.date = item.date.take().or_else(value),
        Field::Content(html) => {
            if !trimmed.is_empty() {
                item.content = Some((text, html));
            }
        }
        Field::Summary(html) => {
            if !trimmed.is_empty() && item.summary.is_none() {
                item.summary = Some((text, html));
            }
        }
        Field::FeedTitle => {}
    }
}

/// The `encoding` an XML declaration names, if any.
pub(crate) fn declared_encoding(head: &[u8]) -> Option<String> {
    let head = &head[..head.len().min(200)];
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    if !decl.trim_start().starts_with("<?xml") {
        return None;
    }
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    let rest = &rest[1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example Wire</title>
  <link>https://wire.test/</link>
  <item>
    <title>Putin orders withdrawal &amp; more</title>
    <link>https://wire.test/a</link>
    <guid>https://wire.test/a</guid>
    <pubDate>Mon, 11 Dec 2017 09:30:00 +0300</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Full text, with &nbsp; markup.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second&nbsp;item</title>
    <link>https://wire.test/b</link>
    <description>&lt;p&gt;Only a description.&lt;/p&gt;</description>
    <dc:date>2017-12-12</dc:date>
  </item>
  <item>
    <title>Headline only</title>
  </item>
</channel>
</rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Atom Desk</title>
  <entry>
    <title>Entry one</title>
    <link rel="alternate" href="https://atom.test/1"/>
    <link rel="edit" href="https://atom.test/edit/1"/>
    <id>urn:uuid:1</id>
    <updated>2017-12-12T08:00:00Z</updated>
    <published>2017-12-11T23:30:00-05:00</published>
    <summary>Plain summary.</summary>
    <content type="html">&lt;p&gt;Entry &lt;b&gt;one&lt;/b&gt;.&lt;/p&gt;</content>
    <source><title>Not this</title></source>
  </entry>
  <entry>
    <title>Entry two</title>
    <link href="https://atom.test/2"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Two.</p></div></content>
  </entry>
  <entry>
    <title>Entry three</title>
    <summary>Just text.</summary>
  </entry>
</feed>"#;

    #[test]
    fn rss_items() {
        let docs = read_feed("f.rss", RSS);
        assert_eq!(docs.len(), 3);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(
            a.body,
            Body::Html("<p>Full text, with &nbsp; markup.</p>".into())
        );
        assert_eq!(
            a.meta.title.as_deref(),
            Some("Putin orders withdrawal & more")
        );
        assert_eq!(a.meta.url.as_deref(), Some("https://wire.test/a"));
        assert_eq!(a.meta.source.as_deref(), Some("Example Wire"));
        assert_eq!(a.meta.published, Some(date(2017, 12, 11)));
        assert_eq!(a.origin.to_string(), "f.rss, item 1");
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.body, Body::Html("<p>Only a description.</p>".into()));
        assert_eq!(b.meta.title.as_deref(), Some("Second\u{a0}item"));
        assert_eq!(b.meta.published, Some(date(2017, 12, 12)));
        let c = docs[2].as_ref().unwrap_err();
        assert_eq!(
            c.to_string(),
            "f.rss, item 3: item has no content, description or summary"
        );
    }

    #[test]
    fn atom_entries() {
        let docs = read_feed("f.atom", ATOM);
        assert_eq!(docs.len(), 3);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.body, Body::Html("<p>Entry <b>one</b>.</p>".into()));
        assert_eq!(a.meta.url.as_deref(), Some("https://atom.test/1"));
        assert_eq!(a.meta.id.as_deref(), Some("urn:uuid:1"));
        assert_eq!(a.meta.source.as_deref(), Some("Atom Desk"));
        // The first date given wins (here `updated`).
        assert_eq!(a.meta.published, Some(date(2017, 12, 12)));
        let b = docs[1].as_ref().unwrap();
        match &b.body {
            Body::Html(h) => assert!(h.contains("<p>Two.</p>"), "{h}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(b.meta.url.as_deref(), Some("https://atom.test/2"));
        let c = docs[2].as_ref().unwrap();
        assert_eq!(c.body, Body::Text("Just text.".into()));
    }

    #[test]
    fn broken_feed_keeps_items_before_the_break() {
        let cut = &RSS[..RSS.find("<item>\n    <title>Headline").unwrap()];
        let broken = format!("{cut}<item><title>x</title><description a=\"1>cut short");
        let docs = read_feed("f.rss", &broken);
        assert!(docs[0].is_ok() && docs[1].is_ok());
        assert!(
            docs.iter().any(|d| d
                .as_ref()
                .is_err_and(|e| e.message.contains("not well-formed"))),
            "{docs:?}"
        );
    }

    #[test]
    fn not_a_feed() {
        let docs = read_feed("f.xml", "<?xml version=\"1.0\"?><urlset><url/></urlset>");
        assert_eq!(docs.len(), 1);
        assert!(docs[0]
            .as_ref()
            .unwrap_err()
            .message
            .starts_with("not an RSS or Atom feed"));
    }

    #[test]
    fn encoding_declaration() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><rss>"),
            Some("ISO-8859-1".into())
        );
        assert_eq!(declared_encoding(b"<rss>"), None);
    }
}
