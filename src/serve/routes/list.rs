//! The list page and `/api/list`: `shirube list` over HTTP.

use super::{Asked, Form, Params, Shared, fail, json_response};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use shirube::printer::html;
use shirube::report::{ComponentRef, SearchReport};
use shirube_kb::{Error, KnowledgeBase, Lang};

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

pub(super) async fn list_page(State(engine): State<Shared>, Asked(params): Asked) -> Response {
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

pub(super) async fn api_list(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    match listed(engine.knowledge_base(), &params) {
        Ok(report) => json_response(&report),
        Err(error) => fail(Form::Api, &error),
    }
}
