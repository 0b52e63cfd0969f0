//! One statement the trace examined: whether it applies, and on demand each
//! element and condition; picking one highlights it in its editor.

use iamtrace::policy::Effect;
use iamtrace::trace::{ElementStatus, StatementTrace};
use yew::prelude::*;

use super::elements::{condition_row, element_text, failure, principal_text, status_class};
use super::wildcard::wildcard;
use super::View;
use crate::components::rich;
use crate::pick::{Part, Pick};

pub(super) fn statement(view: &View<'_>, si: usize, ti: usize, st: &StatementTrace<'_>) -> Html {
    let picked = view.picked;
    let expanded = view
        .stmt_open
        .get(&(si, ti))
        .copied()
        .unwrap_or(st.applies || picked.and_then(Pick::statement) == Some((si, ti)));
    let is_picked = picked == Some(Pick::Statement(si, ti));
    let select = view.page.on_pick(Pick::Statement(si, ti));
    let toggle = {
        let stmt_open = view.stmt_open.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*stmt_open).clone();
            m.insert((si, ti), !expanded);
            stmt_open.set(m);
        })
    };
    let part = |p: Part| view.page.on_pick::<MouseEvent>(Pick::Element(si, ti, p));
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
                    { wildcard(view, si, ti, st) }
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
}
