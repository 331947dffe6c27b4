//! moto's server (a real HTTP server speaking the STS and S3 protocols) for one test.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use super::proxy::{Buffered, Head, Proxy, RecordedRequest};

/// How long [`Moto::start`] waits for the server to answer.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
const PORT_ATTEMPTS: usize = 5;
const TAIL_LINES: usize = 200;

/// A moto server on 127.0.0.1, killed on drop, with a recording proxy in front of it.
///
/// * [`endpoint`](Moto::endpoint) is the proxy's URL: give it to the program under test
///   (`TestHome::env` does, as AWS_ENDPOINT_URL). Every request through it is recorded.
/// * [`count`](Moto::count) / [`requests`](Moto::requests) / [`wait_for_count`](Moto::wait_for_count)
///   read that record: `moto.count("GetSessionToken")` is the number of GetSessionToken
///   requests that reached the server (retries included).
/// * [`direct_endpoint`](Moto::direct_endpoint) is moto itself, not recorded (for set-up calls
///   that must not count).
///
/// moto accepts any six-digit MFA code, returns session credentials, and its
/// GetCallerIdentity returns the assumed-role ARN for role sessions.
pub struct Moto {
    child: Child,
    port: u16,
    proxy: Proxy,
    output: Arc<ProcessOutput>,
}

impl Moto {
    /// Starts moto's server (`$MFATUI_MOTO_SERVER`, else `<crate root>/.venv/bin/moto_server`)
    /// on a free port and waits (at most [`STARTUP_TIMEOUT`]) until it answers HTTP.
    ///
    /// The port is picked by binding port 0, then handed to moto with `-p`; if another process
    /// takes it in between (moto exits with "Address already in use"), a new port is tried.
    /// Readiness is moto's own "Running on http://127.0.0.1:PORT" line (printed only after it
    /// has bound the socket, so it is this process that answers) followed by a successful
    /// `GET /moto-api/`.
    ///
    /// On Linux the server gets `PR_SET_PDEATHSIG`, so it dies with the test process even if
    /// that is killed without unwinding.
    pub fn start() -> Moto {
        Self::start_with_binary(super::moto_server_bin())
    }

    /// One server shared by every test of this test binary, started on first use (saves the
    /// second or so each start costs). Never dropped: on Linux it dies with the test process
    /// (PR_SET_PDEATHSIG). Its state and its request record are shared with the tests running
    /// in parallel: a test that counts requests or needs an empty moto must use
    /// [`Moto::start`].
    pub fn shared() -> &'static Moto {
        static SHARED: OnceLock<Moto> = OnceLock::new();
        SHARED.get_or_init(Moto::start)
    }

    /// [`Moto::start`] with an explicit `moto_server` executable.
    pub fn start_with_binary(bin: impl AsRef<Path>) -> Moto {
        let bin = bin.as_ref();
        if !bin.exists() {
            panic!(
                "moto's server is not installed: {} does not exist.\n{}",
                bin.display(),
                super::VENV_HINT
            );
        }
        let mut last_failure = String::new();
        for _ in 0..PORT_ATTEMPTS {
            match try_start(bin) {
                Ok(moto) => return moto,
                Err(StartError::PortTaken(output)) => last_failure = output,
                Err(StartError::Fatal(msg)) => panic!("cannot start moto: {msg}"),
            }
        }
        panic!(
            "cannot start moto: the port was taken {PORT_ATTEMPTS} times in a row.\nlast output:\n{last_failure}"
        );
    }

    /// The URL to give the program under test: `http://127.0.0.1:PORT` of the recording proxy.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.proxy.addr())
    }

    /// moto's own URL, bypassing the recorder.
    pub fn direct_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// moto's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Resets moto's state (`POST /moto-api/reset`: buckets, roles, sessions...) and clears
    /// the request record.
    pub fn reset(&self) {
        let (status, body) = self
            .direct_request("POST", "/moto-api/reset", &[], b"")
            .unwrap_or_else(|e| panic!("POST /moto-api/reset: {e}\n{}", self.log_tail()));
        assert_eq!(
            status,
            200,
            "POST /moto-api/reset: {}",
            String::from_utf8_lossy(&body)
        );
        self.clear_requests();
    }

    /// Forgets the requests recorded so far (moto's state is kept).
    pub fn clear_requests(&self) {
        self.proxy.recorder().clear();
    }

    /// Every request recorded so far, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.proxy.recorder().requests()
    }

    /// The recorded requests of one AWS operation (`"GetSessionToken"`, `"AssumeRole"`,
    /// `"GetCallerIdentity"`, `"ListBuckets"`, ...).
    pub fn requests_for(&self, action: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.action.as_deref() == Some(action))
            .collect()
    }

    /// How many requests of `action` reached moto (retries count).
    pub fn count(&self, action: &str) -> usize {
        self.count_where(|r| r.action.as_deref() == Some(action))
    }

    pub fn count_where(&self, pred: impl Fn(&RecordedRequest) -> bool) -> usize {
        self.proxy.recorder().count_where(pred)
    }

    /// Waits until at least `n` requests of `action` have been answered by moto (condition
    /// wait on the record, no polling), then returns the count. Panics after `timeout`.
    pub fn wait_for_count(&self, action: &str, n: usize, timeout: Duration) -> usize {
        let done = |log: &[RecordedRequest]| {
            log.iter()
                .filter(|r| r.action.as_deref() == Some(action) && r.status.is_some())
                .count()
                >= n
        };
        if !self.proxy.recorder().wait_for(timeout, done) {
            let seen: Vec<String> = self
                .requests()
                .iter()
                .map(|r| {
                    format!(
                        "{} {} action={:?} status={:?}",
                        r.method, r.target, r.action, r.status
                    )
                })
                .collect();
            panic!(
                "moto did not answer {n} {action} request(s) within {timeout:?}; requests seen:\n{}",
                seen.join("\n")
            );
        }
        self.count(action)
    }

    /// Creates an S3 bucket in moto's default account (123456789012), bypassing the recorder.
    pub fn create_bucket(&self, name: &str) {
        let auth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
        let (status, body) = self
            .direct_request("PUT", &format!("/{name}"), &[("Authorization", auth)], b"")
            .unwrap_or_else(|e| panic!("create bucket {name}: {e}"));
        assert_eq!(
            status,
            200,
            "create bucket {name}: {}",
            String::from_utf8_lossy(&body)
        );
    }

    /// One HTTP request straight to moto: `(status, body)`.
    pub fn direct_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<(u16, Vec<u8>)> {
        http_request(
            SocketAddr::from(([127, 0, 0, 1], self.port)),
            method,
            path,
            headers,
            body,
        )
    }

    /// The last lines moto printed (its request log), for failure messages.
    pub fn log_tail(&self) -> String {
        self.output.tail()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum StartError {
    PortTaken(String),
    Fatal(String),
}

fn try_start(bin: &Path) -> Result<Moto, StartError> {
    let port = free_port().map_err(|e| StartError::Fatal(format!("no free port: {e}")))?;
    let mut cmd = Command::new(bin);
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    set_parent_death_signal(&mut cmd);
    let mut child = spawn_from_long_lived_thread(cmd)
        .map_err(|e| StartError::Fatal(format!("{}: {e}", bin.display())))?;

    let output = Arc::new(ProcessOutput::default());
    let running_line = format!("Running on http://127.0.0.1:{port}");
    for pipe in [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let output = Arc::clone(&output);
        let running_line = running_line.clone();
        thread::spawn(move || output.collect(pipe, &running_line));
    }

    let fail = |child: &mut Child, msg: String| {
        let _ = child.kill();
        let _ = child.wait();
        msg
    };
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    // 1. moto bound the port (or exited).
    match output.wait_running_or_closed(deadline) {
        Outcome::Running => {}
        Outcome::Closed => {
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            let tail = output.tail();
            return Err(if tail.contains("in use") {
                StartError::PortTaken(tail)
            } else {
                StartError::Fatal(format!("moto_server exited ({status}) at start:\n{tail}"))
            });
        }
        Outcome::TimedOut => {
            let tail = output.tail();
            return Err(StartError::Fatal(fail(
                &mut child,
                format!("moto_server did not start listening within {STARTUP_TIMEOUT:?}:\n{tail}"),
            )));
        }
    }
    // 2. It answers HTTP.
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut last_error: String;
    loop {
        match http_request(addr, "GET", "/moto-api/", &[], b"") {
            Ok((200, _)) => break,
            Ok((status, body)) => {
                last_error = format!("status {status}: {}", String::from_utf8_lossy(&body))
            }
            Err(e) => last_error = e.to_string(),
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(StartError::Fatal(format!(
                "moto_server exited ({status}):\n{}",
                output.tail()
            )));
        }
        if Instant::now() >= deadline {
            let tail = output.tail();
            return Err(StartError::Fatal(fail(
                &mut child,
                format!(
                    "moto did not answer GET /moto-api/ within {STARTUP_TIMEOUT:?}: {last_error}\n{tail}"
                ),
            )));
        }
        thread::sleep(Duration::from_millis(20));
    }

    let proxy = match Proxy::start(addr) {
        Ok(proxy) => proxy,
        Err(e) => {
            return Err(StartError::Fatal(fail(
                &mut child,
                format!("cannot start the recording proxy: {e}"),
            )));
        }
    };
    Ok(Moto {
        child,
        port,
        proxy,
        output,
    })
}

fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(target_os = "linux")]
fn set_parent_death_signal(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn set_parent_death_signal(_cmd: &mut Command) {}

/// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, and each test runs in
/// its own thread. Children are therefore forked by one thread that lives as long as the test
/// process, so a server shared between tests is not killed when the first test ends.
fn spawn_from_long_lived_thread(cmd: Command) -> io::Result<Child> {
    type Request = (Command, mpsc::Sender<io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        thread::Builder::new()
            .name("moto-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("start the spawner thread");
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, reply_tx))
        .map_err(|_| io::Error::other("spawner thread is gone"))?;
    reply_rx
        .recv()
        .map_err(|_| io::Error::other("spawner thread is gone"))?
}

/// moto's stdout and stderr: the last lines, and whether it printed its "Running on" line.
#[derive(Default)]
struct ProcessOutput {
    state: Mutex<OutputState>,
    changed: Condvar,
}

#[derive(Default)]
struct OutputState {
    lines: VecDeque<String>,
    running: bool,
    open_pipes_closed: usize,
}

enum Outcome {
    Running,
    Closed,
    TimedOut,
}

impl ProcessOutput {
    fn collect(&self, pipe: Box<dyn Read + Send>, running_line: &str) {
        // Keep draining until EOF, or moto blocks on a full pipe.
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if line.contains(running_line) {
                state.running = true;
            }
            state.lines.push_back(line);
            if state.lines.len() > TAIL_LINES {
                state.lines.pop_front();
            }
            drop(state);
            self.changed.notify_all();
        }
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .open_pipes_closed += 1;
        self.changed.notify_all();
    }

    fn wait_running_or_closed(&self, deadline: Instant) -> Outcome {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.running {
                return Outcome::Running;
            }
            if state.open_pipes_closed >= 2 {
                return Outcome::Closed;
            }
            let now = Instant::now();
            if now >= deadline {
                return Outcome::TimedOut;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn tail(&self) -> String {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.lines.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

/// A one-shot HTTP/1.1 request (`Connection: close`): `(status, body)`.
pub fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;

    let mut reader = Buffered::new(stream);
    let raw = reader
        .read_head()?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "no response"))?;
    let head = Head::parse(&raw)?;
    let status = head
        .status()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad status line"))?;
    let body = if head.is_chunked() {
        reader.read_chunked()?
    } else if let Some(n) = head.content_length()? {
        reader.read_exact_vec(n)?
    } else {
        reader.read_to_end_vec()?
    };
    Ok((status, body))
}
