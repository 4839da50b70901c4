//! Random identifiers shaped like the real ones (client secrets, tokens, access keys).
//! Bytes come from /dev/urandom; if that cannot be read, from SHA-1 over time, process
//! id and a counter. They only need to be unguessable enough for a local test server.

use sha1::{Digest, Sha1};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom")
        && f.read_exact(&mut buf).is_ok()
    {
        return buf;
    }
    let mut out = Vec::with_capacity(n + 20);
    while out.len() < n {
        let mut h = Sha1::new();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        h.update(nanos.to_le_bytes());
        h.update(std::process::id().to_le_bytes());
        h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        h.update(&out);
        out.extend_from_slice(&h.finalize());
    }
    out.truncate(n);
    out
}

/// `n` characters drawn from `alphabet` (a little modulo bias is fine here).
pub(crate) fn from_alphabet(n: usize, alphabet: &[u8]) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| alphabet[b as usize % alphabet.len()] as char)
        .collect()
}

const B64_STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64(bytes: &[u8], alphabet: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            s.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    s
}

/// Unpadded base64url of `n` random bytes.
pub(crate) fn b64url(n: usize) -> String {
    base64(&random_bytes(n), B64_URL)
}

/// Unpadded standard base64 of `n` random bytes.
pub(crate) fn b64(n: usize) -> String {
    base64(&random_bytes(n), B64_STD)
}

pub(crate) fn client_id() -> String {
    // Real client ids are base64url and end in the base64 of the region.
    format!("{}dXMtZWFzdC0x", b64url(16))
}

pub(crate) fn client_secret() -> String {
    // Real client secrets are JWS-like: header.payload.signature.
    format!(
        "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.{}.{}",
        b64url(240),
        b64url(48)
    )
}

pub(crate) fn device_code() -> String {
    b64url(64)
}

/// `ABCD-EFGH`, letters only, without easily confused ones.
pub(crate) fn user_code() -> String {
    const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let s = from_alphabet(8, LETTERS);
    format!("{}-{}", &s[..4], &s[4..])
}

pub(crate) fn access_token() -> String {
    format!("aoa{}", b64url(120))
}

pub(crate) fn refresh_token() -> String {
    format!("aor{}", b64url(120))
}

/// `ASIA` + 16 characters of the base32 alphabet real key ids use.
pub(crate) fn access_key_id() -> String {
    format!(
        "ASIA{}",
        from_alphabet(16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    )
}

pub(crate) fn secret_access_key() -> String {
    from_alphabet(40, B64_STD)
}

pub(crate) fn session_token() -> String {
    format!("IQoJb3JpZ2luX2VjE{}", b64(300))
}

pub(crate) fn next_token() -> String {
    b64url(48)
}

/// A UUID-v4-shaped request id for `x-amzn-RequestId`.
pub(crate) fn request_id() -> String {
    let mut b = random_bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b"", B64_STD), "");
        assert_eq!(base64(b"f", B64_STD), "Zg");
        assert_eq!(base64(b"fo", B64_STD), "Zm8");
        assert_eq!(base64(b"foo", B64_STD), "Zm9v");
        assert_eq!(base64(b"us-east-1", B64_URL), "dXMtZWFzdC0x");
        assert_eq!(base64(&[0xfb, 0xff], B64_URL), "-_8");
    }

    #[test]
    fn identifiers_look_like_aws_ones_and_differ() {
        let k = access_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert!(
            k.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_ne!(k, access_key_id());
        assert_eq!(secret_access_key().len(), 40);
        let u = user_code();
        assert_eq!(u.len(), 9);
        assert_eq!(&u[4..5], "-");
        let r = request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(&r[14..15], "4");
    }
}
