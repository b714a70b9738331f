//! Golden tests of the place stage: toponyms resolved in context (fixtures written for sitrep).

use sitrep_doc::{Doc, Meta, PlaceFeature};
use sitrep_extract::place::PlaceLinker;
use sitrep_extract::{Pipeline, Stage};

fn places(text: &str) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    Pipeline::standard().run(&mut doc);
    PlaceLinker::new().process(&mut doc);
    doc
}

/// The place whose text is `surface`.
fn find<'a>(doc: &'a Doc, surface: &str) -> &'a sitrep_doc::Place {
    doc.places()
        .iter()
        .find(|p| doc.slice(p.span) == surface)
        .unwrap_or_else(|| panic!("no place {surface:?} in {:?}", doc.places()))
}

#[test]
fn aleppo_in_a_syria_article() {
    let doc = places("Syrian government forces shelled rebel districts of Aleppo on Tuesday, activists in Syria said.");
    let p = find(&doc, "Aleppo");
    assert_eq!(p.country.as_deref(), Some("SY"));
    assert_eq!(p.feature, PlaceFeature::City);
    assert!((p.lat - 36.2).abs() < 0.5 && (p.lon - 37.16).abs() < 0.5);
}

#[test]
fn paris_in_a_texas_article() {
    let doc = places("The storm damaged dozens of homes in Paris on Sunday, officials in Texas said. Lamar County schools were closed.");
    let p = find(&doc, "Paris");
    assert_eq!(p.country.as_deref(), Some("US"));
    assert_eq!(p.admin1.as_deref(), Some("TX"));
}

#[test]
fn paris_comma_texas() {
    let doc = places("A tornado struck Paris, Texas, late on Sunday.");
    assert_eq!(find(&doc, "Paris").admin1.as_deref(), Some("TX"));
}

#[test]
fn georgia_the_country_with_tbilisi_context() {
    let doc = places("Russian troops remain in Abkhazia, the breakaway region of Georgia, officials in Tbilisi said.");
    let p = find(&doc, "Georgia");
    assert_eq!(p.country.as_deref(), Some("GE"));
    assert_eq!(p.feature, PlaceFeature::Country);
}

#[test]
fn georgia_the_state_with_atlanta_context() {
    let doc = places(
        "Voters in Georgia lined up for hours at polling stations across Atlanta on Tuesday.",
    );
    let p = find(&doc, "Georgia");
    assert_eq!(p.country.as_deref(), Some("US"));
    assert_eq!(p.feature, PlaceFeature::Admin1);
}

#[test]
fn hemeimeem_air_base() {
    let doc = places("Russian jets took off from the Hemeimeem air base in Syria on Monday.");
    let p = doc
        .places()
        .iter()
        .find(|p| doc.slice(p.span).contains("Hemeimeem"))
        .expect("the base is found");
    assert_eq!(p.feature, PlaceFeature::Feature);
    // near Latakia (35.52 N, 35.79 E)
    assert!((p.lat - 35.4).abs() < 0.3 && (p.lon - 35.9).abs() < 0.3);
}

#[test]
fn a_country_mention_is_the_country() {
    let doc = places("Protests spread across Egypt and Jordan on Friday.");
    for name in ["Egypt", "Jordan"] {
        assert_eq!(find(&doc, name).feature, PlaceFeature::Country, "{name}");
    }
}

#[test]
fn governing_place_of_a_clause() {
    let doc = places("Rebels attacked an army post in Idlib on Monday.");
    let n = doc.tokens().len() as u32;
    let p = PlaceLinker::governing(&doc, 0, 0..n).expect("a place");
    assert_eq!(doc.slice(p.span), "Idlib");
}

#[test]
fn istanbul_is_the_city_not_the_province() {
    let doc =
        places("A bomb exploded near a stadium in Istanbul late on Saturday, officials said.");
    let p = find(&doc, "Istanbul");
    assert_eq!(p.country.as_deref(), Some("TR"));
    assert_eq!(p.feature, PlaceFeature::City);
}

#[test]
fn the_kremlin_is_not_a_place() {
    let doc =
        places("The Kremlin denied the report on Friday, and the White House declined to comment.");
    assert!(
        doc.places()
            .iter()
            .all(|p| !matches!(doc.slice(p.span), "Kremlin" | "White House")),
        "{:?}",
        doc.places()
    );
}

#[test]
fn a_county_name_without_its_suffix_in_the_gazetteer() {
    let doc = places("Deputies in Dallas County, Texas, searched the river for a missing swimmer.");
    let p = find(&doc, "Dallas County");
    assert_eq!(p.country.as_deref(), Some("US"));
}

#[test]
fn a_state_named_inside_an_organization() {
    let doc = places("Officers of the Queensland Police Service arrested two men on Sunday.");
    let p = find(&doc, "Queensland");
    assert_eq!(p.country.as_deref(), Some("AU"));
}

#[test]
fn a_county_in_a_kentucky_article() {
    let doc = places(
        "Flooding closed roads in Boone County on Monday, emergency officials in Kentucky said.",
    );
    let p = find(&doc, "Boone County");
    assert_eq!(p.country.as_deref(), Some("US"));
    assert_eq!(p.admin1.as_deref(), Some("KY"));
    assert!((p.lat - 38.95).abs() < 0.5 && (p.lon + 84.75).abs() < 0.5);
}

#[test]
fn a_state_abbreviation_is_the_state() {
    let doc = places("The fire burned near homes in Paris, Tenn., on Friday, officials said.");
    let p = find(&doc, "Paris");
    assert_eq!(p.admin1.as_deref(), Some("TN"));
}

#[test]
fn an_abbreviated_state_read_as_an_acronym() {
    let doc = places("Police in NSW said the fire spread on Monday.");
    assert_eq!(find(&doc, "NSW").name, "New South Wales");
}
