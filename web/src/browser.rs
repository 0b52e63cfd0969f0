//! Small wrappers over browser APIs; every one tolerates their absence.

use wasm_bindgen::JsCast;

/// The current fragment, without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.strip_prefix('#').map(str::to_owned).unwrap_or(h))
        .unwrap_or_default()
}

/// The page's address without its fragment.
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_owned())
        .unwrap_or_default()
}

/// Replaces the fragment without adding a history entry or firing `hashchange`.
pub fn replace_fragment(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Copies text to the clipboard; resolves to whether it worked.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Whether the system prefers a dark theme.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The theme saved by the toggle, if any.
pub fn saved_theme() -> Option<String> {
    storage().and_then(|s| s.get_item("iamtrace-theme").ok().flatten())
}

pub fn save_theme(theme: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item("iamtrace-theme", theme);
    }
}

/// Sets `data-theme` on the root element (CSS variables follow it).
pub fn apply_theme(theme: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-theme", theme);
    }
}

/// Marks the root element for the embed layout.
pub fn set_root_flag(name: &str, on: bool) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if on { el.set_attribute(name, "") } else { el.remove_attribute(name) };
    }
}

/// The element with this id, if it is a `T`.
fn element_by_id<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into::<T>().ok()
}

/// Focuses and selects the text of an input, by element id.
pub fn select_input(id: &str) {
    if let Some(input) = element_by_id::<web_sys::HtmlInputElement>(id) {
        let _ = input.focus();
        input.select();
    }
}

/// Focuses an element by id.
pub fn focus(id: &str) {
    if let Some(el) = element_by_id::<web_sys::HtmlElement>(id) {
        let _ = el.focus();
    }
}

/// Runs `f` once the browser has painted the next frame (an animation
/// frame, then a task), so that what was just rendered shows first. In a
/// hidden page (no frames), a task.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let window = web_sys::window();
    let hidden = window.as_ref().and_then(|w| w.document()).is_none_or(|d| d.hidden());
    match window.filter(|_| !hidden) {
        Some(w) => {
            let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
                gloo_timers::callback::Timeout::new(0, f).forget();
            });
            let _ = w.request_animation_frame(cb.unchecked_ref());
        }
        None => {
            gloo_timers::callback::Timeout::new(0, f).forget();
        }
    }
}
