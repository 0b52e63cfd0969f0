//! The ordered trace: each stage of AWS's evaluation with its verdict, each
//! statement examined with what matched and what did not, each condition
//! with its key, values and result. Picking a step, a statement or a part
//! of one highlights it in its editor.
//!
//! It takes the evaluation whose answer it shows and nothing else of the
//! state, so it re-renders only when that answer changes (or a pick, or
//! the AWS data).

mod elements;
mod facts;
mod statement;
mod step;
mod wildcard;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use iamtrace::trace::Stage;
use yew::prelude::*;

pub use step::stage_key;

use crate::components::panel::Panel;
use crate::context::{use_page, PageContext};
use crate::eval::Evaluated;
use crate::knowledge::wire::Phase;
use crate::pick::Pick;
use crate::state::Panel as PanelKind;

#[derive(Properties, PartialEq, Debug)]
pub struct TraceProps {
    /// The evaluation whose answer is shown.
    pub evaluated: Rc<Evaluated>,
    /// The answer is from an earlier revision (the current one has errors).
    #[prop_or_default]
    pub stale: bool,
    pub open: bool,
    pub picked: Option<Pick>,
    /// The AWS data's generation (service names and wildcard counts follow it).
    pub data: (Phase, u32),
}

/// What the parts of the trace need: which steps, statements and wildcard
/// lists are open, what is picked, and the page.
struct View<'a> {
    picked: Option<Pick>,
    page: &'a PageContext,
    step_open: &'a UseStateHandle<HashMap<usize, bool>>,
    stmt_open: &'a UseStateHandle<HashMap<(usize, usize), bool>>,
    lists_open: &'a UseStateHandle<HashSet<(usize, usize)>>,
    /// Steps whose statements are all listed (past [`step::SHOWN_STATEMENTS`]).
    steps_all: &'a UseStateHandle<HashSet<usize>>,
}

#[component]
pub fn TracePanel(props: &TraceProps) -> Html {
    #[cfg(debug_assertions)]
    crate::debug::count(&crate::debug::TRACE_RENDERS);
    let ev = &props.evaluated;

    let Some(answer) = ev.answer.as_ref() else {
        return html! {
            <Panel kind={PanelKind::Trace} open={props.open}>
                <p class="empty" data-testid="trace-empty">{ "The trace appears once the policies and the request have no errors." }</p>
            </Panel>
        };
    };
    let examined: usize = answer.trace.iter().map(|s| s.statements.len()).sum();
    let steps_n = answer.trace.len().saturating_sub(2);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let subtitle = AttrValue::from(format!(
        "{steps_n} step{} · {examined} statement{} examined",
        plural(steps_n),
        plural(examined)
    ));
    html! {
        <Panel kind={PanelKind::Trace} open={props.open} subtitle={Some(subtitle)} class={classes!(props.stale.then_some("stale"))}>
            if props.stale {
                <p class="stale-note" role="status" data-testid="trace-stale">
                    { "Out of date: fix the errors to update. This is the trace of the last version without errors." }
                </p>
            }
            <TraceSteps evaluated={ev.clone()} stale={props.stale} picked={props.picked} data={props.data} />
        </Panel>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct StepsProps {
    /// The evaluation whose answer is shown (nothing without an answer).
    pub evaluated: Rc<Evaluated>,
    #[prop_or_default]
    pub stale: bool,
    pub picked: Option<Pick>,
    /// The list's `data-testid`.
    #[prop_or(AttrValue::Static("trace"))]
    pub testid: AttrValue,
    /// The AWS data's generation (service names and wildcard counts follow it).
    #[prop_or_default]
    pub data: (Phase, u32),
}

/// The ordered steps of an answer, each opening its statements. Picks go
/// to the page's context: a panel that shows another answer (a hop of a
/// chain) provides its own context to place the highlights.
#[component]
pub fn TraceSteps(props: &StepsProps) -> Html {
    let page = use_page();
    let step_open = use_state(HashMap::<usize, bool>::new);
    let stmt_open = use_state(HashMap::<(usize, usize), bool>::new);
    let lists_open = use_state(HashSet::<(usize, usize)>::new);
    let steps_all = use_state(HashSet::<usize>::new);
    let ev = &props.evaluated;
    let Some(answer) = ev.answer.as_ref() else { return Html::default() };
    let view = View {
        picked: props.picked,
        page: &page,
        step_open: &step_open,
        stmt_open: &stmt_open,
        lists_open: &lists_open,
        steps_all: &steps_all,
    };
    let steps = answer.trace.iter().enumerate().filter(|(_, s)| s.stage != Stage::Decision);
    html! {
        <ol class="trace" data-testid={props.testid.clone()} data-rev={ev.rev.to_string()} data-stale={props.stale.to_string()}>
            { for steps.map(|(i, s)| step::step(&view, i, s)) }
        </ol>
    }
}
