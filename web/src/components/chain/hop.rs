//! One hop of a chain: what it concluded and why, the rules it checked
//! (each with its AWS page), its evaluations (each opening its trace, on
//! the page's own evaluator), and the credential it yields.

use std::rc::Rc;

use iamtrace::api;
use yew::prelude::*;

use super::credential::credential_view;
use super::ranges_json;
use super::walk::{outcome_class, outcome_label};
use crate::components::trace::TraceSteps;
use crate::components::{decision_class, rich};
use crate::context::PageContext;
use crate::eval::{self, decision_title, Evaluated};
use crate::hooks::selection::Select;
use crate::knowledge::chain::{AuthView, HopView, PolicyOrigin};
use crate::knowledge::wire::Phase;
use crate::pick::{self, Pick};

#[derive(Properties, PartialEq, Debug)]
pub struct HopProps {
    pub hop: Rc<HopView>,
    pub index: usize,
    pub failed: bool,
    /// The chain text (origins are bytes of it).
    pub text: AttrValue,
    pub on_marks: Callback<AttrValue>,
    /// Opens a scenario (SCENARIO.md JSON) in the one-request playground.
    pub on_load: Callback<String>,
    /// The AWS data's generation (the traces' service names follow it).
    pub data: (Phase, u32),
}

/// An evaluation of the hop, replayed by the page's evaluator.
#[derive(Debug)]
struct Replayed {
    evaluated: Rc<Evaluated>,
    input: Option<api::Input>,
    /// The page's evaluation gave another decision than the walk's.
    differs: bool,
}

fn replay(a: &AuthView) -> Replayed {
    let input = api::input_from_scenario(&a.scenario).ok();
    let out = input.as_ref().map(api::evaluate);
    let (answer, diagnostics) = match out {
        Some(o) => (o.answer, o.diagnostics),
        None => (None, Vec::new()),
    };
    let differs = answer.as_ref().is_none_or(|x| x.decision != a.decision);
    Replayed { evaluated: Rc::new(eval::of_answer(answer, diagnostics)), input, differs }
}

/// Where the policy a trace names is in the chain text.
fn origin_of<'o>(origins: &'o [PolicyOrigin], r: &iamtrace::trace::PolicyRef) -> Option<&'o PolicyOrigin> {
    origins.iter().find(|o| o.kind == r.kind && o.index == r.index && o.level == r.level)
}

fn checks_view(hop: &HopView) -> Html {
    if hop.checks.is_empty() {
        return Html::default();
    }
    html! {
        <section class="hop-section">
            <h3 class="hop-h">{ "Rules checked" }</h3>
            <ul class="hop-checks">
                { for hop.checks.iter().map(|c| html! {
                    <li class={classes!("hop-check", if c.passed { "check-pass" } else { "check-fail" })}
                        data-testid="hop-check" data-code={c.code.clone()} data-passed={c.passed.to_string()}>
                        <span class="check-mark" aria-label={if c.passed { "passed" } else { "failed" }}>{ if c.passed { "✓" } else { "✗" } }</span>
                        <code class="mono check-code">{ c.code.clone() }</code>
                        <span class="check-summary">{ rich(&c.summary) }</span>
                        <a class="doc-link" href={c.source.clone()} target="_blank" rel="noopener noreferrer"
                            title={c.source.clone()} data-testid="hop-check-doc">{ "AWS docs" }</a>
                    </li>
                }) }
            </ul>
        </section>
    }
}

fn notes_view(hop: &HopView) -> Html {
    if hop.notes.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="hop-notes">
            { for hop.notes.iter().map(|n| html! {
                <li class="hop-note" data-testid="hop-note">
                    { rich(&n.text) }
                    if let Some(s) = &n.source {
                        { " " }<a class="doc-link" href={s.clone()} target="_blank" rel="noopener noreferrer">{ "AWS docs" }</a>
                    }
                </li>
            }) }
        </ul>
    }
}

#[component]
pub fn HopDetail(props: &HopProps) -> Html {
    let hop = &props.hop;
    let replayed = use_memo(props.hop.clone(), |hop| hop.authorizations.iter().map(replay).collect::<Vec<_>>());
    // The trace shown first: the evaluation that decided a denied hop, else the first.
    let first = hop.authorizations.iter().position(|a| a.decision != iamtrace::Decision::Allow);
    let first = first.or((!hop.authorizations.is_empty()).then_some(0));
    let open = use_state_eq(|| first);
    let picked = use_state_eq(|| None::<(usize, Pick)>);
    let traces = hop.authorizations.iter().zip(replayed.iter()).enumerate().map(|(i, (a, r))| {
        let is_open = *open == Some(i);
        let toggle = {
            let open = open.setter();
            Callback::from(move |_: MouseEvent| open.set(if is_open { None } else { Some(i) }))
        };
        let to_playground = r.input.clone().map(|mut input| {
            input.name = Some(format!("Hop {}: {} on {}", props.index + 1, a.action, a.resource));
            let json = serde_json::to_string(&api::scenario_doc(&input)).unwrap_or_default();
            props.on_load.reform(move |_: MouseEvent| json.clone())
        });
        // Picks in this trace highlight the policy in the chain text.
        let select = {
            let (picked, evaluated, origins) = (picked.setter(), r.evaluated.clone(), a.origins.clone());
            let (text, on_marks) = (props.text.clone(), props.on_marks.clone());
            Callback::from(move |s: Select| {
                let Select::Answer(p) = s else { return };
                picked.set(Some((i, p)));
                let Some(answer) = evaluated.answer.as_ref() else { return };
                let spans: Vec<(u32, u32, bool)> = pick::spans(answer, p)
                    .items
                    .iter()
                    .filter_map(|(r, span, strong)| {
                        let base = origin_of(&origins, r)?.start?;
                        Some((base + span.start, base + span.end, *strong))
                    })
                    .collect();
                on_marks.emit(ranges_json(&text, &spans));
            })
        };
        let context = PageContext::new(true, Callback::noop(), select, Callback::noop());
        let pick_here = picked.filter(|(j, _)| *j == i).map(|(_, p)| p);
        let decision = a.decision;
        html! {
            <li class={classes!("hop-auth", decision_class(Some(decision)))} data-testid="hop-auth"
                data-action={a.action.clone()} data-decision={decision.as_str()}>
                <div class="hop-auth-head">
                    <span class={classes!("verdict", decision_class(Some(decision)))}>{ decision_title(decision) }</span>
                    <code class="mono">{ a.action.clone() }</code>
                    <span class="muted">{ " on " }</span>
                    <code class="mono hop-auth-resource">{ a.resource.clone() }</code>
                </div>
                <p class="hop-auth-why">{ rich(&a.why) }{ " " }<span class="muted">{ rich(&a.summary) }</span></p>
                <div class="hop-auth-actions">
                    <button type="button" class="btn btn-small" aria-expanded={is_open.to_string()} onclick={toggle}
                        data-testid="hop-trace-toggle">{ if is_open { "Hide the trace" } else { "Show the trace" } }</button>
                    if let Some(onclick) = to_playground {
                        <button type="button" class="btn btn-small btn-quiet" {onclick} data-testid="hop-open-playground"
                            title="Load this evaluation (policies and request) into the one-request playground">
                            { "Open in the playground" }
                        </button>
                    }
                </div>
                if r.differs {
                    <p class="warn-note" role="alert" data-testid="hop-replay-differs">
                        { "The page's evaluation of this step differs from the walk's; the trace below may not be the walk's." }
                    </p>
                }
                if is_open {
                    <ContextProvider<PageContext> {context}>
                        <TraceSteps evaluated={r.evaluated.clone()} picked={pick_here} testid="hop-trace" data={props.data} />
                    </ContextProvider<PageContext>>
                }
            </li>
        }
    });
    html! {
        <article class={classes!("hop-detail", outcome_class(&hop.outcome), props.failed.then_some("hop-failed"))}
            data-testid="hop-detail" data-index={props.index.to_string()} data-outcome={hop.outcome.clone()}>
            <header class="hop-detail-head">
                <h3 class="hop-detail-title">{ format!("Hop {}: ", props.index + 1) }<span class="mono">{ hop.title.clone() }</span></h3>
                <span class={classes!("hop-outcome", outcome_class(&hop.outcome))}>{ outcome_label(&hop.outcome) }</span>
            </header>
            <p class="hop-summary" data-testid="hop-summary">{ rich(&hop.summary) }</p>
            { checks_view(hop) }
            if !hop.authorizations.is_empty() {
                <section class="hop-section">
                    <h3 class="hop-h">{ "Policy evaluation" }</h3>
                    <ul class="hop-auths">{ for traces }</ul>
                </section>
            }
            { notes_view(hop) }
            if let Some(c) = &hop.credential {
                { credential_view(c) }
            }
        </article>
    }
}
