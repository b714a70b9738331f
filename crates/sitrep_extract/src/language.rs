//! Language identification with `whichlang` (16 languages, a linear model over character n-grams).

use sitrep_doc::{Doc, Layer};
use whichlang::Lang;

use crate::Stage;

/// How much of the text is looked at: enough for a stable answer, bounded for long documents.
const SAMPLE_BYTES: usize = 4096;
/// Below this many letters the answer is "und" (undetermined): a headline alone is too short.
const MIN_LETTERS: usize = 20;

/// Sets the document's language to an ISO 639-1 code, or "und" for text too short to tell.
#[derive(Debug, Default)]
pub struct LanguageIdentifier {}

impl LanguageIdentifier {
    pub fn new() -> LanguageIdentifier {
        LanguageIdentifier {}
    }

    /// The ISO 639-1 code of `text`'s language, or "und".
    pub fn identify(&self, text: &str) -> &'static str {
        let mut end = text.len().min(SAMPLE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sample = &text[..end];
        if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
            return "und";
        }
        iso639_1(whichlang::detect_language(sample))
    }
}

fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Deu => "de",
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Hin => "hi",
        Lang::Ita => "it",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Nld => "nl",
        Lang::Por => "pt",
        Lang::Rus => "ru",
        Lang::Spa => "es",
        Lang::Swe => "sv",
        Lang::Tur => "tr",
        Lang::Vie => "vi",
    }
}

impl Stage for LanguageIdentifier {
    fn name(&self) -> &'static str {
        "language"
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Language]
    }

    fn process(&self, doc: &mut Doc) {
        let language = self.identify(doc.text());
        doc.set_language(language);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_news_languages() {
        let id = LanguageIdentifier::new();
        assert_eq!(id.identify("Russian President Vladimir Putin ordered a partial withdrawal of his forces from Syria."), "en");
        assert_eq!(
            id.identify(
                "Le président russe a ordonné le retrait partiel de ses forces de Syrie lundi."
            ),
            "fr"
        );
        assert_eq!(
            id.identify(
                "Der russische Präsident ordnete am Montag den teilweisen Abzug seiner Truppen an."
            ),
            "de"
        );
        assert_eq!(
            id.identify(
                "El presidente ruso ordenó el lunes la retirada parcial de sus fuerzas de Siria."
            ),
            "es"
        );
    }

    #[test]
    fn short_text_is_undetermined() {
        assert_eq!(LanguageIdentifier::new().identify("Putin speaks"), "und");
        assert_eq!(LanguageIdentifier::new().identify(""), "und");
    }
}
