//! The code editor: a Yew component around the CodeMirror 6 bridge that
//! `web/js/editor.js` defines as `globalThis.iamtraceEditor`. CodeMirror
//! owns the text while it is edited; every change comes back through
//! `on_change`. When the bridge is missing (the script failed to load), a
//! plain textarea takes its place, so the page keeps working.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::state::EditorId;

#[wasm_bindgen]
extern "C" {
    /// A mounted CodeMirror view (see `web/js/editor.js`).
    pub type EditorHandle;

    #[wasm_bindgen(catch, js_namespace = iamtraceEditor, js_name = create)]
    fn cm_create(
        parent: &HtmlElement,
        text: &str,
        label: &str,
        read_only: bool,
        on_change: &js_sys::Function,
    ) -> Result<EditorHandle, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method, js_name = setHighlights)]
    fn set_highlights(this: &EditorHandle, json: &str, scroll: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method, js_name = setReadOnly)]
    fn set_read_only(this: &EditorHandle, read_only: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn focus(this: &EditorHandle) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn destroy(this: &EditorHandle) -> Result<(), JsValue>;
}

/// A live editor and the closure it calls back.
struct Mounted {
    handle: EditorHandle,
    _on_change: Closure<dyn FnMut(String)>,
}

#[derive(Properties, PartialEq, Debug)]
pub struct EditorProps {
    pub id: EditorId,
    /// The text when the editor is created (and the fallback's value).
    pub text: AttrValue,
    /// The accessible name of the editing area.
    pub label: AttrValue,
    #[prop_or_default]
    pub readonly: bool,
    /// Diagnostics as JSON (`[{from:[l,c], to:[l,c], severity, message}]`).
    pub marks: AttrValue,
    /// Highlights as JSON (`[{from:[l,c], to:[l,c], strong}]`).
    pub highlights: AttrValue,
    /// Changes whenever a new selection is made.
    pub highlight_seq: u32,
    /// Scroll to the highlights when `highlight_seq` changes.
    #[prop_or_default]
    pub scroll: bool,
    /// Asks for focus when it changes to a new nonzero value.
    #[prop_or_default]
    pub focus_seq: u32,
    pub on_change: Callback<(EditorId, String)>,
    pub testid: AttrValue,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let mounted: Rc<RefCell<Option<Mounted>>> = use_mut_ref(|| None);
    let on_change = use_mut_ref(|| props.on_change.clone());
    *on_change.borrow_mut() = props.on_change.clone();
    let fallback = use_state_eq(|| false);

    {
        let host = host.clone();
        let mounted = mounted.clone();
        let fallback = fallback.clone();
        let (id, text, label, readonly) = (props.id, props.text.clone(), props.label.clone(), props.readonly);
        let on_change = on_change.clone();
        use_effect_with((), move |_| {
            let created = host.cast::<HtmlElement>().and_then(|el| {
                let cb = Closure::<dyn FnMut(String)>::new(move |t: String| on_change.borrow().emit((id, t)));
                cm_create(&el, &text, &label, readonly, cb.as_ref().unchecked_ref())
                    .ok()
                    .map(|handle| Mounted { handle, _on_change: cb })
            });
            match created {
                Some(m) => *mounted.borrow_mut() = Some(m),
                None => fallback.set(true),
            }
            let mounted = mounted.clone();
            move || {
                if let Some(m) = mounted.borrow_mut().take() {
                    let _ = m.handle.destroy();
                }
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.marks.clone(), move |marks| {
            if let Some(m) = mounted.borrow().as_ref() {
                let _ = m.handle.set_diagnostics(marks);
            }
        });
    }
    {
        let mounted = mounted.clone();
        let scroll = props.scroll;
        use_effect_with((props.highlight_seq, props.highlights.clone()), move |(_, json)| {
            if let Some(m) = mounted.borrow().as_ref() {
                let _ = m.handle.set_highlights(json, scroll);
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.readonly, move |ro| {
            if let Some(m) = mounted.borrow().as_ref() {
                let _ = m.handle.set_read_only(*ro);
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.focus_seq, move |seq| {
            if *seq > 0 {
                if let Some(m) = mounted.borrow().as_ref() {
                    let _ = m.handle.focus();
                }
            }
        });
    }

    if *fallback {
        let id = props.id;
        let cb = props.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit((id, t.value()));
        });
        html! {
            <textarea class="editor-fallback" data-testid={props.testid.clone()} aria-label={props.label.clone()}
                spellcheck="false" readonly={props.readonly} value={props.text.clone()} {oninput} />
        }
    } else {
        html! { <div class="editor-host" ref={host} data-testid={props.testid.clone()} /> }
    }
}
