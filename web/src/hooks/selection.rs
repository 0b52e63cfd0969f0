//! The selection: what was picked last in the answer (a step, a statement,
//! a deciding statement, a missing key) or among the problems (a diagnostic,
//! a finding). The editors' highlights are derived from it when it is made;
//! from then on the editors carry them through edits until the next pick.
//! Loading another scenario voids it.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::eval::{self, Annotations, Evaluated, Range};
use crate::pick::{self, Pick};
use crate::state::{EditorId, State};

/// A problem listed under the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// `evaluated.diagnostics[i]`: the policy reader's.
    Diagnostic(usize),
    /// `annotations.findings[i]`: the checks'.
    Finding(usize),
}

/// What can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    Answer(Pick),
    Problem(Problem),
}

/// The last selection and how many were made (each one places the
/// highlights anew).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selected {
    target: Option<Select>,
    seq: u32,
}

impl Reducible for Selected {
    type Action = Select;

    fn reduce(self: Rc<Self>, target: Select) -> Rc<Self> {
        Rc::new(Selected { target: Some(target), seq: self.seq.wrapping_add(1) })
    }
}

/// Editor highlights for the selection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlights {
    /// Changes with every selection (the editors place them again).
    pub seq: u32,
    pub by_editor: Rc<BTreeMap<EditorId, AttrValue>>,
    pub scroll_to: Option<EditorId>,
}

impl Highlights {
    /// The ranges of one editor, as JSON for the editor bridge.
    pub fn json(&self, id: EditorId) -> AttrValue {
        self.by_editor.get(&id).cloned().unwrap_or(AttrValue::Static("[]"))
    }

    fn new(seq: u32, ranges: BTreeMap<EditorId, Vec<Range>>, scroll_to: Option<EditorId>) -> Highlights {
        let by_editor = ranges
            .into_iter()
            .map(|(id, r)| (id, AttrValue::from(serde_json::to_string(&r).unwrap_or_else(|_| "[]".to_owned()))))
            .collect();
        Highlights { seq, by_editor: Rc::new(by_editor), scroll_to }
    }
}

/// The selection as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The part of the answer picked, if any (the trace and the flow mark it).
    pub picked: Option<Pick>,
    pub highlights: Highlights,
    /// Selects something (for the page's context).
    pub select: Callback<Select>,
}

/// The selection and its highlights. `shown` is the evaluation whose
/// answer the trace shows (picks point into it); `current` and
/// `annotations` hold the problems listed under the decision.
#[hook]
pub fn use_selection(
    state: &UseReducerHandle<State>,
    shown: &Rc<Evaluated>,
    current: &Rc<Evaluated>,
    annotations: &Option<Rc<Annotations>>,
) -> Selection {
    let selected = use_reducer(Selected::default);
    // The scenario each selection was made in: loading another voids it.
    let made_in = use_mut_ref(|| (0u32, state.generation));
    let valid = {
        let mut made_in = made_in.borrow_mut();
        if made_in.0 != selected.seq {
            *made_in = (selected.seq, state.generation);
        }
        made_in.1 == state.generation
    };
    let target = selected.target.filter(|_| valid);
    let highlights = {
        let (state, shown, current, annotations) = (state.clone(), shown.clone(), current.clone(), annotations.clone());
        use_memo((selected.seq, valid), move |(seq, _)| match target {
            None => Highlights::new(*seq, BTreeMap::new(), None),
            Some(Select::Answer(p)) => {
                let spans = shown.answer.as_ref().map(|answer| pick::spans(answer, p)).unwrap_or_default();
                let (ranges, first) = eval::ranges(&state, &shown, &spans);
                Highlights::new(*seq, ranges, first)
            }
            Some(Select::Problem(problem)) => {
                let d = match problem {
                    Problem::Diagnostic(i) => current.diagnostics.get(i),
                    Problem::Finding(i) => annotations.as_ref().and_then(|a| a.findings.get(i)),
                };
                match d.and_then(|d| eval::diagnostic_range(&state, d)) {
                    Some((id, range)) => Highlights::new(*seq, BTreeMap::from([(id, vec![range])]), Some(id)),
                    None => Highlights::new(*seq, BTreeMap::new(), None),
                }
            }
        })
    };
    let picked = match target {
        Some(Select::Answer(p)) => Some(p),
        _ => None,
    };
    Selection { picked, highlights: (*highlights).clone(), select: selected.dispatcher().to_callback() }
}
