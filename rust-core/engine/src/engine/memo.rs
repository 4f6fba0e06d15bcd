//! The memo of typed certificate readings ([`InfoMemo`]): a certificate an app meets again and
//! again is read with x509-parser once.
//!
//! It holds the typed [`CertInfo`] the engine decides on, shared (`Arc`): a hit is a reference
//! count, not a copy of display strings (the facts' strings are made only for the report;
//! the text they come from, [`crate::cert_info::CertText`], once, when first asked for).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::cert::{Certificate, SpkiHash};
use crate::cert_info::CertInfo;
use crate::error::Error;

/// Readings of recently analysed certificates, by key hash and then by the exact DER: a reading
/// is a function of the bytes alone, so a hit returns exactly what a parse would. An app meets
/// the same intermediates and its own servers' leaves over and over, and the X.509 parse is
/// the largest cost of [`crate::Engine::analyze`] after signature checks. Bounded: when full it
/// is emptied and starts again.
pub(super) struct InfoMemo {
    map: Mutex<MemoMap>,
    capacity: usize,
}

/// A certificate's exact DER and its reading.
type MemoEntry = (Vec<u8>, Arc<CertInfo>);

#[derive(Default)]
struct MemoMap {
    by_key: HashMap<SpkiHash, Vec<MemoEntry>>,
    len: usize,
}

impl InfoMemo {
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

    /// The typed reading of `cert`. `index` (from 1) names it in errors, which are not
    /// remembered. A certificate read now has its text made too with `with_text`
    /// ([`CertInfo::read_with_text`]); one remembered makes it when first asked.
    pub(super) fn info(
        &self,
        cert: &Certificate,
        index: usize,
        with_text: bool,
    ) -> Result<Arc<CertInfo>, Error> {
        let der: &[u8] = cert.der();
        let key = cert.spki_hash();
        if let Ok(m) = self.map.lock() {
            if let Some((_, info)) = m
                .by_key
                .get(&key)
                .and_then(|v| v.iter().find(|(d, _)| d == der))
            {
                return Ok(info.clone());
            }
        }
        let read = if with_text {
            CertInfo::read_with_text(cert)
        } else {
            CertInfo::read(cert)
        };
        let info = Arc::new(read.map_err(|e| Error::not_a_certificate(index, e))?);
        if let Ok(mut m) = self.map.lock() {
            if m.len >= self.capacity {
                *m = MemoMap::default();
            }
            m.by_key
                .entry(key)
                .or_default()
                .push((der.to_vec(), info.clone()));
            m.len += 1;
        }
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoised_readings_are_the_parsed_readings_and_the_memo_stays_bounded() {
        let memo = InfoMemo::with_capacity(50);
        let certs: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .enumerate()
            .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).unwrap())
            .collect();
        assert!(certs.len() > 50);
        for round in 0..2 {
            for (i, c) in certs.iter().enumerate() {
                let parsed = CertInfo::read(c).unwrap();
                assert_eq!(
                    *memo.info(c, i + 1, round == 1).unwrap(),
                    parsed,
                    "round {round}, #{i}"
                );
                let memoised = memo.info(c, i + 1, round == 0).unwrap();
                assert_eq!(*memoised, parsed, "round {round}, #{i}");
                assert_eq!(memoised.text(c), parsed.text(c), "round {round}, #{i}");
                let with_text = CertInfo::read_with_text(c).unwrap();
                assert_eq!(with_text.text(c), parsed.text(c), "round {round}, #{i}");
                assert!(memo.map.lock().unwrap().len <= 50);
            }
        }
    }
}
