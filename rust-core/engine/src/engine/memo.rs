//! The memo of certificate facts ([`FactsMemo`]): a certificate an app meets again and again is
//! parsed once.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::cert::{Certificate, SpkiHash};
use crate::error::Error;
use crate::facts::{CertificateFacts, PackedFacts};

/// Facts of recently analysed certificates (with their issuer's common name), by key hash and
/// then by the exact DER: facts are a function of the bytes alone, so a hit returns exactly what
/// a parse would. An app meets the same intermediates and its own servers' leaves over and
/// over, and the full X.509 parse behind the facts is the largest cost of [`crate::Engine::analyze`]
/// after signature checks. Bounded: when full it is emptied and starts again.
pub(super) struct FactsMemo {
    map: Mutex<MemoMap>,
    capacity: usize,
}

#[derive(Default)]
struct MemoMap {
    by_key: HashMap<SpkiHash, Vec<MemoEntry>>,
    len: usize,
}

struct MemoEntry {
    der: Vec<u8>,
    /// The facts and the issuer's common name.
    facts: PackedFacts,
}

impl FactsMemo {
    /// At most this many certificates (a few KB each).
    const CAPACITY: usize = 128;

    pub(super) fn new() -> Self {
        Self::with_capacity(Self::CAPACITY)
    }

    fn with_capacity(capacity: usize) -> Self {
        Self {
            map: Mutex::new(MemoMap::default()),
            capacity,
        }
    }

    pub(super) fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            *m = MemoMap::default();
        }
    }

    /// The facts of `cert` and its issuer's common name. `index` (from 1) names it in errors,
    /// which are not remembered.
    pub(super) fn facts(
        &self,
        cert: &Certificate,
        index: usize,
    ) -> Result<(CertificateFacts, Option<String>), Error> {
        let der: &[u8] = cert.der();
        let key = cert.spki_hash();
        if let Ok(m) = self.map.lock() {
            if let Some(e) = m
                .by_key
                .get(&key)
                .and_then(|v| v.iter().find(|e| e.der == der))
            {
                return Ok(e.facts.unpack());
            }
        }
        let (facts, issuer_cn) = CertificateFacts::with_issuer_cn(cert, index)?;
        if let Ok(mut m) = self.map.lock() {
            if m.len >= self.capacity {
                *m = MemoMap::default();
            }
            m.by_key.entry(key).or_default().push(MemoEntry {
                der: der.to_vec(),
                facts: PackedFacts::new(&facts, issuer_cn.as_deref()),
            });
            m.len += 1;
        }
        Ok((facts, issuer_cn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issuer's common name parsed from the issuer Name alone, as the impersonation check
    /// used to: `with_issuer_cn` must agree.
    fn issuer_common_name(c: &Certificate) -> Option<String> {
        use x509_parser::prelude::FromDer;
        let (_, name) = x509_parser::x509::X509Name::from_der(c.issuer_der()).ok()?;
        let cn = name.iter_common_name().next()?.as_str().ok()?.to_string();
        Some(cn)
    }

    #[test]
    fn memoised_facts_are_the_parsed_facts_and_the_memo_stays_bounded() {
        let memo = FactsMemo::with_capacity(50);
        let certs: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .enumerate()
            .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).unwrap())
            .collect();
        assert!(certs.len() > 50);
        for round in 0..2 {
            for (i, c) in certs.iter().enumerate() {
                let parsed = CertificateFacts::with_issuer_cn(c, i + 1).unwrap();
                assert_eq!(parsed.0, CertificateFacts::of(c, i + 1).unwrap());
                assert_eq!(parsed.1, issuer_common_name(c));
                assert_eq!(memo.facts(c, i + 1).unwrap(), parsed, "round {round}, #{i}");
                assert_eq!(memo.facts(c, i + 1).unwrap(), parsed, "round {round}, #{i}");
                assert!(memo.map.lock().unwrap().len <= 50);
            }
        }
    }
}
