//! One imported event: the request and its keys with their record fields,
//! what the record cannot show, AWS's verdict beside iamtrace's, and the
//! request evaluated against the page's policies.

use std::rc::Rc;

use iamtrace::api::{self, ContextInput};
use iamtrace::cloudtrail::{self, AwsDenial, CallAnswers, Comparison, DenialKind, ImportedEvent};
use iamtrace::{Decision, Location};
use yew::prelude::*;

use crate::components::trace::TraceSteps;
use crate::components::{decision_class, rich};
use crate::context::PageContext;
use crate::data::{self, DataState};
use crate::eval::{self, decision_title, Checks, Evaluated, Range};
use crate::share::RequestV1;

#[derive(Properties, PartialEq, Debug)]
pub struct EventProps {
    pub event: Rc<ImportedEvent>,
    /// The page's policies.
    pub policies: Rc<api::Policies>,
    pub data: DataState,
    pub readonly: bool,
    /// Makes a request (`share::RequestV1` JSON) the page's request.
    pub on_use: Callback<String>,
    /// Highlights a span of the pasted text.
    pub on_pick: Callback<Range>,
}

fn range(l: &Location) -> Range {
    Range { from: [l.start.line, l.start.utf16_column], to: [l.end.line, l.end.utf16_column], strong: true }
}

/// The record field a value came from: a button that highlights it.
fn field_button(field: &str, location: &Location, on_pick: &Callback<Range>) -> Html {
    let r = range(location);
    let onclick = on_pick.reform(move |_: MouseEvent| r);
    html! {
        <button type="button" class="field-path mono" {onclick} data-testid="ct-field-path"
            title={format!("Show {field} in the pasted text (line {}, column {})", location.start.line, location.start.column)}>
            { field.to_owned() }
        </button>
    }
}

fn value_text(v: &ContextInput) -> String {
    match v {
        ContextInput::One(s) => s.clone(),
        ContextInput::Many(vs) => format!("[{}]", vs.join(", ")),
    }
}

fn denial_kind(d: &AwsDenial) -> &'static str {
    match d.kind {
        DenialKind::Explicit => "explicit deny",
        DenialKind::Implicit => "implicit deny",
        DenialKind::Unspecified => "denied (explicit or implicit: the message does not say)",
    }
}

fn compare_view(d: &AwsDenial, c: Option<&Comparison>, on_pick: &Callback<Range>) -> Html {
    let agrees = c.map(|c| c.decision_agrees && c.policy_type_agrees != Some(false));
    html! {
        <section class="ct-section ct-compare" data-testid="ct-compare"
            data-agrees={agrees.map(|a| a.to_string())}>
            <h3 class="hop-h">{ "AWS's verdict beside iamtrace's" }</h3>
            <div class="ct-sides">
                <div class="ct-side" data-testid="ct-aws">
                    <span class="ct-side-label">{ "AWS said" }</span>
                    <span class="ct-side-value">{ denial_kind(d) }</span>
                    if let Some(p) = d.policy_type {
                        <span class="muted">{ format!("by a {}", p.phrase()) }</span>
                    }
                    if let Some(m) = &d.message {
                        <blockquote class="ct-message mono">{ m.clone() }</blockquote>
                    }
                    { field_button(&d.field, &d.location, on_pick) }
                </div>
                <div class="ct-side" data-testid="ct-iamtrace">
                    <span class="ct-side-label">{ "iamtrace, with the policies on this page" }</span>
                    if let Some(c) = c {
                        <span class={classes!("ct-side-value", decision_class(Some(c.iamtrace_decision)))}>
                            { decision_title(c.iamtrace_decision) }
                        </span>
                        if !c.iamtrace_policy_kinds.is_empty() {
                            <span class="muted">{ format!("decided by: {}",
                                c.iamtrace_policy_kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ")) }</span>
                        }
                    } else {
                        <span class="muted">{ "not evaluated (the record does not give the whole request)" }</span>
                    }
                </div>
            </div>
            if let Some(c) = c {
                <p class={classes!("ct-agreement", if agrees == Some(true) { "ok" } else { "bad" })} data-testid="ct-agreement">
                    { rich(&c.summary) }
                </p>
                <ul class="ct-notes">{ for c.notes.iter().map(|n| html! { <li data-testid="ct-compare-note">{ rich(n) }</li> }) }</ul>
            }
        </section>
    }
}

/// The event's request against the page's policies, and the call's
/// answers when it needs further actions on the same request.
struct EventEval {
    main: Rc<Evaluated>,
    /// `None` when a further action's request did not evaluate.
    call: Option<CallAnswers<'static>>,
}

fn evaluate(event: &ImportedEvent, policies: &api::Policies, data: &DataState) -> Option<Rc<EventEval>> {
    if !event.complete || event.has_errors() {
        return None;
    }
    let bridge = data::Bridge;
    let checks: Option<&dyn Checks> = if data.checks_ready() { Some(&bridge) } else { None };
    let out = eval::evaluate_input(&event.input(policies.clone()), checks);
    let mut further = Vec::new();
    for f in &event.further_actions {
        if let Some(input) = event.further_input(f, policies.clone()) {
            further.push((f.clone(), eval::evaluate_input(&input, checks).answer));
        }
    }
    let call = match (&out.answer, further.iter().all(|(_, a)| a.is_some())) {
        (Some(main), true) => Some(CallAnswers {
            action: event.request.action.clone(),
            main: main.clone(),
            further: further.into_iter().filter_map(|(f, a)| Some((f, a?))).collect(),
        }),
        _ => None,
    };
    Some(Rc::new(EventEval { main: Rc::new(eval::of_answer(out.answer, out.diagnostics)), call }))
}

/// The further actions the call needs, each with its decision.
fn further_view(e: &ImportedEvent, call: Option<&CallAnswers<'_>>) -> Html {
    let decision_of =
        |action: &str| call.and_then(|c| c.further.iter().find(|(f, _)| f.action == action)).map(|(_, a)| a.decision);
    html! {
        <ul class="ct-notes" data-testid="ct-further">
            { for e.further_actions.iter().map(|f| {
                let decision = if f.same_request { decision_of(&f.action) } else { None };
                html! {
                    <li data-testid="ct-further-action" data-action={f.action.clone()}
                        data-decision={decision.map_or("none", Decision::as_str)}>
                        { "the call also needs " }<code class="mono">{ f.action.clone() }</code>
                        if let Some(d) = decision {
                            { ": " }<strong class={decision_class(Some(d))}>{ decision_title(d) }</strong>
                        } else if !f.same_request {
                            <span class="muted">{ " (on another resource, not evaluated)" }</span>
                        }
                        <span class="muted">{ " · " }{ rich(&f.why) }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

#[component]
pub fn EventView(props: &EventProps) -> Html {
    let e = &props.event;
    let show_trace = use_state_eq(|| false);
    let evaluated = {
        let deps = (props.event.clone(), props.policies.clone(), props.data.generation());
        let data = props.data.clone();
        use_memo(deps, move |(event, policies, _)| evaluate(event, policies, &data))
    };
    let event_eval: Option<Rc<EventEval>> = (*evaluated).clone();
    let call = event_eval.as_ref().and_then(|v| v.call.as_ref());
    let evaluated: Option<Rc<Evaluated>> = event_eval.as_ref().map(|v| v.main.clone());
    // The call is allowed only when every action it needs is.
    let call_decision = call.map(CallAnswers::decision).or_else(|| evaluated.as_ref().and_then(|v| v.decision));
    // The answer that decides the call, when it is not the event action's.
    let deciding_further = call.and_then(CallAnswers::deciding_further);
    let comparison = match (&e.aws_denial, call) {
        (Some(d), Some(c)) => Some(cloudtrail::compare(d, c.compared(d))),
        _ => None,
    };
    let on_pick = &props.on_pick;
    let use_request = {
        let json = serde_json::to_string(&RequestV1::of_input(&e.request)).unwrap_or_default();
        props.on_use.reform(move |_: MouseEvent| json.clone())
    };
    let toggle = {
        let show = show_trace.clone();
        Callback::from(move |_: MouseEvent| show.set(!*show))
    };
    let what = match (&e.event_source, &e.event_name) {
        (Some(s), Some(n)) => format!("{s} · {n}"),
        _ => e.request.action.clone(),
    };
    // Picks in this trace go nowhere: "Use this request" opens it in the main trace.
    let quiet = PageContext::new(true, Callback::noop(), Callback::noop(), Callback::noop());
    html! {
        <div class="ct-event" data-testid="ct-event-detail" data-complete={e.complete.to_string()}>
            <p class="ct-head">
                <span class="mono">{ what }</span>
                if let Some(t) = &e.event_time {
                    <span class="muted">{ format!(" · {t}") }</span>
                }
                if let Some(t) = &e.identity_type {
                    <span class="chip">{ t.clone() }</span>
                }
            </p>
            <table class="ct-table" data-testid="ct-fields">
                <caption>{ if e.complete { "The request" } else { "The request (incomplete: fill in what is unknown before evaluating)" } }</caption>
                <tbody>
                    { for e.fields.iter().map(|f| html! {
                        <tr data-testid="ct-field" data-name={f.name.clone()}>
                            <th scope="row">{ f.name.clone() }</th>
                            <td><code class="mono ct-value">{ f.value.clone() }</code>
                                if let Some(n) = &f.note { <span class="muted ct-note">{ rich(n) }</span> }
                            </td>
                            <td class="ct-from">{ "from " }{ field_button(&f.field, &f.location, on_pick) }</td>
                        </tr>
                    }) }
                    { for e.unknown_fields.iter().map(|u| html! {
                        <tr data-testid="ct-field" data-name={u.key.clone()} data-unknown="true">
                            <th scope="row">{ u.key.clone() }</th>
                            <td><span class="ct-unknown">{ "unknown" }</span></td>
                            <td class="ct-from muted">{ rich(&u.why) }</td>
                        </tr>
                    }) }
                    { for e.other_resources.iter().map(|r| html! {
                        <tr data-testid="ct-field" data-name="resource" data-also="true">
                            <th scope="row">{ "also" }</th>
                            <td><code class="mono ct-value">{ r.clone() }</code></td>
                            <td class="ct-from muted">{ "AWS authorizes each resource of the call" }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if let Some(d) = &e.aws_denial {
                { compare_view(d, comparison.as_ref(), on_pick) }
            }
            <section class="ct-section ct-eval" data-testid="ct-eval"
                data-decision={call_decision.map_or("none", Decision::as_str)}>
                <h3 class="hop-h">{ "Against the policies on this page" }</h3>
                if let Some(v) = &evaluated {
                    if let Some(a) = &v.answer {
                        if let Some((f, fa)) = deciding_further {
                            <p class={classes!("ct-decision", decision_class(Some(fa.decision)))} data-testid="ct-decision">
                                <strong>{ decision_title(fa.decision) }</strong>{ ": " }<code class="mono">{ f.action.clone() }</code>
                                { ", which the call also needs: " }{ rich(&fa.summary) }
                            </p>
                        } else {
                            <p class={classes!("ct-decision", decision_class(Some(a.decision)))} data-testid="ct-decision">
                                <strong>{ decision_title(a.decision) }</strong>{ ": " }{ rich(&a.summary) }
                            </p>
                        }
                    } else {
                        <p class="muted">{ "The page's policies have errors: fix them to evaluate." }</p>
                    }
                } else {
                    <p class="muted">{ "Not evaluated: the record does not give the whole request." }</p>
                }
                // Listed whether or not the request could be evaluated.
                if !e.further_actions.is_empty() {
                    { further_view(e, call) }
                }
                <div class="hop-auth-actions">
                    <button type="button" class="btn btn-primary btn-small" onclick={use_request} disabled={props.readonly}
                        data-testid="ct-use" title="Fill the request form and context with this request; the policies stay">
                        { "Use this request" }
                    </button>
                    if evaluated.as_ref().is_some_and(|v| v.answer.is_some()) {
                        <button type="button" class="btn btn-small" aria-expanded={show_trace.to_string()} onclick={toggle}
                            data-testid="ct-trace-toggle">{ if *show_trace { "Hide the trace" } else { "Show the trace" } }</button>
                    }
                </div>
                if *show_trace {
                    if let Some(v) = &evaluated {
                        <ContextProvider<PageContext> context={quiet}>
                            <TraceSteps evaluated={v.clone()} picked={None} testid="ct-trace" data={props.data.generation()} />
                        </ContextProvider<PageContext>>
                    }
                }
            </section>
            if !e.keys.is_empty() {
                <table class="ct-table" data-testid="ct-keys">
                    <caption>{ "Context keys the record shows" }</caption>
                    <tbody>
                        { for e.keys.iter().map(|k| html! {
                            <tr data-testid="ct-key" data-key={k.key.clone()}>
                                <th scope="row"><code class="mono">{ k.key.clone() }</code></th>
                                <td><code class="mono ct-value">{ value_text(&k.value) }</code>
                                    if let Some(n) = &k.note { <span class="muted ct-note">{ rich(n) }</span> }
                                </td>
                                <td class="ct-from">{ "from " }{ field_button(&k.field, &k.location, on_pick) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !e.unknown.is_empty() || !e.absent.is_empty() {
                <details class="ct-section" data-testid="ct-unknown">
                    <summary>{ format!("Keys the record cannot show: {} unknown, {} known absent", e.unknown.len(), e.absent.len()) }</summary>
                    <ul class="ct-keylist">
                        { for e.unknown.iter().map(|u| html! {
                            <li data-testid="ct-unknown-key" data-key={u.key.clone()}>
                                <code class="mono">{ u.key.clone() }</code><span class="ct-unknown">{ " unknown" }</span>
                                { ": " }{ rich(&u.why) }
                            </li>
                        }) }
                        { for e.absent.iter().map(|u| html! {
                            <li data-testid="ct-absent-key" data-key={u.key.clone()}>
                                <code class="mono">{ u.key.clone() }</code><span class="muted">{ " absent" }</span>
                                { ": " }{ rich(&u.why) }
                            </li>
                        }) }
                    </ul>
                </details>
            }
            if !e.notes.is_empty() {
                <ul class="ct-notes">{ for e.notes.iter().map(|n| html! { <li data-testid="ct-note">{ rich(n) }</li> }) }</ul>
            }
            { for e.diagnostics.iter().map(|d| html! {
                <p class={classes!("diag", if d.diagnostic.is_error() { "diag-error" } else { "diag-warning" })} data-testid="ct-diagnostic">
                    <span class="diag-pos mono">{ format!("line {}, column {}", d.start.line, d.start.column) }</span>
                    <span class="diag-msg">{ rich(&d.diagnostic.message) }</span>
                </p>
            }) }
        </div>
    }
}
