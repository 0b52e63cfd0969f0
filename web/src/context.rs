//! What every panel may do, shared through a Yew context instead of a
//! callback per prop: change the state, pick a part of the answer, show a
//! problem, open a dialog, expand a panel. Built from dispatchers that live
//! as long as the page, so the context never changes while someone types
//! and reading it re-renders nothing.

use yew::prelude::*;

use crate::hooks::selection::{Problem, Select};
use crate::pick::Pick;
use crate::state::{Action, Panel};

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Share,
    Embed,
    /// The checks: switch codes on and off.
    Checks,
    /// Pick an AWS managed policy to add.
    Managed,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageContext {
    /// An embed that may not be edited.
    pub readonly: bool,
    actions: Callback<Action>,
    select: Callback<Select>,
    dialog: Callback<Option<Dialog>>,
}

impl PageContext {
    pub fn new(
        readonly: bool,
        actions: Callback<Action>,
        select: Callback<Select>,
        dialog: Callback<Option<Dialog>>,
    ) -> PageContext {
        PageContext { readonly, actions, select, dialog }
    }

    /// Changes the state.
    pub fn act(&self, action: Action) {
        self.actions.emit(action);
    }

    /// A handler that changes the state with what `f` makes of its event.
    pub fn on<E: 'static>(&self, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
        self.actions.reform(f)
    }

    /// A handler that changes the state, whatever its event.
    pub fn on_any<E: 'static>(&self, action: Action) -> Callback<E> {
        self.actions.reform(move |_| action.clone())
    }

    /// Every change of the state, as one callback.
    pub fn actions(&self) -> Callback<Action> {
        self.actions.clone()
    }

    /// Picks a part of the answer: it is highlighted in the editors.
    pub fn pick(&self, pick: Pick) {
        self.select.emit(Select::Answer(pick));
    }

    /// A handler that picks `pick`, whatever its event.
    pub fn on_pick<E: 'static>(&self, pick: Pick) -> Callback<E> {
        self.select.reform(move |_| Select::Answer(pick))
    }

    /// A handler that shows a problem (a diagnostic or a finding) in its editor.
    pub fn on_problem<E: 'static>(&self, problem: Problem) -> Callback<E> {
        self.select.reform(move |_| Select::Problem(problem))
    }

    /// Expands or collapses a panel.
    pub fn toggle_panel(&self, panel: Panel, open: bool) {
        self.act(Action::SetPanel(panel, open));
    }

    pub fn open_dialog(&self, dialog: Dialog) {
        self.dialog.emit(Some(dialog));
    }

    pub fn close_dialog(&self) {
        self.dialog.emit(None);
    }

    /// A handler that closes the open dialog, whatever its event.
    pub fn on_close<E: 'static>(&self) -> Callback<E> {
        self.dialog.reform(|_| None)
    }
}

/// The page's context (a default one, which does nothing, outside the app).
#[hook]
pub fn use_page() -> PageContext {
    use_context::<PageContext>().unwrap_or_default()
}
