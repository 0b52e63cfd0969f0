//! The evaluation of the current state, memoised by revision; the checks'
//! findings, computed once the new trace has been painted; and the answer
//! the trace and the flow show.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::data::{self, DataState};
use crate::eval::{self, Annotations, Checks, Evaluated};
use crate::state::State;

/// Everything derived from one revision of the state.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The evaluation of the current revision.
    pub current: Rc<Evaluated>,
    /// Milliseconds it took.
    pub ms: f64,
    /// What the trace and the flow show: the current evaluation, unless its
    /// answer is the same as the one shown already (which then stays, so
    /// they do not re-render), or it has no answer because a text has errors
    /// (the last good one stays, marked `stale`).
    pub shown: Rc<Evaluated>,
    pub stale: bool,
    /// The checks' findings (of an earlier revision until the new ones arrive).
    pub annotations: Option<Rc<Annotations>>,
}

#[hook]
pub fn use_evaluation(state: &UseReducerHandle<State>, data: &DataState) -> Evaluation {
    let checks_ready = data.checks_ready();
    let timed = {
        let state = state.clone();
        use_memo((state.rev, state.lint_off.clone(), data.generation()), move |_| {
            let t0 = browser::now();
            let bridge = data::Bridge;
            let checks: Option<&dyn Checks> = if checks_ready { Some(&bridge) } else { None };
            let e = eval::evaluate_with(&state, checks);
            (Rc::new(e), browser::now() - t0)
        })
    };
    let current = timed.0.clone();
    let annotations = use_checks(state, &current, checks_ready);
    let shown = use_shown(&current, state.generation);
    Evaluation { current, ms: timed.1, shown: shown.0.clone(), stale: shown.1, annotations }
}

/// The answer to show (see [`Evaluation::shown`]) and whether it is stale.
#[hook]
fn use_shown(current: &Rc<Evaluated>, generation: u64) -> Rc<(Rc<Evaluated>, bool)> {
    // The last evaluation with an answer, and the scenario it belongs to.
    let last = use_mut_ref(|| None::<(u64, Rc<Evaluated>)>);
    let current = current.clone();
    use_memo((current.stamp, generation), move |_| {
        let mut last = last.borrow_mut();
        let kept = last.as_ref().filter(|(g, _)| *g == generation).map(|(_, e)| e.clone());
        match (current.answer.is_some(), kept) {
            (true, Some(kept)) if eval::same_answer(&kept, &current) => (kept, false),
            (true, _) => {
                *last = Some((generation, current.clone()));
                (current, false)
            }
            (false, Some(kept)) => (kept, true),
            (false, None) => (current, false),
        }
    })
}

/// The checks run once the new trace has been painted; until their
/// findings arrive, the editors keep the previous ones (mapped through the
/// edit by CodeMirror).
#[hook]
fn use_checks(state: &UseReducerHandle<State>, current: &Rc<Evaluated>, ready: bool) -> Option<Rc<Annotations>> {
    let annotations = use_state_eq(|| None::<Rc<Annotations>>);
    let latest = use_mut_ref(|| 0u64);
    {
        let annotations = annotations.setter();
        let state = state.clone();
        let current = current.clone();
        use_effect_with((current.stamp, ready), move |_| {
            let n = {
                let mut q = latest.borrow_mut();
                *q += 1;
                *q
            };
            if !ready {
                annotations.set(None);
                return;
            }
            browser::after_paint(move || {
                if *latest.borrow() != n {
                    return; // a newer evaluation is on its way
                }
                let a = eval::annotate(&state, &current, Some(&data::Bridge), &browser::now);
                annotations.set(Some(Rc::new(a)));
            });
        });
    }
    (*annotations).clone()
}
