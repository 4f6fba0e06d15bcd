//! What `build.rs` ships deflated: the Fluent catalogs (`i18n/*.ftl`), the public-suffix list,
//! and the bytes and text of the anchor tables (`anchors::tables`): about 215 KB, 110 KB
//! deflated. Each is inflated once, when first needed (the catalog of a language when a sentence
//! in it is first rendered, the list when a pin policy is first loaded, the tables when path
//! building first needs its anchors or a name in them is first read), and then serves as the
//! bytes or text did.

/// The catalogs, by language code.
pub(crate) static EN_FTL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en.ftl.deflate"));
pub(crate) static RU_FTL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ru.ftl.deflate"));
pub(crate) static KK_FTL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kk.ftl.deflate"));

/// The public-suffix list as `build.rs` writes it (`public_suffixes` there).
pub(crate) static PUBLIC_SUFFIXES: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/public_suffixes.txt.deflate"));

/// The text `build.rs` deflated. These are the library's own bytes, made at build time, and the
/// tests inflate each one; should one still fail, the result is empty (no catalog: sentences fall
/// back to their ids; no list: no suffix is refused), never a panic.
pub(crate) fn text(deflated: &[u8]) -> String {
    String::from_utf8(bytes(deflated)).unwrap_or_default()
}

/// The bytes `build.rs` deflated; empty should they not inflate, as for [`text`].
pub(crate) fn bytes(deflated: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, 1 << 20).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_inflate_to_the_files() {
        for (deflated, file) in [(EN_FTL, "en"), (RU_FTL, "ru"), (KK_FTL, "kk")] {
            let path = format!("{}/i18n/{file}.ftl", env!("CARGO_MANIFEST_DIR"));
            let source = std::fs::read_to_string(path).expect("the catalog");
            assert!(deflated.len() < source.len() / 2, "{file}");
            assert_eq!(text(deflated), source, "{file}");
        }
    }

    #[test]
    fn public_suffixes_inflate() {
        let list = text(PUBLIC_SUFFIXES);
        assert!(list.lines().count() > 100, "{}", list.len());
        assert!(list.lines().any(|l| l.starts_with("uk ")));
    }

    #[test]
    fn what_does_not_inflate_is_empty() {
        assert_eq!(text(b"not deflate"), "");
        assert_eq!(text(&EN_FTL[..EN_FTL.len() / 2]), "");
    }
}
