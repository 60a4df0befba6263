//! The pages and the JSON API. Each handler asks the library the question the matching
//! command asks, then renders the same report as HTML ([`shirube::printer::html`]) or as the
//! JSON the command prints ([`shirube::printer::json`]). No path of a URL reaches the file
//! system: entries are looked up by id in the knowledge base, assets are compiled in.

use super::upload::{Scan, UploadError};
use super::{MAX_BODY_BYTES, message_response};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRef, FromRequestParts, Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use http_body_util::BodyExt;
use serde::Deserialize;
use shirube::context::Context;
use shirube::filter::{check_upgrade, parse_version};
use shirube::printer::html::{self, Filled};
use shirube::printer::{json, wording::wording};
use shirube::report::{
    CheckReport, ComponentRef, EntryDetail, SearchReport, TriageFilter, TriageReport,
};
use shirube::search::query::MAX_QUERY_BYTES;
use shirube::search::{DEFAULT_LIMIT, Request};
use shirube::triage::Tally;
use shirube::{Engine, Filters};
use shirube_kb::condition::Facts;
use shirube_kb::{Error, ErrorKind, KnowledgeBase, Lang, VersionQuery};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

type Shared = Arc<Engine>;

/// The facts known about the cluster the server answers for (`serve --host-facts`,
/// `--config`, `--here`): every search and triage judges its results against them.
type Known = Arc<Facts>;

/// What the handlers answer from; each takes the part it needs.
#[derive(Clone)]
struct Served {
    engine: Shared,
    facts: Known,
}

impl FromRef<Served> for Shared {
    fn from_ref(served: &Served) -> Shared {
        Arc::clone(&served.engine)
    }
}

impl FromRef<Served> for Known {
    fn from_ref(served: &Served) -> Known {
        Arc::clone(&served.facts)
    }
}

pub fn routes(engine: Shared, facts: Facts) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/search", get(search_page))
        .route("/entries/{id}", get(entry_page))
        .route("/list", get(list_page))
        .route("/check", get(check_page))
        .route("/triage", get(triage_form).post(triage_upload))
        .route("/style.css", get(stylesheet))
        .route("/copy.js", get(script))
        .route("/api/search", get(api_search))
        .route("/api/entries/{id}", get(api_entry))
        .route("/api/list", get(api_list))
        .route("/api/check", get(api_check))
        .route("/api/triage", axum::routing::post(api_triage))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(Served {
            engine,
            facts: Arc::new(facts),
        })
}

/// The parameters every page and API call may take; each uses those it needs. Empty values
/// are absent ones: an HTML form sends every field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    q: Option<String>,
    version: Option<String>,
    upgrade_to: Option<String>,
    component: Option<String>,
    lang: Option<String>,
    all: Option<String>,
    limit: Option<String>,
    min_count: Option<String>,
}

/// The parameters of a request's query string; a malformed one is a bad request.
struct Asked(Params);

impl<S: Send + Sync> FromRequestParts<S> for Asked {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query).map(Asked).map_err(|e| {
            fail(
                Form::Page(Lang::En),
                &Error::invalid(format!("the query string cannot be read: {e}")),
            )
        })
    }
}

/// A value the user typed, when there is one.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Params {
    /// The values to show back in the page's form.
    fn filled(&self) -> Filled<'_> {
        fn value(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or_default()
        }
        Filled {
            query: value(&self.q),
            version: value(&self.version),
            upgrade_to: value(&self.upgrade_to),
            component: value(&self.component),
        }
    }

    fn lang(&self) -> Result<Option<Lang>, Error> {
        given(&self.lang).map(|l| l.parse::<Lang>()).transpose()
    }

    fn version(&self, value: &Option<String>) -> Result<Option<VersionQuery>, Error> {
        given(value).map(parse_version).transpose()
    }

    fn filters(&self, kb: &KnowledgeBase) -> Result<Filters, Error> {
        let component = given(&self.component).map(str::to_string);
        Filters::checked(kb, self.version(&self.version)?, component)
    }

    fn number(value: &Option<String>, default: usize, what: &str) -> Result<usize, Error> {
        match given(value) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    Error::invalid(format!("{what} `{text}` is not a number from 1 to 1000"))
                }),
        }
    }
}

/// What a bad question is answered with, as a page or as JSON.
#[derive(Clone, Copy)]
enum Form {
    Page(Lang),
    Api,
}

/// The status an error is answered with: this is the one place that decides it.
fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::LimitExceeded => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::CorruptKnowledgeBase | ErrorKind::Failed => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `error` answered as a page in the form's language, or as JSON, with its kind's status.
fn fail(form: Form, error: &Error) -> Response {
    let status = status(error.kind());
    match form {
        Form::Page(lang) => {
            let web = wording(lang).web;
            let title = match error.kind() {
                ErrorKind::LimitExceeded => web.too_large,
                ErrorKind::NotFound => web.not_found,
                _ => web.bad_request,
            };
            let message = match error.hint() {
                Some(hint) => format!("{error} ({hint})"),
                None => error.to_string(),
            };
            message_response(status, lang, title, &message)
        }
        Form::Api => {
            let body = serde_json::json!({ "error": error.to_string(), "hint": error.hint() });
            let mut bytes = Vec::new();
            // Writing into memory does not fail.
            let _ = json::write(&mut bytes, &body);
            (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
        }
    }
}

fn json_response(report: &impl serde::Serialize) -> Response {
    let mut bytes = Vec::new();
    match json::write(&mut bytes, report) {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => fail(Form::Api, &e),
    }
}

/// Runs a search on the blocking pool (it is CPU work, not waiting), at most twice as many
/// at once as there are cores, the others waiting their turn in order. Run all at once, 64
/// searches shared two cores in small slices and each took as long as all of them: under
/// `bench/serve.sh` the slowest hundredth of requests took 2.5 times the median (p99 ~50 ms).
/// One per core left cores idle while a request's HTTP side ran (a fifth fewer requests/s);
/// two per core keep them busy (p99 ~26 ms, and half the memory).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    static TURNS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    let turns = TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Arc::new(Semaphore::new(cores * 2))
    });
    let failed = |e: &dyn std::fmt::Display| Error::new(format!("the request failed: {e}"));
    let turn = Arc::clone(turns)
        .acquire_owned()
        .await
        .map_err(|e| failed(&e))?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(turn);
        done
    })
    .await
    .map_err(|e| failed(&e))?
}

/// A search as `shirube search` runs it, or the error to answer with.
async fn ask(
    engine: &Shared,
    facts: &Facts,
    params: &Params,
) -> Result<(String, Option<VersionQuery>, shirube::Ranking<'static>), Error> {
    let text = params.q.clone().unwrap_or_default();
    if text.len() > MAX_QUERY_BYTES {
        return Err(Error::new(format!(
            "the question is {} bytes; at most {} KiB are searched",
            text.len(),
            MAX_QUERY_BYTES / 1024
        ))
        .with_kind(ErrorKind::LimitExceeded)
        .with_hint("paste the lines around the error, or send the whole log to triage"));
    }
    let kb = engine.knowledge_base();
    let prepared = (|| {
        let limit = Params::number(&params.limit, DEFAULT_LIMIT, "limit")?;
        Ok::<_, Error>((params.filters(kb)?, params.lang()?, limit))
    })();
    let (filters, lang, limit) = prepared?;
    let version = filters.version.clone();
    let all_weak = given(&params.all).is_some();
    let engine = Arc::clone(engine);
    let question = text.clone();
    let facts = facts.clone();
    let ranking = blocking(move || {
        engine.search(&Request::asked(
            &question, filters, lang, limit, all_weak, facts,
        ))
    })
    .await?;
    Ok((text, version, ranking))
}

async fn search_page(
    State(engine): State<Shared>,
    State(facts): State<Known>,
    Asked(params): Asked,
) -> Response {
    let kb = engine.knowledge_base();
    let asked_lang = params.lang().ok().flatten();
    let page_lang = asked_lang.unwrap_or(Lang::En);
    let components = ComponentRef::groups(kb, [], page_lang);
    let form = params.filled();
    if given(&params.q).is_none() {
        return Html(html::search_page(page_lang, &form, &components, None)).into_response();
    }
    let (text, version, ranking) = match ask(&engine, &facts, &params).await {
        Ok(answer) => answer,
        Err(error) => return fail(Form::Page(page_lang), &error),
    };
    let report = SearchReport::of_search(&text, version.as_ref(), &ranking, kb);
    let components = ComponentRef::groups(kb, [], report.lang);
    Html(html::search_page(
        report.lang,
        &form,
        &components,
        Some(&report),
    ))
    .into_response()
}

async fn api_search(
    State(engine): State<Shared>,
    State(facts): State<Known>,
    Asked(params): Asked,
) -> Response {
    if given(&params.q).is_none() {
        return fail(
            Form::Api,
            &Error::invalid("the query is empty").with_hint("give it as q=..."),
        );
    }
    match ask(&engine, &facts, &params).await {
        Ok((text, version, ranking)) => json_response(&SearchReport::of_search(
            &text,
            version.as_ref(),
            &ranking,
            engine.knowledge_base(),
        )),
        Err(error) => fail(Form::Api, &error),
    }
}

/// The entry `id` in the language asked for (English unless said), or a 404.
fn entry<'kb>(
    kb: &'kb KnowledgeBase,
    id: &str,
    params: &Params,
) -> Result<(EntryDetail<'kb>, Lang), Error> {
    let lang = params.lang()?.unwrap_or(Lang::En);
    let Some(found) = kb.find(id) else {
        return Err(Error::new(format!("no entry `{id}`"))
            .with_kind(ErrorKind::NotFound)
            .with_hint("the list page shows every id; the search finds one by symptom"));
    };
    Ok((EntryDetail::new(found, lang, kb), lang))
}

async fn entry_page(
    State(engine): State<Shared>,
    Path(id): Path<String>,
    Asked(params): Asked,
) -> Response {
    let kb = engine.knowledge_base();
    let page_lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    match entry(kb, &id, &params) {
        Ok((detail, lang)) => {
            let found = kb.find(&id);
            let other = Lang::ALL
                .into_iter()
                .find(|l| *l != lang && found.is_some_and(|e| e.docs.iter().any(|d| d.lang == *l)));
            Html(html::entry_page(&detail, other)).into_response()
        }
        Err(error) => fail(Form::Page(page_lang), &error),
    }
}

async fn api_entry(
    State(engine): State<Shared>,
    Path(id): Path<String>,
    Asked(params): Asked,
) -> Response {
    match entry(engine.knowledge_base(), &id, &params) {
        Ok((detail, _)) => json_response(&detail),
        Err(error) => fail(Form::Api, &error),
    }
}

/// The entries `list` shows for `params`.
fn listed<'kb>(kb: &'kb KnowledgeBase, params: &Params) -> Result<SearchReport<'kb>, Error> {
    let prepared = (|| Ok::<_, Error>((params.filters(kb)?, params.lang()?)))();
    let (filters, lang) = prepared?;
    let entries: Vec<_> = kb.entries.iter().filter(|e| filters.matches(e)).collect();
    Ok(SearchReport::of_list(
        &entries,
        lang.unwrap_or(Lang::En),
        kb,
    ))
}

async fn list_page(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    let kb = engine.knowledge_base();
    let lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    match listed(kb, &params) {
        Ok(report) => {
            let form = params.filled();
            let components = ComponentRef::groups(kb, [], lang);
            Html(html::list_page(lang, &form, &components, &report)).into_response()
        }
        Err(error) => fail(Form::Page(lang), &error),
    }
}

async fn api_list(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    match listed(engine.knowledge_base(), &params) {
        Ok(report) => json_response(&report),
        Err(error) => fail(Form::Api, &error),
    }
}

/// What `check` reports for `params`, `None` without a version.
fn checked<'kb>(
    kb: &'kb KnowledgeBase,
    params: &Params,
) -> Result<Option<CheckReport<'kb>>, Error> {
    let prepared = (|| {
        Ok::<_, Error>((
            params.version(&params.version)?,
            params.version(&params.upgrade_to)?,
            params.lang()?,
        ))
    })();
    let (version, target, lang) = prepared?;
    if let Some(version) = &version {
        check_upgrade(version, target.as_ref())?;
    }
    Ok(version
        .map(|version| CheckReport::new(kb, &version, target.as_ref(), lang.unwrap_or(Lang::En))))
}

async fn check_page(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    let lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    match checked(engine.knowledge_base(), &params) {
        Ok(report) => {
            let form = params.filled();
            Html(html::check_page(lang, &form, report.as_ref())).into_response()
        }
        Err(error) => fail(Form::Page(lang), &error),
    }
}

async fn api_check(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    match checked(engine.knowledge_base(), &params) {
        Ok(Some(report)) => json_response(&report),
        Ok(None) => fail(
            Form::Api,
            &Error::invalid("check needs a version").with_hint("give it as version=1.8.1"),
        ),
        Err(error) => fail(Form::Api, &error),
    }
}

async fn triage_form(Asked(params): Asked) -> Response {
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
async fn triage_upload(
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

/// The API: the request body is the log, streamed into the scan as it arrives.
async fn api_triage(
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

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        html::STYLESHEET,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        html::SCRIPT,
    )
        .into_response()
}

async fn not_found() -> Response {
    let web = wording(Lang::En).web;
    message_response(
        StatusCode::NOT_FOUND,
        Lang::En,
        web.not_found,
        "no such page: try / (search), /list, /check or /triage",
    )
}

async fn method_not_allowed() -> Response {
    message_response(
        StatusCode::METHOD_NOT_ALLOWED,
        Lang::En,
        "Method not allowed",
        "this page answers GET (and POST for /triage and /api/triage)",
    )
}
