//! The triage page (a pasted or uploaded log) and `/api/triage`: `shirube triage` over
//! HTTP, each log scanned as it arrives.

use super::super::MAX_BODY_BYTES;
use super::super::upload::{Scan, UploadError};
use super::{Asked, Form, Known, Params, Shared, fail, json_response};
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use http_body::Frame;
use http_body_util::BodyExt;
use shirube::context::Context;
use shirube::printer::html;
use shirube::report::TriageFilter;
use shirube::report::TriageReport;
use shirube::triage::Tally;
use shirube_kb::{Error, ErrorKind, Lang};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context as TaskContext, Poll};

pub(super) async fn triage_form(Asked(params): Asked) -> Response {
    let lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    Html(html::triage_page(lang, None)).into_response()
}

/// The filter and language of a triage, from its parameters.
fn triage_options(params: &Params) -> Result<(TriageFilter, Lang), Error> {
    let min_count = Params::number(&params.min_count, 1, "min_count")? as u64;
    Ok((
        TriageFilter {
            min_count,
            version: params.version(&params.version)?,
        },
        params.lang()?.unwrap_or(Lang::En),
    ))
}

fn upload_failed(form: Form, error: UploadError) -> Response {
    match error {
        UploadError::TooLarge { limit } => fail(
            form,
            &Error::new(format!(
                "logs are limited to {} MiB here",
                limit / (1024 * 1024)
            ))
            .with_kind(ErrorKind::LimitExceeded)
            .with_hint("triage larger logs with the command line: shirube triage FILE"),
        ),
        UploadError::Unreadable(message) => fail(
            form,
            &Error::invalid(message)
                .with_hint("send the log as a file or pasted text from the /triage page"),
        ),
        UploadError::Failed(message) => fail(form, &Error::invalid(message)),
    }
}

/// The page form: a pasted log (`log`) and an uploaded file (`file`), each streamed into the
/// scan as it arrives; both are read when both are given. A form refused for its size has
/// the rest of its body drained before the 413, as the API's has.
pub(super) async fn triage_upload(
    State(engine): State<Shared>,
    State(facts): State<Known>,
    Asked(params): Asked,
    request: Request,
) -> Response {
    let page_lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    let form = Form::Page(page_lang);
    let (filter, lang) = match triage_options(&params) {
        Ok(options) => options,
        Err(e) => return fail(form, &e),
    };
    let (parts, body) = request.into_parts();
    let body = SharedBody::new(body);
    let request = Request::from_parts(parts, Body::new(body.clone()));
    let scanned = match Multipart::from_request(request, &()).await {
        Ok(multipart) => scan_form(Arc::clone(&engine), multipart).await,
        Err(e) => Err(form_unreadable(e.status(), &e.body_text())),
    };
    let tally = match scanned {
        Ok(tally) => tally,
        Err(e) => {
            if matches!(e, UploadError::TooLarge { .. })
                && let Some(mut rest) = body.into_inner()
            {
                drain(&mut rest).await;
            }
            return upload_failed(form, e);
        }
    };
    let context = Context::new(&facts, "");
    let report = TriageReport::new(engine.knowledge_base(), &tally, &filter, &context, lang);
    Html(html::triage_page(lang, Some(&report))).into_response()
}

/// Scans the logs of a form, field by field; the form is dropped when this returns, and
/// with it the parser's hold on the body.
async fn scan_form(engine: Shared, mut multipart: Multipart) -> Result<Tally, UploadError> {
    let mut tally = Tally::default();
    let unreadable = |e: MultipartError| form_unreadable(e.status(), &e.body_text());
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = match field.name() {
            Some("file") => field.file_name().unwrap_or("upload").to_string(),
            Some("log") => "pasted".to_string(),
            _ => continue,
        };
        let mut scan: Option<Scan> = None;
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if chunk.is_empty() {
                continue;
            }
            let scan = scan.get_or_insert_with(|| {
                let so_far = std::mem::take(&mut tally);
                Scan::start(Arc::clone(&engine), name.clone(), MAX_BODY_BYTES, so_far)
            });
            scan.push(chunk).await?;
        }
        if let Some(scan) = scan {
            tally = scan.finish().await?;
        }
    }
    Ok(tally)
}

/// A form that could not be read: over the size limit (said as every other limit is, with
/// what to do instead), or malformed.
fn form_unreadable(status: StatusCode, reason: &str) -> UploadError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge {
            limit: MAX_BODY_BYTES,
        }
    } else {
        UploadError::Unreadable(format!("the form cannot be read: {reason}"))
    }
}

/// A request body the multipart parser reads through while the handler keeps hold of it:
/// when the parser gives up on a form over the size limit, the rest of the body is still
/// here to drain.
#[derive(Clone)]
struct SharedBody(Arc<Mutex<Body>>);

impl SharedBody {
    fn new(body: Body) -> SharedBody {
        SharedBody(Arc::new(Mutex::new(body)))
    }

    /// The body, once the parser that read through it is gone.
    fn into_inner(self) -> Option<Body> {
        let body = Arc::into_inner(self.0)?;
        Some(body.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

impl http_body::Body for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let mut body = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Pin::new(&mut *body).poll_frame(cx)
    }
}

/// What is left of a body refused for its size is read and dropped, up to this many bytes
/// and [`DRAIN_TIME`].
const DRAIN_BYTES: usize = MAX_BODY_BYTES;
/// How long the rest of a body refused for its size is read, at most.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and drops the rest of an upload refused for its size, within [`DRAIN_BYTES`] and
/// [`DRAIN_TIME`]. A connection closed while its client is still sending is reset, and a
/// client that meets the reset while writing (curl's "Connection reset by peer") never
/// reads the 413 that says why. Past the bounds, the connection is closed all the same.
async fn drain(body: &mut Body) {
    let drained = async {
        let mut left = DRAIN_BYTES;
        while let Some(Ok(frame)) = body.frame().await {
            let read = frame.data_ref().map_or(0, Bytes::len);
            if read >= left {
                break;
            }
            left -= read;
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, drained).await;
}

/// The API: the request body is the log, streamed into the scan as it arrives.
pub(super) async fn api_triage(
    State(engine): State<Shared>,
    State(facts): State<Known>,
    Asked(params): Asked,
    body: Body,
) -> Response {
    let (filter, lang) = match triage_options(&params) {
        Ok(options) => options,
        Err(e) => return fail(Form::Api, &e),
    };
    let mut scan = Scan::start(
        Arc::clone(&engine),
        "-".to_string(),
        MAX_BODY_BYTES,
        Tally::default(),
    );
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let chunk: Bytes = match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => data,
                Err(_) => continue,
            },
            Err(e) => return upload_failed(Form::Api, UploadError::Failed(e.to_string())),
        };
        if let Err(e) = scan.push(chunk).await {
            drain(&mut body).await;
            return upload_failed(Form::Api, e);
        }
    }
    match scan.finish().await {
        Ok(tally) => json_response(&TriageReport::new(
            engine.knowledge_base(),
            &tally,
            &filter,
            &Context::new(&facts, ""),
            lang,
        )),
        Err(e) => upload_failed(Form::Api, e),
    }
}
