//! `shirube serve`: the real binary on an ephemeral port, asked over plain HTTP/1.1 as a
//! browser or a script would, for every page and API route, every limit, escaping, and the
//! same JSON the command line prints.

use crate::util::{run, run_with_stdin, shirube};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A server started for one test, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(options: &[&str]) -> Server {
        Server::start_with(
            &[&["serve", "--addr", "127.0.0.1:0"], options].concat(),
            None,
        )
    }

    /// A server listening on `addr` as `--addr` takes it.
    pub fn start_at(addr: &str) -> Server {
        Server::start_with(&["serve", "--addr", addr], None)
    }

    /// A server of a host whose data directory (its installed packs) is `data`.
    pub fn start_in(data: &std::path::Path) -> Server {
        Server::start_with(&["serve", "--addr", "127.0.0.1:0"], Some(data))
    }

    fn start_with(args: &[&str], data: Option<&std::path::Path>) -> Server {
        let mut command = shirube();
        if let Some(data) = data {
            command.env("SHIRUBE_DATA_DIR", data);
        }
        let mut child = command
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("shirube serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        Server { child, port }
    }

    /// The next line the server wrote on stderr, read a byte at a time so that nothing after
    /// it is taken.
    pub fn stderr_line(&mut self) -> String {
        let stderr = self.child.stderr.as_mut().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8];
        while stderr.read(&mut byte).unwrap() == 1 {
            line.push(byte[0]);
            if byte[0] == b'\n' {
                break;
            }
        }
        String::from_utf8(line).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Asks `request` (a whole HTTP/1.1 request) and reads the answer to its end.
    pub fn ask(&self, request: &[u8]) -> Answer {
        let mut stream = self.connect();
        stream.write_all(request).unwrap();
        read_answer(&mut stream)
    }

    pub fn get(&self, path: &str) -> Answer {
        self.ask(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.ask(&request)
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to end by itself.
    pub fn wait(mut self) -> std::process::ExitStatus {
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let mut body = bytes[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    Answer { status, head, body }
}

fn unchunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&bytes[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&bytes[end + 2..end + 2 + size]);
        bytes = &bytes[end + 4 + size..];
    }
}

/// `text` percent-encoded for a query string.
pub fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const DOCKER: &str = "Docker service is not active";

#[test]
fn every_page_and_api_route_answers_with_safe_headers() {
    let check_out = run(&["check", "--version", "1.8.1"]);
    let check_text = String::from_utf8(check_out.stdout).unwrap();
    let check_summary = check_text.lines().last().unwrap().to_string();
    assert!(check_summary.starts_with("1.8.1: "), "{check_summary}");
    let server = Server::start(&[]);
    let pages = [
        ("/", "text/html", "<textarea name=\"q\""),
        (
            &format!("/search?q={}", encoded(DOCKER)),
            "text/html",
            "ABM-0008",
        ),
        (
            "/entries/ABM-0007?lang=ja",
            "text/html",
            "Ubuntu 20.04 LTS と bmctl",
        ),
        ("/entries/abm-7", "text/html", "nf_conntrack_max"),
        ("/list?component=preflight", "text/html", "ABM-0005"),
        (
            "/check?version=1.8.1",
            "text/html",
            // The page closes with the line the command line closes with.
            check_summary.as_str(),
        ),
        ("/triage", "text/html", "multipart/form-data"),
        ("/style.css", "text/css", "--accent"),
        ("/copy.js", "text/javascript", "clipboard"),
        (
            &format!("/api/search?q={}", encoded(DOCKER)),
            "application/json",
            "\"ABM-0008\"",
        ),
        (
            "/api/entries/ABM-0007",
            "application/json",
            "\"nf_conntrack_max\"".trim_matches('"'),
        ),
        ("/api/list?component=os", "application/json", "\"ABM-0007\""),
        (
            "/api/check?version=1.8.1",
            "application/json",
            "\"at_version\"",
        ),
    ];
    for (path, content_type, shows) in pages {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.text());
        let got_type = answer.header("content-type").unwrap_or_default();
        assert!(got_type.starts_with(content_type), "{path}: {got_type}");
        assert!(answer.text().contains(shows), "{path} lacks {shows:?}");
        let policy = answer.header("content-security-policy").unwrap();
        assert!(policy.contains("default-src 'none'") && !policy.contains("unsafe-inline"));
        assert_eq!(
            answer.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }
    let triaged = server.post(
        "/api/triage",
        "text/plain",
        b"ok\n\t\t- Docker service is not active\n",
    );
    assert_eq!(triaged.status, 200);
    assert!(triaged.text().contains("\"ABM-0008\""));
}

#[test]
fn the_api_answers_with_the_json_the_command_line_prints() {
    let server = Server::start(&[]);
    let log = std::fs::read("tests/data/create-cluster-sample.log").unwrap();
    let pairs: [(Vec<u8>, Vec<u8>); 5] = [
        (
            server
                .get(&format!("/api/search?q={}", encoded(DOCKER)))
                .body,
            run(&["search", "--json", DOCKER]).exits(0).stdout,
        ),
        (
            server
                .get(&format!(
                    "/api/search?q={}&version=1.9.1",
                    encoded("kube-proxy が CrashLoopBackOff になる")
                ))
                .body,
            run(&[
                "search",
                "--json",
                "--version",
                "1.9.1",
                "kube-proxy が CrashLoopBackOff になる",
            ])
            .exits(1)
            .stdout,
        ),
        (
            server.get("/api/entries/ABM-0021?lang=ja").body,
            run(&["show", "ABM-0021", "--json", "--lang", "ja"])
                .exits(0)
                .stdout,
        ),
        (
            server.get("/api/check?version=1.7.3&upgrade_to=1.8.1").body,
            run(&[
                "check",
                "--json",
                "--version",
                "1.7.3",
                "--upgrade-to",
                "1.8.1",
            ])
            .exits(1)
            .stdout,
        ),
        (
            server.post("/api/triage", "text/plain", &log).body,
            run_with_stdin(&["triage", "--json", "-"], &log)
                .exits(0)
                .stdout,
        ),
    ];
    for (api, cli) in pairs {
        assert!(!cli.is_empty());
        assert_eq!(String::from_utf8_lossy(&api), String::from_utf8_lossy(&cli));
    }
    assert_eq!(
        server.get("/api/list?lang=ja").body,
        run(&["list", "--json", "--lang", "ja"]).exits(0).stdout
    );
}

#[test]
fn a_query_of_markup_comes_back_inert() {
    let server = Server::start(&[]);
    let attack = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'\u{1b}[31m\u{7}\0";
    // A single quote stays: every attribute of the pages is double-quoted.
    let shown = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;'\\x1b[31m\\x07\\x00";
    let a = encoded(attack);
    // Every page with every parameter it reads: the status it answers with, and the attack
    // shown back as text (in the form, or in the message that refuses it).
    let table = [
        (format!("/search?q={a}"), 200),
        (format!("/search?q=x&version={a}"), 400),
        (format!("/search?q=x&component={a}"), 400),
        (format!("/search?q=x&lang={a}"), 400),
        (format!("/search?q=x&limit={a}"), 400),
        (format!("/entries/{a}"), 404),
        (format!("/entries/ABM-0001?lang={a}"), 400),
        (format!("/list?version={a}"), 400),
        (format!("/list?component={a}"), 400),
        (format!("/list?lang={a}"), 400),
        (format!("/check?version={a}"), 400),
        (format!("/check?version=1.8.1&upgrade_to={a}"), 400),
        (format!("/check?lang={a}"), 400),
    ];
    for (path, status) in &table {
        let page = server.get(path);
        assert_eq!(page.status, *status, "{path}");
        let text = page.text();
        assert!(text.contains(shown), "{path}: {text}");
        assert!(!text.contains("<script>alert"), "{path}: {text}");
        assert!(!text.contains("<img src=x"), "{path}");
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
            "{path}: a control character came back raw"
        );
    }
    let form = "--b\r\nContent-Disposition: form-data; name=\"log\"\r\n\r\n<script>x</script> Docker service is not active\r\n--b--\r\n";
    let triaged = server.post(
        "/triage",
        "multipart/form-data; boundary=b",
        form.as_bytes(),
    );
    assert_eq!(triaged.status, 200);
    assert!(
        triaged
            .text()
            .contains("&lt;script&gt;x&lt;/script&gt; Docker service is not active")
    );
    assert!(!triaged.text().contains("<script>x"));
}

#[test]
fn unknown_paths_wrong_methods_and_oversized_requests_are_refused_with_a_page() {
    let server = Server::start(&[]);
    assert_eq!(server.get("/nope").status, 404);
    assert_eq!(server.get("/entries/ABM-9999").status, 404);
    assert_eq!(server.get("/../../etc/passwd").status, 404);
    let delete =
        server.ask(b"DELETE /list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(delete.status, 405);
    assert_eq!(server.get("/api/check?version=latest").status, 400);
    assert_eq!(server.get("/search?q=x&component=kernel").status, 400);

    // Half as much again as the limit, sent whole before the answer is read: the rest is
    // read and dropped, so the client is not reset while it writes and reads the 413.
    let big = vec![b'a'; 24 * 1024 * 1024];
    let upload = server.post("/api/triage", "text/plain", &big);
    assert_eq!(upload.status, 413);
    assert!(upload.text().contains("limited to 16 MiB"));
    // The same through the page's form, as a browser posts a file.
    let mut form =
        b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.log\"\r\n\r\n"
            .to_vec();
    form.extend_from_slice(&big);
    form.extend_from_slice(b"\r\n--b--\r\n");
    let page = server.post("/triage", "multipart/form-data; boundary=b", &form);
    assert_eq!(page.status, 413);
    assert!(page.text().contains("limited to 16 MiB"), "{}", page.text());

    let header = "a".repeat(20_000);
    let headers = server.ask(
        format!(
            "GET /list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {header}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(headers.status, 431);

    let long = "a".repeat(70_000);
    assert_eq!(server.get(&format!("/search?q={long}")).status, 414);
    let allowed = "Docker service is not active ".repeat(500);
    assert_eq!(
        server
            .get(&format!("/search?q={}", encoded(&allowed)))
            .status,
        200
    );
}

/// Starts a request whose body never finishes: it holds its place until its socket closes.
/// An upload to `/api/triage` of `length` bytes that the server is inside of: the head
/// asks `Expect: 100-continue`, and the server answers `100 Continue` only once a handler
/// reads the body, so the request then holds its place whatever the timing. The first
/// bytes of the body are sent, the rest is up to the caller.
fn upload_in_flight(server: &Server, length: usize, first: &[u8]) -> TcpStream {
    let mut stream = server.connect();
    stream
        .write_all(
            format!(
                "POST /api/triage HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: {length}\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let mut interim = Vec::new();
    let mut byte = [0u8];
    while !interim.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("an interim answer");
        interim.push(byte[0]);
    }
    assert!(
        interim.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&interim)
    );
    stream.write_all(first).unwrap();
    stream
}

/// Asks `path` until it answers `status`, at most 100 times: what the server does after an
/// event it does not report (a connection closed) is seen, not waited for.
fn until_status(server: &Server, path: &str, status: u16) -> Answer {
    let mut answer = server.get(path);
    for _ in 0..100 {
        if answer.status == status {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        answer = server.get(path);
    }
    answer
}

#[test]
fn requests_beyond_the_concurrency_limit_are_shed_and_slow_ones_time_out() {
    let server = Server::start(&["--max-concurrent", "1", "--timeout", "2"]);
    let held = upload_in_flight(&server, 100_000, b"Docker service");
    let shed = server.get("/list");
    assert_eq!(shed.status, 503, "{}", shed.text());
    assert!(shed.text().contains("--max-concurrent"));
    drop(held);
    assert_eq!(
        until_status(&server, "/list", 200).status,
        200,
        "the server recovers"
    );

    let mut slow = upload_in_flight(&server, 100_000, b"Docker service");
    let answer = read_answer(&mut slow);
    assert_eq!(answer.status, 503);
    assert!(answer.text().contains("--timeout"));
    assert_eq!(server.get("/list").status, 200, "the server recovers");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let server = Server::start(&[]);
    let body = b"ok\nDocker service is not active\n";
    let mut stream = upload_in_flight(&server, body.len(), &body[..3]);
    let port = server.port;
    let pid = server.pid();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    // The server has the signal once it stops listening.
    let mut listening = true;
    for _ in 0..100 {
        listening = TcpStream::connect(("127.0.0.1", port)).is_ok();
        if !listening {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!listening, "stopped listening");
    stream.write_all(&body[3..]).unwrap();
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains("ABM-0008"));
    let status = server.wait();
    assert!(status.success(), "{status:?}");
}

#[test]
fn serve_listens_on_this_host_unless_told_otherwise() {
    let help = String::from_utf8(run(&["serve", "--help"]).exits(0).stdout).unwrap();
    assert!(help.contains("[default: 127.0.0.1:7878]"), "{help}");
    let taken = Server::start(&[]);
    let out = run(&["serve", "--addr", &format!("127.0.0.1:{}", taken.port)]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("shirube: cannot listen on 127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: choose another port with --addr"));
}

/// The exit status of `server`'s process once it ends by itself, or `None` if it is still
/// running after `patience` (a hang guard for tests, not a measure of speed).
fn exits_by_itself(server: &mut Server, patience: Duration) -> Option<std::process::ExitStatus> {
    let until = Instant::now() + patience;
    while Instant::now() < until {
        if let Some(status) = server.child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// A client that sends half a request head is cut off once `--timeout` passes, and cannot
/// keep SIGTERM from stopping the server.
#[test]
fn a_half_sent_request_head_is_cut_off_and_cannot_hold_the_server_open() {
    let mut server = Server::start(&["--timeout", "1"]);
    let mut half = server.connect();
    half.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    half.write_all(b"GET /list HTTP/1.1\r\nHost: shiru")
        .unwrap();
    let mut buffer = [0; 64];
    let read = half.read(&mut buffer);
    assert!(
        matches!(read, Ok(0)),
        "the server closes the connection: {read:?}"
    );

    // Another one is still half-sent when the server is asked to stop.
    let mut held = server.connect();
    held.write_all(b"GET /list HTTP/1.1\r\nHo").unwrap();
    let pid = server.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = exits_by_itself(&mut server, Duration::from_secs(30))
        .expect("SIGTERM stops the server although a request head never ends");
    assert!(status.success(), "{status:?}");
}

/// Connections beyond `--max-connections` (idle ones count) are answered 503 at once, and a
/// slot freed is a slot to use.
#[test]
fn connections_beyond_the_cap_are_answered_503_and_the_server_recovers() {
    let server = Server::start(&["--max-connections", "3"]);
    let idle: Vec<TcpStream> = (0..3).map(|_| server.connect()).collect();
    // The server has accepted them once an answer comes back on a fourth.
    let refused = server.get("/list");
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert!(
        refused.text().contains("--max-connections"),
        "{}",
        refused.text()
    );
    drop(idle);
    let mut answered = refused.status;
    for _ in 0..100 {
        answered = server.get("/list").status;
        if answered == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(answered, 200, "closed connections free their slots");
}

/// A multipart form body with the fields `(name, file name, bytes)`.
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        body.extend_from_slice(b"--b\r\n");
        let disposition = match file {
            Some(file) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--b--\r\n");
    body
}

/// A snapshot archive as `bmctl check cluster --snapshot` writes it: a node log holding
/// ABM-0008's error, in a `.tar.gz`.
fn snapshot_tar_gz() -> Vec<u8> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut archive = tar::Builder::new(encoder);
    let log = b"ok\n[2024-03-02 10:13:02+0000] \t\t- Docker service is not active\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(log.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    archive
        .append_data(
            &mut header,
            "snapshot/nodes/10.0.0.3/preflight.log",
            &log[..],
        )
        .unwrap();
    archive.into_inner().unwrap().finish().unwrap()
}

/// An uploaded `.tar.gz` is read as `shirube triage` reads it, through the API and the page,
/// and a file given beside pasted text is read too.
#[test]
fn uploaded_archives_are_read_as_the_command_line_reads_them() {
    let server = Server::start(&[]);
    let archive = snapshot_tar_gz();
    let answer = server.post("/api/triage", "application/gzip", &archive);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let report: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(report["findings"][0]["id"], "ABM-0008");
    assert_eq!(
        report["findings"][0]["file"],
        "-:snapshot/nodes/10.0.0.3/preflight.log"
    );

    let pasted: &[u8] = b"E0624 open /proc/sys/net/netfilter/nf_conntrack_max: permission denied\n";
    let body = multipart(&[
        ("log", None, pasted),
        ("file", Some("snapshot.tar.gz"), &archive),
    ]);
    let page = server.post("/triage", "multipart/form-data; boundary=b", &body);
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("ABM-0007"), "the pasted text is read: {text}");
    assert!(text.contains("ABM-0008"), "and the file beside it: {text}");
    assert!(text.contains("snapshot.tar.gz:snapshot/nodes/10.0.0.3/preflight.log"));
}

/// A form over the upload limit is refused with the same words and hint as every limit.
#[test]
fn an_oversized_form_upload_says_what_to_do() {
    let server = Server::start(&[]);
    let big = vec![b'a'; 17 * 1024 * 1024];
    let body = multipart(&[("file", Some("huge.log"), &big)]);
    let page = server.post("/triage", "multipart/form-data; boundary=b", &body);
    assert_eq!(page.status, 413);
    assert!(page.text().contains("limited to 16 MiB"), "{}", page.text());
    assert!(
        page.text().contains("shirube triage FILE"),
        "{}",
        page.text()
    );
}

/// A page elsewhere that rebinds its name to this server sends its own name as `Host`: such
/// requests are refused (421) unless the name was allowed; no answer is kept in a cache.
#[test]
fn requests_for_another_host_are_refused_and_nothing_is_cached() {
    let server = Server::start(&["--allow-host", "jump1.corp"]);
    let ask = |host: &str| {
        server.ask(
            format!("GET /api/list HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    let rebound = ask("attacker.example:7878");
    assert_eq!(rebound.status, 421, "{}", rebound.text());
    assert!(
        rebound.text().contains("--allow-host"),
        "{}",
        rebound.text()
    );
    for host in ["127.0.0.1", "localhost:7878", "jump1.corp:8080"] {
        let answer = ask(host);
        assert_eq!(answer.status, 200, "{host}");
        assert_eq!(
            answer.header("cache-control").as_deref(),
            Some("no-store"),
            "{host}"
        );
    }
}

#[test]
fn addr_takes_localhost_and_explains_what_it_cannot_take() {
    let server = Server::start_at("localhost:0");
    assert_eq!(
        server.get("/api/list").status,
        200,
        "listening on 127.0.0.1"
    );
    let out = run(&["serve", "--addr", "jump1.corp:8080"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("shirube: invalid value 'jump1.corp:8080' for '--addr <ADDR>': `jump1.corp:8080` is not an address and port: use an IP address"),
        "{stderr}"
    );
}
