//! The panels whose bodies the panels module renders (`src/panels.rs`):
//! the walk of a chain and the CloudTrail import. Each is the page's panel
//! (heading, toggle) around an empty element the module mounts a small app
//! in, once it has loaded; the page keeps handing it what it shows. One
//! component serves both, so the first download carries one.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::panel::Panel;
use crate::knowledge::wire::Phase;
use crate::panels::{self, CloudTrailMount, StringFn, WalkMount};
use crate::state::Panel as PanelKind;

/// What the module shows in the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum Lazy {
    /// The walk of a chain scenario (its text).
    Walk(AttrValue),
    /// The CloudTrail import; the page's scenario (SCENARIO.md JSON, whose
    /// policies evaluate the imported request) and whether it is read-only.
    CloudTrail(AttrValue, bool),
}

/// A mounted app and the functions it calls back (they live as long as it).
enum Mounted {
    Walk { app: WalkMount, _fns: Vec<StringFn> },
    CloudTrail { app: CloudTrailMount, _fns: Vec<StringFn> },
}

impl Mounted {
    fn set(&self, what: &Lazy, module: Phase) {
        match (self, what) {
            (Mounted::Walk { app, .. }, Lazy::Walk(text)) => app.set(text, module),
            (Mounted::CloudTrail { app, .. }, Lazy::CloudTrail(scenario, readonly)) => {
                app.set(scenario, module, *readonly)
            }
            _ => {}
        }
    }

    fn unmount(&self) {
        match self {
            Mounted::Walk { app, .. } => app.unmount(),
            Mounted::CloudTrail { app, .. } => app.unmount(),
        }
    }
}

/// Where the module's app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mount {
    Loading,
    Mounted,
    Failed,
}

#[derive(Properties, PartialEq, Debug)]
pub struct LazyProps {
    pub kind: PanelKind,
    pub what: Lazy,
    /// The knowledge module's phase, and its generation (what the app shows follows it).
    pub module: Phase,
    pub generation: u32,
    pub open: bool,
    /// Walk: highlights for the chain editor (JSON).
    #[prop_or_default]
    pub on_marks: Callback<AttrValue>,
    /// Walk: the scenario's problems for the chain editor (JSON).
    #[prop_or_default]
    pub on_problems: Callback<AttrValue>,
    /// Walk: a scenario to open; CloudTrail: a request to use (JSON).
    #[prop_or_default]
    pub on_json: Callback<String>,
}

/// A panel whose body the panels module renders.
#[component]
pub fn LazyPanel(props: &LazyProps) -> Html {
    html! {
        <Panel kind={props.kind} open={props.open}>
            <LazyHost kind={props.kind} what={props.what.clone()} module={props.module} generation={props.generation}
                open=true on_marks={props.on_marks.clone()} on_problems={props.on_problems.clone()}
                on_json={props.on_json.clone()} />
        </Panel>
    }
}

#[component]
fn LazyHost(props: &LazyProps) -> Html {
    let host = use_node_ref();
    let state = use_state_eq(|| Mount::Loading);
    let mounted: Rc<RefCell<Option<Mounted>>> = use_mut_ref(|| None);
    let latest = use_mut_ref(|| (props.what.clone(), props.module));
    *latest.borrow_mut() = (props.what.clone(), props.module);
    let callbacks = use_mut_ref(|| (props.on_marks.clone(), props.on_problems.clone(), props.on_json.clone()));
    *callbacks.borrow_mut() = (props.on_marks.clone(), props.on_problems.clone(), props.on_json.clone());
    {
        let (host, state, mounted) = (host.clone(), state.setter(), mounted.clone());
        use_effect_with((), move |_| {
            let alive = Rc::new(RefCell::new(true));
            let still = alive.clone();
            let slot = mounted.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = panels::ensure().await;
                let Some(el) = host.cast::<web_sys::Element>().filter(|_| *still.borrow()) else { return };
                if !loaded {
                    state.set(Mount::Failed);
                    return;
                }
                let (what, module) = latest.borrow().clone();
                let (a, b, c) = (callbacks.clone(), callbacks.clone(), callbacks);
                let on_marks = panels::string_fn(move |s| a.borrow().0.emit(AttrValue::from(s)));
                let on_problems = panels::string_fn(move |s| b.borrow().1.emit(AttrValue::from(s)));
                let on_json = panels::string_fn(move |s| c.borrow().2.emit(s));
                let made = match &what {
                    Lazy::Walk(text) => panels::mount_walk(&el, text, module, &on_marks, &on_problems, &on_json)
                        .map(|app| Mounted::Walk { app, _fns: vec![on_marks, on_problems, on_json] }),
                    Lazy::CloudTrail(scenario, readonly) => {
                        panels::mount_cloudtrail(&el, scenario, module, *readonly, &on_json)
                            .map(|app| Mounted::CloudTrail { app, _fns: vec![on_json] })
                    }
                };
                state.set(if made.is_some() { Mount::Mounted } else { Mount::Failed });
                *slot.borrow_mut() = made;
            });
            move || {
                *alive.borrow_mut() = false;
                if let Some(m) = mounted.borrow_mut().take() {
                    m.unmount();
                }
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with((props.what.clone(), props.module, props.generation, *state), move |(what, module, _, _)| {
            if let Some(m) = mounted.borrow().as_ref() {
                m.set(what, *module);
            }
        });
    }
    let key = props.kind.key();
    html! {
        <>
            if *state == Mount::Loading {
                <p class="empty" data-testid="lazy-loading">{ "Loading…" }</p>
            }
            if *state == Mount::Failed {
                <p class="empty" role="alert" data-testid="lazy-failed">
                    { "This part of the page could not be loaded (its module is missing or failed)." }
                </p>
            }
            <div class="lazy-host" ref={host} data-testid={format!("{key}-host")} />
        </>
    }
}
