//! Accepting connections, within bounds no client can stretch.
//!
//! `axum::serve` takes no configuration: a client that opened a socket and sent nothing, or
//! half a request line, held its connection for ever, a thousand such took every descriptor
//! the process had, and one of them kept SIGTERM from ever stopping the server. This loop
//! serves each connection with hyper directly, so that:
//! - a request's head must arrive within the header deadline (`--timeout`), the first
//!   request's and every later one's on a kept-alive connection alike, else the connection
//!   is closed;
//! - at most `--max-connections` are open at once; one more is answered `503` at once and
//!   closed, and stderr says so (once a minute at most);
//! - the first SIGINT or SIGTERM stops accepting and lets open connections finish for at
//!   most the header deadline; a second one, or the deadline, ends the server at once.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

/// What the loop lets a client do.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Connections open at once.
    pub max_connections: usize,
    /// Time a request's head may take to arrive, and what is left to open connections once
    /// the server is asked to stop.
    pub header_deadline: Duration,
}

/// How often, at most, stderr repeats that connections are refused or cannot be accepted.
const REPEAT_WARNING: Duration = Duration::from_secs(60);

/// Serves `app` on `listener` until a signal stops it.
pub async fn serve(listener: TcpListener, app: Router, bounds: Bounds) -> std::io::Result<()> {
    let mut signals = Signals::new()?;
    let slots = Arc::new(Semaphore::new(bounds.max_connections));
    let (stopping, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut refused_warning = Warning::default();
    let mut accept_warning = Warning::default();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = signals.next() => break,
        };
        // Reap the connections that ended, so the set holds only open ones.
        while connections.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors or memory for a moment: say so, wait, go on.
                accept_warning.say(|| format!("shirube: cannot accept a connection: {e}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => {
                let app = app.clone();
                let stop = stop.clone();
                connections.spawn(connection(stream, app, bounds.header_deadline, stop, slot));
            }
            Err(_) => {
                refused_warning.say(|| {
                    format!(
                        "shirube: {} connections are open (--max-connections): refusing more",
                        bounds.max_connections
                    )
                });
                connections.spawn(refuse(stream));
            }
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    if !connections.is_empty() {
        eprintln!(
            "shirube: stopping; {} connection(s) still open get {} s to finish (a second signal stops now)",
            connections.len(),
            bounds.header_deadline.as_secs()
        );
    }
    tokio::select! {
        () = async { while connections.join_next().await.is_some() {} } => {}
        () = tokio::time::sleep(bounds.header_deadline) => {}
        () = signals.next() => {}
    }
    connections.abort_all();
    Ok(())
}

/// One connection, served until it ends or the server stops (then it finishes the request
/// under way, if any, and closes).
async fn connection(
    stream: TcpStream,
    app: Router,
    header_deadline: Duration,
    stop: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_deadline);
    let service = TowerToHyperService::new(app);
    let served = builder.serve_connection(TokioIo::new(stream), service);
    let mut served = std::pin::pin!(served);
    tokio::select! {
        _ = served.as_mut() => {}
        () = stopped(stop) => {
            served.as_mut().graceful_shutdown();
            let _ = served.await;
        }
    }
}

/// Returns once the server is asked to stop.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// Answers a connection over the cap with a short 503 and closes it.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = "shirube serve: too many open connections (--max-connections); try again\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let write = async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

/// A warning said at most once per [`REPEAT_WARNING`].
#[derive(Default)]
struct Warning {
    last: Option<Instant>,
}

impl Warning {
    fn say(&mut self, message: impl FnOnce() -> String) {
        if self.last.is_none_or(|at| at.elapsed() >= REPEAT_WARNING) {
            self.last = Some(Instant::now());
            eprintln!("{}", message());
        }
    }
}

/// SIGINT and SIGTERM, as one stream of "stop" requests.
struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}
