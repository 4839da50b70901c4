//! The one small HTTP/1.1 server side on 127.0.0.1, shared by the
//! credential server of `exec --server` (credentials/server.rs) and the
//! PKCE callback listener (login/pkce.rs): admission of connections, reading
//! a request head with a deadline and a size bound (parsed by httparse), and
//! writing a `Connection: close` answer.
//!
//! Admission: any local user can connect to a port on 127.0.0.1, and one
//! who holds many idle sockets (reopening each as soon as it is closed, so a
//! shorter deadline alone does not help) must not starve the requests that
//! matter. A connection is *pending* from its accept until its owner
//! [`Slot::promote`]s it (the credential server: an authorised request; the
//! PKCE listener: a whole request head, answered at once). At the cap, a new
//! connection evicts the oldest pending one (its socket is shut down, which
//! ends its reader); only when every slot holds a promoted connection is the
//! newcomer refused. A real client sends its request the moment it connects,
//! so a connection whose whole request head already waits in its receive
//! buffer is passed over when choosing whom to evict (its reader thread may
//! not have run yet on a loaded machine while a flood is accepted).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Headers a request may have (more is "too large").
const MAX_HEADERS: usize = 64;

/// The connections of one listener: at most `cap`, pending ones evicted
/// oldest first when a new one needs the room.
pub(crate) struct Admission {
    /// Connections served at once (promoted).
    serving: usize,
    /// Connections still waiting for their request, on top of those.
    pending: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    /// Oldest first: id and a handle to shut the socket down.
    pending: VecDeque<(u64, TcpStream)>,
    promoted: usize,
}

/// One admitted connection's place; dropping it frees the place.
pub(crate) struct Slot {
    admission: Arc<Admission>,
    id: u64,
    promoted: bool,
}

impl Admission {
    /// At most `serving` promoted connections and `pending` ones waiting
    /// for their request. The pending pool is the margin a real client has:
    /// it is evicted only if that many newer connections arrive between its
    /// connect and its request (its thread preempted on a loaded machine, a
    /// flood reconnecting thousands of times a second), so it is made large;
    /// the process's open-file limit is raised to fit it where it can be.
    pub(crate) fn new(serving: usize, pending: usize) -> Arc<Admission> {
        let (serving, pending) = (serving.max(1), pending.max(1));
        raise_open_file_limit(serving + pending + 64);
        Arc::new(Admission {
            serving,
            pending,
            table: Mutex::new(Table::default()),
        })
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for `stream`, evicting the oldest pending connection when all
    /// are taken; `None` when every place holds a promoted connection (or the
    /// stream cannot be cloned): the caller refuses it.
    pub(crate) fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut t = self.table();
        if t.promoted >= self.serving {
            return None;
        }
        if t.pending.len() >= self.pending {
            // The oldest connection whose request head has not all arrived;
            // only when every pending one has a whole head waiting, the oldest.
            let i = t
                .pending
                .iter()
                .position(|(_, s)| !whole_head_waiting(s))
                .unwrap_or(0);
            let (_, evicted) = t.pending.remove(i)?;
            // Its reader sees the end of the stream and gives its thread back.
            let _ = evicted.shutdown(Shutdown::Both);
        }
        let id = t.next_id;
        t.next_id += 1;
        t.pending.push_back((id, handle));
        Some(Slot {
            admission: Arc::clone(self),
            id,
            promoted: false,
        })
    }

    /// (pending, promoted) connections now.
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize) {
        let t = self.table();
        (t.pending.len(), t.promoted)
    }
}

impl Slot {
    /// The connection has earned its place: it can no longer be evicted.
    /// False when it was evicted already (its socket is shut down).
    pub(crate) fn promote(&mut self) -> bool {
        if self.promoted {
            return true;
        }
        let mut t = self.admission.table();
        let Some(i) = t.pending.iter().position(|(id, _)| *id == self.id) else {
            return false;
        };
        if t.promoted >= self.admission.serving {
            // Every serving place is taken: the caller refuses it.
            return false;
        }
        t.pending.remove(i);
        t.promoted += 1;
        self.promoted = true;
        true
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut t = self.admission.table();
        if self.promoted {
            t.promoted -= 1;
        } else if let Some(i) = t.pending.iter().position(|(id, _)| *id == self.id) {
            t.pending.remove(i);
        }
    }
}

/// Raises the soft limit on open files to `want` (within the hard limit),
/// as Go's runtime does at start: the pending pool is sockets. Where it
/// cannot be raised, accept fails past the limit and the loop waits
/// (callers sleep on accept errors), which delays but never wedges.
#[cfg(unix)]
fn raise_open_file_limit(want: usize) {
    let want = libc::rlim_t::try_from(want).unwrap_or(libc::rlim_t::MAX);
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write the one struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Windows has no such per-process soft limit on sockets.
#[cfg(not(unix))]
fn raise_open_file_limit(_want: usize) {}

/// Bytes of a waiting request looked at when choosing whom to evict.
#[cfg(unix)]
const PEEK: usize = 4096;

/// Whether a whole request head (up to its blank line) already sits in the
/// socket's receive buffer, unread. A real client writes its request the
/// moment it connects, so under load (its reader thread not yet scheduled,
/// a flood of newcomers accepted meanwhile) this is what tells it from an
/// idle or trickling socket; it never blocks and consumes nothing.
#[cfg(unix)]
fn whole_head_waiting(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut buf = [0u8; PEEK];
    // SAFETY: recv writes at most `buf.len()` bytes into `buf`, which is
    // valid for writes of that length; the descriptor is open (owned by
    // `stream` for the duration of the call).
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    let Ok(n) = usize::try_from(n) else {
        return false;
    };
    buf[..n].windows(4).any(|w| w == b"\r\n\r\n")
}

/// Elsewhere the oldest pending connection is evicted.
#[cfg(not(unix))]
fn whole_head_waiting(_stream: &TcpStream) -> bool {
    false
}

/// A request head: method, target and headers (names as sent).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
}

impl Request {
    /// The target without its query.
    pub(crate) fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(p, _)| p)
    }

    /// The query (after `?`), empty without one.
    pub(crate) fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// Every value of header `name` (any case).
    pub(crate) fn header_values<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Why no request head was read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// Past the size bound (or too many headers): `431`.
    TooLarge,
    /// Not HTTP/1.x: `400`.
    Malformed,
    /// Timed out, closed, evicted: nobody to answer.
    Io,
}

/// The request line and headers, parsed by httparse once the blank line has
/// arrived, within `max` bytes and before `until` (one deadline for the whole
/// head: a client sending a byte now and then cannot hold its place longer).
/// A body (there should be none) is not read.
pub(crate) fn read_head(
    stream: &mut TcpStream,
    until: Instant,
    max: usize,
) -> Result<Request, HeadError> {
    stream.set_nonblocking(false).map_err(|_| HeadError::Io)?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Io);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Io)?;
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Io)?;
        if n == 0 {
            return Err(if buf.is_empty() {
                HeadError::Io
            } else {
                HeadError::Malformed
            });
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(len)) if len > max => return Err(HeadError::TooLarge),
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Request {
                    method: req.method.unwrap_or_default().to_owned(),
                    target: req.path.unwrap_or_default().to_owned(),
                    headers: req
                        .headers
                        .iter()
                        .map(|h| (h.name.to_owned(), h.value.to_vec()))
                        .collect(),
                });
            }
            Ok(httparse::Status::Partial) if buf.len() > max => return Err(HeadError::TooLarge),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
            Err(_) => return Err(HeadError::Malformed),
        }
    }
}

/// The reason phrase of the statuses these servers send.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// Writes a whole answer, `Cache-Control: no-store` and `Connection: close`,
/// within `timeout`.
pub(crate) fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &str,
    timeout: Duration,
) -> std::io::Result<()> {
    stream.set_write_timeout(Some(timeout))?;
    let out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        reason(status),
        body.len()
    );
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, TcpListener};

    /// A connected pair: (client, server side).
    fn pair(l: &TcpListener) -> (TcpStream, TcpStream) {
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        (c, s)
    }

    #[test]
    fn at_the_cap_the_oldest_pending_connection_is_evicted_never_a_promoted_one() {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let adm = Admission::new(2, 2);
        let (mut c0, s0) = pair(&l);
        let mut slot0 = adm.admit(&s0).unwrap();
        assert!(slot0.promote());
        let (mut c1, s1) = pair(&l);
        let mut slot1 = adm.admit(&s1).unwrap();
        let (_c2, s2) = pair(&l);
        let _slot2 = adm.admit(&s2).unwrap();
        assert_eq!(adm.counts(), (2, 1));
        // Full: the newcomer takes the place of the oldest pending one (c1).
        let (_c3, s3) = pair(&l);
        let _slot3 = adm.admit(&s3).unwrap();
        assert_eq!(adm.counts(), (2, 1));
        c1.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(c1.read(&mut [0u8; 8]).unwrap(), 0, "evicted: closed");
        assert!(!slot1.promote(), "an evicted connection cannot be promoted");
        drop(slot1);
        assert_eq!(adm.counts(), (2, 1));
        // The promoted one is still open.
        c0.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        assert!(c0.read(&mut [0u8; 8]).is_err(), "still open (timed out)");
        drop(slot0);
        assert_eq!(adm.counts(), (2, 0));
    }

    // Unix only: elsewhere `whole_head_waiting` cannot peek without blocking, and the oldest
    // pending connection is evicted.
    #[cfg(unix)]
    #[test]
    fn a_connection_whose_whole_request_waits_unread_is_passed_over_for_eviction() {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let adm = Admission::new(1, 2);
        // The oldest has its whole request in the buffer, not yet read (its
        // reader thread has not run); the younger one is idle.
        let (mut c0, s0) = pair(&l);
        c0.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut slot0 = adm.admit(&s0).unwrap();
        let (mut c1, s1) = pair(&l);
        let _slot1 = adm.admit(&s1).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let (_c2, s2) = pair(&l);
        let _slot2 = adm.admit(&s2).unwrap();
        c1.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(c1.read(&mut [0u8; 8]).unwrap(), 0, "the idle one went");
        assert!(slot0.promote(), "the one with a request stayed");
        let mut s0 = s0;
        let head = read_head(&mut s0, Instant::now() + Duration::from_secs(5), 1024);
        assert_eq!(head.unwrap().target, "/");
    }

    #[test]
    fn when_every_place_is_promoted_a_newcomer_is_refused() {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let adm = Admission::new(2, 4);
        let conns: Vec<_> = (0..2).map(|_| pair(&l)).collect();
        let slots: Vec<Slot> = conns
            .iter()
            .map(|(_, s)| {
                let mut slot = adm.admit(s).unwrap();
                assert!(slot.promote());
                slot
            })
            .collect();
        let (_c, s) = pair(&l);
        assert!(adm.admit(&s).is_none());
        drop(slots);
        assert!(adm.admit(&s).is_some());
    }

    #[test]
    fn heads_are_parsed_bounded_and_timed() {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let soon = || Instant::now() + Duration::from_secs(5);
        let (mut c, mut s) = pair(&l);
        c.write_all(b"GET /a?b=c HTTP/1.1\r\nAuthorization: t\r\nHost: x\r\n\r\n")
            .unwrap();
        let r = read_head(&mut s, soon(), 1024).unwrap();
        assert_eq!(
            (r.method.as_str(), r.path(), r.query()),
            ("GET", "/a", "b=c")
        );
        assert_eq!(r.header_values("authorization").collect::<Vec<_>>(), [b"t"]);
        // Split across writes.
        let (mut c, mut s) = pair(&l);
        let t = std::thread::spawn(move || read_head(&mut s, soon(), 1024));
        c.write_all(b"GET / HT").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        c.write_all(b"TP/1.0\r\n\r\n").unwrap();
        assert_eq!(t.join().unwrap().unwrap().target, "/");
        let (mut c, mut s) = pair(&l);
        c.write_all(b"garbage\r\n\r\n").unwrap();
        assert_eq!(read_head(&mut s, soon(), 1024), Err(HeadError::Malformed));
        let (mut c, mut s) = pair(&l);
        c.write_all(&[b'a'; 2000]).unwrap();
        assert_eq!(read_head(&mut s, soon(), 1024), Err(HeadError::TooLarge));
        let (mut c, mut s) = pair(&l);
        c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        let t0 = Instant::now();
        let r = read_head(&mut s, Instant::now() + Duration::from_millis(200), 1024);
        assert_eq!(r, Err(HeadError::Io));
        assert!(t0.elapsed() < Duration::from_secs(2));
    }
}
