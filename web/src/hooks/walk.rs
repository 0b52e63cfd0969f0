//! The chain scenario walked (in the panels module, which holds the walk's
//! code), once the knowledge module (which holds the managed policies) is
//! loaded or has failed, and again when the text has been still for a
//! moment.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use iamtrace::scenario::PolicyLibrary;

use crate::browser;
use crate::data::{self, DataState};
use crate::knowledge::chain::{self, ChainView};
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
    // Without the knowledge module, chains walk without managed policies.
    let ready = matches!(data.module, Phase::Ready | Phase::Failed);
    let library = data.module == Phase::Ready;
    {
        let walked = walked.setter();
        let seq = seq.clone();
        use_effect_with((chain.clone(), ready, library), move |(chain, ready, library)| {
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
            let library = *library;
            let run = move || {
                wasm_bindgen_futures::spawn_local(async move {
                    if library && text.contains(":iam::aws:policy/") {
                        data::load("managed").await;
                    }
                    if *seq.borrow() != n {
                        return;
                    }
                    let t0 = browser::now();
                    let lib = data::ManagedLibrary;
                    let mut view = chain::walk_view(&text, library.then_some(&lib as &dyn PolicyLibrary));
                    view.ms = browser::now() - t0;
                    walked.set(Some((Rc::from(text.as_str()), Rc::new(view))));
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
    let phase = match &chain {
        None => WalkPhase::Idle,
        Some(c) if text.as_deref() == Some(c.as_str()) => WalkPhase::Ready,
        Some(_) => WalkPhase::Loading,
    };
    Walked { phase, view, text }
}
