//! The triage page (a pasted or uploaded log) and `/api/triage`: `shirube triage` over
//! HTTP, each log scanned as it arrives.

use super::super::MAX_BODY_BYTES;
use super::super::upload::{Scan, UploadError};
use super::{Asked, Form, Known, Params, Shared, fail, json_response};
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use http_body_util::BodyExt;
use shirube::context::Context;
use shirube::printer::html;
use shirube::report::TriageFilter;
use shirube::report::TriageReport;
use shirube::triage::Tally;
use shirube_kb::{Error, ErrorKind, Lang};
use std::sync::Arc;

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
        UploadError::Failed(message) => fail(form, &Error::invalid(message)),
    }
}

/// The page form: a pasted log (`log`) and an uploaded file (`file`), each streamed into the
/// scan as it arrives; both are read when both are given.
pub(super) async fn triage_upload(
    State(engine): State<Shared>,
    State(facts): State<Known>,
    Asked(params): Asked,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page_lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    let form = Form::Page(page_lang);
    let (filter, lang) = match triage_options(&params) {
        Ok(options) => options,
        Err(e) => return fail(form, &e),
    };
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return upload_failed(
                form,
                UploadError::TooLarge {
                    limit: MAX_BODY_BYTES,
                },
            );
        }
        Err(e) => {
            return fail(
                form,
                &Error::invalid(format!("the form cannot be read: {}", e.body_text()))
                    .with_hint("send the log as a file or pasted text from the /triage page"),
            );
        }
    };
    let mut tally = Tally::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return multipart_failed(form, &e),
        };
        let name = match field.name() {
            Some("file") => field.file_name().unwrap_or("upload").to_string(),
            Some("log") => "pasted".to_string(),
            _ => continue,
        };
        let mut scan: Option<Scan> = None;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => return multipart_failed(form, &e),
            };
            if chunk.is_empty() {
                continue;
            }
            let scan = scan.get_or_insert_with(|| {
                let so_far = std::mem::take(&mut tally);
                Scan::start(Arc::clone(&engine), name.clone(), MAX_BODY_BYTES, so_far)
            });
            if let Err(e) = scan.push(chunk).await {
                return upload_failed(form, e);
            }
        }
        if let Some(scan) = scan {
            match scan.finish().await {
                Ok(found) => tally = found,
                Err(e) => return upload_failed(form, e),
            }
        }
    }
    let context = Context::new(&facts, "");
    let report = TriageReport::new(engine.knowledge_base(), &tally, &filter, &context, lang);
    Html(html::triage_page(lang, Some(&report))).into_response()
}

/// A form that could not be read: over the size limit (said as every other limit is, with
/// what to do instead), or malformed.
fn multipart_failed(form: Form, error: &axum::extract::multipart::MultipartError) -> Response {
    match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => upload_failed(
            form,
            UploadError::TooLarge {
                limit: MAX_BODY_BYTES,
            },
        ),
        _ => fail(
            form,
            &Error::invalid(format!("the form cannot be read: {}", error.body_text()))
                .with_hint("send the log as a file or pasted text from the /triage page"),
        ),
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
