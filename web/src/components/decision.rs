//! The decision, large; the statements that decided it; the context keys
//! that could change it; and the errors that keep it from being made.

use std::rc::Rc;

use iamtrace::api::Slot;
use iamtrace::Decision;
use yew::prelude::*;

use crate::components::panel::Panel;
use crate::components::{decision_class, rich};
use crate::context::use_page;
use crate::eval::{decision_title, place_of, Annotations, Evaluated};
use crate::hooks::selection::Problem;
use crate::kinds;
use crate::pick::Pick;
use crate::state::{Action, Panel as PanelKind, PolicyState};

#[derive(Properties, PartialEq, Debug)]
pub struct DecisionProps {
    /// The current evaluation.
    pub evaluated: Rc<Evaluated>,
    pub annotations: Option<Rc<Annotations>>,
    /// The decision the scenario expects, if it says.
    pub expected: Option<Decision>,
    /// The policies, to name the one a problem is in.
    pub policies: Rc<PolicyState>,
    pub open: bool,
}

fn icon(d: Option<Decision>) -> Html {
    match d {
        Some(Decision::Allow) => html! {
            <svg class="decision-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="10" /><path d="M7 12.5l3.2 3.2L17 9" /></svg>
        },
        Some(Decision::ExplicitDeny) => html! {
            <svg class="decision-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="10" /><path d="M8 8l8 8M16 8l-8 8" /></svg>
        },
        Some(Decision::ImplicitDeny) => html! {
            <svg class="decision-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="10" /><path d="M7.5 12h9" /></svg>
        },
        None => html! {
            <svg class="decision-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="10" /><path d="M12 7v6M12 16.5v.5" /></svg>
        },
    }
}

fn explain(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "The request is allowed.",
        Decision::ExplicitDeny => "A Deny statement matched. Nothing can override an explicit deny.",
        Decision::ImplicitDeny => {
            "Nothing denied it, but a required allow is missing, so the request is denied by default."
        }
    }
}

#[component]
pub fn DecisionPanel(props: &DecisionProps) -> Html {
    let page = use_page();
    let ev = &props.evaluated;
    let answer = ev.answer.as_ref();
    let decision = ev.decision;
    let value = match decision {
        Some(d) => decision_title(d).to_owned(),
        None => "No decision".to_owned(),
    };
    let summary = match (answer, decision) {
        (Some(a), Some(_)) => a.summary.clone(),
        _ if ev.errors > 0 => {
            format!("Fix the {} error{} below to see a decision.", ev.errors, if ev.errors == 1 { "" } else { "s" })
        }
        _ => "The request could not be evaluated.".to_owned(),
    };
    let expected = props.expected.filter(|_| decision.is_some()).map(|x| {
        let ok = decision == Some(x);
        html! {
            <p class={classes!("expected", if ok { "expected-ok" } else { "expected-off" })} data-testid="expected">
                { format!("Expected {}: ", decision_title(x)) }
                <strong>{ if ok { "matches" } else { "differs" } }</strong>
            </p>
        }
    });

    let deciding = answer.map(|a| {
        if a.deciding.is_empty() {
            return Html::default();
        }
        html! {
            <div class="deciding">
                <h3 class="subhead">{ if decision == Some(Decision::ExplicitDeny) { "Denied by" } else { "Decided by" } }</h3>
                <ul class="plain-list">
                    { for a.deciding.iter().enumerate().map(|(i, r)| {
                        let onclick = page.on_pick(Pick::Deciding(i));
                        html! {
                            <li>
                                <button type="button" class="link-button" {onclick} data-testid="deciding-statement">
                                    <span class={classes!("effect", if r.effect == iamtrace::policy::Effect::Deny { "effect-deny" } else { "effect-allow" })}>
                                        { format!("{:?}", r.effect) }
                                    </span>
                                    <span>{ rich(&r.label()) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });

    let missing = answer.map(|a| {
        if a.missing_keys.is_empty() {
            return Html::default();
        }
        html! {
            <div class="missing" data-testid="missing-keys">
                <h3 class="subhead">{ "Missing context keys that could change the result" }</h3>
                <ul class="plain-list missing-list">
                    { for a.missing_keys.iter().enumerate().map(|(i, k)| {
                        let add = page.on_any(Action::AddContext { key: k.key.clone(), value: String::new() });
                        let show = page.on_pick(Pick::MissingKey(i));
                        let n = k.referenced_by.len();
                        html! {
                            <li class="missing-key" data-testid="missing-key" data-key={k.key.clone()}>
                                <code class="mono">{ k.key.clone() }</code>
                                <span class="missing-use">
                                    { format!("{} in {n} statement{}", if k.used_as == "variable" { "variable" } else { "condition" }, if n == 1 { "" } else { "s" }) }
                                </span>
                                <span class="missing-actions">
                                    <button type="button" class="btn btn-ghost btn-small" onclick={show}
                                        aria-label={format!("Show where {} is used", k.key)}>{ "Show" }</button>
                                    if !page.readonly {
                                        <button type="button" class="btn btn-small" onclick={add} data-testid="missing-key-add"
                                            aria-label={format!("Add {} to the request's context", k.key)}>{ "Add to request" }</button>
                                    }
                                </span>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });

    let item = |finding: bool, i: usize, d: &iamtrace::api::Located| -> Html {
        let (where_, line) = match (&d.slot, place_of(&d.slot)) {
            (Slot::Request { field }, _) => (format!("Request {}", field.replace('_', " ")), String::new()),
            (_, place) => {
                let label = place.and_then(|p| Some(kinds::label(p, &props.policies.get(p)?.name))).unwrap_or_default();
                (label, format!("line {}, column {}", d.start.line, d.start.column))
            }
        };
        let sev = crate::eval::severity_name(d.diagnostic.severity);
        let (badge_class, badge) = if finding {
            let cat = crate::eval::category_name(d.diagnostic.severity);
            (format!("badge-cat badge-cat-{cat}"), crate::eval::category_title(d.diagnostic.severity).to_owned())
        } else {
            (format!("badge-{sev}"), sev.to_owned())
        };
        let onclick = page.on_problem(if finding { Problem::Finding(i) } else { Problem::Diagnostic(i) });
        html! {
            <li class={classes!("finding", format!("finding-{sev}"))} data-testid={if finding { "finding" } else { "diagnostic" }}
                data-code={d.diagnostic.code.as_str()}>
                <button type="button" class="link-button finding-button" {onclick}>
                    <span class={classes!("badge", badge_class)}>{ badge }</span>
                    <span class="finding-where">
                        { where_ }{ if line.is_empty() { String::new() } else { format!(" · {line}") } }
                        if finding {
                            <code class="finding-code">{ d.diagnostic.code.as_str() }</code>
                        }
                    </span>
                    <span class="finding-message">{ rich(&d.diagnostic.message) }</span>
                    if let Some(h) = &d.diagnostic.help {
                        <span class="finding-help">{ rich(h) }</span>
                    }
                </button>
            </li>
        }
    };
    let mut findings: Vec<(usize, Html)> = ev
        .diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| (usize::from(!d.diagnostic.is_error()), item(false, i, d)))
        .collect();
    if let Some(a) = &props.annotations {
        findings.extend(a.findings.iter().enumerate().map(|(i, d)| (1, item(true, i, d))));
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = findings.into_iter().partition(|(w, _)| *w == 0);

    html! {
        <Panel kind={PanelKind::Decision} open={props.open}>
            <div class={classes!("decision", decision_class(decision))} data-testid="decision"
                data-decision={decision.map_or("none", |d| d.as_str())}>
                { icon(decision) }
                <div class="decision-text">
                    <p class="decision-value" aria-live="polite" data-testid="decision-value">{ value }</p>
                    <p class="decision-summary" data-testid="decision-summary">{ rich(&summary) }</p>
                    if let Some(d) = decision {
                        <p class="decision-explain">{ explain(d) }</p>
                    }
                </div>
            </div>
            { for expected }
            if !errors.is_empty() {
                <div class="findings">
                    <h3 class="subhead">{ "Errors" }</h3>
                    <ul class="plain-list" data-testid="diagnostics">{ for errors.into_iter().map(|(_, h)| h) }</ul>
                </div>
            }
            { for deciding }
            { for missing }
            if !warnings.is_empty() {
                <details class="findings findings-warnings">
                    <summary>{ format!("{} finding{} about the policies", warnings.len(), if warnings.len() == 1 { "" } else { "s" }) }</summary>
                    <ul class="plain-list">{ for warnings.into_iter().map(|(_, h)| h) }</ul>
                </details>
            }
        </Panel>
    }
}
