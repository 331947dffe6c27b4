//! A local HTTP stub that answers like STS does when things go wrong: the exact XML error
//! bodies of the query protocol, a dropped connection, a connection that never answers.
//! moto cannot produce these (it accepts any code), so the error-table tests use this.
//!
//! Include with `#[path = "aws_stub/mod.rs"] mod aws_stub;`. The accept loop polls a stop
//! flag, so it ends when the [`Stub`] is dropped; each connection is served on the loop's
//! own thread with bounded reads, except held ("hang") connections, kept open until drop.

#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The namespace of STS's query-protocol answers.
pub const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// What the stub does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An HTTP answer with this status and XML body.
    Respond { status: u16, body: String },
    /// Accept, read the request, close without answering.
    Drop,
    /// Accept and never answer (held open until the stub is dropped).
    Hang,
}

/// One request the stub received.
#[derive(Clone, Debug)]
pub struct Request {
    pub head: String,
    pub body: String,
}

impl Request {
    /// A form parameter of the body (`Action`, `TokenCode`, `DurationSeconds`...).
    pub fn param(&self, name: &str) -> Option<String> {
        self.body.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| decode(v))
        })
    }

    pub fn action(&self) -> Option<String> {
        self.param("Action")
    }
}

fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

type Router = dyn Fn(&Request) -> Reply + Send + Sync;

/// The stub server; stops when dropped.
pub struct Stub {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    thread: Option<JoinHandle<()>>,
}

impl Stub {
    /// The same reply to every request.
    pub fn always(reply: Reply) -> Stub {
        Self::route(move |_| reply.clone())
    }

    /// An STS error (`<ErrorResponse>`) to every request.
    pub fn sts_error(status: u16, code: &str, message: &str) -> Stub {
        Self::always(Reply::Respond {
            status,
            body: sts_error_body("Sender", code, message),
        })
    }

    /// A reply chosen per request.
    pub fn route(router: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the stub");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("stub address");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let router: Arc<Router> = Arc::new(router);
        let thread = {
            let (stop, requests) = (Arc::clone(&stop), Arc::clone(&requests));
            thread::spawn(move || serve(listener, stop, requests, router))
        };
        Stub {
            addr,
            stop,
            requests,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self, action: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.action().as_deref() == Some(action))
            .count()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: TcpListener,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    router: Arc<Router>,
) {
    let mut held: Vec<TcpStream> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
                let mut stream = stream;
                let Ok(request) = read_request(&mut stream) else {
                    continue;
                };
                let reply = router(&request);
                requests.lock().unwrap().push(request);
                match reply {
                    Reply::Respond { status, body } => {
                        let _ = respond(&mut stream, status, &body);
                    }
                    Reply::Drop => drop(stream),
                    Reply::Hang => held.push(stream),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(10));
            }
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn read_request(stream: &mut TcpStream) -> io::Result<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    if header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Request {
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        _ => "Error",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nx-amzn-RequestId: 4d1a9d6e-5b0c-4f3a-9d7e-1f2a3b4c5d6e\r\n\
         Content-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// STS's query-protocol error body, as AWS sends it.
pub fn sts_error_body(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"{STS_NS}\">\n  <Error>\n    <Type>{kind}</Type>\n    \
         <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  \
         <RequestId>4d1a9d6e-5b0c-4f3a-9d7e-1f2a3b4c5d6e</RequestId>\n</ErrorResponse>\n"
    )
}

/// A successful GetSessionToken or AssumeRole answer with made-up credentials valid for
/// `seconds`.
pub fn sts_credentials_body(action: &str, seconds: i64) -> String {
    let expiration = (chrono::Utc::now() + chrono::Duration::seconds(seconds))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let assumed = if action == "AssumeRole" {
        "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:mfatui-jo</AssumedRoleId>\
         <Arn>arn:aws:sts::123456789012:assumed-role/admin/mfatui-jo</Arn></AssumedRoleUser>"
    } else {
        ""
    };
    format!(
        "<{action}Response xmlns=\"{STS_NS}\">\n  <{action}Result>\n    <Credentials>\n      \
         <SessionToken>FQoGZXIvYXdzEXAMPLETOKEN</SessionToken>\n      \
         <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n      \
         <Expiration>{expiration}</Expiration>\n      \
         <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n    </Credentials>{assumed}\n  \
         </{action}Result>\n  <ResponseMetadata>\n    \
         <RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId>\n  \
         </ResponseMetadata>\n</{action}Response>\n"
    )
}

/// A port of 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}
