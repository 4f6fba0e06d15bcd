//! Validity times: UTCTime and GeneralizedTime, read with asn1-rs' rules (which is what the
//! facts' dates have always been).
//!
//! - UTCTime: `YYMMDDhhmm[ss]` then `Z` or `±hhmm`; years 50–99 are 19xx, 00–49 are 20xx
//!   (X.680's reading, which RFC 5280 shares).
//! - GeneralizedTime: `YYYYMMDDhhmm[ss][.fff]Z` (DER: must end in `Z`, no decimal comma).
//! - Visible characters only; out-of-range fields, impossible dates (30 February) and offsets
//!   beyond ±25:59 are errors, which make the certificate unreadable.

use super::reader::{self, tag};
use super::X509Error;
use crate::civil;

/// Reads a Time element and returns the Unix time it denotes.
pub(crate) fn read(input: &[u8]) -> Result<(i64, &[u8]), X509Error> {
    let (e, rest) = reader::element(input).map_err(|_| X509Error::BadTime)?;
    let visible = e.content.iter().all(|b| (0x20..=0x7f).contains(b));
    let t = match e.tag {
        tag::UTC_TIME if visible => {
            let f = utc_time(e.content).ok_or(X509Error::BadTime)?;
            // X.680: two-digit years from 50 are 19xx, below 50 are 20xx.
            let year = i64::from(f.year);
            f.unix(if year >= 50 { year + 1900 } else { year + 2000 })
        }
        tag::GENERALIZED_TIME
            if e.content.last() == Some(&b'Z') && !e.content.contains(&b',') && visible =>
        {
            let f = generalized_time(e.content).ok_or(X509Error::BadTime)?;
            f.unix(i64::from(f.year))
        }
        _ => None,
    };
    Ok((t.ok_or(X509Error::BadTime)?, rest))
}

/// The fields of a time as written, before they are checked against the calendar.
struct Fields {
    year: u32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// `None` for `Z`.
    offset: Option<(i8, i8)>,
}

impl Fields {
    /// Seconds since the epoch, `year` being the full year. `None` for a day the calendar does
    /// not have or an offset beyond ±25:59. As asn1-rs read it: the offset's sign is its hours'
    /// (so `-0030` is +00:30), and fractions of a second are dropped.
    fn unix(&self, year: i64) -> Option<i64> {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        if !civil::is_date(year, month, day) {
            return None;
        }
        let offset = match self.offset {
            Some((h, m)) if h.abs() <= 25 && m <= 59 => {
                let seconds = i64::from(h.abs()) * 3600 + i64::from(m) * 60;
                if h < 0 {
                    -seconds
                } else {
                    seconds
                }
            }
            Some(_) => return None,
            None => 0,
        };
        let time =
            i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second);
        Some(civil::days_from_civil(year, month, day) * 86_400 + time - offset)
    }
}

fn two_digits(hi: u8, lo: u8) -> Option<u8> {
    (hi.is_ascii_digit() && lo.is_ascii_digit()).then(|| (hi - b'0') * 10 + (lo - b'0'))
}

/// Seconds (optional), range checks and the zone, common to both forms.
fn finish(
    year: u32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    rem: &[u8],
    generalized: bool,
) -> Option<Fields> {
    if rem.is_empty() {
        return None;
    }
    let (second, rem) = match rem {
        [s1, s2, rem @ ..] => (two_digits(*s1, *s2)?, rem),
        _ => (0, rem),
    };
    if month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut fields = Fields {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset: None,
    };
    let mut rem = rem;
    if generalized {
        if rem.is_empty() {
            return Some(fields);
        }
        if let [b'.' | b',', after @ ..] = rem {
            // Fractions of a second: at most three digits, read and dropped (Unix times are
            // whole seconds), then the end or the zone.
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            let r = &after[digits..];
            if digits > 3 || (digits == 0 && r.is_empty()) {
                return None;
            }
            if !matches!(r.first(), None | Some(b'Z' | b'+' | b'-')) {
                return None;
            }
            rem = r;
        }
        if rem.is_empty() {
            return Some(fields);
        }
    } else if rem.is_empty() {
        return None;
    }
    fields.offset = match rem {
        [b'Z'] => None,
        [b'+', h1, h2, m1, m2] => Some((two_digits(*h1, *h2)? as i8, two_digits(*m1, *m2)? as i8)),
        [b'-', h1, h2, m1, m2] => {
            Some((-(two_digits(*h1, *h2)? as i8), two_digits(*m1, *m2)? as i8))
        }
        _ => return None,
    };
    Some(fields)
}

fn utc_time(b: &[u8]) -> Option<Fields> {
    match b {
        [y1, y2, mo1, mo2, d1, d2, h1, h2, mi1, mi2, rem @ ..] => finish(
            u32::from(two_digits(*y1, *y2)?),
            two_digits(*mo1, *mo2)?,
            two_digits(*d1, *d2)?,
            two_digits(*h1, *h2)?,
            two_digits(*mi1, *mi2)?,
            rem,
            false,
        ),
        _ => None,
    }
}

fn generalized_time(b: &[u8]) -> Option<Fields> {
    match b {
        [y1, y2, y3, y4, mo1, mo2, d1, d2, h1, h2, mi1, mi2, rem @ ..] => {
            let year = u32::from(two_digits(*y1, *y2)?) * 100 + u32::from(two_digits(*y3, *y4)?);
            finish(
                year,
                two_digits(*mo1, *mo2)?,
                two_digits(*d1, *d2)?,
                two_digits(*h1, *h2)?,
                two_digits(*mi1, *mi2)?,
                rem,
                true,
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(tag: u8, s: &str) -> Option<i64> {
        let mut der = vec![tag, u8::try_from(s.len()).unwrap()];
        der.extend_from_slice(s.as_bytes());
        read(&der).ok().map(|(t, _)| t)
    }

    #[test]
    fn utc_and_generalized_times() {
        assert_eq!(unix(0x17, "700101000000Z"), Some(0));
        assert_eq!(unix(0x17, "491231235959Z"), Some(2_524_607_999));
        assert_eq!(unix(0x17, "7001010000Z"), Some(0));
        assert_eq!(unix(0x17, "700101010000+0100"), Some(0));
        assert_eq!(unix(0x17, "700230000000Z"), None);
        assert_eq!(unix(0x18, "19700101000000Z"), Some(0));
        assert_eq!(unix(0x18, "19700101000000.5Z"), Some(0));
        assert_eq!(unix(0x18, "19700101000000+0000"), None);
        assert_eq!(unix(0x18, "19700101000000,5Z"), None);
        assert_eq!(unix(0x04, "700101000000Z"), None);
    }
}
