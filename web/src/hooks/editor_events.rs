//! Requests the editor bridge (`web/js/editor.js`) sends as DOM events:
//! "Turn off" in a finding's tooltip switches that check off.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::Action;

#[hook]
pub fn use_editor_events(actions: Callback<Action>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|d| {
            EventListener::new(&d, "iamtrace-lint-off", move |e| {
                let code = e.dyn_ref::<web_sys::CustomEvent>().and_then(|c| c.detail().as_string());
                if let Some(code) = code {
                    actions.emit(Action::SetLint { code, on: false });
                }
            })
        });
        move || drop(listener)
    });
}
