//! What the certificates on the path say about themselves: the leaf's host name and key usage,
//! every certificate's dates, and the heuristics' hints of a forged certificate.

use pki_types::ServerName;
use webpki::EndEntityCert;

use super::chain::Presented;
use super::messages;
use super::path::Built;
use crate::cert::Certificate;
use crate::cert_info::CertInfo;
use crate::error::Error;
use crate::facts::rfc3339;
use crate::verdict::{AnchorInfo, Finding, FindingCode, Severity};

/// The host name as rustls-webpki checks it, or the error for one that is not a host name.
pub(super) fn server_name(host: Option<&str>) -> Result<Option<ServerName<'_>>, Error> {
    match host {
        Some(h) => Ok(Some(
            ServerName::try_from(h).map_err(|_| Error::InvalidHost { host: h.into() })?,
        )),
        None => Ok(None),
    }
}

/// The leaf is not valid for `host` (checked by rustls-webpki, on the leaf it could parse).
pub(super) fn host_name(
    ee: Result<&EndEntityCert<'_>, &webpki::Error>,
    host: Option<&str>,
    server_name: Option<&ServerName<'_>>,
    presented: &Presented<'_>,
    findings: &mut Vec<Finding>,
) {
    if let Some(name) = server_name {
        if let Ok(ee) = ee {
            if ee.verify_is_valid_for_subject_name(name).is_err() {
                findings.push(
                    Finding::new(
                        FindingCode::HostnameMismatch,
                        Severity::Warning,
                        messages::hostname_mismatch(
                            host.unwrap_or_default(),
                            &presented.info[0],
                            &presented.certs[0],
                        ),
                    )
                    .about(presented.name(0)),
                );
            }
        }
    }
}

/// A server certificate that may sign certificates but is not a CA (RFC 5280 4.2.1.3);
/// rustls-webpki does not check this.
pub(super) fn leaf_key_usage(presented: &Presented<'_>, findings: &mut Vec<Finding>) {
    let leaf = &presented.info[0];
    if !leaf.is_ca && leaf.may_sign_certificates() {
        let name = presented.name(0);
        findings.push(
            Finding::new(
                FindingCode::WrongKeyUsage,
                Severity::Warning,
                messages::cert_sign_on_leaf(&name),
            )
            .about(name),
        );
    }
}

/// The dates of the certificates on the path (the leaf alone when none was built) at `t`.
pub(super) fn dates(
    presented: &Presented<'_>,
    built: Option<&Built>,
    t: i64,
    findings: &mut Vec<Finding>,
) {
    let on_path: &[usize] = match built {
        Some(b) => &b.path_indices,
        None => &[0],
    };
    for &i in on_path {
        let f = &presented.info[i];
        let (code, message) = if t > f.not_after {
            (
                FindingCode::Expired,
                messages::expired(&presented.name(i), &rfc3339(f.not_after)),
            )
        } else if t < f.not_before {
            (
                FindingCode::NotYetValid,
                messages::not_yet_valid(&presented.name(i), &rfc3339(f.not_before)),
            )
        } else {
            continue;
        };
        findings.push(Finding::new(code, Severity::Warning, message).about(presented.name(i)));
    }
}

/// Hints of a forged certificate ([`crate::heuristics`]). They look at the certificates on the
/// path (an unrelated extra certificate the server sent proves nothing), or at all of them
/// when no path was built.
pub(super) fn hints(
    presented: &Presented<'_>,
    built: Option<&Built>,
    anchor: Option<&AnchorInfo>,
    findings: &mut Vec<Finding>,
) {
    let hinted: Vec<(&Certificate, &CertInfo)> = match built {
        Some(b) => b
            .path_indices
            .iter()
            .map(|&i| (&presented.certs[i], &*presented.info[i]))
            .collect(),
        None => presented
            .certs
            .iter()
            .zip(presented.info.iter().map(|i| &**i))
            .collect(),
    };
    crate::heuristics::certificate_hints(&hinted, anchor, findings);
}
