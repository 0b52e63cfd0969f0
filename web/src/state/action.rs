//! What the page can do to the state: one [`Action`] per thing a person
//! does. [`crate::state::State::apply`] carries them out; nothing here
//! touches the browser.

use iamtrace::policy::PolicyKind;

use crate::state::panels::Panel;
use crate::state::policies::{EditorId, LevelId};
use crate::state::request::{Field, Flag};
use crate::state::State;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace everything (an example or a link was opened).
    Load(Box<State>),
    SetText {
        id: EditorId,
        text: String,
    },
    SetName {
        id: EditorId,
        name: String,
    },
    /// Adds a policy of a kind from its template (SCPs and RCPs: a new
    /// level below the last, with one policy).
    Add(PolicyKind),
    AddToLevel {
        level: LevelId,
    },
    Remove {
        id: EditorId,
    },
    RemoveLevel {
        level: LevelId,
    },
    SetField(Field, String),
    SetFlag(Flag, bool),
    /// Adds a context row (`value` may be empty).
    AddContext {
        key: String,
        value: String,
    },
    SetContextKey {
        row: u32,
        key: String,
    },
    SetContextValue {
        row: u32,
        index: usize,
        value: String,
    },
    AddContextValue {
        row: u32,
    },
    RemoveContextValue {
        row: u32,
        index: usize,
    },
    SetContextMulti {
        row: u32,
        multi: bool,
    },
    RemoveContext {
        row: u32,
    },
    SetPanel(Panel, bool),
    /// Adds an identity policy that names an AWS managed policy.
    AddManaged {
        name: String,
    },
    /// Replaces the chain scenario's text.
    SetChain(String),
    /// Replaces the request (policies stay): a request imported from CloudTrail.
    SetRequest(Box<iamtrace::api::RequestInput>),
    /// Switches a check code on or off.
    SetLint {
        code: String,
        on: bool,
    },
}
