//! An uploaded log, streamed into triage: its chunks go through a small bounded channel to
//! a blocking thread that scans them as they come, so the server holds a few chunks of a
//! log whatever its size, and a log over the limit stops being read. It is read as the
//! command line reads a file: gzip through, a snapshot archive member by member.

use axum::body::Bytes;
use shirube::Engine;
use shirube::triage::{self, Tally};
use std::io::{self, Read};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Chunks in flight between the connection and the scanner.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Why an upload was not triaged.
#[derive(Debug)]
pub enum UploadError {
    /// Over `limit` bytes.
    TooLarge { limit: usize },
    /// The form the log came in is malformed; what is wrong with it.
    Unreadable(String),
    /// The connection or the scan failed.
    Failed(String),
}

/// A triage under way, fed chunk by chunk.
pub struct Scan {
    chunks: mpsc::Sender<Bytes>,
    scanner: JoinHandle<io::Result<Tally>>,
    received: usize,
    limit: usize,
}

impl Scan {
    /// Starts scanning a log called `name` (in locations), of at most `limit` bytes, into
    /// `tally` (what the request's other logs showed).
    pub fn start(engine: Arc<Engine>, name: String, limit: usize, mut tally: Tally) -> Scan {
        let (chunks, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
        let scanner = tokio::task::spawn_blocking(move || {
            let reader = ChannelReader {
                chunks: receiver,
                current: Bytes::new(),
            };
            triage::scan_input(engine.known_errors(), reader, &name, &mut tally)?;
            Ok(tally)
        });
        Scan {
            chunks,
            scanner,
            received: 0,
            limit,
        }
    }

    /// Passes one more chunk to the scanner.
    pub async fn push(&mut self, chunk: Bytes) -> Result<(), UploadError> {
        self.received += chunk.len();
        if self.received > self.limit {
            return Err(UploadError::TooLarge { limit: self.limit });
        }
        self.chunks
            .send(chunk)
            .await
            .map_err(|_| UploadError::Failed("the scan stopped early".to_string()))
    }

    /// The end of the log: what the scan found.
    pub async fn finish(self) -> Result<Tally, UploadError> {
        drop(self.chunks);
        match self.scanner.await {
            Ok(Ok(tally)) => Ok(tally),
            Ok(Err(e)) => Err(UploadError::Failed(format!("cannot read the log: {e}"))),
            Err(e) => Err(UploadError::Failed(format!("the scan failed: {e}"))),
        }
    }
}

/// The chunks of a channel as one stream of bytes, for the blocking scanner.
struct ChannelReader {
    chunks: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let n = buffer.len().min(self.current.len());
        buffer[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}
