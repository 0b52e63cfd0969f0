//! Carrying out an [`Action`]: the reducer's body, pure.

use std::rc::Rc;

use iamtrace::api::PolicyText;
use iamtrace::policy::PolicyKind;

use crate::kinds;
use crate::state::{Action, RequestState, State};

/// The account a template names when the principal's ARN has none.
const EXAMPLE_ACCOUNT: &str = "111122223333";

impl State {
    /// Applies an action in place. Returns whether an input changed.
    pub fn apply(&mut self, action: Action) -> bool {
        let changed = match action {
            Action::Load(s) => {
                let generation = self.generation + 1;
                let rev = self.rev + 1;
                *self = *s;
                self.generation = generation;
                self.rev = rev;
                return false;
            }
            Action::SetPanel(panel, open) => {
                self.open = self.open.with(panel, open);
                return false;
            }
            Action::SetLint { code, on } => {
                if on {
                    self.lint_off.remove(&code);
                } else {
                    self.lint_off.insert(code);
                }
                return false;
            }
            Action::SetText { id, text } => {
                if self.policies.place_of(id).and_then(|p| self.policies.get(p)).is_none_or(|e| e.text == text) {
                    return false;
                }
                Rc::make_mut(&mut self.policies).entry_mut(id).map(|e| e.text = text).is_some()
            }
            Action::SetName { id, name } => {
                Rc::make_mut(&mut self.policies).entry_mut(id).map(|e| e.name = name).is_some()
            }
            Action::Add(kind) => {
                let account = self.request.principal_account().unwrap_or_else(|| EXAMPLE_ACCOUNT.to_owned());
                let text = PolicyText { name: None, text: kinds::template(kind, &account) };
                Rc::make_mut(&mut self.policies).add(kind, text, &mut self.ids)
            }
            Action::AddManaged { name } => {
                let text = PolicyText { name: None, text: name };
                Rc::make_mut(&mut self.policies).add(PolicyKind::Identity, text, &mut self.ids)
            }
            Action::AddToLevel { level } => {
                let Some(kind) = self.policies.level_kind(level) else { return false };
                let text = PolicyText { name: None, text: kinds::template(kind, EXAMPLE_ACCOUNT) };
                Rc::make_mut(&mut self.policies).add_to_level(level, text, &mut self.ids)
            }
            Action::SetChain(text) => {
                if self.chain.as_deref() == Some(text.as_str()) {
                    return false;
                }
                self.chain = Some(text);
                true
            }
            Action::SetRequest(input) => {
                self.request = Rc::new(RequestState::from_input(*input, &mut self.ids));
                true
            }
            Action::Remove { id } => Rc::make_mut(&mut self.policies).remove(id),
            Action::RemoveLevel { level } => Rc::make_mut(&mut self.policies).remove_level(level),
            Action::SetField(field, value) => {
                if self.request.field(field) == value {
                    return false;
                }
                Rc::make_mut(&mut self.request).set_field(field, value)
            }
            Action::SetFlag(flag, on) => {
                Rc::make_mut(&mut self.request).set_flag(flag, on);
                true
            }
            Action::AddContext { key, value } => {
                Rc::make_mut(&mut self.request).add_context(key, value, &mut self.ids);
                true
            }
            Action::SetContextKey { row, key } => {
                Rc::make_mut(&mut self.request).row_mut(row).map(|r| r.key = key).is_some()
            }
            Action::SetContextValue { row, index, value } => Rc::make_mut(&mut self.request)
                .row_mut(row)
                .and_then(|r| r.values.get_mut(index))
                .map(|v| *v = value)
                .is_some(),
            Action::AddContextValue { row } => Rc::make_mut(&mut self.request)
                .row_mut(row)
                .map(|r| {
                    r.values.push(String::new());
                    r.multi = true;
                })
                .is_some(),
            Action::RemoveContextValue { row, index } => match Rc::make_mut(&mut self.request).row_mut(row) {
                Some(r) if index < r.values.len() && (r.multi || r.values.len() > 1) => {
                    r.values.remove(index);
                    true
                }
                _ => false,
            },
            Action::SetContextMulti { row, multi } => Rc::make_mut(&mut self.request)
                .row_mut(row)
                .map(|r| {
                    r.multi = multi;
                    if r.values.is_empty() {
                        r.values.push(String::new());
                    }
                    if !multi {
                        r.values.truncate(1);
                    }
                })
                .is_some(),
            Action::RemoveContext { row } => {
                Rc::make_mut(&mut self.request).context.retain(|r| r.id != row);
                true
            }
        };
        if changed {
            self.rev += 1;
            self.edited = true;
        }
        changed
    }
}
