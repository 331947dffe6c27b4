//! A small recording HTTP/1.1 proxy (std::net and threads) put in front of moto.
//!
//! Why a proxy rather than moto's recorder (`/moto-api/recorder/...`): the proxy sees exactly
//! the bytes the program under test sent, every retry included, independently of moto's
//! version; it records each request before forwarding it, so by the time the client has its
//! response the request is already counted (no race); and its log can be waited on
//! ([`Recorder::wait_for`]), which tests of an asynchronous UI need.
//!
//! Each client connection carries one request: the proxy answers with `Connection: close`
//! (moto's development server does the same), which every HTTP client handles. `Expect:
//! 100-continue` is answered by the proxy itself; chunked request bodies are de-chunked and
//! forwarded with a Content-Length. The response is streamed back unchanged apart from the
//! `Connection` header.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

const IO_TIMEOUT: Duration = Duration::from_secs(120);
const MAX_HEAD: usize = 1 << 20;

/// One HTTP request received by the proxy.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Sequence number, from 1, in order of arrival.
    pub seq: u64,
    pub method: String,
    /// The request target as sent: path and query string.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
    /// The AWS operation: the `Action` parameter of query-protocol services such as STS (from
    /// the form body or the query string), else the part of `X-Amz-Target` after the last dot,
    /// else `ListBuckets` for an S3 `GET /`. `None` otherwise.
    pub action: Option<String>,
    /// The service from the SigV4 credential scope of `Authorization` (`sts`, `s3`, ...).
    pub service: Option<String>,
    /// Status of moto's response; `None` while in flight or if the exchange failed.
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// First header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path, without the query string.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// Decoded parameters: the query string's, then the form body's (when the body is
    /// `application/x-www-form-urlencoded`).
    pub fn params(&self) -> Vec<(String, String)> {
        let mut params = Vec::new();
        if let Some((_, query)) = self.target.split_once('?') {
            params.extend(parse_urlencoded(query));
        }
        let is_form = self.header("content-type").is_some_and(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        if is_form {
            params.extend(parse_urlencoded(&String::from_utf8_lossy(&self.body)));
        }
        params
    }

    /// The decoded parameter `name` (e.g. `TokenCode`, `SerialNumber`, `RoleArn`,
    /// `DurationSeconds`), if sent.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The access key id that signed the request (from the SigV4 credential scope).
    pub fn access_key_id(&self) -> Option<String> {
        credential_scope(self.header("authorization")?)
            .and_then(|scope| scope.split('/').next().map(str::to_string))
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The shared request log.
#[derive(Default)]
pub struct Recorder {
    log: Mutex<Vec<RecordedRequest>>,
    changed: Condvar,
    next_seq: AtomicU64,
}

impl Recorder {
    fn lock(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().clone()
    }

    pub fn clear(&self) {
        self.lock().clear();
        self.changed.notify_all();
    }

    pub fn count_where(&self, pred: impl Fn(&RecordedRequest) -> bool) -> usize {
        self.lock().iter().filter(|r| pred(r)).count()
    }

    /// Waits until `pred` holds for the log (re-checked at each new request or response) or
    /// `timeout` passes; returns whether it holds.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&[RecordedRequest]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut log = self.lock();
        loop {
            if pred(&log) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            log = self
                .changed
                .wait_timeout(log, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn push(&self, mut req: RecordedRequest) -> u64 {
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst) + 1;
        req.seq = seq;
        self.lock().push(req);
        self.changed.notify_all();
        seq
    }

    fn set_status(&self, seq: u64, status: u16) {
        if let Some(r) = self.lock().iter_mut().find(|r| r.seq == seq) {
            r.status = Some(status);
        }
        self.changed.notify_all();
    }
}

/// The proxy: listens on 127.0.0.1 (its own port, bound at once: no race) and forwards to
/// `upstream`. Stops accepting on drop.
pub struct Proxy {
    addr: SocketAddr,
    recorder: Arc<Recorder>,
    stop: Arc<AtomicBool>,
    acceptor: Option<thread::JoinHandle<()>>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let recorder = Arc::new(Recorder::default());
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let recorder = Arc::clone(&recorder);
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name(format!("moto-proxy-{}", addr.port()))
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(conn) = conn else { continue };
                        let recorder = Arc::clone(&recorder);
                        let _ = thread::Builder::new().name("moto-proxy-conn".into()).spawn(
                            move || {
                                let _ = handle_connection(conn, upstream, &recorder);
                            },
                        );
                    }
                })?
        };
        Ok(Proxy {
            addr,
            recorder,
            stop,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop up so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// A buffered reader over a stream that keeps what it has read ahead.
pub(crate) struct Buffered<R> {
    inner: R,
    buf: Vec<u8>,
}

impl<R: Read> Buffered<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes; returns how many (0 at end of stream).
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.inner.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads a message head up to and including the blank line. `None` if the stream ends
    /// before any byte.
    pub(crate) fn read_head(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                return Ok(Some(self.buf.drain(..end + 4).collect()));
            }
            if self.buf.len() > MAX_HEAD {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "head too large"));
            }
            if self.fill()? == 0 {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
        }
    }

    pub(crate) fn read_exact_vec(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn read_line(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                let mut line: Vec<u8> = self.buf.drain(..end + 2).collect();
                line.truncate(end);
                return Ok(line);
            }
            if self.fill()? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    /// Reads a chunked body (and its trailers) and returns it de-chunked.
    pub(crate) fn read_chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line()?;
            let line = String::from_utf8_lossy(&line);
            let size_hex = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailers, up to an empty line.
                while !self.read_line()?.is_empty() {}
                return Ok(body);
            }
            body.extend(self.read_exact_vec(size)?);
            self.read_line()?;
        }
    }

    /// Everything up to end of stream.
    pub(crate) fn read_to_end_vec(&mut self) -> io::Result<Vec<u8>> {
        let mut out = std::mem::take(&mut self.buf);
        self.inner.read_to_end(&mut out)?;
        Ok(out)
    }
}

pub(crate) struct Head {
    pub(crate) start_line: String,
    pub(crate) headers: Vec<(String, String)>,
}

impl Head {
    pub(crate) fn parse(raw: &[u8]) -> io::Result<Head> {
        let text = String::from_utf8_lossy(raw);
        let mut lines = text.split("\r\n");
        let start_line = lines.next().unwrap_or("").to_string();
        let headers = lines
            .filter(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        if start_line.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "empty start line",
            ));
        }
        Ok(Head {
            start_line,
            headers,
        })
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn is_chunked(&self) -> bool {
        self.header("transfer-encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
    }

    pub(crate) fn content_length(&self) -> io::Result<Option<usize>> {
        match self.header("content-length") {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad content-length")),
        }
    }

    /// The status code of a response head.
    pub(crate) fn status(&self) -> Option<u16> {
        self.start_line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Serializes the head without the hop-by-hop headers named in `drop`, plus `extra`.
    fn serialize(&self, drop: &[&str], extra: &[(&str, String)]) -> Vec<u8> {
        let mut out = format!("{}\r\n", self.start_line);
        for (k, v) in &self.headers {
            if !drop.iter().any(|d| k.eq_ignore_ascii_case(d)) {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
        }
        for (k, v) in extra {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.into_bytes()
    }
}

fn handle_connection(
    client: TcpStream,
    upstream: SocketAddr,
    recorder: &Recorder,
) -> io::Result<()> {
    client.set_read_timeout(Some(IO_TIMEOUT))?;
    client.set_write_timeout(Some(IO_TIMEOUT))?;
    let _ = client.set_nodelay(true);
    let mut client_out = client.try_clone()?;
    let mut client_in = Buffered::new(client);

    let Some(raw_head) = client_in.read_head()? else {
        return Ok(()); // connected and closed: a probe
    };
    let head = Head::parse(&raw_head)?;
    if head
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        client_out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let body = if head.is_chunked() {
        client_in.read_chunked()?
    } else {
        match head.content_length()? {
            Some(n) => client_in.read_exact_vec(n)?,
            None => Vec::new(),
        }
    };

    let mut parts = head.start_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut req = RecordedRequest {
        seq: 0,
        method,
        target,
        headers: head.headers.clone(),
        body,
        action: None,
        service: head.header("authorization").and_then(|a| {
            credential_scope(a).and_then(|s| s.split('/').nth(3).map(str::to_string))
        }),
        status: None,
    };
    req.action = detect_action(&req);
    let forwarded_head = head.serialize(
        &[
            "connection",
            "keep-alive",
            "proxy-connection",
            "expect",
            "transfer-encoding",
            "content-length",
        ],
        &[
            ("Content-Length", req.body.len().to_string()),
            ("Connection", "close".to_string()),
        ],
    );
    let body = req.body.clone();
    let seq = recorder.push(req);

    let mut upstream_out = match TcpStream::connect_timeout(&upstream, Duration::from_secs(10)) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("moto proxy: cannot reach moto at {upstream}: {e}\n");
            let resp = format!(
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{msg}",
                msg.len()
            );
            recorder.set_status(seq, 502);
            client_out.write_all(resp.as_bytes())?;
            let _ = client_out.shutdown(Shutdown::Write);
            return Ok(());
        }
    };
    upstream_out.set_read_timeout(Some(IO_TIMEOUT))?;
    upstream_out.set_write_timeout(Some(IO_TIMEOUT))?;
    let _ = upstream_out.set_nodelay(true);
    let mut request_bytes = forwarded_head;
    request_bytes.extend_from_slice(&body);
    upstream_out.write_all(&request_bytes)?;
    upstream_out.flush()?;

    let mut upstream_in = Buffered::new(upstream_out.try_clone()?);
    loop {
        let raw = upstream_in
            .read_head()?
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        let head = Head::parse(&raw)?;
        let status = head.status().unwrap_or(0);
        if (100..200).contains(&status) {
            continue; // interim responses: the proxy already answered Expect itself
        }
        recorder.set_status(seq, status);
        client_out.write_all(&head.serialize(
            &["connection", "keep-alive"],
            &[("Connection", "close".to_string())],
        ))?;
        break;
    }
    // We asked for `Connection: close`, so the response ends where the stream ends.
    client_out.write_all(&std::mem::take(&mut upstream_in.buf))?;
    io::copy(&mut upstream_in.inner, &mut client_out)?;
    client_out.flush()?;
    let _ = client_out.shutdown(Shutdown::Write);
    Ok(())
}

fn detect_action(req: &RecordedRequest) -> Option<String> {
    if let Some(action) = req.param("Action") {
        return Some(action);
    }
    if let Some(target) = req.header("x-amz-target") {
        return target.rsplit('.').next().map(str::to_string);
    }
    if req.service.as_deref() == Some("s3") && req.method == "GET" && req.path() == "/" {
        return Some("ListBuckets".to_string());
    }
    None
}

/// `AKID/20240101/us-east-1/sts/aws4_request` from a SigV4 `Authorization` header.
fn credential_scope(authorization: &str) -> Option<&str> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    let rest = &authorization[start..];
    let end = rest.find([',', ' ']).unwrap_or(rest.len());
    Some(&rest[..end])
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses `a=b&c=d` with percent-decoding and `+` as space.
pub fn parse_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 3 <= bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
