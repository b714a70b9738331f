//! HTML: decoding, main-text extraction and metadata.
//!
//! 1. [`decode`] turns page bytes into text (BOM, HTTP charset, `<meta charset>`, detection);
//! 2. [`extract`] reads the page once with a forgiving tokenizer, drops chrome (navigation, ads,
//!    comments, share and newsletter boxes, captions, …) as it streams by, scores the remaining
//!    blocks by length and link density, and keeps the element that holds the most article text
//!    and the least chrome. Metadata comes from the same pass.
//!
//! ```
//! let page = r#"<html><head><title>Rain ends drought | Daily Post</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Rain ends drought</h1>
//!   <p>Heavy rain fell across the region on Monday, ending a drought that lasted two years.</p>
//!   <p>Farmers said the rain came just in time for the planting season, officials added.</p>
//!   </article></body></html>"#;
//! let article = sitrep_read::html::extract(page);
//! assert_eq!(article.title.as_deref(), Some("Rain ends drought"));
//! assert!(article.text.starts_with("Heavy rain fell"));
//! assert!(article.text.contains("ending a drought that lasted two years.\n\nFarmers said"));
//! ```

mod charset;
mod content;
mod lexer;
mod meta;
mod patterns;

use std::borrow::Cow;

use jiff::civil::Date;

use content::Mode;

/// What [`extract`] finds in a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The main text, paragraphs separated by blank lines.
    pub text: String,
    pub title: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<Date>,
}

/// Below this many characters the strict pass is suspected of dropping the article (a class
/// pattern on its container) and a pass that ignores class and id patterns is tried.
const MIN_STRICT_CHARS: usize = 250;
/// When ignoring class and id patterns finds this many times more article text, a pattern hit
/// the article's own container.
const LENIENT_GAIN: f32 = 2.0;
/// The rescue pass is kept when it finds this share of the lenient pass's article text.
const RESCUE_KEEP: f32 = 0.8;

/// Extracts the main text and metadata of an HTML page. Any input is fine: the worst result is
/// an empty text.
pub fn extract(html: &str) -> HtmlArticle {
    let mut out = content::run(html, Mode::Strict);
    let lenient = content::run(html, Mode::Lenient);
    let suspect = out.text.len() < MIN_STRICT_CHARS || lenient.good > LENIENT_GAIN * out.good;
    if suspect && lenient.text.len() > out.text.len() {
        // A pattern hit the article's own container: read again with every pattern except on
        // the containers the lenient pass chose, so that chrome inside the article still goes.
        let rescue = content::run(html, Mode::Rescue(&lenient.article_path));
        out.text =
            if rescue.good >= RESCUE_KEEP * lenient.good && rescue.text.len() > out.text.len() {
                rescue.text
            } else {
                lenient.text
            };
    }
    let meta = out.meta.finish();
    HtmlArticle {
        text: out.text,
        title: meta.title,
        url: meta.url,
        site_name: meta.site_name,
        published: meta.published,
    }
}

/// Decodes page bytes to text: BOM, then `charset_hint` (a label such as `windows-1252` or a
/// Content-Type value such as `text/html; charset=windows-1252`), then the page's own
/// `<meta charset>` in its first 2 KB, then UTF-8 if the bytes are valid UTF-8, then detection
/// (chardetng). Undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8], charset_hint: Option<&str>) -> String {
    charset::decode(bytes, charset_hint).0
}

/// Decodes character references (`&amp;`, `&#8217;`, `&eacute;`).
fn decode_entities(raw: &str) -> Cow<'_, str> {
    if raw.contains('&') {
        html_escape::decode_html_entities(raw)
    } else {
        Cow::Borrowed(raw)
    }
}

/// Collapses runs of whitespace into one space and trims.
fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str = "The council voted on Tuesday to approve the new budget, which raises spending on schools and roads by four percent.";

    fn page(head: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")
    }

    fn article_body() -> String {
        format!(
            "<p>{PARA}</p><p>Opponents said the plan &amp; its taxes would hurt small businesses across the county this year.</p>\
             <h2>What comes next</h2><p>The mayor is expected to sign the budget into law before the end of the month, aides said.</p>"
        )
    }

    #[test]
    fn empty_page() {
        assert_eq!(extract(""), HtmlArticle::default());
    }

    #[test]
    fn keeps_paragraphs_and_headings_drops_chrome() {
        let body = format!(
            "<header><a href=/>Home</a><a href=/news>News</a></header>\
             <nav class=menu><ul><li><a href=/a>World</a></li><li><a href=/b>Sport</a></li></ul></nav>\
             <div class=social-share>Share on Facebook Share on Twitter</div>\
             <main><article><h1>Council approves budget</h1><div class=byline>By A. Writer</div>\
             <figure><img src=x.jpg><figcaption>The council chamber. Photo: J. Doe/Agency</figcaption></figure>\
             {}<div class=newsletter-signup><p>Sign up for our daily newsletter to get the news in your inbox every morning.</p></div>\
             <ul class=related-links><li><a href=/1>Another story about budgets in other towns</a></li></ul>\
             <script>var x = '<p>not text</p>';</script><style>p {{ color: red }}</style>\
             </article></main><div id=comments><p>Great article, I completely agree with every word of it and more.</p></div>\
             <footer><p>Copyright 2024 Daily Post. All rights reserved. Terms of use and privacy policy.</p></footer>",
            article_body()
        );
        let a = extract(&page("", &body));
        assert_eq!(
            a.text,
            format!(
                "{PARA}\n\nOpponents said the plan & its taxes would hurt small businesses across the county this year.\n\n\
                 What comes next\n\nThe mayor is expected to sign the budget into law before the end of the month, aides said."
            )
        );
    }

    #[test]
    fn list_items_on_their_own_lines_and_whitespace_normalized() {
        let body = format!(
            "<div class=story><p>{PARA}</p><ul><li>first   point\n of the plan</li><li>second point</li></ul>\
             <p>Officials   said&nbsp;the\tvote was close, with five members for and four against the proposal.</p></div>"
        );
        let a = extract(&page("", &body));
        assert!(
            a.text
                .contains("\n\nfirst point of the plan\n\nsecond point\n\n"),
            "{}",
            a.text
        );
        assert!(
            a.text.contains("Officials said the vote was close"),
            "{}",
            a.text
        );
    }

    #[test]
    fn short_pages_keep_their_text() {
        assert_eq!(extract("<p>four</p>").text, "four");
        assert_eq!(
            extract("<html><body><p>Unclosed <b>tags <div>and <p>more").text,
            "Unclosed tags\n\nand\n\nmore"
        );
    }

    #[test]
    fn unclosed_paragraphs_are_closed() {
        let body = format!("<article><p>{PARA}<p>Second paragraph, long enough to count as article text for the scorer.</article>");
        let a = extract(&page("", &body));
        assert_eq!(a.text.split("\n\n").count(), 2, "{}", a.text);
    }

    #[test]
    fn title_sources_in_order() {
        let body = format!("<h1>Heading one</h1>{}", article_body());
        let title = |head: &str| extract(&page(head, &body)).title;
        assert_eq!(
            title(
                r#"<meta property="og:title" content="OG title"><meta name="twitter:title" content="TW title"><title>T | Site</title>"#
            ),
            Some("OG title".into())
        );
        assert_eq!(
            title(r#"<meta name="twitter:title" content="TW title"><title>T</title>"#),
            Some("TW title".into())
        );
        assert_eq!(
            title(
                r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline"}</script>"#
            ),
            Some("LD headline".into())
        );
        assert_eq!(
            title("<title>Ignored | Site</title>"),
            Some("Heading one".into())
        );
        let no_h1 = extract(&page(
            "<title>Budget passes - Daily Post</title>",
            &article_body(),
        ));
        assert_eq!(no_h1.title.as_deref(), Some("Budget passes"));
    }

    #[test]
    fn url_and_site_name() {
        let a = extract(&page(
            r#"<link rel="canonical" href="https://example.com/a?x=1&amp;y=2"><meta property="og:url" content="https://example.com/og"><meta property="og:site_name" content="Daily Post">"#,
            &article_body(),
        ));
        assert_eq!(a.url.as_deref(), Some("https://example.com/a?x=1&y=2"));
        assert_eq!(a.site_name.as_deref(), Some("Daily Post"));
        let b = extract(&page(
            r#"<meta property="og:url" content="https://example.com/og"><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"LD Post"}}]}</script>"#,
            &article_body(),
        ));
        assert_eq!(b.url.as_deref(), Some("https://example.com/og"));
        assert_eq!(b.site_name.as_deref(), Some("LD Post"));
    }

    #[test]
    fn date_sources() {
        let date = |head: &str, body: &str| {
            extract(&page(head, &format!("{body}{}", article_body())))
                .published
                .map(|d| d.to_string())
        };
        let d = Some("2017-12-11".to_owned());
        assert_eq!(
            date(
                r#"<meta property="article:published_time" content="2017-12-11T09:30:00+03:00">"#,
                ""
            ),
            d
        );
        for name in [
            "pubdate",
            "publishdate",
            "date",
            "DC.date.issued",
            "parsely-pub-date",
            "sailthru.date",
        ] {
            assert_eq!(
                date(&format!(r#"<meta name="{name}" content="2017-12-11">"#), ""),
                d,
                "{name}"
            );
        }
        assert_eq!(
            date(
                r#"<meta name="date" content="2001-01-01"><meta property="article:published_time" content="2017-12-11">"#,
                ""
            ),
            d
        );
        assert_eq!(
            date(
                r#"<script type="application/ld+json">[{"@type":"Article","datePublished":"2017-12-11T10:00:00Z"}]</script>"#,
                ""
            ),
            d
        );
        assert_eq!(
            date("", r#"<time datetime="2017-12-11T08:00:00Z">Monday</time>"#),
            d
        );
        assert_eq!(
            date(
                "",
                r#"<span itemprop="datePublished" content="2017-12-11">Dec 11</span>"#
            ),
            d
        );
        assert_eq!(date(r#"<meta name="date" content="not a date">"#, ""), None);
    }

    #[test]
    fn class_pattern_on_the_article_container_is_survived() {
        // A container named after a sidebar layout still holds the article.
        let body = format!(
            "<div class=layout-with-sidebar><div class=text>{}</div></div>",
            article_body()
        );
        let a = extract(&page("", &body));
        assert!(a.text.starts_with(PARA), "{}", a.text);
    }

    #[test]
    fn lone_link_lines_stay_link_runs_and_pointers_go() {
        let body = format!(
            "<article><p>{PARA}</p><p><a href=/shop>Get the tablet at the store for $199</a></p>\
             <p>Opponents said the plan would hurt small businesses across the county this year.</p>\
             <p><a href=/x>Read more: Budget fight in the next town over</a></p>\
             <p><a href=/y>SEE THE FULL BUDGET TABLES HERE</a></p>\
             <p><a href=/1>One other story about roads</a></p><p><a href=/2>Two other stories</a></p>\
             <p>The mayor is expected to sign the budget into law before the end of the month.</p></article>"
        );
        let a = extract(&page("", &body));
        assert!(a.text.contains("Get the tablet at the store"), "{}", a.text);
        for gone in ["Read more", "FULL BUDGET", "One other story", "Two other"] {
            assert!(!a.text.contains(gone), "{gone}: {}", a.text);
        }
    }

    #[test]
    fn short_lead_sentence_before_the_first_paragraph_is_kept() {
        let body = format!(
            "<article><div class=kicker>Politics</div><p>The council passed the budget.</p><p>{PARA}</p>\
             <p>Opponents said the plan would hurt small businesses across the county this year.</p></article>"
        );
        let a = extract(&page("", &body));
        assert!(
            a.text.starts_with("The council passed the budget.\n\n"),
            "{}",
            a.text
        );
    }

    #[test]
    fn adjacent_links_inside_a_paragraph_are_cut() {
        let body = format!(
            "<article><p>The vote followed a speech by Mayor <a href=/m>Jane Roe</a><span class=pop>\
             <a href=/1>Roe opens new park</a> <a href=/2>Roe meets teachers</a> <a href=/3>More</a></span> \
             on Monday evening, in front of a full chamber of residents.</p><p>{PARA}</p></article>"
        );
        let a = extract(&page("", &body));
        assert!(
            a.text
                .starts_with("The vote followed a speech by Mayor on Monday evening"),
            "{}",
            a.text
        );
        // Links separated by words are prose.
        let body = format!(
            "<article><p>Both <a href=/a>the mayor</a>, <a href=/b>the council</a> and <a href=/c>the board</a> \
             agreed to the plan after a long debate that lasted well into the night.</p><p>{PARA}</p></article>"
        );
        let a = extract(&page("", &body));
        assert!(
            a.text.contains("the mayor, the council and the board"),
            "{}",
            a.text
        );
    }

    #[test]
    fn teasers_cut_with_an_ellipsis_go() {
        let body = format!(
            "<main><ul><li><a href=/1>Storm hits coast</a> <span>Heavy winds tore roofs off houses along the coast on Sunday, and officials said...</span></li>\
             <li><a href=/2>Port reopens</a> <span>The port reopened on Monday after a week of repairs to its main dock and cranes…</span></li></ul>\
             <p>{PARA}</p><p>Opponents said the plan would hurt small businesses across the county this year.</p></main>"
        );
        let a = extract(&page("", &body));
        assert!(a.text.starts_with(PARA), "{}", a.text);
    }

    #[test]
    fn rescue_keeps_the_article_and_drops_chrome_inside_it() {
        // A taxonomy class (`tag-…`) hits a pattern on the article's own container; the ad
        // inside it must still go.
        let body = format!(
            "<div class=\"post tag-weather\">{}<div class=ad-slot><p>Advertisement: buy our product today, the best product money can buy anywhere.</p></div>\
             <p>Farmers said the rain came just in time for the planting season, officials added later.</p></div>",
            article_body()
        );
        let a = extract(&page("", &body));
        assert!(a.text.starts_with(PARA), "{}", a.text);
        assert!(a.text.contains("Farmers said"), "{}", a.text);
        assert!(!a.text.contains("Advertisement"), "{}", a.text);
    }

    #[test]
    fn decode_paths() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xC3\xA9", Some("windows-1252")),
            "café"
        );
        assert_eq!(
            decode(b"caf\xE9", Some("text/html; charset=iso-8859-1")),
            "café"
        );
        assert_eq!(
            decode(b"<meta charset=\"windows-1252\">caf\xE9", None),
            "<meta charset=\"windows-1252\">café"
        );
        let page = b"<html><body><p>Le caf\xe9 servait une cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise, d\xe9j\xe0 c\xe9l\xe8bre dans le quartier.</p></body></html>";
        assert!(decode(page, None).contains("crème brûlée à la française"));
        assert_eq!(
            decode(b"ok \xFF", None),
            "ok \u{FFFD}"
                .replace('\u{FFFD}', "\u{FF}")
                .replace('\u{FF}', &decode(b"\xFF", None))
        );
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let deep = "<div>".repeat(100_000) + "text" + &"</div>".repeat(10);
        let _ = extract(&deep);
        let _ = extract(&"<a><b><i>".repeat(20_000));
        let _ = extract("<script>never closed");
        let _ = extract("<p>half<a href=\"x");
        let _ = extract("<!--");
        let _ = extract("</p></p></div><li><td><tr>");
        let _ = extract(
            "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>",
        );
        let nested_json = format!(
            "<script type=\"application/ld+json\">{}</script>",
            "[".repeat(10_000)
        );
        let _ = extract(&nested_json);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn tag_soup() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("<p>".to_owned()),
                Just("</p>".to_owned()),
                Just("<div class=\"article-body\">".to_owned()),
                Just("<div class=nav>".to_owned()),
                Just("</div>".to_owned()),
                Just("<li>".to_owned()),
                Just("<table><tr><td>".to_owned()),
                Just("<a href='x'>".to_owned()),
                Just("</a>".to_owned()),
                Just("<script>".to_owned()),
                Just("</script>".to_owned()),
                Just("<br/>".to_owned()),
                Just("<h1>".to_owned()),
                Just("<pre>".to_owned()),
                Just("<!--".to_owned()),
                Just("-->".to_owned()),
                Just("&amp;&#x1F600;&bogus;&#99999999;".to_owned()),
                Just("<meta property=og:title content='T'>".to_owned()),
                Just(
                    "<script type=application/ld+json>{\"@type\":\"Article\",\"headline\":"
                        .to_owned()
                ),
                "[a-zé .,<>/\"'=&;\n]{0,40}",
            ];
            prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn any_string_never_panics(s in any::<String>()) {
                let _ = extract(&s);
            }

            #[test]
            fn any_tag_soup_never_panics(s in tag_soup()) {
                let a = extract(&s);
                prop_assert!(!a.text.starts_with(char::is_whitespace));
            }

            #[test]
            fn any_bytes_decode(bytes in prop::collection::vec(any::<u8>(), 0..300), hint in "[a-z0-9-]{0,12}") {
                let _ = decode(&bytes, Some(&hint));
                let _ = decode(&bytes, None);
            }
        }
    }
}
