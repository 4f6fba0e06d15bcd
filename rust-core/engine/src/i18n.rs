//! What Qorgan says, in Kazakh, Russian or English.
//!
//! Every sentence a person reads (findings, checker advice, removal steps) is a message in the
//! catalogs under `i18n/` (`en.ftl`, `ru.ftl`, `kk.ftl`, Project Fluent syntax), looked up by
//! id with named arguments. The decision code never writes a sentence: it builds a [`Message`]
//! (an id and its arguments) and the catalog of the chosen [`Lang`] renders it.
//!
//! Why Fluent (the `fluent-bundle` crate, Mozilla's reference implementation for Rust): it
//! handles what a sentence needs in Kazakh and Russian (plural categories from CLDR, so
//! "1 сайт / 3 сайта / 5 сайтов"; selectors for a device's platform or a CA's category) in the
//! catalog, where a translator can see and change it, not in code. gettext's one-plural-form
//! model does not cover a selector, and ICU MessageFormat has no maintained Rust crate of this
//! size.
//!
//! Codes (finding codes, verdict names) stay English in every language: they are the JSON and
//! report contract. Only `message` texts change.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language Qorgan speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default, and the fallback for a missing message).
    #[default]
    En,
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Kk];

    /// The BCP 47 code: `en`, `ru` or `kk`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }

    /// The language of a locale or language tag: `kk`, `kk-KZ`, `ru_RU.UTF-8`, `en-US`,
    /// `kk-Cyrl-KZ`. `None` for a language Qorgan does not speak (the caller then falls back
    /// to English) and for `C`/`POSIX`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "kk" | "kaz" => Some(Lang::Kk),
            _ => None,
        }
    }

    /// The catalog (`i18n/<code>.ftl`), shipped deflated.
    fn source(self) -> String {
        crate::deflated::text(match self {
            Lang::En => crate::deflated::EN_FTL,
            Lang::Ru => crate::deflated::RU_FTL,
            Lang::Kk => crate::deflated::KK_FTL,
        })
    }
}

/// The value of one argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text: a name, a host, a date, or a selector key (`yes`, `android`).
    Text(String),
    /// A number (counts select the plural form).
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(i64::from(n))
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Arg {
    /// A flag, as the selector keys `yes` and `no`.
    fn from(b: bool) -> Self {
        Arg::Text(if b { "yes" } else { "no" }.to_string())
    }
}

/// A sentence to say: a catalog id and its arguments, in no language yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The id in the catalogs (`finding-expired`).
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// A message with no arguments yet.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        render(lang, self.id, &self.args)
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: [OnceLock<Bundle>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    BUNDLES[i].get_or_init(|| build_bundle(lang, &[&lang.source()]))
}

/// A bundle of `sources` for `lang`. A catalog that does not parse is a build defect caught
/// by the catalog tests; here what parsed is kept, so one broken message cannot silence the
/// rest.
pub(crate) fn build_bundle(lang: Lang, sources: &[&str]) -> Bundle {
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: the text goes to terminals, logs and JSON, and none of these
    // languages is right-to-left.
    b.set_use_isolating(false);
    for s in sources {
        let res = FluentResource::try_new((*s).to_string()).unwrap_or_else(|(res, _)| res);
        let _ = b.add_resource(res);
    }
    b
}

/// Renders `id` from `bundle` with `args`; `None` when the bundle lacks it.
pub(crate) fn format(bundle: &Bundle, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut fa = FluentArgs::new();
    for (k, v) in args {
        match v {
            Arg::Text(s) => fa.set(*k, FluentValue::from(s.as_str())),
            Arg::Number(n) => fa.set(*k, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fa), &mut errors);
    Some(text.into_owned())
}

/// The sentence `id` in `lang`, English when `lang`'s catalog lacks it, and the id itself
/// when no catalog has it (a defect the catalog tests catch; never an empty string).
pub fn render(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    format(bundle(lang), id, args)
        .or_else(|| format(bundle(Lang::En), id, args))
        .unwrap_or_else(|| id.to_string())
}

/// A program's own catalogs over the engine's: the `qorgan` CLI keeps its sentences
/// (headings, usage errors) in its own `.ftl` files, so that the phone library does not carry
/// them, and renders them with the same machinery. A message is looked up in the program's
/// catalog of the language, then the engine's of the language, then both in English.
pub struct Catalogs {
    bundles: [Bundle; 3],
}

impl Catalogs {
    /// Catalogs from `source`, the program's Fluent text for each language; the engine's
    /// messages stay available (the program's win on a shared id).
    pub fn new(source: impl Fn(Lang) -> &'static str) -> Self {
        Self {
            bundles: Lang::ALL.map(|l| build_bundle(l, &[source(l), &l.source()])),
        }
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        &self.bundles[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
    }

    /// The sentence `id` in `lang`, English when `lang` lacks it, the id when no catalog has it.
    pub fn render(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        self.get(lang, id, args).unwrap_or_else(|| id.to_string())
    }

    /// The sentence `id` in `lang`, English when `lang` lacks it, None when no catalog has it.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
        format(self.bundle(lang), id, args).or_else(|| format(self.bundle(Lang::En), id, args))
    }
}
