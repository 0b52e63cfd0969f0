//! The walk of a chain: its decision, the row of hops (credential → call →
//! session → request) with the one that failed lit, and the chosen hop.
//! Rendered by the panels module (`src/bin/panels.rs`) inside the page's
//! Walkthrough panel.

use std::rc::Rc;

use iamtrace::Decision;
use yew::prelude::*;

use iamtrace::LineIndex;

use super::hop::HopDetail;
use super::ranges_json;
use crate::components::{decision_class, rich};
use crate::data::DataState;
use crate::eval::decision_title;
use crate::hooks::walk::{use_walk, WalkPhase};
use crate::knowledge::chain::{ChainProblem, ChainView, HopView};

/// A hop's card: its kind (an STS call by its operation) and what it acts on.
fn card_text(h: &HopView) -> (String, String) {
    match h.kind.as_str() {
        "credential" | "request" => (h.kind.clone(), h.title.clone()),
        _ => match h.title.split_once(' ') {
            Some((op, rest)) => (op.strip_prefix("sts:").unwrap_or(op).to_owned(), rest.to_owned()),
            None => ("STS call".to_owned(), h.title.clone()),
        },
    }
}

/// Text that may break after `:` and `/` (ARNs and actions in narrow cards).
fn breakable(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ':' || c == '/' {
            parts.push(text.get(start..=i).unwrap_or("").to_owned());
            start = i + 1;
        }
    }
    parts.push(text.get(start..).unwrap_or("").to_owned());
    html! { <>{ for parts.into_iter().map(|p| html! { <>{ p }<wbr /></> }) }</> }
}

/// The CSS modifier of a hop's outcome.
pub(super) fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "Allow" => "o-allow",
        "ExplicitDeny" => "o-deny",
        "ImplicitDeny" => "o-implicit",
        "CheckFailed" => "o-failed",
        _ => "o-notreached",
    }
}

/// A hop's outcome in words.
pub(super) fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "Allow" => "Allowed",
        "ExplicitDeny" => "Explicit deny",
        "ImplicitDeny" => "Implicit deny",
        "CheckFailed" => "Check failed",
        _ => "Not reached",
    }
}

/// The link between two hops: an arrow, and the session the first hands
/// to the second (nothing for a long-term key, which the credential card
/// already names).
fn link(h: &HopView) -> Html {
    let session = h.credential.as_ref().filter(|c| !matches!(c.kind.as_str(), "iam-user" | "root-user"));
    let label = session.map(|c| {
        let what = match c.kind.as_str() {
            "role-session" => "role session",
            "session-token" => "session token",
            "federated-user" => "federated session",
            _ => "root session",
        };
        let duration = c.duration_seconds.map(|d| format!("{d} s")).unwrap_or_default();
        html! {
            <span class="hop-session" data-testid="hop-session" title={c.principal.clone()}>
                <span class="hop-session-kind">{ what }</span>
                <span class="hop-session-time">{ duration }</span>
            </span>
        }
    });
    html! {
        <span class="hop-link">
            <span class="hop-arrow" aria-hidden="true">{ "→" }</span>
            { for label }
        </span>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct WalkProps {
    /// The chain text (the walk's spans are bytes of it).
    pub text: AttrValue,
    /// The knowledge module as the page sees it.
    pub data: DataState,
    /// Places highlights in the chain editor (editor ranges, JSON).
    pub on_marks: Callback<AttrValue>,
    /// The scenario's problems, as the chain editor marks them (JSON).
    pub on_problems: Callback<AttrValue>,
    /// Opens a scenario (SCENARIO.md JSON) in the one-request playground.
    pub on_load: Callback<String>,
}

fn problems_view(text: &str, problems: &[ChainProblem]) -> Html {
    let index = LineIndex::new(text);
    html! {
        <ul class="diag-list" data-testid="chain-problems">
            { for problems.iter().map(|p| {
                let at = index.position(text, p.start);
                html! {
                    <li class={classes!("diag", if p.error { "diag-error" } else { "diag-warning" })} data-testid="chain-problem"
                        data-line={at.line.to_string()} data-column={at.column.to_string()}>
                        <span class="diag-pos mono">{ format!("line {}, column {}", at.line, at.column) }</span>
                        <span class="diag-msg">{ rich(&p.message) }</span>
                        if let Some(h) = &p.help {
                            <span class="diag-help">{ "help: " }{ rich(h) }</span>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

fn row(view: &ChainView, selected: usize, choose: &Callback<usize>) -> Html {
    // Cards share the width equally; the links between them take what they need.
    let columns = vec!["minmax(0, 1fr)"; view.hops.len()].join(" auto ");
    html! {
        <ol class="hop-row" data-testid="hop-row" aria-label="The chain, hop by hop"
            style={format!("grid-template-columns: {columns}")}>
            { for view.hops.iter().enumerate().map(|(i, h)| {
                let failed = view.failed_hop == Some(i);
                let onclick = choose.reform(move |_: MouseEvent| i);
                let before = i.checked_sub(1).and_then(|j| view.hops.get(j));
                let (kind, title) = card_text(h);
                html! {
                    <li class="hop-item">
                        if let Some(prev) = before {
                            { link(prev) }
                        }
                        <button type="button" class={classes!("hop-card", outcome_class(&h.outcome), failed.then_some("hop-failed"), (i == selected).then_some("hop-selected"))}
                            aria-pressed={(i == selected).to_string()} {onclick} data-testid="hop" data-index={i.to_string()}
                            data-kind={h.kind.clone()} data-outcome={h.outcome.clone()} data-failed={failed.to_string()}>
                            <span class="hop-num">{ format!("{} · {kind}", i + 1) }</span>
                            <span class="hop-title" title={h.title.clone()}>{ breakable(&title) }</span>
                            <span class={classes!("hop-outcome", outcome_class(&h.outcome))}>{ outcome_label(&h.outcome) }</span>
                            if failed {
                                <span class="hop-flag">{ "failed here" }</span>
                            }
                        </button>
                    </li>
                }
            }) }
        </ol>
    }
}

/// The walk, as the panels module mounts it in the page's Walkthrough panel.
#[component]
pub fn WalkView(props: &WalkProps) -> Html {
    let walked = use_walk(Some(props.text.to_string()), &props.data);
    let chosen = use_state_eq(|| None::<usize>);
    let generation = walked.text.clone();
    {
        // Another chain: back to its default hop.
        let chosen = chosen.setter();
        use_effect_with(generation.as_ref().map(|t| t.len()), move |_| chosen.set(None));
    }
    {
        // The editor underlines the problems of the text they were found in.
        let on_problems = props.on_problems.clone();
        let current = walked.text.as_deref() == Some(props.text.as_str());
        let problems = walked.view.as_ref().filter(|_| current).map(|v| v.problems.clone()).unwrap_or_default();
        let text = props.text.clone();
        use_effect_with(problems, move |problems| on_problems.emit(super::marks_json(&text, problems)));
    }
    let Some(view) = walked.view.clone() else {
        return html! { <p class="empty" data-testid="walk-empty">{ "Walking the chain…" }</p> };
    };
    let stale = walked.phase == WalkPhase::Loading;
    let n = view.hops.len();
    // The failed hop is shown first; without one, the request.
    let selected = chosen.or(view.failed_hop).unwrap_or(n.saturating_sub(1)).min(n.saturating_sub(1));
    let choose = {
        let chosen = chosen.setter();
        let on_marks = props.on_marks.clone();
        let view = view.clone();
        let text = props.text.clone();
        Callback::from(move |i: usize| {
            chosen.set(Some(i));
            if let Some(h) = view.hops.get(i) {
                on_marks.emit(ranges_json(&text, &[(h.start, h.end, false)]));
            }
        })
    };
    let expected = view.expected.as_ref().map(|m| {
        if m.is_empty() {
            html! { <p class="expected ok" data-testid="walk-expected">{ "As the scenario expects, hop by hop." }</p> }
        } else {
            html! { <p class="expected bad" data-testid="walk-expected">{ format!("Not as expected: {}", m.join("; ")) }</p> }
        }
    });
    let problems = view.problems.iter().any(|p| p.error || view.hops.is_empty());
    html! {
        <div class={classes!("walk", stale.then_some("stale"))} data-testid="walk" data-ms={format!("{:.1}", view.ms)}
            data-current={(!stale).to_string()}>
            if problems {
                { problems_view(&props.text, &view.problems) }
            }
            if view.hops.is_empty() {
                <p class="empty" data-testid="walk-empty">{ "Fix the scenario's errors to walk the chain." }</p>
            } else {
                <div class={classes!("walk-decision", decision_class(view.decision))} data-testid="walk-decision"
                    data-decision={view.decision.map_or("none", Decision::as_str)}
                    data-failed-hop={view.failed_hop.map(|h| h.to_string())}>
                    <span class="walk-decision-word">{ view.decision.map_or("", decision_title) }</span>
                    <span class="walk-decision-summary">{ rich(&view.summary) }</span>
                </div>
                { for expected }
                { row(&view, selected, &choose) }
                if let Some(h) = view.hops.get(selected) {
                    <HopDetail key={format!("{selected}-{}", generation.as_ref().map_or(0, |t| t.len()))} hop={Rc::new(h.clone())}
                        index={selected} failed={view.failed_hop == Some(selected)} text={props.text.clone()}
                        on_marks={props.on_marks.clone()} on_load={props.on_load.clone()} data={props.data.generation()} />
                }
            }
        </div>
    }
}
