//! How the elements of a statement read in the trace: what was compared
//! with what, and why a statement does not apply.

use iamtrace::trace::{
    ConditionResult, ConditionTrace, ElementStatus, ElementTrace, Grant, PolicyValue, PrincipalTrace, StatementTrace,
};
use yew::prelude::*;

use crate::components::rich;

pub(super) fn code(s: &str) -> Html {
    html! { <code class="mono">{ s.to_owned() }</code> }
}

fn policy_value(v: &PolicyValue<'_>) -> Html {
    match (&v.resolved, v.unresolved) {
        (_, true) => {
            html! { <span class="pv pv-dropped" title="a variable in it has no value, so it was dropped">{ code(&v.text) }{ " (no value)" }</span> }
        }
        (Some(r), false) if *r != v.text => {
            html! { <span class="pv">{ code(&v.text) }<span class="arrow">{ " → " }</span>{ code(r) }</span> }
        }
        _ => html! { <span class="pv">{ code(&v.text) }</span> },
    }
}

pub(super) fn status_class(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Matched => "el-matched",
        ElementStatus::NotMatched => "el-notmatched",
        ElementStatus::NotEvaluated => "el-notevaluated",
        ElementStatus::Omitted => "el-omitted",
    }
}

pub(super) fn element_text(e: &ElementTrace<'_>) -> Html {
    let not = e.element.starts_with("Not");
    match e.status {
        ElementStatus::NotEvaluated => {
            html! { <span class="muted">{ "not evaluated: an earlier element did not match" }</span> }
        }
        ElementStatus::Omitted => {
            html! { <span class="muted">{ "absent: the statement applies to the resource the policy is attached to" }</span> }
        }
        ElementStatus::NotMatched if e.absent() => {
            html! { <span class="muted">{ "absent: in a key policy, a statement without it has no effect" }</span> }
        }
        ElementStatus::Matched if not => {
            html! { <>{ code(&e.against) }{ " is not listed, so the statement applies" }</> }
        }
        ElementStatus::NotMatched if not => match &e.hit {
            Some(h) => html! { <>{ code(&e.against) }{ " is excluded by " }{ policy_value(h) }</> },
            None => html! { <>{ code(&e.against) }{ " is excluded" }</> },
        },
        ElementStatus::Matched => match &e.hit {
            Some(h) => html! { <>{ code(&e.against) }{ " matches " }{ policy_value(h) }</> },
            None => html! { <>{ code(&e.against) }{ " matches" }</> },
        },
        ElementStatus::NotMatched => html! {
            <>
                { code(&e.against) }{ " matches none of the patterns" }
                if !e.dropped.is_empty() {
                    <span class="muted">{ format!(" ({} dropped: a variable had no value)", e.dropped.len()) }</span>
                }
            </>
        },
    }
}

fn grant_text(g: Grant) -> &'static str {
    match g {
        Grant::Direct => "names the caller directly",
        Grant::Entity => "names the role or user behind the session",
        Grant::Account => "names the caller's account",
        Grant::Everyone => "everyone",
        Grant::Service => "names the calling service",
        Grant::Federated => "names the identity provider",
    }
}

pub(super) fn principal_text(p: &PrincipalTrace<'_>) -> Html {
    let hits = html! {
        { for p.hits.iter().enumerate().map(|(i, h)| html! { <>{ if i > 0 { ", " } else { "" } }{ code(&h.value) }</> }) }
    };
    let body = match p.status {
        ElementStatus::Matched if p.element == "NotPrincipal" => {
            html! { <>{ code(&p.against) }{ " is not exempted" }</> }
        }
        ElementStatus::NotMatched if p.element == "NotPrincipal" => {
            html! { <>{ code(&p.against) }{ " is exempted by " }{ hits }</> }
        }
        ElementStatus::Matched => html! {
            <>
                { code(&p.against) }{ " matched by " }{ hits }
                if let Some(g) = p.grant {
                    <span class="muted">{ format!(" ({})", grant_text(g)) }</span>
                }
            </>
        },
        ElementStatus::NotMatched => html! { <>{ code(&p.against) }{ " is not named" }</> },
        ElementStatus::NotEvaluated => html! { <span class="muted">{ "not evaluated" }</span> },
        ElementStatus::Omitted => html! { <span class="muted">{ "absent" }</span> },
    };
    html! {
        <>
            { body }
            if let Some(n) = &p.note {
                <span class="el-note">{ rich(n) }</span>
            }
        </>
    }
}

/// Why a statement that does not apply fails, in a few words.
pub(super) fn failure(st: &StatementTrace<'_>) -> String {
    if st.action.status == ElementStatus::NotMatched {
        return format!("{} does not match", st.action.element);
    }
    if let Some(p) = &st.principal {
        if p.status == ElementStatus::NotMatched {
            return format!("{} does not match", p.element);
        }
    }
    if st.resource.status == ElementStatus::NotMatched {
        return format!("{} does not match", st.resource.element);
    }
    if let Some(c) = st.conditions.iter().find(|c| c.result == ConditionResult::False) {
        return format!("condition on {} is false", c.key);
    }
    "does not apply".to_owned()
}

pub(super) fn condition_row(c: &ConditionTrace<'_>, onclick: Callback<MouseEvent>, picked: bool) -> Html {
    let result = c.result == ConditionResult::True;
    let request = match &c.request_values {
        None => html! { <em class="missing-value">{ "missing" }</em> },
        Some(vs) if vs.is_empty() => html! { <em class="missing-value">{ "empty" }</em> },
        Some(vs) => {
            html! { { for vs.iter().enumerate().map(|(i, v)| html! { <>{ if i > 0 { ", " } else { "" } }{ code(v) }</> }) } }
        }
    };
    html! {
        <li class={classes!("cond", if result { "cond-true" } else { "cond-false" }, picked.then_some("picked"))} data-testid="trace-condition">
            <button type="button" class="cond-button" {onclick} aria-pressed={picked.to_string()}>
                <span class="cond-line">
                    <span class={classes!("result", if result { "result-true" } else { "result-false" })}>{ if result { "true" } else { "false" } }</span>
                    <span class="cond-op mono">{ c.operator.to_string() }</span>
                    <span class="cond-key mono">{ c.key.to_string() }</span>
                    if c.derived {
                        <span class="badge badge-muted">{ "derived" }</span>
                    }
                </span>
                <span class="cond-values">
                    <span class="cond-label">{ "request" }</span><span class="cond-vals">{ request }</span>
                    <span class="cond-label">{ "policy" }</span>
                    <span class="cond-vals">
                        { for c.policy_values.iter().enumerate().map(|(i, v)| html! { <>{ if i > 0 { ", " } else { "" } }{ policy_value(&v) }</> }) }
                    </span>
                </span>
                <span class="cond-reason">{ rich(&c.reason()) }</span>
            </button>
        </li>
    }
}
