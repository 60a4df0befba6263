//! An entry's page and `/api/entries/ID`: `shirube show` over HTTP.

use super::{Asked, Form, Params, Shared, fail, json_response};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use shirube::printer::html;
use shirube::report::EntryDetail;
use shirube_kb::{Error, ErrorKind, KnowledgeBase, Lang};

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

pub(super) async fn entry_page(
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

pub(super) async fn api_entry(
    State(engine): State<Shared>,
    Path(id): Path<String>,
    Asked(params): Asked,
) -> Response {
    match entry(engine.knowledge_base(), &id, &params) {
        Ok((detail, _)) => json_response(&detail),
        Err(error) => fail(Form::Api, &error),
    }
}
