//! The message catalogs (`i18n/{en,ru,kk}.ftl`): every message in all three languages, with the
//! same arguments; every id the code uses exists; every message renders in every language with
//! no argument left unfilled.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use qorgan::i18n::{render, Arg, Lang};

const LANGS: [&str; 3] = ["en", "ru", "kk"];

fn catalog(lang: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("i18n/{lang}.ftl"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// What one message uses: the variables it reads and the messages it refers to.
#[derive(Default, Debug, PartialEq)]
struct Uses {
    vars: BTreeSet<String>,
    refs: BTreeSet<String>,
}

fn walk_pattern(p: &Pattern<&str>, u: &mut Uses) {
    for e in &p.elements {
        if let PatternElement::Placeable { expression } = e {
            walk_expression(expression, u);
        }
    }
}

fn walk_expression(e: &Expression<&str>, u: &mut Uses) {
    match e {
        Expression::Select { selector, variants } => {
            walk_inline(selector, u);
            for v in variants {
                walk_pattern(&v.value, u);
            }
        }
        Expression::Inline(i) => walk_inline(i, u),
    }
}

fn walk_inline(i: &InlineExpression<&str>, u: &mut Uses) {
    match i {
        InlineExpression::VariableReference { id } => {
            u.vars.insert(id.name.to_string());
        }
        InlineExpression::MessageReference { id, .. } => {
            u.refs.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => walk_expression(expression, u),
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                walk_inline(a, u);
            }
        }
        _ => {}
    }
}

/// Every message of a catalog, parsed strictly (no junk).
fn messages(lang: &str, src: &str) -> BTreeMap<String, Uses> {
    let res = fluent_syntax::parser::parse(src)
        .unwrap_or_else(|(_, errors)| panic!("{lang}.ftl does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in &res.body {
        match entry {
            Entry::Message(m) => {
                let mut u = Uses::default();
                let value = m
                    .value
                    .as_ref()
                    .unwrap_or_else(|| panic!("{lang}: {} has no value", m.id.name));
                walk_pattern(value, &mut u);
                assert!(
                    out.insert(m.id.name.to_string(), u).is_none(),
                    "{lang}: {} defined twice",
                    m.id.name
                );
            }
            Entry::Junk { content } => panic!("{lang}.ftl: junk {content:?}"),
            _ => {}
        }
    }
    out
}

/// The variables a message needs, through the messages it refers to.
fn needs(id: &str, all: &BTreeMap<String, Uses>, seen: &mut BTreeSet<String>) -> BTreeSet<String> {
    let mut vars = BTreeSet::new();
    if !seen.insert(id.to_string()) {
        return vars;
    }
    let u = &all[id];
    vars.extend(u.vars.iter().cloned());
    for r in &u.refs {
        assert!(
            all.contains_key(r),
            "{id} refers to {r}, which does not exist"
        );
        vars.extend(needs(r, all, seen));
    }
    vars
}

#[test]
fn every_message_exists_in_every_language_with_the_same_arguments() {
    let parsed: Vec<(&str, BTreeMap<String, Uses>)> = LANGS
        .iter()
        .map(|l| (*l, messages(l, &catalog(l))))
        .collect();
    let en = &parsed[0].1;
    assert!(en.len() > 50, "en.ftl has only {} messages", en.len());
    for (lang, msgs) in &parsed[1..] {
        let en_ids: BTreeSet<_> = en.keys().collect();
        let ids: BTreeSet<_> = msgs.keys().collect();
        assert_eq!(
            en_ids.difference(&ids).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "missing in {lang}.ftl"
        );
        assert_eq!(
            ids.difference(&en_ids).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "in {lang}.ftl but not en.ftl"
        );
        for id in en.keys() {
            let want = needs(id, en, &mut BTreeSet::new());
            let got = needs(id, msgs, &mut BTreeSet::new());
            assert_eq!(
                got, want,
                "{lang}: {id} takes other arguments than in English"
            );
        }
    }
}

/// Every `Message::new("...")` id in the engine's sources, with the file it is in.
fn ids_in_code() -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let s = std::fs::read_to_string(&p).unwrap();
                for (i, _) in s.match_indices("Message::new(\"") {
                    let rest = &s[i + "Message::new(\"".len()..];
                    let id = &rest[..rest.find('"').unwrap()];
                    out.push((id.to_string(), p.clone()));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_id_the_code_uses_is_in_the_catalogs() {
    let en = messages("en", &catalog("en"));
    let used = ids_in_code();
    assert!(used.len() > 40, "found only {} ids in the code", used.len());
    for (id, file) in &used {
        if id == "ca-kind"
            || id.starts_with("checker-")
            || id.starts_with("finding-")
            || id == "unnamed-anchor"
        {
            assert!(
                en.contains_key(id),
                "{} uses {id}, which en.ftl lacks",
                file.display()
            );
        } else {
            panic!("{} uses {id}: not a catalog id", file.display());
        }
    }
}

#[test]
fn every_message_renders_fully_in_every_language() {
    let en = messages("en", &catalog("en"));
    for lang in Lang::ALL {
        for id in en.keys() {
            let vars = needs(id, &en, &mut BTreeSet::new());
            // Plausible values: numbers for counts, selector keys that hit a non-default
            // variant where one exists, text for the rest.
            let args: Vec<(&str, Arg)> = vars
                .iter()
                .map(|v| {
                    let a = match v.as_str() {
                        "count" | "more" | "rest" | "bits" | "checked" | "intercepted"
                        | "reached" => Arg::Number(3),
                        "country" => Arg::Text("KZ".into()),
                        "category" => Arg::Text("government_interception".into()),
                        "platform" => Arg::Text("android".into()),
                        "user_added" => Arg::Text("yes".into()),
                        _ => Arg::Text(format!("<{v}>")),
                    };
                    (v.as_str(), a)
                })
                .collect();
            let text = render(lang, id, &args);
            assert!(!text.is_empty() && text != *id, "{lang:?} {id}: {text:?}");
            assert!(
                !text.contains("{$") && !text.contains("{ $") && !text.contains("???"),
                "{lang:?} {id} left a placeholder: {text}"
            );
            // Kazakh and Russian text is Cyrillic wherever it is prose.
            if lang != Lang::En && text.chars().filter(|c| c.is_alphabetic()).count() > 20 {
                assert!(
                    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
                    "{lang:?} {id} is not translated: {text}"
                );
            }
        }
    }
}

#[test]
fn plurals_follow_each_language() {
    let say = |lang, n: i64| {
        render(
            lang,
            "checker-headline-safe-sites",
            &[("reached", Arg::Number(n))],
        )
    };
    assert!(
        say(Lang::En, 1).contains("1 site that"),
        "{}",
        say(Lang::En, 1)
    );
    assert!(say(Lang::En, 5).contains("5 sites"), "{}", say(Lang::En, 5));
    assert!(say(Lang::Ru, 1).contains("1 сайт."), "{}", say(Lang::Ru, 1));
    assert!(
        say(Lang::Ru, 3).contains("3 сайта."),
        "{}",
        say(Lang::Ru, 3)
    );
    assert!(
        say(Lang::Ru, 5).contains("5 сайтов."),
        "{}",
        say(Lang::Ru, 5)
    );
    assert!(
        say(Lang::Ru, 21).contains("21 сайт."),
        "{}",
        say(Lang::Ru, 21)
    );
    // Kazakh nouns stay singular after a number.
    assert!(
        say(Lang::Kk, 5).contains("5 сайтта"),
        "{}",
        say(Lang::Kk, 5)
    );
}

#[test]
fn locale_tags_pick_the_language() {
    for (tag, want) in [
        ("kk", Some(Lang::Kk)),
        ("kk-KZ", Some(Lang::Kk)),
        ("kk_KZ.UTF-8", Some(Lang::Kk)),
        ("ru_RU.UTF-8", Some(Lang::Ru)),
        ("ru-KZ", Some(Lang::Ru)),
        ("en-US", Some(Lang::En)),
        ("de_DE", None),
        ("C", None),
        ("", None),
    ] {
        assert_eq!(Lang::from_tag(tag), want, "{tag}");
    }
}

#[test]
fn every_distrust_reason_is_translated() {
    // A removal reason is data (root-programs/distrusted.tsv, English); its Kazakh and Russian
    // wording is the catalogs' distrust-reason, chosen by the row's reason_id.
    let tsv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/root-programs/distrusted.tsv"),
    )
    .unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (reason, id) = (col("reason"), col("reason_id"));
    let mut ids = std::collections::BTreeSet::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        ids.insert((cols[id].to_string(), cols[reason].to_string()));
    }
    assert!(ids.len() >= 9, "{ids:?}");
    for (id, english) in &ids {
        let args = |id: &str| {
            vec![
                ("reason_id", qorgan::i18n::Arg::from(id)),
                ("reason", qorgan::i18n::Arg::from(english.as_str())),
            ]
        };
        assert_eq!(
            qorgan::i18n::render(Lang::En, "distrust-reason", &args(id)),
            english.as_str()
        );
        for lang in [Lang::Ru, Lang::Kk] {
            let said = qorgan::i18n::render(lang, "distrust-reason", &args(id));
            assert_ne!(&said, english, "{lang:?}: no wording for reason_id {id}");
            assert!(
                said.chars().any(|c| ('а'..='я').contains(&c)),
                "{lang:?} {id}: {said}"
            );
        }
    }
}
