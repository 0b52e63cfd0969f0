//! The playground's state: the texts people edit, the request, the selected
//! example and which panels are open. Everything shown on the page is
//! derived from this (see [`crate::eval`]); nothing derived is stored here,
//! and nothing here touches the browser.
//!
//! Split along its seams: [`policies`] (the texts by kind), [`request`],
//! [`panels`], [`action`] (what the page can do) and [`apply`] (doing it).
//! The policies and the request sit behind `Rc`s, so a panel can take just
//! its part and compare it cheaply.

mod action;
mod apply;
mod panels;
mod policies;
mod request;

use std::collections::BTreeSet;
use std::rc::Rc;

use iamtrace::api;
use iamtrace::Decision;
use yew::Reducible;

pub use action::Action;
pub use panels::{Column, Panel, PanelSet};
pub use policies::{EditorId, Ids, Level, LevelId, PolicyEntry, PolicyState};
pub use request::{ContextRow, Field, Flag, RequestState};

use crate::examples;

/// Everything the page edits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// The example this state came from (kept after edits: "based on").
    pub example: Option<String>,
    /// Whether anything changed since the example or link was loaded.
    pub edited: bool,
    pub name: Option<String>,
    pub expected: Option<Decision>,
    pub policies: Rc<PolicyState>,
    pub request: Rc<RequestState>,
    /// Panels that are expanded ([`PanelSet::default_open`], the default, unless changed).
    pub open: PanelSet,
    /// Check codes switched off (shared in links; not an input of the evaluation).
    pub lint_off: BTreeSet<String>,
    /// A chain scenario (the credential walkthrough) when the page walks a
    /// chain instead of evaluating one request: its exact text.
    pub chain: Option<String>,
    /// The AWS data versions (`package@version`) of the page that made the
    /// link this state came from, when the link says.
    pub made_with: Option<Vec<String>>,
    /// Bumped by every change of an input (policies or request): the key
    /// under which evaluation results are memoised.
    pub rev: u64,
    /// Bumped when the texts are replaced wholesale, so editors are rebuilt.
    pub generation: u64,
    ids: Ids,
}

impl State {
    /// A state holding `input`'s texts and request.
    pub fn from_input(input: api::Input, example: Option<String>) -> State {
        let mut ids = Ids::default();
        let policies = PolicyState::from_texts(input.policies, &mut ids);
        let request = RequestState::from_input(input.request, &mut ids);
        State {
            example,
            name: input.name,
            expected: input.expected,
            policies: Rc::new(policies),
            request: Rc::new(request),
            ids,
            ..State::default()
        }
    }

    /// The state of a built-in example, if the id is known and it parses.
    pub fn from_example(id: &str) -> Option<State> {
        if let Some(chain) = examples::find_chain(id) {
            return Some(State::from_chain(chain.source.to_owned(), Some(id.to_owned())));
        }
        let input = examples::input(id)?;
        Some(State::from_input(input, Some(id.to_owned())))
    }

    /// A state that walks a chain scenario; the one-request playground
    /// behind it holds the default example.
    pub fn from_chain(text: String, example: Option<String>) -> State {
        let mut state = State::initial();
        state.example = example;
        state.chain = Some(text);
        state
    }

    /// The page's first state: the default example.
    pub fn initial() -> State {
        State::from_example(examples::DEFAULT).unwrap_or_default()
    }

    /// What the scenario is called in an embed: the example's title, else
    /// the scenario's name, else a generic title.
    pub fn title(&self) -> String {
        self.example
            .as_deref()
            .and_then(|id| examples::find(id).or_else(|| examples::find_chain(id)))
            .map(|e| e.title.to_owned())
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| "IAM policy evaluation".to_owned())
    }

    /// The texts and request, as the core takes them.
    pub fn to_input(&self) -> api::Input {
        api::Input {
            name: self.name.clone(),
            policies: self.policies.texts(),
            request: self.request.input(),
            expected: self.expected,
        }
    }

    /// Appends a context row as it is (duplicates and empty keys included).
    pub(crate) fn push_context_row(&mut self, key: String, values: Vec<String>, multi: bool) {
        Rc::make_mut(&mut self.request).push_row(key, values, multi, &mut self.ids);
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
