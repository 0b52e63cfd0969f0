//! The scenario on the page: the state, booted from the address bar's
//! fragment, and the way it is shown (embed, panels, read-only), with the
//! reason a link could not be opened.

use yew::prelude::*;

use crate::browser;
use crate::share::{self, ViewOptions};
use crate::state::{Action, State};

/// The scenario and what can be done to it as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub state: UseReducerHandle<State>,
    pub view: ViewOptions,
    /// Why the link the page was opened with could not be used.
    pub link_error: Option<AttrValue>,
    pub opener: Opener,
}

/// Replaces the scenario: by link or by example. Stable for the life of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Opener {
    state: UseReducerDispatcher<State>,
    view: UseStateSetter<ViewOptions>,
    link_error: UseStateSetter<Option<AttrValue>>,
}

impl Opener {
    /// Opens a link's fragment (a broken one opens the default example and says why).
    pub fn open_link(&self, fragment: &str) {
        let boot = share::boot(fragment);
        self.link_error.set(boot.error.map(|e| AttrValue::from(e.to_string())));
        self.view.set(boot.view);
        self.state.dispatch(Action::Load(Box::new(boot.state)));
    }

    /// Opens a built-in example (unknown ids are ignored).
    pub fn open_example(&self, id: &str) {
        if let Some(s) = State::from_example(id) {
            self.link_error.set(None);
            self.state.dispatch(Action::Load(Box::new(s)));
        }
    }

    pub fn dismiss_link_error(&self) {
        self.link_error.set(None);
    }
}

#[hook]
pub fn use_scenario() -> Scenario {
    let boot = use_memo((), |_| share::boot(&browser::fragment()));
    let state = {
        let boot = boot.clone();
        use_reducer(move || boot.state.clone())
    };
    let view = use_state_eq(|| boot.view);
    let link_error = use_state_eq(|| boot.error.as_ref().map(|e| AttrValue::from(e.to_string())));
    let opener = Opener { state: state.dispatcher(), view: view.setter(), link_error: link_error.setter() };
    Scenario { state, view: *view, link_error: (*link_error).clone(), opener }
}
