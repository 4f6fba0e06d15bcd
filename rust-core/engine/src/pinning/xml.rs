//! XML for Network Security Config files: roxmltree's well-formed XML 1.0 with namespaces,
//! and the line and column of each element for error messages.
//!
//! roxmltree refuses what is not well formed (bad character references, `--` in a comment,
//! `]]>` in text, a late XML declaration, an unbound namespace prefix, characters XML does
//! not allow, ...) and document type declarations (`<!DOCTYPE`), so no entity can be
//! defined, let alone expanded (the "billion laughs" attack). An element's name is its local
//! part (as Android's parser gives it), and attributes are looked up without a namespace, so
//! `tools:ignore` is never `ignore`.
//!
//! Positions come from a table of line starts made once per document: an element's line is a
//! binary search, its column a count of characters on its line (none for ASCII text, and
//! continued from the previous element when it is further on the same line), so a large file
//! costs no scan from the start per element.

use std::cell::Cell;

/// The deepest nesting of `<domain-config>`s accepted (Android's own reader recurses too).
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a text is not well-formed XML, and where (line and column, from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub line: u32,
    pub column: u32,
    pub reason: String,
}

/// A parsed document and the positions of its text.
pub(crate) struct Document<'t> {
    doc: roxmltree::Document<'t>,
    positions: Positions<'t>,
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub(crate) struct Node<'d> {
    node: roxmltree::Node<'d, 'd>,
    positions: &'d Positions<'d>,
}

impl<'t> Document<'t> {
    /// Parses `text` (without a byte-order mark).
    pub(crate) fn parse(text: &'t str) -> Result<Self, XmlError> {
        let positions = Positions::new(text);
        let options = roxmltree::ParsingOptions {
            allow_dtd: false,
            ..roxmltree::ParsingOptions::default()
        };
        match roxmltree::Document::parse_with_options(text, options) {
            Ok(doc) => Ok(Self { doc, positions }),
            Err(e) => Err(positions.error(&e)),
        }
    }

    /// The root element.
    pub(crate) fn root(&self) -> Node<'_> {
        Node {
            node: self.doc.root_element(),
            positions: &self.positions,
        }
    }
}

impl<'d> Node<'d> {
    /// The local name (after any `prefix:`).
    pub(crate) fn name(&self) -> &'d str {
        self.node.tag_name().name()
    }

    /// The value of the attribute `name` without a namespace, entities decoded.
    pub(crate) fn attribute(&self, name: &str) -> Option<&'d str> {
        // Not `roxmltree::Node::attribute`, which matches `tools:name` for `name` too.
        self.node
            .attributes()
            .find(|a| a.namespace().is_none() && a.name() == name)
            .map(|a| a.value())
    }

    /// The child elements, in document order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = Node<'d>> + 'd {
        let positions = self.positions;
        self.node
            .children()
            .filter(|n| n.is_element())
            .map(move |node| Node { node, positions })
    }

    /// The text directly inside the element (character data and CDATA), joined.
    pub(crate) fn text(&self) -> String {
        self.node
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect()
    }

    /// Where the element starts (its `<`): line and column.
    pub(crate) fn position(&self) -> (u32, u32) {
        self.positions.at(self.node.range().start)
    }
}

/// Line starts of a text, for byte offset → line and column.
struct Positions<'t> {
    text: &'t str,
    /// The byte offset of each line's first character (the first is 0).
    starts: Vec<usize>,
    ascii: bool,
    /// The last offset asked for and its column (characters from its line's start), to
    /// count on from there.
    last: Cell<(usize, usize)>,
}

fn fit(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'t> Positions<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            text,
            starts,
            ascii: text.is_ascii(),
            last: Cell::new((0, 0)),
        }
    }

    /// Line and column (from 1; the column in characters) of a byte offset.
    fn at(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = if self.ascii {
            offset - start
        } else {
            let (last, last_column) = self.last.get();
            let (from, base) = if (start..=offset).contains(&last) {
                (last, last_column)
            } else {
                (start, 0)
            };
            let column = base + self.text.get(from..offset).map_or(0, |s| s.chars().count());
            self.last.set((offset, column));
            column
        };
        (fit(line), fit(column + 1))
    }

    /// The byte offset of a line and column (from 1; the column in characters).
    fn offset(&self, line: u32, column: u32) -> usize {
        let line = usize::try_from(line).unwrap_or(usize::MAX).max(1);
        let Some(&start) = self.starts.get(line - 1) else {
            return self.text.len();
        };
        let column = usize::try_from(column).unwrap_or(usize::MAX).max(1);
        self.text[start..]
            .char_indices()
            .nth(column - 1)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// A roxmltree error in words a developer can act on, where it is.
    fn error(&self, e: &roxmltree::Error) -> XmlError {
        use roxmltree::Error as E;
        let reason = match e {
            E::UnknownNamespace(prefix, _) => format!(
                "the namespace prefix \"{prefix}:\" is not declared: declare it (xmlns:{prefix}=\"...\" on this element or the root) or remove the prefix"
            ),
            E::UnexpectedCloseTag(expected, actual, _) => {
                format!("expected </{expected}>, found </{actual}>: close elements in the order they were opened")
            }
            E::UnknownEntityReference(name, _) => format!(
                "unknown entity &{name};: XML defines only &amp; &lt; &gt; &quot; &apos; (write other characters as themselves or as &#x...;)"
            ),
            E::MalformedEntityReference(_) => "malformed entity or character reference: write &amp; for '&', and character references as &#65; or &#x41; (digits only, no sign)".to_string(),
            E::InvalidAttributeValue(_) => "'<' in an attribute value: write &lt;".to_string(),
            E::DuplicatedAttribute(name, _) => format!("attribute {name} is written twice on one element"),
            E::NoRootNode => "no root element: a Network Security Config is <network-security-config>...</network-security-config>".to_string(),
            E::UnclosedRootNode | E::UnexpectedEndOfStream => "the document ends before its elements are closed".to_string(),
            E::UnexpectedDeclaration(_) => "an XML declaration (<?xml ...?>) may only come first in the document, before anything else (even white space)".to_string(),
            E::DtdDetected => "a document type declaration (<!DOCTYPE>) is not allowed".to_string(),
            E::NonXmlChar(c, _) => format!(
                "U+{:04X} is not a character XML allows (control characters other than tab, line feed and carriage return are not): remove it",
                u32::from(*c)
            ),
            E::InvalidComment(_) => "a comment contains \"--\" or ends with \"-\", which XML does not allow: change the comment".to_string(),
            E::InvalidCharacterData(_) => "\"]]>\" in text: write ]]&gt;".to_string(),
            E::InvalidName(_) => "expected an element or attribute name".to_string(),
            E::UnknownToken(_) => "unexpected markup: expected an element, text, a comment or a CDATA section".to_string(),
            other => {
                // roxmltree's own words, without its position (the error carries ours).
                let s = other.to_string();
                match s.rfind(" at ") {
                    Some(i) if s[i + 4..].contains(':') => s[..i].to_string(),
                    _ => s,
                }
            }
        };
        let (line, column) = match e {
            E::UnclosedRootNode | E::UnexpectedEndOfStream => self.at(self.text.len()),
            E::DtdDetected => self.at(self.text.find("<!DOCTYPE").unwrap_or(0)),
            // roxmltree points after the text; point at the "]]>" in it.
            E::InvalidCharacterData(p) => {
                let end = self.offset(p.row, p.col);
                self.at(self.text[..end].rfind("]]>").unwrap_or(end))
            }
            _ => {
                let p = e.pos();
                (p.row, p.col)
            }
        };
        XmlError {
            line,
            column,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (u32, u32, String) {
        let e = Document::parse(text).err().expect("an error");
        (e.line, e.column, e.reason)
    }

    #[test]
    fn reads_elements_attributes_and_text() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->\n<a x='1' xmlns:tools=\"t\" tools:y=\"a&amp;b&#x41;&#66;\">\n  <b>one<![CDATA[<two>]]>&lt;</b>\n  <p:c xmlns:p=\"p\"/>\r\n</a>\n<!-- after -->\n";
        let doc = Document::parse(text).unwrap();
        let a = doc.root();
        assert_eq!(a.name(), "a");
        assert_eq!(a.attribute("x"), Some("1"));
        assert_eq!(a.attribute("y"), None);
        let children: Vec<_> = a.elements().collect();
        assert_eq!(children.len(), 2);
        assert_eq!(children[0].text(), "one<two><");
        assert_eq!(children[1].name(), "c");
        assert_eq!(children[0].position(), (4, 3));
        assert_eq!(children[1].position(), (5, 3));
        assert_eq!(a.text().trim(), "");
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        let n = 100_000;
        let text = "<a>".repeat(n) + &"</a>".repeat(n);
        let doc = Document::parse(&text).unwrap();
        let mut depth = 1;
        let mut node = doc.root();
        while let Some(child) = node.elements().next() {
            node = child;
            depth += 1;
        }
        assert_eq!(depth, n);
    }

    #[test]
    fn positions_count_characters_on_the_line() {
        let text = "<a>\n<é/><b/>\n  <c/><d/></a>";
        let doc = Document::parse(text).unwrap();
        let got: Vec<_> = doc.root().elements().map(|n| n.position()).collect();
        assert_eq!(got, [(2, 1), (2, 5), (3, 3), (3, 7)]);
        // Asked out of order, the same answers.
        let p = Positions::new(text);
        for (offset, want) in [
            (20, (3, 7)),
            (4, (2, 1)),
            (text.len(), (3, 15)),
            (9, (2, 5)),
        ] {
            assert_eq!(p.at(offset), want, "{offset}");
        }
    }

    #[test]
    fn malformed_documents_are_refused_where_they_go_wrong() {
        let mut wrong = Vec::new();
        for (text, line, column, words) in [
            ("<a>\n<b>\n</a>", 3, 1, "expected </b>, found </a>"),
            ("<a>\n  <b>", 2, 6, "ends before its elements are closed"),
            ("<!DOCTYPE a [<!ENTITY e \"x\">]><a/>", 1, 1, "<!DOCTYPE>"),
            ("<a>\n<!DOCTYPE a></a>", 2, 1, "unexpected markup"),
            ("<a b=\"1\" b=\"2\"/>", 1, 10, "b is written twice"),
            ("<a>&nbsp;</a>", 1, 4, "unknown entity &nbsp;"),
            ("<a>\n &#+65;</a>", 2, 2, "no sign"),
            ("<a b=\"<\"/>", 1, 7, "expected"),
            ("<a>\n<!-- a -- b --></a>", 2, 1, "\"--\""),
            ("<a>\n]]></a>", 2, 1, "]]&gt;"),
            ("<a>\nx]]>\n\n</a>", 2, 2, "]]&gt;"),
            (" <?xml version=\"1.0\"?><a/>", 1, 2, "may only come first"),
            ("<a t:b=\"1\"/>", 1, 4, "\"t:\" is not declared"),
            ("<a>\u{1}</a>", 1, 4, "U+0001"),
            ("", 1, 1, "no root element"),
        ] {
            let (l, c, reason) = err(text);
            if (l, c) != (line, column) || !reason.contains(words) {
                wrong.push(format!("{text:?}: {l}:{c} {reason}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
