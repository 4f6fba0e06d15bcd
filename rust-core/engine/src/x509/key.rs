//! The facts of a subject public key: algorithm, size, RSA exponent, EC curve.
//!
//! Sizes are those x509-parser computed, quirks included, since reports and the weak-key
//! finding were built on them: an RSA modulus counts `8 × (octets − 1)` bits when its first
//! octet has the high bit clear (the usual leading zero), otherwise 0; an EC key counts half
//! the bits of an uncompressed point, all the bits of a compressed one.

use super::oid;
use super::reader;
use super::PublicKeyInfo;
use crate::facts::KeyFacts;

const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
/// GOST R 34.10-2001: x509-parser sized its keys (an OCTET STRING).
const GOST_R3410_2001: &[u8] = &[0x2a, 0x85, 0x03, 0x02, 0x02, 0x13];

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (der-parser's DER
/// INTEGERs).
fn rsa_key(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let (seq, _) = reader::expect(key, reader::tag::SEQUENCE).ok()?;
    let (modulus, rest) = reader::der_parser_integer(seq.content).ok()?;
    let (exponent, _) = reader::der_parser_integer(rest).ok()?;
    Some((modulus, exponent))
}

fn ec_point_bits(point: &[u8]) -> u32 {
    let bits = match point {
        [4, rest @ ..] => rest.len() * 8 / 2,
        [2..=3, rest @ ..] => rest.len() * 8,
        _ => 0,
    };
    u32::try_from(bits).unwrap_or(0)
}

fn octets_bits(n: usize) -> u32 {
    u32::try_from(n * 8).unwrap_or(0)
}

/// The key as x509-parser decoded it, which it chose by the algorithm OID's bytes.
enum Decoded<'a> {
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    /// A key with a size: EC, DSA, GOST R 34.10-2001.
    Sized(u32),
    /// Not decoded, or not decodable: size 0.
    Other,
}

fn decode<'a>(pk: &PublicKeyInfo<'a>) -> Decoded<'a> {
    match pk.algorithm.oid {
        RSA => match rsa_key(pk.key) {
            Some((modulus, exponent)) => Decoded::Rsa { modulus, exponent },
            None => Decoded::Other,
        },
        EC => Decoded::Sized(ec_point_bits(pk.key)),
        DSA => match reader::der_parser_integer(pk.key) {
            Ok((y, _)) => Decoded::Sized(octets_bits(y.len())),
            Err(_) => Decoded::Other,
        },
        GOST_R3410_2001 => match reader::octet_string(pk.key) {
            Ok((y, _)) => Decoded::Sized(octets_bits(y.len())),
            Err(_) => Decoded::Other,
        },
        _ => Decoded::Other,
    }
}

/// The key's facts.
///
/// As before, the algorithm is chosen by the OID's dotted form and the size comes from the
/// key as decoded by the OID's bytes: the two differ only for malformed OIDs that print like
/// a known one (an unterminated last arc), which then get that algorithm's name and no size.
pub(crate) fn facts(pk: &PublicKeyInfo<'_>) -> KeyFacts {
    let id = oid::id(pk.algorithm.oid);
    let decoded = decode(pk);
    let size = match decoded {
        Decoded::Rsa { modulus, .. } => match modulus {
            [first, rest @ ..] if first & 0x80 == 0 => octets_bits(rest.len()),
            _ => 0,
        },
        Decoded::Sized(bits) => bits,
        Decoded::Other => 0,
    };
    let named = |name: &str, bits: u32| KeyFacts {
        algorithm: name.into(),
        bits,
        rsa_exponent: None,
        curve: None,
    };
    match (id.as_ref(), decoded) {
        ("1.2.840.113549.1.1.1", Decoded::Rsa { exponent, .. }) => KeyFacts {
            algorithm: "RSA".into(),
            bits: size,
            rsa_exponent: match exponent {
                [first, ..] if first & 0x80 == 0 && exponent.len() <= 8 => Some(
                    exponent
                        .iter()
                        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
                ),
                _ => None,
            },
            curve: None,
        },
        ("1.2.840.10045.2.1", _) => {
            // x509-parser took the parameters' contents as an OID whatever their tag.
            let curve = pk.algorithm.parameters.map(|p| oid::id(p.content));
            let (name, bits) = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("P-256".to_string(), 256),
                Some("1.3.132.0.34") => ("P-384".to_string(), 384),
                Some("1.3.132.0.35") => ("P-521".to_string(), 521),
                Some(other) => (other.to_string(), size),
                None => ("unknown".to_string(), size),
            };
            KeyFacts {
                algorithm: "EC".into(),
                bits,
                rsa_exponent: None,
                curve: Some(name),
            }
        }
        ("1.3.101.112", _) => named("Ed25519", 256),
        ("1.3.101.113", _) => named("Ed448", 456),
        ("1.2.840.10040.4.1", _) => named("DSA", size),
        _ => named(&id, size),
    }
}

/// An RSA key's modulus and public exponent (big-endian INTEGER contents), for signatures
/// checked under any key size; `None` for other keys.
pub(crate) fn rsa_components<'a>(pk: &PublicKeyInfo<'a>) -> Option<(&'a [u8], &'a [u8])> {
    if pk.algorithm.oid != RSA {
        return None;
    }
    rsa_key(pk.key)
}

/// An EC key's named curve (the OID's contents) and SEC1 point, for the live probe's handshake
/// signatures; `None` for other keys.
#[cfg(feature = "live-probe")]
pub(crate) fn ec_curve_and_point<'a>(pk: &PublicKeyInfo<'a>) -> Option<(&'a [u8], &'a [u8])> {
    if pk.algorithm.oid != EC {
        return None;
    }
    let params = pk.algorithm.parameters?;
    // OBJECT IDENTIFIER (tag 6): the named curve.
    (params.tag == 6 && !params.constructed).then_some((params.content, pk.key))
}
