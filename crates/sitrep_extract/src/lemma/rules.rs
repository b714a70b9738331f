//! Suffix rules for words the tables do not know: regular English inflection undone.
//!
//! Each function takes a lower-case word and returns its lemma, or `None` when no rule applies
//! (the lemma is then the word itself). The rules are conservative: an unknown word is more often
//! a name, a borrowing or a compound than a rare inflection, and a wrong strip is worse than none.

/// Whether `b` is an ASCII vowel (`y` counts as a consonant here).
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !is_vowel(b)
}

/// Whether the word is ASCII letters and hyphens only: rules never touch other words.
fn is_plain(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// A plural noun to its singular: "drones" → drone, "militias" → militia, "casualties" → casualty,
/// "churches" → church, "selves" stays unknown, "-men" → -man.
pub(crate) fn noun(word: &str) -> Option<String> {
    if !is_plain(word) || word.len() < 4 {
        return None;
    }
    let strip = |n: usize, add: &str| Some(format!("{}{add}", &word[..word.len() - n]));
    if word.ends_with("men") && word.len() > 5 {
        return strip(3, "man");
    }
    if word.ends_with("ies") && word.len() > 4 {
        return strip(3, "y");
    }
    if word.ends_with("lves") {
        return strip(3, "f");
    }
    for sib in ["sses", "xes", "ches", "shes", "zzes"] {
        if word.ends_with(sib) {
            return strip(2, "");
        }
    }
    if word.ends_with("ss")
        || word.ends_with("us")
        || word.ends_with("is")
        || word.ends_with("os") && word.len() < 5
        || word.ends_with("'s")
    {
        return None;
    }
    if word.ends_with('s') {
        return strip(1, "");
    }
    None
}

/// A verb form to its base: "-ies"/"-ied" → -y, "-es" after a sibilant, "-s", "-ed" and "-ing"
/// with consonant doubling undone ("shelled" → shell but "targeted" → target, "shipped" → ship)
/// and a final e restored where English spelling needs one ("seized" → seize, "charged" → charge).
pub(crate) fn verb(word: &str) -> Option<String> {
    if !is_plain(word) || word.len() < 4 {
        return None;
    }
    let n = word.len();
    if word.ends_with("ies") || word.ends_with("ied") {
        return Some(format!("{}y", &word[..n - 3]));
    }
    if word.ends_with("ying") && n > 5 {
        return Some(word[..n - 3].to_string());
    }
    if word.ends_with("ing") && n > 5 {
        return Some(restore_stem(&word[..n - 3]));
    }
    if word.ends_with("eed") {
        return None; // "agreed" is in the tables; unknown "-eed" words are rarely verb forms
    }
    if word.ends_with("ed") && n > 4 {
        return Some(restore_stem(&word[..n - 2]));
    }
    for sib in ["sses", "xes", "ches", "shes", "zzes", "oes"] {
        if word.ends_with(sib) {
            return Some(word[..n - 2].to_string());
        }
    }
    if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        return Some(word[..n - 1].to_string());
    }
    None
}

/// A comparative or superlative adjective to its positive: "-iest"/"-ier" → -y, "-est"/"-er"
/// with doubling undone ("hottest" → hot). Only for clear cases: most unknown "-er" words are
/// not comparatives.
pub(crate) fn adjective(word: &str) -> Option<String> {
    if !is_plain(word) || word.len() < 6 {
        return None;
    }
    let n = word.len();
    if word.ends_with("iest") {
        return Some(format!("{}y", &word[..n - 4]));
    }
    if word.ends_with("ier") {
        return Some(format!("{}y", &word[..n - 3]));
    }
    if word.ends_with("est") && !word.ends_with("west") {
        let stem = &word[..n - 3];
        let b = stem.as_bytes();
        if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && is_consonant(b[b.len() - 1]) {
            return Some(stem[..stem.len() - 1].to_string());
        }
        return Some(stem.to_string());
    }
    None
}

/// The stem left after removing "-ed" or "-ing", respelled as a base form.
fn restore_stem(stem: &str) -> String {
    let b = stem.as_bytes();
    let n = b.len();
    if n < 2 {
        return stem.to_string();
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    // Doubled final consonant: "shipped" → ship; but "shelled", "missed", "buzzed" keep it.
    if last == prev && is_consonant(last) && !matches!(last, b'l' | b's' | b'z' | b'f') {
        return stem[..n - 1].to_string();
    }
    // A final e dropped before the suffix: "seiz" → seize, "charg" → charge, "mov" → move,
    // "argu" → argue, "tackl" → tackle, "caus" → cause, "pav" → pave.
    let needs_e = matches!(last, b'c' | b'g' | b'v' | b'z' | b'u')
        || (last == b'l' && is_consonant(prev) && prev != b'l' && prev != b'r')
        || (last == b's' && is_vowel(prev) && n >= 3 && is_vowel(b[n - 3]))
        || (n == 3 && is_consonant(b[0]) && is_vowel(b[1]) && is_consonant(last));
    if needs_e && !(last == b'g' && prev == b'n') {
        return format!("{stem}e");
    }
    stem.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noun_rules() {
        assert_eq!(noun("casualties").as_deref(), Some("casualty"));
        assert_eq!(noun("drones").as_deref(), Some("drone"));
        assert_eq!(noun("militias").as_deref(), Some("militia"));
        assert_eq!(noun("churches").as_deref(), Some("church"));
        assert_eq!(noun("boxes").as_deref(), Some("box"));
        assert_eq!(noun("wolves").as_deref(), Some("wolf"));
        assert_eq!(noun("archives").as_deref(), Some("archive"));
        assert_eq!(noun("militiamen").as_deref(), Some("militiaman"));
        assert_eq!(noun("counter-attacks").as_deref(), Some("counter-attack"));
        assert_eq!(noun("status"), None);
        assert_eq!(noun("analysis"), None);
        assert_eq!(noun("fortress"), None);
        assert_eq!(noun("gas"), None);
        assert_eq!(noun("kyiv"), None);
    }

    #[test]
    fn verb_rules() {
        assert_eq!(verb("shelled").as_deref(), Some("shell"));
        assert_eq!(verb("targeted").as_deref(), Some("target"));
        assert_eq!(verb("shipped").as_deref(), Some("ship"));
        assert_eq!(verb("seized").as_deref(), Some("seize"));
        assert_eq!(verb("charged").as_deref(), Some("charge"));
        assert_eq!(verb("argued").as_deref(), Some("argue"));
        assert_eq!(verb("tackled").as_deref(), Some("tackle"));
        assert_eq!(verb("caused").as_deref(), Some("cause"));
        assert_eq!(verb("denied").as_deref(), Some("deny"));
        assert_eq!(verb("carries").as_deref(), Some("carry"));
        assert_eq!(verb("pushes").as_deref(), Some("push"));
        assert_eq!(verb("bombing").as_deref(), Some("bomb"));
        assert_eq!(verb("dropping").as_deref(), Some("drop"));
        assert_eq!(verb("missed").as_deref(), Some("miss"));
        assert_eq!(verb("shelling").as_deref(), Some("shell"));
        assert_eq!(verb("burying").as_deref(), Some("bury"));
        assert_eq!(verb("belongs").as_deref(), Some("belong"));
        assert_eq!(verb("passes").as_deref(), Some("pass"));
        assert_eq!(verb("ran"), None);
    }

    #[test]
    fn adjective_rules() {
        assert_eq!(adjective("bloodiest").as_deref(), Some("bloody"));
        assert_eq!(adjective("hottest").as_deref(), Some("hot"));
        assert_eq!(adjective("strongest").as_deref(), Some("strong"));
        assert_eq!(adjective("flimsier").as_deref(), Some("flimsy"));
        assert_eq!(adjective("northwest"), None);
        assert_eq!(adjective("pro-kremlin"), None);
    }

    #[test]
    fn rules_leave_non_ascii_and_short_words_alone() {
        assert_eq!(noun("cafés"), None);
        assert_eq!(verb("naïved"), None);
        assert_eq!(noun("us"), None);
        assert_eq!(verb("is"), None);
    }
}
