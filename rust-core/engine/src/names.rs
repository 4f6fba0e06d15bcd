//! Distinguished names, read with x509-parser: their text for reports and messages, and the
//! form path building compares them in.

use once_cell::sync::Lazy;
use x509_parser::der_parser::oid::Oid;
use x509_parser::oid_registry::{OidEntry, OidRegistry};
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// A Name's text as x509-parser prints it (`ABBREV=value`, RDNs joined with `", "`, an
/// attribute type without a short name as `OID(…)`, `<X509Error: Invalid X.509 name>` when a
/// string value does not decode), and its first common name when that is a string
/// x509-parser's `as_str` reads.
pub(crate) fn text_and_common_name(name: &X509Name<'_>) -> (String, Option<String>) {
    (text(name), common_name(name))
}

/// A Name's first common name, when that is a string x509-parser's `as_str` reads.
pub(crate) fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .next()
        .and_then(|c| c.as_str().ok())
        .map(str::to_string)
}

/// A Name's text as x509-parser prints it (see [`text_and_common_name`]).
pub(crate) fn text(name: &X509Name<'_>) -> String {
    name.to_string_with_registry(&LABELS)
        .unwrap_or_else(|_| "<X509Error: Invalid X.509 name>".to_string())
}

/// The short names x509-parser's `Display` gives attribute types, from the same entries as its
/// default registry (`with_all_crypto().with_x509()` plus `id-mgf1`) without their
/// descriptions: `Display` builds that whole registry, which cost the phone library about
/// 30 KB. A unit test compares the two.
static LABELS: Lazy<OidRegistry<'static>> = Lazy::new(|| {
    let mut reg = OidRegistry::default();
    for (der, sn) in SHORT_NAMES {
        reg.insert(
            Oid::new(std::borrow::Cow::Borrowed(der)),
            OidEntry::new(*sn, ""),
        );
    }
    reg
});

/// x509-parser 0.18's registry: each OID's DER contents and short name.
const SHORT_NAMES: &[(&[u8], &str)] = &[
    (
        &[
            0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x01,
        ],
        "msJurisdictionLocality",
    ),
    (
        &[
            0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x02,
        ],
        "msJurisdictionStateOrProvince",
    ),
    (
        &[
            0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03,
        ],
        "msJurisdictionCountry",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
        "uid",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "domainComponent",
    ),
    (
        &[0x2a, 0x85, 0x03, 0x02, 0x02, 0x03],
        "id-GostR3411-94-with-GostR3410-2001",
    ),
    (&[0x2a, 0x85, 0x03, 0x02, 0x02, 0x13], "gostR3410-2001"),
    (
        &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x01],
        "gost3410-2012-256",
    ),
    (
        &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x02],
        "gost3410-2012-512",
    ),
    (
        &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x02],
        "id-tc26-signwithdigest-gost3410-12-256",
    ),
    (
        &[0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x03],
        "id-tc26-signwithdigest-gost3410-12-512",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
        "rsaEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02],
        "md2WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x03],
        "md4WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04],
        "md5WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
        "sha1WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08],
        "id-mgf1",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
        "rsassa-pss",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
        "sha256WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
        "sha384WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d],
        "sha512WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e],
        "sha224WithRSAEncryption",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
        "pkcs7-data",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
        "pkcs7-signedData",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03],
        "pkcs7-envelopedData",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x04],
        "pkcs7-signedAndEnvelopedData",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x05],
        "pkcs7-digestedData",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06],
        "pkcs7-encryptedData",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        "emailAddress",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x02],
        "unstructuredName",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03],
        "contentType",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04],
        "id-messageDigest",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05],
        "signing-time",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07],
        "challengePassword",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e],
        "extensionRequest",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0f],
        "smimeCapabilities",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14],
        "friendlyName",
    ),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c], "pkcs-12"),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01],
        "pkcs-12PbeIds",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x01],
        "pbeWithSHAAnd128BitRC4",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x02],
        "pbeWithSHAAnd40BitRC4",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03],
        "pbeWithSHAAnd3-KeyTripleDES-CBC",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x04],
        "pbeWithSHAAnd2-KeyTripleDES-CBC",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05],
        "pbeWithSHAAnd128BitRC2-CBC",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06],
        "pbeWithSHAAnd40BitRC2-CBC",
    ),
    (&[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01], "id-dsa"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03], "dsa-with-sha1"),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
        "id-ecPublicKey",
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "prime256v1",
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01],
        "ecdsa-with-SHA224",
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
        "ecdsa-with-SHA256",
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03],
        "ecdsa-with-SHA384",
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04],
        "ecdsa-with-SHA512",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02],
        "ctSCTList",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01],
        "authorityInfoAccess",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b],
        "subjectInfoAccess",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01],
        "id-ad-ocsp",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02],
        "id-ad-caIssuers",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x03],
        "id-ad-timestamping",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x04],
        "id-ad-dvcs",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x05],
        "id-ad-caRepository",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x06],
        "id-ad-http-certs",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x07],
        "id-ad-http-crls",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x0a],
        "id-ad-rpki-manifest",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x0b],
        "id-ad-signed-object",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x0c],
        "id-ad-cmc",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x0d],
        "id-ad-rpki-notify",
    ),
    (
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x0e],
        "id-ad-stirTNList",
    ),
    (&[0x2b, 0x0e, 0x03, 0x02, 0x19], "md5WithRSASignature"),
    (&[0x2b, 0x0e, 0x03, 0x02, 0x1a], "id-SHA1"),
    (&[0x2b, 0x0e, 0x03, 0x02, 0x1d], "sha1WithRSAEncryption"),
    (
        &[0x2b, 0x24, 0x03, 0x03, 0x01, 0x02],
        "rsaSignatureWithripemd160",
    ),
    (&[0x2b, 0x65, 0x70], "ed25519"),
    (&[0x2b, 0x65, 0x71], "ed448"),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], "secp384r1"),
    (&[0x2b, 0x81, 0x04, 0x00, 0x23], "secp521r1"),
    (
        &[0x2b, 0x81, 0x05, 0x10, 0x86, 0x48, 0x3f, 0x00, 0x02],
        "dhSinglePass-stdDH-sha1kdf-scheme",
    ),
    (&[0x55, 0x04], "x509"),
    (&[0x55, 0x04, 0x00], "objectClass"),
    (&[0x55, 0x04, 0x01], "aliasedEntryName"),
    (&[0x55, 0x04, 0x02], "knowledgeInformation"),
    (&[0x55, 0x04, 0x03], "commonName"),
    (&[0x55, 0x04, 0x04], "surname"),
    (&[0x55, 0x04, 0x05], "serialNumber"),
    (&[0x55, 0x04, 0x06], "countryName"),
    (&[0x55, 0x04, 0x07], "localityName"),
    (&[0x55, 0x04, 0x08], "stateOrProvinceName"),
    (&[0x55, 0x04, 0x09], "streetAddress"),
    (&[0x55, 0x04, 0x0a], "organizationName"),
    (&[0x55, 0x04, 0x0b], "organizationalUnit"),
    (&[0x55, 0x04, 0x0c], "title"),
    (&[0x55, 0x04, 0x0d], "description"),
    (&[0x55, 0x04, 0x0e], "searchGuide"),
    (&[0x55, 0x04, 0x0f], "businessCategory"),
    (&[0x55, 0x04, 0x10], "postalAddress"),
    (&[0x55, 0x04, 0x11], "postalCode"),
    (&[0x55, 0x04, 0x29], "name"),
    (&[0x55, 0x04, 0x2a], "givenName"),
    (&[0x55, 0x04, 0x2b], "initials"),
    (&[0x55, 0x04, 0x2c], "generationQualifier"),
    (&[0x55, 0x04, 0x2d], "uniqueIdentifier"),
    (&[0x55, 0x04, 0x2e], "dnQualifier"),
    (&[0x55, 0x1d, 0x01], "oldAuthorityKeyIdentifier"),
    (&[0x55, 0x1d, 0x02], "oldKeyAttributes"),
    (&[0x55, 0x1d, 0x03], "oldCertificatePolicies"),
    (&[0x55, 0x1d, 0x04], "oldKeyUsage"),
    (&[0x55, 0x1d, 0x05], "oldPolicyMapping"),
    (&[0x55, 0x1d, 0x06], "oldSubtreesConstraint"),
    (&[0x55, 0x1d, 0x07], "oldSubjectAltNAme"),
    (&[0x55, 0x1d, 0x08], "oldIssuerAltNAme"),
    (&[0x55, 0x1d, 0x0e], "subjectKeyIdentifier"),
    (&[0x55, 0x1d, 0x0f], "keyUsage"),
    (&[0x55, 0x1d, 0x10], "privateKeyUsagePeriod"),
    (&[0x55, 0x1d, 0x11], "subjectAltName"),
    (&[0x55, 0x1d, 0x12], "issuerAltName"),
    (&[0x55, 0x1d, 0x13], "basicConstraints"),
    (&[0x55, 0x1d, 0x14], "crlNumber"),
    (&[0x55, 0x1d, 0x15], "reasonCode"),
    (&[0x55, 0x1d, 0x17], "holdInstructionCode"),
    (&[0x55, 0x1d, 0x18], "invalidityDate"),
    (&[0x55, 0x1d, 0x1b], "deltaCRLIndicator"),
    (&[0x55, 0x1d, 0x1c], "issuerDistributionPoint"),
    (&[0x55, 0x1d, 0x1d], "issuer"),
    (&[0x55, 0x1d, 0x1e], "nameConstraints"),
    (&[0x55, 0x1d, 0x1f], "crlDistributionPoints"),
    (&[0x55, 0x1d, 0x20], "certificatePolicies"),
    (&[0x55, 0x1d, 0x21], "policyMappings"),
    (&[0x55, 0x1d, 0x23], "authorityKeyIdentifier"),
    (&[0x55, 0x1d, 0x24], "policyConstraints"),
    (&[0x55, 0x1d, 0x25], "extendedKeyUsage"),
    (&[0x55, 0x1d, 0x2e], "freshestCRL"),
    (&[0x55, 0x1d, 0x36], "inhibitAnyPolicy"),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a],
        "aes-256-cbc",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        "sha256",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
        "sha384",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
        "sha512",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01],
        "nsCertType",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x02],
        "nsBaseURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x03],
        "nsRevocationURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x04],
        "nsCARevocationURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x05],
        "nsCACRLURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x06],
        "nsCACertURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x07],
        "nsRenewalURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x08],
        "nsCAPolicyURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x09],
        "nsHomepageURL",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0a],
        "nsEntityLogo",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0b],
        "nsUserPicture",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0c],
        "nsSSLServerName",
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0d],
        "nsComment",
    ),
];

/// [`text_and_common_name`] of a DER Name (tag and length included); `None` when x509-parser
/// cannot read it.
pub(crate) fn read_text_and_common_name(der: &[u8]) -> Option<(String, Option<String>)> {
    let (_, name) = X509Name::from_der(der).ok()?;
    Some(text_and_common_name(&name))
}

/// A DER Name (tag and length included) in a form two names can be compared by, as RFC 5280
/// (7.1, with RFC 4518's string preparation) and the platforms compare them: string values
/// decoded whatever their string type (PrintableString, UTF8String, BMPString,
/// UniversalString, T61String taken as Latin-1), case-folded, with leading and trailing spaces
/// dropped and inner runs of white space made one space; other values by their tag and bytes;
/// RDN boundaries and attribute types kept. The name's own bytes when x509-parser does not read
/// all of it or a string value does not decode: such a name matches only byte for byte.
///
/// Why: path building and the known-key check find a candidate signer by name before the
/// signature decides. An interceptor that re-encodes its issuer's name (PrintableString for
/// UTF8String, other case) must not make a certificate its key signed look unsigned. Never
/// looser than that: x509-parser stops reading a Name at its first malformed RDN, so a name
/// it did not read to the end is compared by its bytes (two names differing only after a
/// malformed RDN do not match).
pub(crate) fn comparable_name(der: &[u8]) -> Vec<u8> {
    match X509Name::from_der(der) {
        Ok((rest, name)) if rest.is_empty() && name.as_raw().len() == der.len() => {
            comparable(&name).unwrap_or_else(|| der.to_vec())
        }
        _ => der.to_vec(),
    }
}

fn comparable(name: &X509Name<'_>) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.as_raw().len());
    for rdn in name.iter_rdn() {
        let mut sep = b',';
        for a in rdn.iter() {
            out.push(sep);
            sep = b'+';
            push_len_prefixed(&mut out, a.attr_type().as_bytes());
            match string_value(a) {
                Some(Ok(text)) => {
                    out.push(0);
                    let prepared: Vec<&str> = text.split_whitespace().collect();
                    let folded = prepared.join(" ").to_lowercase();
                    push_len_prefixed(&mut out, folded.as_bytes());
                }
                Some(Err(())) => return None,
                None => {
                    // Class, form and tag number, then the contents.
                    let v = a.attr_value();
                    out.push(v.header.class() as u8);
                    out.push(u8::from(v.header.is_constructed()));
                    out.extend_from_slice(&v.header.tag().0.to_be_bytes());
                    push_len_prefixed(&mut out, v.data);
                }
            }
        }
    }
    Some(out)
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The text of a value of a string type (`Err` when it does not decode); `None` for other
/// types (and for a constructed string, which DER forbids: compared by its bytes).
fn string_value(a: &AttributeTypeAndValue<'_>) -> Option<Result<String, ()>> {
    let v = a.attr_value();
    if v.header.is_constructed() || !v.header.is_universal() {
        return None;
    }
    let data = v.data;
    Some(match v.header.tag().0 {
        // UTF8, Printable, IA5, Numeric, Visible strings.
        12 | 19 | 22 | 18 | 26 => std::str::from_utf8(data)
            .map(str::to_string)
            .map_err(|_| ()),
        // TeletexString: platforms take it as Latin-1.
        20 => Ok(data.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        30 => {
            if !data.len().is_multiple_of(2) {
                return Some(Err(()));
            }
            let units = data
                .chunks_exact(2)
                .map(|c| (u16::from(c[0]) << 8) | u16::from(c[1]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| ())
        }
        // UniversalString: UTF-32BE.
        28 => {
            if !data.len().is_multiple_of(4) {
                return Some(Err(()));
            }
            data.chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).ok_or(()))
                .collect()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    }

    /// An attribute: OID 2.5.4.`attr`, value with `tag`.
    fn atv(attr: u8, tag: u8, value: &[u8]) -> Vec<u8> {
        let mut c = tlv(0x06, &[0x55, 0x04, attr]);
        c.extend(tlv(tag, value));
        tlv(0x30, &c)
    }

    fn name(rdns: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let content: Vec<u8> = rdns
            .iter()
            .flat_map(|rdn| tlv(0x31, &rdn.concat()))
            .collect();
        tlv(0x30, &content)
    }

    const CN: u8 = 3;
    const O: u8 = 10;
    const UTF8: u8 = 0x0c;
    const PRINTABLE: u8 = 0x13;
    const BMP: u8 = 0x1e;

    #[test]
    fn string_types_case_and_spaces_fold() {
        let a = name(&[
            vec![atv(O, PRINTABLE, b"Example CA")],
            vec![atv(CN, PRINTABLE, b"Root  X1")],
        ]);
        let b = name(&[
            vec![atv(O, UTF8, b"  example ca ")],
            vec![atv(CN, UTF8, b"ROOT X1")],
        ]);
        let bmp: Vec<u8> = "Root X1"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let c = name(&[vec![atv(O, UTF8, b"EXAMPLE CA")], vec![atv(CN, BMP, &bmp)]]);
        assert_eq!(comparable_name(&a), comparable_name(&b));
        assert_eq!(comparable_name(&a), comparable_name(&c));
    }

    #[test]
    fn structure_types_and_values_still_count() {
        let base = name(&[vec![atv(O, UTF8, b"Example")], vec![atv(CN, UTF8, b"Root")]]);
        let others = [
            // one multi-valued RDN instead of two
            name(&[vec![atv(O, UTF8, b"Example"), atv(CN, UTF8, b"Root")]]),
            // another attribute type
            name(&[
                vec![atv(11, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Root")],
            ]),
            // another order
            name(&[vec![atv(CN, UTF8, b"Root")], vec![atv(O, UTF8, b"Example")]]),
            // another value, an inner space, a missing RDN
            name(&[
                vec![atv(O, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Root2")],
            ]),
            name(&[
                vec![atv(O, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Ro ot")],
            ]),
            name(&[vec![atv(CN, UTF8, b"Root")]]),
            // the same bytes as a non-string type
            name(&[vec![atv(O, 0x04, b"Example")], vec![atv(CN, UTF8, b"Root")]]),
        ];
        for o in &others {
            assert_ne!(comparable_name(&base), comparable_name(o), "{o:02x?}");
        }
    }

    #[test]
    fn names_not_read_to_the_end_or_not_decoded_match_only_byte_for_byte() {
        let good = vec![atv(CN, UTF8, b"Root")];
        // A malformed RDN (a SET holding an INTEGER) after a good one: x509-parser stops there.
        let mut a = name(std::slice::from_ref(&good));
        let mut b = a.clone();
        let junk_a = tlv(0x31, &tlv(0x02, &[1]));
        let junk_b = tlv(0x31, &tlv(0x02, &[2]));
        for (n, junk) in [(&mut a, junk_a), (&mut b, junk_b)] {
            n.truncate(2);
            let mut content = tlv(0x31, &good.concat());
            content.extend(junk);
            *n = tlv(0x30, &content);
        }
        assert_eq!(comparable_name(&a), a);
        assert_ne!(comparable_name(&a), comparable_name(&b));
        // Invalid UTF-8 in a UTF8String: bytes only, so a re-cased copy does not match.
        let bad = name(&[vec![atv(CN, UTF8, b"R\xffoot")]]);
        let bad_upper = name(&[vec![atv(CN, UTF8, b"R\xffOOT")]]);
        assert_eq!(comparable_name(&bad), bad);
        assert_ne!(comparable_name(&bad), comparable_name(&bad_upper));
        // Not a Name at all.
        assert_eq!(comparable_name(&[0x04, 0x00]), vec![0x04, 0x00]);
    }

    #[test]
    fn short_names_are_x509_parsers_registry() {
        let theirs = x509_parser::objects::oid_registry();
        let mut count = 0;
        for (der, sn) in SHORT_NAMES {
            let oid = Oid::new(std::borrow::Cow::Borrowed(*der));
            assert_eq!(theirs.get(&oid).map(|e| e.sn()), Some(*sn), "{oid}");
            count += 1;
        }
        assert_eq!(count, theirs.keys().count());
    }

    #[test]
    fn text_and_common_name_are_x509_parsers() {
        let n = name(&[
            vec![atv(O, UTF8, b"Example")],
            vec![atv(CN, PRINTABLE, b"Root")],
        ]);
        let (text, cn) = read_text_and_common_name(&n).unwrap();
        assert_eq!(text, "O=Example, CN=Root");
        assert_eq!(cn.as_deref(), Some("Root"));
    }
}
