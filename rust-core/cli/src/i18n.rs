//! The CLI's own sentences, in Kazakh, Russian or English: `i18n/{en,ru,kk}.ftl` beside this
//! crate, rendered by the engine's Fluent machinery ([`qorgan::i18n::Catalogs`]) with the
//! engine's catalogs as fallback. The language is chosen once, at start: `--lang`, else the
//! locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.

use std::sync::OnceLock;

use qorgan::i18n::{Arg, Catalogs, Lang};

static LANG: OnceLock<Lang> = OnceLock::new();

fn catalogs() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(|| {
        Catalogs::new(|l| match l {
            Lang::En => include_str!("../i18n/en.ftl"),
            Lang::Ru => include_str!("../i18n/ru.ftl"),
            Lang::Kk => include_str!("../i18n/kk.ftl"),
        })
    })
}

/// Sets the language for the run (the first call wins).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of the run.
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
/// and not empty decides (as POSIX says); a language Qorgan does not speak gives English.
pub fn locale_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| var(k))
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_tag(&v))
        .unwrap_or_default()
}

/// The value of `--lang` in the raw arguments, read before clap so that clap's own usage
/// errors and ours are said in it.
pub fn lang_arg(args: &[String]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
        if a == "--lang" {
            return it.next().cloned();
        }
    }
    None
}

/// `id` in the run's language (English when the language lacks it), or None when no catalog
/// has it: for messages whose ids are made at run time (the help of each argument).
pub fn try_render(id: &str) -> Option<String> {
    catalogs().get(lang(), id, &[])
}

/// Renders `id` with `args` in the run's language.
pub fn render(id: &str, args: &[(&str, Arg)]) -> String {
    catalogs().render(lang(), id, args)
}

/// `msg!(ID)` or `msg!(ID, name = value, ...)`, ID a string literal: a sentence of the CLI catalogs in the
/// run's language. (The catalog test finds every id used through this macro.)
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::i18n::render($id, &[$((stringify!($k), qorgan::i18n::Arg::from($v))),*])
    };
}
