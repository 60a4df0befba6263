//! `shirube serve`: the knowledge base in a browser, from the same binary, read-only.
//!
//! One axum router ([`routes`]) answers HTML pages and a JSON API with the reports the
//! command line prints; this module runs it: the limits every request goes through, the
//! security headers every answer carries, and a shutdown that lets requests in flight finish.
//!
//! Limits, each answered with a short page instead of growing memory or blocking:
//! - a question over 64 KiB, a body (upload) over [`MAX_BODY_BYTES`]: 413;
//! - request headers over [`MAX_HEADER_BYTES`]: 431 (a URI over 64 KiB: 414, from hyper);
//! - more than `--max-concurrent` requests at once: 503 (load shedding, no queue);
//! - a request that takes longer than `--timeout`, body included: 503;
//! - a request head that takes longer than `--timeout` to arrive, more than
//!   `--max-connections` open at once, a server asked to stop: see [`listen`].

mod hosts;
mod listen;
mod routes;
mod upload;

use crate::cli::ServeArgs;
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use shirube::printer::html;
use shirube::store::KbSource;
use shirube_kb::condition::Facts;
use shirube_kb::{Error, Lang};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{BoxError, ServiceBuilder};

/// An upload to triage, at most.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Request headers, at most (the request line is limited by hyper: a URI over 64 KiB gets
/// 414).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// What every answer says about itself: no script or style from elsewhere, no inline script,
/// no framing, no guessing of content types, no referrer.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Serves until asked to stop, judging every search and triage against `facts` (what
/// `--host-facts`, `--config` and `--here` gave).
pub fn serve(source: &KbSource, args: ServeArgs, facts: Facts) -> Result<(), Error> {
    // Its pages list every entry: one that cannot be read is an error now, not a gap later.
    let kb = source.every_entry()?;
    let packs = packs_answered_from(kb);
    let known: Vec<String> = facts
        .iter()
        .map(|(fact, found)| format!("{fact} = {}", found.value))
        .collect();
    let engine = source.engine()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| {
                Error::new(format!("cannot listen on {}: {e}", args.addr))
                    .with_hint("choose another port with --addr, e.g. --addr 127.0.0.1:7879")
            })?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::new(format!("cannot listen on {}: {e}", args.addr)))?;
        let app = router(
            Arc::new(engine),
            facts,
            usize::from(args.max_concurrent),
            Duration::from_secs(u64::from(args.timeout)),
            hosts::AllowedHosts::new(&args.allow_hosts),
        );
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "shirube: serving http://{address}/ (Ctrl-C stops)")?;
        if let Some(packs) = packs {
            shirube::printer::terminal::warn(&format!("shirube: answering from {packs}"));
        }
        if !known.is_empty() {
            shirube::printer::terminal::warn(&format!(
                "shirube: each result is judged against {}",
                known.join(", ")
            ));
        }
        stdout.flush()?;
        drop(stdout);
        let bounds = listen::Bounds {
            max_connections: usize::from(args.max_connections),
            header_deadline: Duration::from_secs(u64::from(args.timeout)),
        };
        listen::serve(listener, app, bounds)
            .await
            .map_err(|e| Error::new(format!("the server stopped: {e}")))?;
        Ok(())
    })
}

/// `built-in (215 entries) and pack acme-site (1 entry)`: what a server started on a host
/// with installed packs answers from, so that whoever starts it sees which knowledge its
/// users get; `None` with the built-in entries alone.
fn packs_answered_from(kb: &shirube_kb::KnowledgeBase) -> Option<String> {
    let mut counts: std::collections::BTreeMap<Option<&str>, usize> = Default::default();
    for entry in &kb.entries {
        *counts.entry(entry.pack.as_deref()).or_default() += 1;
    }
    if counts.keys().all(Option::is_none) {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(pack, &count)| {
            let entries = if count == 1 { "entry" } else { "entries" };
            match pack {
                None => format!("{} ({count} {entries})", shirube_kb::pack::BUILT_IN),
                Some(name) => format!("pack {name} ({count} {entries})"),
            }
        })
        .collect();
    Some(parts.join(" and "))
}

/// The whole application: the routes inside the limits and the headers. A router's layers
/// wrap each route apart, so the concurrency limit is one semaphore all of them share.
fn router(
    engine: Arc<shirube::Engine>,
    facts: Facts,
    max_concurrent: usize,
    timeout: Duration,
    hosts: hosts::AllowedHosts,
) -> Router {
    routes::routes(engine, facts)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(refused))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(max_concurrent))
                .timeout(timeout),
        )
        .layer(middleware::from_fn(header_limit))
        .layer(middleware::from_fn_with_state(Arc::new(hosts), known_host))
        .layer(middleware::from_fn(security_headers))
}

/// Refuses a request that names another host than this server (see [`hosts`]).
async fn known_host(
    State(hosts): State<Arc<hosts::AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|value| value.to_str().unwrap_or_default());
    if hosts.allows(host) {
        return next.run(request).await;
    }
    message_response(
        StatusCode::MISDIRECTED_REQUEST,
        Lang::En,
        "Unknown host",
        "this server answers requests for its addresses, localhost and its own name; to reach it by another name, start it with --allow-host NAME",
    )
}

/// A request the limits refused: too many at once, or too slow.
async fn refused(error: BoxError) -> Response {
    let web = shirube::printer::wording::wording(Lang::En).web;
    let message = if error.is::<tower::timeout::error::Elapsed>() {
        "the request took longer than --timeout allows"
    } else {
        "more requests than --max-concurrent are being answered"
    };
    message_response(StatusCode::SERVICE_UNAVAILABLE, Lang::En, web.busy, message)
}

/// Refuses requests whose headers are larger than [`MAX_HEADER_BYTES`].
async fn header_limit(request: Request, next: Next) -> Response {
    let size: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if size > MAX_HEADER_BYTES {
        let web = shirube::printer::wording::wording(Lang::En).web;
        return message_response(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Lang::En,
            web.too_large,
            &format!(
                "request headers are limited to {} KiB",
                MAX_HEADER_BYTES / 1024
            ),
        );
    }
    next.run(request).await
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Answers depend on the question and the knowledge base of this binary: none is kept by
    // a browser or a proxy (the stylesheet and script say their own).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A short page with `status`.
fn message_response(status: StatusCode, lang: Lang, title: &str, message: &str) -> Response {
    (status, Html(html::message_page(lang, title, message))).into_response()
}
