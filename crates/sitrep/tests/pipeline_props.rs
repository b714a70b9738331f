//! Any input through every stage built so far: no panic, every span valid.

use proptest::prelude::*;
use sitrep_doc::Meta;
use sitrep_extract::Pipeline;
use sitrep_read::{Body, Origin, RawDoc};

fn raw(body: Body) -> RawDoc {
    RawDoc {
        origin: Origin::file("prop"),
        meta: Meta::default(),
        published_fallback: None,
        body,
    }
}

/// Text made of the pieces that trip segmenters and cleaners up.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("U.S.".to_owned()),
        Just("Gen. ".to_owned()),
        Just("\"".to_owned()),
        Just("\u{201d}".to_owned()),
        Just("...".to_owned()),
        Just("\u{2026}".to_owned()),
        Just(" \u{2014} ".to_owned()),
        Just("\n\n".to_owned()),
        Just("\n".to_owned()),
        Just("3.5".to_owned()),
        Just("(".to_owned()),
        Just(").".to_owned()),
        Just("Leave a Reply\n".to_owned()),
        Just("Photograph: A. B./AP\n".to_owned()),
        Just("<p>".to_owned()),
        Just("</div>".to_owned()),
        Just("<script>".to_owned()),
        Just("&amp;".to_owned()),
        "[A-Za-z]{1,8}",
        " ",
        ". ",
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(body: Body) {
    let pipeline = Pipeline::standard();
    let mut doc = raw(body).into_doc();
    pipeline.run(&mut doc);
    doc.validate().unwrap();
    for s in doc.sentences() {
        assert!(
            !doc.slice(s.span).trim().is_empty(),
            "a sentence is never blank"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text(text in "\\PC*") {
        check(Body::Text(text));
    }

    #[test]
    fn arbitrary_html(html in "\\PC*") {
        check(Body::Html(html));
    }

    #[test]
    fn newsy_text(text in newsy()) {
        check(Body::Text(text.clone()));
        check(Body::Html(text));
    }
}
