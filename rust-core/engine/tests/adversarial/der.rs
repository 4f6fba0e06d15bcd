//! A tiny DER tree for the adversarial tests: parse a certificate into nodes, change a node,
//! encode it again with every enclosing length fixed. Not a validator: anything it cannot read
//! as a tree (after a bit flip, say) is left to the byte-level mutations.

/// One DER element. Constructed elements (tag bit 0x20) whose content reads as elements are
/// `Cons`; everything else (BIT and OCTET STRINGs included) is `Prim`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Prim(u8, Vec<u8>),
    Cons(u8, Vec<Node>),
}

/// The header of the element at the start of `input`: tag, header length, content length
/// (definite lengths of up to 4 bytes, single-byte tags).
pub fn header(input: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *input.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *input.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = input.get(2..2 + n)?;
        (
            bytes.iter().fold(0usize, |a, &b| (a << 8) | usize::from(b)),
            2 + n,
        )
    };
    if input.len() - hdr < len {
        return None;
    }
    Some((tag, hdr, len))
}

/// The elements that fill `input` exactly, or `None`.
pub fn parse_all(input: &[u8], depth: usize) -> Option<Vec<Node>> {
    if depth > 24 {
        return None;
    }
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, hdr, len) = header(rest)?;
        let content = &rest[hdr..hdr + len];
        let node = if tag & 0x20 != 0 {
            match parse_all(content, depth + 1) {
                Some(children) => Node::Cons(tag, children),
                None => Node::Prim(tag, content.to_vec()),
            }
        } else {
            Node::Prim(tag, content.to_vec())
        };
        out.push(node);
        rest = &rest[hdr + len..];
    }
    Some(out)
}

/// One element filling `input` exactly.
pub fn parse(input: &[u8]) -> Option<Node> {
    let mut v = parse_all(input, 0)?;
    (v.len() == 1).then(|| v.remove(0))
}

/// Tag and length header, minimal DER length.
pub fn enc_header(tag: u8, len: usize) -> Vec<u8> {
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out
}

impl Node {
    pub fn encode(&self) -> Vec<u8> {
        let (tag, content) = match self {
            Node::Prim(t, c) => (*t, c.clone()),
            Node::Cons(t, ch) => (*t, ch.iter().flat_map(Node::encode).collect()),
        };
        let mut out = enc_header(tag, content.len());
        out.extend(content);
        out
    }

    pub fn tag(&self) -> u8 {
        match self {
            Node::Prim(t, _) | Node::Cons(t, _) => *t,
        }
    }

    pub fn children_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Cons(_, ch) => Some(ch),
            Node::Prim(..) => None,
        }
    }

    /// The number of nodes in this tree (itself included), pre-order.
    pub fn count(&self) -> usize {
        match self {
            Node::Prim(..) => 1,
            Node::Cons(_, ch) => 1 + ch.iter().map(Node::count).sum::<usize>(),
        }
    }

    /// The `n`th node in pre-order (0 is this one).
    pub fn nth_mut(&mut self, n: usize) -> Option<&mut Node> {
        if n == 0 {
            return Some(self);
        }
        let mut n = n - 1;
        if let Node::Cons(_, ch) = self {
            for c in ch {
                let k = c.count();
                if n < k {
                    return c.nth_mut(n);
                }
                n -= k;
            }
        }
        None
    }
}

/// Which field of a tbsCertificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Issuer,
    Subject,
    Spki,
}

/// The tbsCertificate's children of a certificate tree.
pub fn tbs_mut(cert: &mut Node) -> Option<&mut Vec<Node>> {
    cert.children_mut()?.get_mut(0)?.children_mut()
}

/// The index of `field` among the tbsCertificate's children.
pub fn field_index(tbs: &[Node], field: Field) -> Option<usize> {
    let base = usize::from(tbs.first()?.tag() == 0xa0);
    let i = base
        + match field {
            // serial, signature algorithm, issuer, validity, subject, key
            Field::Issuer => 2,
            Field::Subject => 4,
            Field::Spki => 5,
        };
    (i < tbs.len()).then_some(i)
}

/// A field of a certificate, encoded, when the certificate reads as a tree.
pub fn get_field(der: &[u8], field: Field) -> Option<Vec<u8>> {
    let mut cert = parse(der)?;
    let tbs = tbs_mut(&mut cert)?;
    let i = field_index(tbs, field)?;
    Some(tbs[i].encode())
}

/// The certificate with `field` replaced by the element `value` (encoded), lengths fixed.
pub fn set_field(der: &[u8], field: Field, value: &[u8]) -> Option<Vec<u8>> {
    let mut cert = parse(der)?;
    let value = parse(value)?;
    let tbs = tbs_mut(&mut cert)?;
    let i = field_index(tbs, field)?;
    tbs[i] = value;
    Some(cert.encode())
}

/// The extensions (each an encoded `Extension` SEQUENCE) of a certificate's tree.
pub fn extensions_mut(cert: &mut Node) -> Option<&mut Vec<Node>> {
    let tbs = tbs_mut(cert)?;
    let a3 = tbs.iter_mut().find(|n| n.tag() == 0xa3)?;
    a3.children_mut()?.get_mut(0)?.children_mut()
}

/// Offsets of every element header in `der` (pre-order), following constructed elements.
pub fn header_offsets(der: &[u8]) -> Vec<usize> {
    fn walk(input: &[u8], base: usize, depth: usize, out: &mut Vec<usize>) {
        let mut pos = 0;
        while pos < input.len() && depth < 24 {
            let Some((tag, hdr, len)) = header(&input[pos..]) else {
                return;
            };
            out.push(base + pos);
            if tag & 0x20 != 0 {
                walk(
                    &input[pos + hdr..pos + hdr + len],
                    base + pos + hdr,
                    depth + 1,
                    out,
                );
            }
            pos += hdr + len;
        }
    }
    let mut out = Vec::new();
    walk(der, 0, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let n = Node::Cons(
            0x30,
            vec![Node::Prim(0x02, vec![1]), Node::Prim(0x04, vec![0; 300])],
        );
        let der = n.encode();
        assert_eq!(parse(&der), Some(n));
        assert_eq!(header_offsets(&der), vec![0, 4, 7]);
    }
}
