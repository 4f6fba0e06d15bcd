//! The app's pins on a chain the engine analysed in full.
//!
//! Pins are checked on the path that was built and verified at the validation time (the leaf,
//! the intermediates rustls-webpki used, the anchor), never on other certificates the server
//! sent: a pin matched by a certificate that is merely present proves nothing. A chain that
//! fails validation is not pin-checked: it is refused anyway (TrustKit:
//! FailedInvalidCertificateChain). Expired pins are reported every time.

use super::chain::Presented;
use super::path::Built;
use super::Engine;
use crate::pinning::{check_pins, ChainKey, PinPolicy};
use crate::verdict::{AnchorInfo, Finding};

impl Engine {
    /// Checks the pins in force for the host, when there are any and a host is given
    /// (`pins`), on the validated path of `presented`.
    pub(super) fn path_pins(
        &self,
        pins: Option<(&PinPolicy, &str)>,
        presented: &Presented<'_>,
        built: Option<&Built>,
        anchor: Option<&AnchorInfo>,
        t: i64,
        findings: &mut Vec<Finding>,
    ) {
        let Some((policy, h)) = pins else {
            return;
        };
        let (chain, info) = (&presented.certs, &presented.info);
        let validated = match (built, anchor) {
            (Some(b), Some(a))
                if b.verified_at_t && !findings.iter().any(|f| f.code.invalidates_chain()) =>
            {
                Some((b, a))
            }
            _ => None,
        };
        match validated {
            Some((b, a)) => {
                let mut keys: Vec<ChainKey<'_>> = b
                    .path_indices
                    .iter()
                    .map(|&i| ChainKey {
                        spki: chain[i].spki_hash(),
                        name: Some(info[i].text(&chain[i]).subject.clone()),
                        der: None,
                    })
                    .collect();
                if !keys.iter().any(|k| k.spki == b.anchor_spki) {
                    keys.push(ChainKey {
                        spki: b.anchor_spki,
                        name: Some(
                            b.anchor_index
                                .map(|i| info[i].text(&chain[i]).subject.clone())
                                .unwrap_or_else(|| a.subject.clone()),
                        ),
                        der: None,
                    });
                }
                check_pins(
                    policy,
                    h,
                    &keys,
                    a,
                    b.anchor_spki,
                    self.dangerous_debug_build,
                    t,
                    findings,
                );
            }
            None => crate::pinning::expired_pins(policy, h, t, findings),
        }
    }
}
