//! The search page and `/api/search`: `shirube search` over HTTP.

use super::{Asked, Form, Known, Params, Shared, blocking, fail, given, json_response};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use shirube::printer::html;
use shirube::report::{ComponentRef, SearchReport};
use shirube::search::MAX_QUERY_BYTES;
use shirube::search::{DEFAULT_LIMIT, Request};
use shirube_kb::condition::Facts;
use shirube_kb::{Error, ErrorKind, Lang, VersionQuery};
use std::sync::Arc;

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

pub(super) async fn search_page(
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

pub(super) async fn api_search(
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
