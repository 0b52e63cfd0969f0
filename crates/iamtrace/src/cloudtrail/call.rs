//! A call that needs more than one action (an `AssumeRole` that passes
//! session tags needs `sts:TagSession` too): AWS allows the call only when
//! it allows every action. The shells evaluate each action's request
//! ([`super::ImportedEvent::further_input`]); this combines the answers.

use super::{AwsDenial, FurtherAction};
use crate::trace::{Answer, Decision};

/// The answers for one call: its action's, and each further action's on
/// the same request.
#[derive(Debug, Clone)]
pub struct CallAnswers<'a> {
    /// The event's action.
    pub action: String,
    pub main: Answer<'a>,
    pub further: Vec<(FurtherAction, Answer<'a>)>,
}

impl<'a> CallAnswers<'a> {
    /// Every action's decision, the event's action first.
    fn decisions(&self) -> impl Iterator<Item = Decision> + '_ {
        std::iter::once(self.main.decision).chain(self.further.iter().map(|(_, a)| a.decision))
    }

    /// The call's decision: an explicit deny of any action, else an
    /// implicit deny of any, else Allow.
    pub fn decision(&self) -> Decision {
        if self.decisions().any(|d| d == Decision::ExplicitDeny) {
            Decision::ExplicitDeny
        } else if self.decisions().any(|d| d == Decision::ImplicitDeny) {
            Decision::ImplicitDeny
        } else {
            Decision::Allow
        }
    }

    /// The further action whose answer decides the call, when the event's
    /// own action does not: the first with the call's decision.
    pub fn deciding_further(&self) -> Option<&(FurtherAction, Answer<'a>)> {
        let decision = self.decision();
        if self.main.decision == decision {
            return None;
        }
        self.further.iter().find(|(_, a)| a.decision == decision)
    }

    /// The answer to set beside AWS's denial: the one for the action AWS
    /// names, else the one that decides the call.
    pub fn compared(&self, aws: &AwsDenial) -> &Answer<'a> {
        if let Some(named) = aws.action.as_deref() {
            if named.eq_ignore_ascii_case(&self.action) {
                return &self.main;
            }
            if let Some((_, answer)) = self.further.iter().find(|(f, _)| f.action.eq_ignore_ascii_case(named)) {
                return answer;
            }
        }
        self.deciding_further().map_or(&self.main, |(_, a)| a)
    }
}
