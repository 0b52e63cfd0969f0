//! The iamtrace playground: a Yew application that runs the evaluator in
//! the browser.
//!
//! The pure modules ([`state`], [`share`], [`examples`], [`eval`], [`pick`],
//! [`kinds`]) hold the logic and are tested natively and in the browser;
//! the [`hooks`] derive what the page shows from the state, and the
//! [`components`] render it, sharing the [`context`]; [`editor`] bridges to
//! CodeMirror and [`browser`] wraps the few browser APIs the page uses.

pub mod browser;
pub mod components;
pub mod context;
pub mod data;
#[cfg(debug_assertions)]
pub mod debug;
pub mod editor;
pub mod eval;
pub mod examples;
pub mod hooks;
pub mod kinds;
pub mod knowledge;
pub mod num;
pub mod panels;
pub mod pick;
pub mod share;
pub mod state;

pub use components::app::App;

/// Mounts the playground on `#app` (or the body), replacing the loading message.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let root = document.get_element_by_id("app").or_else(|| document.body().map(Into::into));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
