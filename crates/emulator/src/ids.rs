//! Random identifiers shaped like the real ones (client secrets, tokens, access keys).
//! [`Ids`] draws them from SHA-1 over a secret seed and a counter: no I/O once seeded,
//! so the services stay pure. The seed comes from the operating system when the
//! emulator starts ([`seed_from_os`]). They only need to be unguessable enough for a
//! local test server.

use sha1::{Digest, Sha1};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

/// A seed from /dev/urandom; where there is none (Windows), from the standard
/// library's randomly keyed hasher, the time and the process id.
pub(crate) fn seed_from_os() -> [u8; 32] {
    let mut seed = [0u8; 32];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom")
        && f.read_exact(&mut seed).is_ok()
    {
        return seed;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for (i, chunk) in seed.chunks_mut(8).enumerate() {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    seed
}

/// The identifier generator: deterministic for a given seed.
pub(crate) struct Ids {
    seed: [u8; 32],
    counter: u64,
}

impl Ids {
    pub fn new(seed: [u8; 32]) -> Ids {
        Ids { seed, counter: 0 }
    }

    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 20);
        while out.len() < n {
            let mut h = Sha1::new();
            h.update(self.seed);
            h.update(self.counter.to_le_bytes());
            self.counter += 1;
            out.extend_from_slice(&h.finalize());
        }
        out.truncate(n);
        out
    }

    /// `n` characters drawn from `alphabet` (a little modulo bias is fine here).
    pub fn chars_from(&mut self, n: usize, alphabet: &[u8]) -> String {
        self.random_bytes(n)
            .into_iter()
            .map(|b| alphabet[b as usize % alphabet.len()] as char)
            .collect()
    }

    /// Unpadded base64url of `n` random bytes.
    pub fn b64url(&mut self, n: usize) -> String {
        base64(&self.random_bytes(n), B64_URL)
    }

    /// Unpadded standard base64 of `n` random bytes.
    pub fn b64(&mut self, n: usize) -> String {
        base64(&self.random_bytes(n), B64_STD)
    }

    pub fn client_id(&mut self) -> String {
        // Real client ids are base64url and end in the base64 of the region.
        format!("{}dXMtZWFzdC0x", self.b64url(16))
    }

    pub fn client_secret(&mut self) -> String {
        // Real client secrets are JWS-like: header.payload.signature.
        format!(
            "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.{}.{}",
            self.b64url(240),
            self.b64url(48)
        )
    }

    pub fn device_code(&mut self) -> String {
        self.b64url(64)
    }

    /// `ABCD-EFGH`, letters only, without easily confused ones.
    pub fn user_code(&mut self) -> String {
        const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
        let s = self.chars_from(8, LETTERS);
        format!("{}-{}", &s[..4], &s[4..])
    }

    /// An authorization code for the PKCE flow.
    pub fn auth_code(&mut self) -> String {
        self.b64url(48)
    }

    pub fn access_token(&mut self) -> String {
        format!("aoa{}", self.b64url(120))
    }

    pub fn refresh_token(&mut self) -> String {
        format!("aor{}", self.b64url(120))
    }

    /// `ASIA` + 16 characters of the base32 alphabet real key ids use.
    pub fn access_key_id(&mut self) -> String {
        format!(
            "ASIA{}",
            self.chars_from(16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        )
    }

    pub fn secret_access_key(&mut self) -> String {
        self.chars_from(40, B64_STD)
    }

    pub fn session_token(&mut self) -> String {
        format!("IQoJb3JpZ2luX2VjE{}", self.b64(300))
    }

    pub fn next_token(&mut self) -> String {
        self.b64url(48)
    }

    /// A UUID-v4-shaped request id for `x-amzn-RequestId`.
    pub fn request_id(&mut self) -> String {
        let mut b = self.random_bytes(16);
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
}

const B64_STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(crate) const B64_URL: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64(bytes: &[u8], alphabet: &[u8]) -> String {
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
        let mut ids = Ids::new(seed_from_os());
        let k = ids.access_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert!(
            k.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_ne!(k, ids.access_key_id());
        assert_eq!(ids.secret_access_key().len(), 40);
        let u = ids.user_code();
        assert_eq!(u.len(), 9);
        assert_eq!(&u[4..5], "-");
        let r = ids.request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(&r[14..15], "4");
    }

    #[test]
    fn a_seed_gives_the_same_identifiers_and_another_seed_others() {
        let (mut a, mut b, mut c) = (Ids::new([7; 32]), Ids::new([7; 32]), Ids::new([8; 32]));
        let first = a.access_token();
        assert_eq!(first, b.access_token());
        assert_ne!(first, c.access_token());
        assert_ne!(first, a.access_token());
        assert_ne!(seed_from_os(), seed_from_os());
    }
}
