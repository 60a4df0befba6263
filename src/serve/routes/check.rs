//! The check page and `/api/check`: `shirube check --version` over HTTP.

use super::{Asked, Form, Params, Shared, fail, json_response};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use shirube::check_upgrade;
use shirube::printer::html;
use shirube::report::CheckReport;
use shirube_kb::{Error, KnowledgeBase, Lang};

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

pub(super) async fn check_page(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    let lang = params.lang().ok().flatten().unwrap_or(Lang::En);
    match checked(engine.knowledge_base(), &params) {
        Ok(report) => {
            let form = params.filled();
            Html(html::check_page(lang, &form, report.as_ref())).into_response()
        }
        Err(error) => fail(Form::Page(lang), &error),
    }
}

pub(super) async fn api_check(State(engine): State<Shared>, Asked(params): Asked) -> Response {
    match checked(engine.knowledge_base(), &params) {
        Ok(Some(report)) => json_response(&report),
        Ok(None) => fail(
            Form::Api,
            &Error::invalid("check needs a version").with_hint("give it as version=1.8.1"),
        ),
        Err(error) => fail(Form::Api, &error),
    }
}
