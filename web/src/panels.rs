//! The page's side of the panels module (`src/bin/panels.rs`): the walk of
//! a chain scenario and the CloudTrail import are rendered by a third wasm
//! file, loaded the first time the page shows one of them, and mounted in
//! the page's panels. Their code (and the walk's and the import's data
//! formats) stays out of the first download.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::knowledge::wire::Phase;

#[wasm_bindgen]
extern "C" {
    /// `web/js/editor.js`: imports the panels module and instantiates its wasm.
    #[wasm_bindgen(catch, js_name = iamtraceLoadPanels)]
    fn load_module(module: &str, wasm: &str) -> Result<js_sys::Promise, JsValue>;

    /// A mounted walk (`Walk` of the panels module).
    pub type WalkMount;
    #[wasm_bindgen(catch, js_namespace = iamtracePanels, js_name = mountWalk)]
    fn mount_walk_js(
        el: &web_sys::Element,
        text: &str,
        module: u8,
        on_marks: &js_sys::Function,
        on_problems: &js_sys::Function,
        on_load: &js_sys::Function,
    ) -> Result<WalkMount, JsValue>;
    #[wasm_bindgen(catch, method, js_name = update)]
    fn update_walk(this: &WalkMount, text: &str, module: u8) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, method, js_name = destroy)]
    fn destroy_walk(this: &WalkMount) -> Result<(), JsValue>;

    /// A mounted CloudTrail import (`CloudTrail` of the panels module).
    pub type CloudTrailMount;
    #[wasm_bindgen(catch, js_namespace = iamtracePanels, js_name = mountCloudTrail)]
    fn mount_cloudtrail_js(
        el: &web_sys::Element,
        scenario: &str,
        module: u8,
        readonly: bool,
        on_use: &js_sys::Function,
    ) -> Result<CloudTrailMount, JsValue>;
    #[wasm_bindgen(catch, method, js_name = update)]
    fn update_cloudtrail(this: &CloudTrailMount, scenario: &str, module: u8, readonly: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, method, js_name = destroy)]
    fn destroy_cloudtrail(this: &CloudTrailMount) -> Result<(), JsValue>;
}

/// The knowledge module's phase as the panels module takes it.
pub fn phase_code(p: Phase) -> u8 {
    match p {
        Phase::Idle => 0,
        Phase::Loading => 1,
        Phase::Ready => 2,
        Phase::Failed => 3,
    }
}

thread_local! {
    /// The load of the panels module, started once.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// `panels=` and `panels-wasm=` of `<meta name="iamtrace-lazy">` (`web/build/lazy.mjs`).
fn manifest() -> Option<(String, String)> {
    let meta = web_sys::window()?.document()?.query_selector("meta[name=iamtrace-lazy]").ok()??;
    let content = meta.get_attribute("content")?;
    let get = |key: &str| {
        content.split_whitespace().find_map(|pair| pair.strip_prefix(key)?.strip_prefix('=')).map(str::to_owned)
    };
    Some((get("panels")?, get("panels-wasm")?))
}

/// Loads the panels module (once); `false` when it cannot be loaded.
pub async fn ensure() -> bool {
    let promise = LOADING.with(|l| {
        let mut l = l.borrow_mut();
        if l.is_none() {
            *l = manifest().and_then(|(m, w)| load_module(&m, &w).ok());
        }
        l.clone()
    });
    match promise {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

/// A JS function that hands its string argument to `f`. The closure lives
/// as long as the returned value.
pub type StringFn = Closure<dyn FnMut(String)>;

pub fn string_fn(f: impl FnMut(String) + 'static) -> StringFn {
    Closure::new(f)
}

fn function(c: &StringFn) -> &js_sys::Function {
    c.as_ref().unchecked_ref()
}

/// Mounts a walk; `None` when the module does not answer.
pub fn mount_walk(
    el: &web_sys::Element,
    text: &str,
    module: Phase,
    on_marks: &StringFn,
    on_problems: &StringFn,
    on_load: &StringFn,
) -> Option<WalkMount> {
    mount_walk_js(el, text, phase_code(module), function(on_marks), function(on_problems), function(on_load)).ok()
}

impl WalkMount {
    pub fn set(&self, text: &str, module: Phase) {
        let _ = self.update_walk(text, phase_code(module));
    }

    pub fn unmount(&self) {
        let _ = self.destroy_walk();
    }
}

/// Mounts a CloudTrail import; `None` when the module does not answer.
pub fn mount_cloudtrail(
    el: &web_sys::Element,
    scenario: &str,
    module: Phase,
    readonly: bool,
    on_use: &StringFn,
) -> Option<CloudTrailMount> {
    mount_cloudtrail_js(el, scenario, phase_code(module), readonly, function(on_use)).ok()
}

impl CloudTrailMount {
    pub fn set(&self, scenario: &str, module: Phase, readonly: bool) {
        let _ = self.update_cloudtrail(scenario, phase_code(module), readonly);
    }

    pub fn unmount(&self) {
        let _ = self.destroy_cloudtrail();
    }
}
