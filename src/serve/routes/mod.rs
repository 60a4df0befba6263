//! The pages and the JSON API. Each handler asks the library the question the matching
//! command asks, then renders the same report as HTML ([`shirube::printer::html`]) or as the
//! JSON the command prints ([`shirube::printer::json`]). No path of a URL reaches the file
//! system: entries are looked up by id in the knowledge base, assets are compiled in. One
//! file per page (with its API route); this one holds what they share and the router.

mod check;
mod entry;
mod list;
mod search;
mod triage;

use super::message_response;
use axum::Router;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use shirube::parse_version;
use shirube::printer::html::{self, Filled};
use shirube::printer::{json, wording::wording};
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
        .route("/", get(search::search_page))
        .route("/search", get(search::search_page))
        .route("/entries/{id}", get(entry::entry_page))
        .route("/list", get(list::list_page))
        .route("/check", get(check::check_page))
        .route(
            "/triage",
            get(triage::triage_form).post(triage::triage_upload),
        )
        .route("/style.css", get(stylesheet))
        .route("/copy.js", get(script))
        .route("/api/search", get(search::api_search))
        .route("/api/entries/{id}", get(entry::api_entry))
        .route("/api/list", get(list::api_list))
        .route("/api/check", get(check::api_check))
        .route("/api/triage", axum::routing::post(triage::api_triage))
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
        ErrorKind::CorruptKnowledgeBase | ErrorKind::VerificationFailed | ErrorKind::Failed => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
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
