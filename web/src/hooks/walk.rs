//! The chain scenario walked: asked of the knowledge module (which holds
//! the walk's code and the managed policies) once it is loaded, and again
//! when the text has been still for a moment.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::data::{self, DataState};
use crate::knowledge::chain::ChainView;
use crate::knowledge::wire::Phase;

/// Quiet time after the last keystroke before the chain is walked again.
const DEBOUNCE_MS: u32 = 150;

/// Where the walk is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WalkPhase {
    /// No chain.
    #[default]
    Idle,
    /// The knowledge module (or the managed policies) is on its way.
    Loading,
    Ready,
    /// The knowledge module could not be loaded: chains cannot be walked.
    Unavailable,
}

/// The walk of the current chain text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walked {
    pub phase: WalkPhase,
    /// The last walk (of an earlier text while a new one is on its way).
    pub view: Option<Rc<ChainView>>,
    /// The text `view` is the walk of.
    pub text: Option<Rc<str>>,
}

#[hook]
pub fn use_walk(chain: Option<String>, data: &DataState) -> Walked {
    let walked = use_state_eq(|| None::<(Rc<str>, Rc<ChainView>)>);
    let pending = use_mut_ref(|| None::<Timeout>);
    let seq = use_mut_ref(|| 0u64);
    let ready = data.checks_ready();
    {
        let walked = walked.setter();
        let seq = seq.clone();
        use_effect_with((chain.clone(), ready), move |(chain, ready)| {
            let n = {
                let mut s = seq.borrow_mut();
                *s += 1;
                *s
            };
            let Some(text) = chain.clone().filter(|_| *ready) else {
                *pending.borrow_mut() = None;
                return;
            };
            let first = pending.borrow().is_none();
            let run = move || {
                wasm_bindgen_futures::spawn_local(async move {
                    let view = data::walk(&text).await;
                    if *seq.borrow() == n {
                        if let Some(v) = view {
                            walked.set(Some((Rc::from(text.as_str()), Rc::new(v))));
                        }
                    }
                });
            };
            let delay = if first { 0 } else { DEBOUNCE_MS };
            *pending.borrow_mut() = Some(Timeout::new(delay, run));
        });
    }
    let (text, view) = match &*walked {
        Some((t, v)) => (Some(t.clone()), Some(v.clone())),
        None => (None, None),
    };
    let phase = match (&chain, data.module) {
        (None, _) => WalkPhase::Idle,
        (Some(_), Phase::Failed) => WalkPhase::Unavailable,
        (Some(c), _) if text.as_deref() == Some(c.as_str()) => WalkPhase::Ready,
        _ => WalkPhase::Loading,
    };
    Walked { phase, view, text }
}
