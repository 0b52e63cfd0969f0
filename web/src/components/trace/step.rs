//! One step of AWS's evaluation: its verdict, and on demand its facts,
//! notes and the statements it examined.

use iamtrace::trace::{Side, Stage, Step, Verdict};
use yew::prelude::*;

use super::facts::facts_view;
use super::statement::statement;
use super::View;
use crate::components::{add_on_click, rich, verdict_class, verdict_key, verdict_label};
use crate::pick::Pick;

fn side_text(side: Side) -> &'static str {
    match side {
        Side::Principal => "principal's account",
        Side::Resource => "resource's account",
    }
}

/// The stage's name in `data-stage` (kebab-case, as in the core's JSON).
pub fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::Request => "request",
        Stage::ExplicitDeny => "explicit-deny",
        Stage::Credentials => "credentials",
        Stage::Rcp => "rcp",
        Stage::Scp => "scp",
        Stage::VpcEndpoint => "vpc-endpoint",
        Stage::ResourcePolicy => "resource-policy",
        Stage::Identity => "identity",
        Stage::Boundary => "boundary",
        Stage::Session => "session",
        Stage::CrossAccount => "cross-account",
        Stage::Decision => "decision",
    }
}

/// Statements of a step listed before "show all" (those that apply always
/// are): a policy of thousands of statements would take seconds to show.
pub const SHOWN_STATEMENTS: usize = 100;

pub(super) fn step(view: &View<'_>, si: usize, step: &Step<'_>) -> Html {
    let has_body = !step.statements.is_empty() || step.request.is_some() || !step.notes.is_empty();
    let compact = !has_body && matches!(step.verdict, Verdict::NotReached | Verdict::NotApplicable | Verdict::Skipped);
    let default_open = step.decisive || step.statements.iter().any(|s| s.applies);
    let expanded = has_body && view.step_open.get(&si).copied().unwrap_or(default_open);
    let is_picked = view.picked.and_then(Pick::step) == Some(si);
    let onclick = {
        let step_open = view.step_open.clone();
        let page = view.page.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*step_open).clone();
            m.insert(si, !expanded);
            step_open.set(m);
            page.pick(Pick::Step(si));
        })
    };
    let n = step.statements.len();
    let applying = step.statements.iter().filter(|s| s.applies).count();
    // The statements listed: all of them, or those that apply and the
    // first others up to the limit, in their order.
    let all = view.steps_all.contains(&si) || n <= SHOWN_STATEMENTS;
    let mut room = SHOWN_STATEMENTS.saturating_sub(applying);
    let listed = step.statements.iter().enumerate().filter(move |(_, st)| {
        let show = all || st.applies || room > 0;
        if show && !all && !st.applies {
            room -= 1;
        }
        show
    });
    let hidden = if all { 0 } else { n - applying.max(SHOWN_STATEMENTS).min(n) };
    let title = match step.level {
        Some(_) => step.title.to_string(),
        None => step.stage.title().to_owned(),
    };
    html! {
        <li class={classes!("step", verdict_class(step.verdict), step.decisive.then_some("decisive"), is_picked.then_some("picked"), compact.then_some("step-compact"))}
            data-testid="trace-step" data-stage={stage_key(step.stage)} data-verdict={verdict_key(step.verdict)}
            data-decisive={step.decisive.to_string()}>
            <button type="button" class="step-head" {onclick} aria-expanded={if has_body { expanded.to_string() } else { "false".to_owned() }}
                data-testid="trace-step-button">
                <span class="step-num" aria-hidden="true">{ if step.stage == Stage::Request { "i".to_owned() } else { si.to_string() } }</span>
                <span class="step-main">
                    <span class="step-title">
                        { title }
                        if let Some(side) = step.side {
                            <span class="side-tag">{ side_text(side) }</span>
                        }
                    </span>
                    <span class="step-summary">{ rich(&step.summary.text()) }</span>
                </span>
                <span class="step-meta">
                    <span class={classes!("verdict", verdict_class(step.verdict))}>{ verdict_label(step.verdict) }</span>
                    if n > 0 {
                        <span class="step-count">{ format!("{applying}/{n} apply") }</span>
                    }
                    if step.decisive {
                        <span class="decisive-tag">{ "decided here" }</span>
                    }
                </span>
            </button>
            if expanded {
                <div class="step-body">
                    if let Some(f) = &step.request {
                        { facts_view(f) }
                    }
                    for note in step.notes.iter() {
                        <p class="step-note">{ rich(note) }</p>
                    }
                    if n > 0 {
                        <ul class="stmts">{ for listed.map(|(ti, st)| statement(view, si, ti, &st)) }</ul>
                    }
                    if hidden > 0 {
                        <p class="step-note" data-testid="trace-statements-hidden">
                            { format!("… and {hidden} more statements that do not apply, not listed ") }
                            <button type="button" class="btn btn-ghost btn-small" onclick={add_on_click(view.steps_all, si)}
                                data-testid="trace-show-all">{ "Show all" }</button>
                        </p>
                    }
                </div>
            }
        </li>
    }
}
