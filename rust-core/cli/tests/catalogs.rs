//! The CLI's catalogs (`i18n/{en,ru,kk}.ftl`): every message in all three languages with the
//! same arguments; every id the CLI's sources say (`msg!("...")`, and the engine messages it
//! renders itself) exists; no message of one catalog is lost to a clash with the engine's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

const LANGS: [&str; 3] = ["en", "ru", "kk"];

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn walk_pattern(p: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let PatternElement::Placeable { expression } = e {
            walk_expression(expression, vars);
        }
    }
}

fn walk_expression(e: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        Expression::Select { selector, variants } => {
            walk_inline(selector, vars);
            for v in variants {
                walk_pattern(&v.value, vars);
            }
        }
        Expression::Inline(i) => walk_inline(i, vars),
    }
}

fn walk_inline(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        // A reference to another message (the engine's catalogs have them): its own
        // arguments are checked by the engine's test.
        InlineExpression::MessageReference { .. } => {}
        InlineExpression::Placeable { expression } => walk_expression(expression, vars),
        _ => {}
    }
}

/// Every message of a catalog and the variables it reads, parsed strictly (no junk).
fn messages(what: &str, src: &str) -> BTreeMap<String, BTreeSet<String>> {
    let res = fluent_syntax::parser::parse(src)
        .unwrap_or_else(|(_, errors)| panic!("{what} does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in &res.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                let value = m
                    .value
                    .as_ref()
                    .unwrap_or_else(|| panic!("{what}: {} has no value", m.id.name));
                walk_pattern(value, &mut vars);
                assert!(
                    out.insert(m.id.name.to_string(), vars).is_none(),
                    "{what}: {} defined twice",
                    m.id.name
                );
            }
            Entry::Junk { content } => panic!("{what}: junk {content:?}"),
            _ => {}
        }
    }
    out
}

fn cli(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    messages(
        &format!("cli {lang}.ftl"),
        &read(&format!("i18n/{lang}.ftl")),
    )
}

fn engine(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    messages(
        &format!("engine {lang}.ftl"),
        &read(&format!("../engine/i18n/{lang}.ftl")),
    )
}

#[test]
fn every_cli_message_exists_in_every_language_with_the_same_arguments() {
    let en = cli("en");
    assert!(en.len() > 40, "en.ftl has only {} messages", en.len());
    for lang in &LANGS[1..] {
        let other = cli(lang);
        let a: BTreeSet<_> = en.keys().collect();
        let b: BTreeSet<_> = other.keys().collect();
        assert_eq!(
            a.difference(&b).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "missing in {lang}.ftl"
        );
        assert_eq!(
            b.difference(&a).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "in {lang}.ftl but not en.ftl"
        );
        for (id, vars) in &en {
            assert_eq!(
                &other[id], vars,
                "{lang}: {id} takes other arguments than in English"
            );
        }
    }
}

#[test]
fn cli_ids_do_not_clash_with_the_engines() {
    // A clash would hide one of the two (the CLI's wins in its bundle).
    let engine = engine("en");
    for id in cli("en").keys() {
        assert!(!engine.contains_key(id), "{id} is in both catalogs");
        assert!(id.starts_with("cli-"), "{id}: CLI ids start with cli-");
    }
}

/// The ids in `src` after `marker` (a string literal right after it).
fn ids_after(src: &str, marker: &str) -> Vec<String> {
    src.match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &src[i + marker.len()..];
            let end = rest.find('"')?;
            Some(rest[..end].to_string())
        })
        .collect()
}

#[test]
fn every_id_the_cli_says_exists() {
    let cli = cli("en");
    let engine = engine("en");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut used = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for id in ids_after(&src, "msg!(\"") {
            used += 1;
            assert!(
                cli.contains_key(&id),
                "{name}: msg!(\"{id}\") is not in i18n/en.ftl"
            );
        }
        // Engine messages the CLI renders itself.
        for id in ids_after(&src, "i18n::render(lang, \"") {
            used += 1;
            assert!(
                engine.contains_key(&id),
                "{name}: {id} is not in the engine's catalog"
            );
        }
    }
    assert!(used > 50, "only {used} uses found: has the macro changed?");
    // and every CLI message is used somewhere
    let all: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for id in cli.keys() {
        // The help of each command and argument is looked up by a name made at run time
        // (src/help.rs; its test checks that every command and argument has one).
        if id.starts_with("cli-help-") && !all.contains(&format!("\"{id}\"")) {
            continue;
        }
        assert!(all.contains(&format!("\"{id}\"")), "{id} is never said");
    }
}

#[test]
fn every_probe_error_code_has_words_in_the_cli() {
    // cli-probe-error selects on the JSON code of ProbeErrorCode: a new code needs a variant.
    let src = read("i18n/en.ftl");
    let start = src.find("cli-probe-error =").unwrap();
    let block = &src[start..src[start..].find("\n}").unwrap() + start];
    for code in [
        "dns_failed",
        "connect_failed",
        "connection_refused",
        "not_tls",
        "timeout",
        "tls_alert",
        "reset_after_client_hello",
        "tls_error",
    ] {
        assert!(block.contains(&format!("[{code}]")), "{code}");
    }
}
