//! The ordered trace: each stage of AWS's evaluation with its verdict, each
//! statement examined with what matched and what did not, each condition
//! with its key, values and result. Picking a step, a statement or a part
//! of one highlights it in its editor.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use iamtrace::policy::Effect;
use iamtrace::trace::{
    ConditionResult, ConditionTrace, ElementStatus, ElementTrace, Grant, PolicyValue, PrincipalTrace, RequestFacts,
    Side, Stage, StatementTrace, Step, Verdict,
};
use yew::prelude::*;

use crate::components::panel::Panel;
use crate::components::{rich, verdict_class, verdict_key, verdict_label};
use crate::data;
use crate::eval::Evaluated;
use crate::knowledge::wire::Phase;
use crate::pick::{Part, Pick};
use crate::state::{Action, Field, Panel as PanelKind, State};

#[derive(Properties, PartialEq, Debug)]
pub struct TraceProps {
    pub state: UseReducerHandle<State>,
    pub evaluated: Rc<(Evaluated, f64)>,
    /// The answer is from an earlier revision (the current one has errors).
    #[prop_or_default]
    pub stale: bool,
    pub open: bool,
    pub picked: Option<Pick>,
    pub on_pick: Callback<Pick>,
    pub on_panel: Callback<(PanelKind, bool)>,
    /// The AWS data's generation (service names and wildcard counts follow it).
    pub data: (Phase, u32),
    #[prop_or_default]
    pub readonly: bool,
    pub on_action: Callback<Action>,
}

/// The access level's name, for the wildcard list.
fn access_title(key: &str) -> &'static str {
    match key {
        "list" => "List",
        "read" => "Read",
        "write" => "Write",
        "tagging" => "Tagging",
        "permissions-management" => "Permissions",
        _ => "",
    }
}

fn code(s: &str) -> Html {
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

fn status_class(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Matched => "el-matched",
        ElementStatus::NotMatched => "el-notmatched",
        ElementStatus::NotEvaluated => "el-notevaluated",
        ElementStatus::Omitted => "el-omitted",
    }
}

fn element_text(e: &ElementTrace<'_>) -> Html {
    let not = e.element.starts_with("Not");
    match e.status {
        ElementStatus::NotEvaluated => {
            html! { <span class="muted">{ "not evaluated: an earlier element did not match" }</span> }
        }
        ElementStatus::Omitted => {
            html! { <span class="muted">{ "absent: the statement applies to the resource the policy is attached to" }</span> }
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

fn principal_text(p: &PrincipalTrace<'_>) -> Html {
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
fn failure(st: &StatementTrace<'_>) -> String {
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

fn condition_row(c: &ConditionTrace<'_>, onclick: Callback<MouseEvent>, picked: bool) -> Html {
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
                        { for c.policy_values.iter().enumerate().map(|(i, v)| html! { <>{ if i > 0 { ", " } else { "" } }{ policy_value(v) }</> }) }
                    </span>
                </span>
                <span class="cond-reason">{ rich(&c.reason) }</span>
            </button>
        </li>
    }
}

fn facts_view(f: &RequestFacts) -> Html {
    let row = |k: &'static str, v: Html| html! { <div class="fact"><dt>{ k }</dt><dd>{ v }</dd></div> };
    html! {
        <dl class="facts">
            { row("principal", html! { <>{ code(&f.principal) }<span class="muted">{ format!(" · {}", f.principal_kind.describe()) }</span></> }) }
            if let Some(p) = &f.session_parent {
                { row("session of", code(p)) }
            }
            { row("action", code(&f.action)) }
            { row("service", match data::service_name(&f.service) {
                Some(name) => html! { <span data-testid="trace-service">{ name }<span class="muted">{ format!(" ({})", f.service) }</span></span> },
                None => html! { <span data-testid="trace-service">{ code(&f.service) }</span> },
            }) }
            { row("resource", code(&f.resource)) }
            { row("accounts", html! {
                <>
                    { f.principal_account.clone().unwrap_or_else(|| "none".into()) }
                    { " → " }
                    { f.resource_account.clone().unwrap_or_else(|| "none".into()) }
                    { match f.cross_account { Some(true) => " (cross-account)", Some(false) => " (same account)", None => "" } }
                </>
            }) }
            { row("policies", html! {
                <ul class="applies-list">
                    { for f.policies.iter().map(|a| html! {
                        <li class={if a.applies { "applies-yes" } else { "applies-no" }}>
                            { format!("{} ×{}: ", a.kind.key(), a.count) }{ rich(&a.reason) }
                        </li>
                    }) }
                </ul>
            }) }
        </dl>
    }
}

fn side_text(side: Side) -> &'static str {
    match side {
        Side::Principal => "principal's account",
        Side::Resource => "resource's account",
    }
}

#[component]
pub fn TracePanel(props: &TraceProps) -> Html {
    let step_open = use_state(HashMap::<usize, bool>::new);
    let stmt_open = use_state(HashMap::<(usize, usize), bool>::new);
    let lists_open = use_state(HashSet::<(usize, usize)>::new);
    let ev = &props.evaluated.0;
    let picked = props.picked;

    let Some(answer) = ev.answer.as_ref() else {
        return html! {
            <Panel kind={PanelKind::Trace} open={props.open} on_toggle={props.on_panel.clone()}>
                <p class="empty" data-testid="trace-empty">{ "The trace appears once the policies and the request have no errors." }</p>
            </Panel>
        };
    };

    // An action wildcard that matched: how many real actions it covers, and
    // the list on demand (each one a click from becoming the request's action).
    let wildcard = |si: usize, ti: usize, st: &StatementTrace<'_>| -> Html {
        let Some(hit) = st.action.hit.as_ref().filter(|_| st.action.status == ElementStatus::Matched) else {
            return Html::default();
        };
        if st.action.element != "Action" || !hit.text.contains(['*', '?']) {
            return Html::default();
        }
        let Some(n) = data::count(&hit.text).filter(|n| *n > 0) else { return Html::default() };
        let pattern = hit.text.to_string();
        let open = lists_open.contains(&(si, ti));
        let every = pattern == "*";
        let toggle = {
            let lists_open = lists_open.clone();
            Callback::from(move |_: MouseEvent| {
                let mut m = (*lists_open).clone();
                if !m.remove(&(si, ti)) {
                    m.insert((si, ti));
                }
                lists_open.set(m);
            })
        };
        let list = open.then(|| {
            let items = data::expand(&pattern);
            html! {
                <ul class="wildcard-list" data-testid="wildcard-list">
                    { for items.into_iter().map(|a| {
                        let onclick = props.on_action.reform({
                            let name = a.name.clone();
                            move |_: MouseEvent| Action::SetField(Field::Action, name.clone())
                        });
                        let current = a.name.eq_ignore_ascii_case(&st.action.against);
                        html! {
                            <li>
                                <button type="button" class={classes!("wildcard-action", current.then_some("current"))} {onclick}
                                    disabled={props.readonly} data-testid="wildcard-action" data-action={a.name.clone()}
                                    title={format!("Evaluate {} instead", a.name)}>
                                    <span class="mono">{ a.name.split_once(':').map_or(a.name.as_str(), |(_, n)| n).to_owned() }</span>
                                    <span class={classes!("access-tag", format!("access-{}", a.access))}>{ access_title(&a.access) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        });
        html! {
            <li class="el el-wildcard">
                <div class="wildcard-line">
                    <span class="el-name">{ "covers" }</span>
                    <span class="wildcard-count" data-testid="wildcard-count" data-count={n.to_string()}>
                        { if every { format!("every action of every service: {n} actions") } else { format!("{n} real action{}", if n == 1 { "" } else { "s" }) } }
                    </span>
                    if !every {
                        <button type="button" class="link-button wildcard-toggle" onclick={toggle} aria-expanded={open.to_string()}
                            data-testid="wildcard-toggle">{ if open { "hide the list" } else { "list them" } }</button>
                    }
                </div>
                { for list }
            </li>
        }
    };

    let statement = |si: usize, ti: usize, st: &StatementTrace<'_>| -> Html {
        let expanded = stmt_open
            .get(&(si, ti))
            .copied()
            .unwrap_or(st.applies || picked.and_then(Pick::statement) == Some((si, ti)));
        let is_picked = picked == Some(Pick::Statement(si, ti));
        let select = props.on_pick.reform(move |_: MouseEvent| Pick::Statement(si, ti));
        let toggle = {
            let stmt_open = stmt_open.clone();
            Callback::from(move |_: MouseEvent| {
                let mut m = (*stmt_open).clone();
                m.insert((si, ti), !expanded);
                stmt_open.set(m);
            })
        };
        let part = |p: Part| props.on_pick.reform(move |_: MouseEvent| Pick::Element(si, ti, p));
        let part_picked = |p: Part| picked == Some(Pick::Element(si, ti, p));
        let deny = st.statement.effect == Effect::Deny;
        let el = |label: &'static str, p: Part, status: ElementStatus, body: Html| {
            html! {
                <li class={classes!("el", status_class(status), part_picked(p).then_some("picked"))}>
                    <button type="button" class="el-button" onclick={part(p)} aria-pressed={part_picked(p).to_string()}>
                        <span class="el-name">{ label }</span>
                        <span class="el-body">{ body }</span>
                    </button>
                </li>
            }
        };
        html! {
            <li class={classes!("stmt", if st.applies { "stmt-applies" } else { "stmt-not" }, is_picked.then_some("picked"))}
                data-testid="trace-statement" data-applies={st.applies.to_string()}>
                <div class="stmt-head">
                    <button type="button" class="stmt-expand" onclick={toggle} aria-expanded={expanded.to_string()}
                        aria-label={format!("{} details of {}", if expanded { "Hide" } else { "Show" }, st.statement.label())}>
                        <span class="chevron" aria-hidden="true" />
                    </button>
                    <button type="button" class="stmt-select" onclick={select} aria-pressed={is_picked.to_string()}
                        data-testid="trace-statement-button" title="Highlight this statement in its editor">
                        <span class={classes!("mark", if st.applies { "mark-yes" } else { "mark-no" })} aria-hidden="true">
                            { if st.applies { "✓" } else { "✗" } }
                        </span>
                        <span class={classes!("effect", if deny { "effect-deny" } else { "effect-allow" })}>{ if deny { "Deny" } else { "Allow" } }</span>
                        <span class="stmt-label">{ rich(&st.statement.label()) }</span>
                        <span class="sr-only">{ if st.applies { ": applies" } else { ": does not apply" } }</span>
                        if !st.applies {
                            <span class="stmt-why">{ failure(st) }</span>
                        }
                    </button>
                </div>
                if expanded {
                    <ul class="elements">
                        { el(st.action.element, Part::Action, st.action.status, element_text(&st.action)) }
                        { wildcard(si, ti, st) }
                        { el(st.resource.element, Part::Resource, st.resource.status, element_text(&st.resource)) }
                        if let Some(p) = &st.principal {
                            { el(p.element, Part::Principal, p.status, principal_text(p)) }
                        }
                    </ul>
                    if !st.conditions.is_empty() {
                        <ul class="conds" aria-label="Conditions">
                            { for st.conditions.iter().enumerate().map(|(ci, c)| condition_row(c, part(Part::Condition(ci)), part_picked(Part::Condition(ci)))) }
                        </ul>
                    } else if st.condition_span.is_some() && !st.conditions_evaluated {
                        <p class="muted cond-skipped">{ "Conditions not evaluated: an element did not match." }</p>
                    }
                }
            </li>
        }
    };

    let step = |si: usize, step: &Step<'_>| -> Html {
        let has_body = !step.statements.is_empty() || step.request.is_some() || !step.notes.is_empty();
        let compact =
            !has_body && matches!(step.verdict, Verdict::NotReached | Verdict::NotApplicable | Verdict::Skipped);
        let default_open = step.decisive || step.statements.iter().any(|s| s.applies);
        let expanded = has_body && step_open.get(&si).copied().unwrap_or(default_open);
        let is_picked = picked.and_then(Pick::step) == Some(si);
        let onclick = {
            let step_open = step_open.clone();
            let on_pick = props.on_pick.clone();
            Callback::from(move |_: MouseEvent| {
                let mut m = (*step_open).clone();
                m.insert(si, !expanded);
                step_open.set(m);
                on_pick.emit(Pick::Step(si));
            })
        };
        let n = step.statements.len();
        let applying = step.statements.iter().filter(|s| s.applies).count();
        let title = match step.level {
            Some(_) => step.title.clone(),
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
                        <span class="step-summary">{ rich(&step.summary) }</span>
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
                            <ul class="stmts">{ for step.statements.iter().enumerate().map(|(ti, st)| statement(si, ti, st)) }</ul>
                        }
                    </div>
                }
            </li>
        }
    };

    let steps = answer.trace.iter().enumerate().filter(|(_, s)| s.stage != Stage::Decision);
    let examined: usize = answer.trace.iter().map(|s| s.statements.len()).sum();
    let steps_n = answer.trace.len().saturating_sub(2);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let subtitle = AttrValue::from(format!(
        "{steps_n} step{} · {examined} statement{} examined",
        plural(steps_n),
        plural(examined)
    ));
    html! {
        <Panel kind={PanelKind::Trace} open={props.open} on_toggle={props.on_panel.clone()} subtitle={Some(subtitle)}
            class={classes!(props.stale.then_some("stale"))}>
            if props.stale {
                <p class="stale-note" role="status" data-testid="trace-stale">
                    { "Out of date: fix the errors to update. This is the trace of the last version without errors." }
                </p>
            }
            <ol class="trace" data-testid="trace" data-rev={ev.rev.to_string()} data-stale={props.stale.to_string()}>
                { for steps.map(|(i, s)| step(i, s)) }
            </ol>
        </Panel>
    }
}

/// The stage's name in `data-stage` (kebab-case, as in the core's JSON).
pub fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::Request => "request",
        Stage::ExplicitDeny => "explicit-deny",
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
