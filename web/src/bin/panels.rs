//! The panels module: a third wasm file, loaded by the page only when it
//! shows a chain scenario or the CloudTrail import is opened
//! (`src/panels.rs`). It renders those panels' bodies (the walk of a chain,
//! the import of a record) as small Yew apps mounted in the page's panels,
//! with the same components as the page (the trace's included), and gets
//! the walk and the import from the knowledge module. Neither their code
//! nor the code that reads their data counts toward the first download.
//!
//! The page hands each app what it shows (the chain text, the page's
//! scenario, the knowledge module's phase) and hears back through
//! callbacks: highlights and problems for the chain editor, a scenario to
//! open, a request to use.

#[cfg(target_arch = "wasm32")]
mod module {
    use iamtrace_web::components::chain::walk::{WalkProps, WalkView};
    use iamtrace_web::components::cloudtrail::{CloudTrailProps, CloudTrailView};
    use iamtrace_web::data;
    use iamtrace_web::knowledge::wire::Phase;
    use wasm_bindgen::prelude::*;
    use yew::{AppHandle, AttrValue, Callback};

    /// The styles of what this module renders (`web/style/panels.css`).
    const CSS: &str = include_str!("../../style/panels.css");

    /// Puts [`CSS`] in the page once.
    fn add_styles() {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        if doc.get_element_by_id("iamtrace-panels-css").is_some() {
            return;
        }
        if let (Ok(style), Some(head)) = (doc.create_element("style"), doc.head()) {
            style.set_id("iamtrace-panels-css");
            style.set_text_content(Some(CSS));
            let _ = head.append_child(&style);
        }
    }

    /// Subtree ids this module's apps skip.
    const SKIPPED_SUBTREES: u32 = 64;

    /// Yew numbers the roots of its apps from 1 in each wasm instance, and
    /// marks every element with its root's number (`__yew_subtree_id`); the
    /// page's app, whose root holds ours, decides which app handles an event
    /// by that mark. Were our roots numbered like the page's, a click here
    /// would also run the page's handler registered under the same id.
    /// Empty apps mounted once on a detached element move our numbers past
    /// any the page uses (it has one root and no portals).
    fn skip_page_subtree_ids() {
        thread_local! {
            static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if DONE.with(|d| d.replace(true)) {
            return;
        }
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        for _ in 0..SKIPPED_SUBTREES {
            if let Ok(el) = doc.create_element("div") {
                yew::Renderer::<Empty>::with_root(el).render().destroy();
            }
        }
    }

    #[yew::component]
    fn Empty() -> yew::Html {
        yew::Html::default()
    }

    fn phase(p: u8) -> Phase {
        match p {
            1 => Phase::Loading,
            2 => Phase::Ready,
            3 => Phase::Failed,
            _ => Phase::Idle,
        }
    }

    /// A JS function as a callback taking one string.
    fn callback<T: AsRef<str> + 'static>(f: js_sys::Function) -> Callback<T> {
        Callback::from(move |s: T| {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(s.as_ref()));
        })
    }

    /// A mounted walk.
    #[wasm_bindgen]
    #[derive(Debug)]
    pub struct Walk {
        app: Option<AppHandle<WalkView>>,
        on_marks: Callback<AttrValue>,
        on_problems: Callback<AttrValue>,
        on_load: Callback<String>,
    }

    fn walk_props(w: &Walk, text: String, module: u8) -> WalkProps {
        WalkProps {
            text: AttrValue::from(text),
            data: data::state_now(phase(module)),
            on_marks: w.on_marks.clone(),
            on_problems: w.on_problems.clone(),
            on_load: w.on_load.clone(),
        }
    }

    /// Mounts the walk of `text` in `el`. `module`: the knowledge module's
    /// phase (0 idle, 1 loading, 2 ready, 3 failed).
    #[wasm_bindgen(js_name = mountWalk)]
    pub fn mount_walk(
        el: web_sys::Element,
        text: String,
        module: u8,
        on_marks: js_sys::Function,
        on_problems: js_sys::Function,
        on_load: js_sys::Function,
    ) -> Walk {
        add_styles();
        skip_page_subtree_ids();
        let mut w = Walk {
            app: None,
            on_marks: callback(on_marks),
            on_problems: callback(on_problems),
            on_load: callback(on_load),
        };
        let props = walk_props(&w, text, module);
        w.app = Some(yew::Renderer::<WalkView>::with_root_and_props(el, props).render());
        w
    }

    #[wasm_bindgen]
    impl Walk {
        pub fn update(&mut self, text: String, module: u8) {
            let props = walk_props(self, text, module);
            if let Some(app) = self.app.as_mut() {
                app.update(props);
            }
        }

        pub fn destroy(&mut self) {
            if let Some(app) = self.app.take() {
                app.destroy();
            }
        }
    }

    /// A mounted CloudTrail import.
    #[wasm_bindgen]
    #[derive(Debug)]
    pub struct CloudTrail {
        app: Option<AppHandle<CloudTrailView>>,
        on_use: Callback<String>,
    }

    fn cloudtrail_props(c: &CloudTrail, scenario: String, module: u8, readonly: bool) -> CloudTrailProps {
        CloudTrailProps {
            scenario: AttrValue::from(scenario),
            data: data::state_now(phase(module)),
            readonly,
            on_use: c.on_use.clone(),
        }
    }

    /// Mounts the CloudTrail import in `el`; `scenario` is the page's
    /// scenario (its policies evaluate the imported request).
    #[wasm_bindgen(js_name = mountCloudTrail)]
    pub fn mount_cloudtrail(
        el: web_sys::Element,
        scenario: String,
        module: u8,
        readonly: bool,
        on_use: js_sys::Function,
    ) -> CloudTrail {
        add_styles();
        skip_page_subtree_ids();
        let mut c = CloudTrail { app: None, on_use: callback(on_use) };
        let props = cloudtrail_props(&c, scenario, module, readonly);
        c.app = Some(yew::Renderer::<CloudTrailView>::with_root_and_props(el, props).render());
        c
    }

    #[wasm_bindgen]
    impl CloudTrail {
        pub fn update(&mut self, scenario: String, module: u8, readonly: bool) {
            let props = cloudtrail_props(self, scenario, module, readonly);
            if let Some(app) = self.app.as_mut() {
                app.update(props);
            }
        }

        pub fn destroy(&mut self) {
            if let Some(app) = self.app.take() {
                app.destroy();
            }
        }
    }
}

fn main() {}
