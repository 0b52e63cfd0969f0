//! The panels whose bodies the panels module renders (`src/panels.rs`):
//! the walk of a chain and the CloudTrail import. Each is the page's panel
//! (heading, toggle) around an empty element the module mounts a small app
//! in, once it has loaded; the page keeps handing it what it shows.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::panel::Panel;
use crate::knowledge::wire::Phase;
use crate::panels::{self, CloudTrailMount, StringFn, WalkMount};
use crate::state::Panel as PanelKind;

/// A mounted walk and the functions it calls back (they live as long as it).
type WalkSlot = Rc<RefCell<Option<(WalkMount, [StringFn; 3])>>>;

/// Where the module's app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mount {
    Loading,
    Mounted,
    Failed,
}

fn status(m: Mount) -> Html {
    match m {
        Mount::Loading => html! { <p class="empty" data-testid="lazy-loading">{ "Loading…" }</p> },
        Mount::Failed => html! {
            <p class="empty" role="alert" data-testid="lazy-failed">{ "This part of the page could not be loaded (its module is missing or failed)." }</p>
        },
        Mount::Mounted => Html::default(),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct WalkPanelProps {
    pub text: AttrValue,
    /// The knowledge module's phase, and its generation (the traces follow it).
    pub module: Phase,
    pub generation: u32,
    pub open: bool,
    pub on_marks: Callback<AttrValue>,
    pub on_problems: Callback<AttrValue>,
    pub on_load: Callback<String>,
}

/// The Walkthrough panel: the chain walked hop by hop.
#[component]
pub fn WalkPanel(props: &WalkPanelProps) -> Html {
    html! {
        <Panel kind={PanelKind::Walk} open={props.open}>
            <WalkHost text={props.text.clone()} module={props.module} generation={props.generation} open=true
                on_marks={props.on_marks.clone()} on_problems={props.on_problems.clone()} on_load={props.on_load.clone()} />
        </Panel>
    }
}

#[component]
fn WalkHost(props: &WalkPanelProps) -> Html {
    let host = use_node_ref();
    let state = use_state_eq(|| Mount::Loading);
    let mounted: WalkSlot = use_mut_ref(|| None);
    let latest = use_mut_ref(|| (props.text.clone(), props.module));
    *latest.borrow_mut() = (props.text.clone(), props.module);
    let callbacks = use_mut_ref(|| (props.on_marks.clone(), props.on_problems.clone(), props.on_load.clone()));
    *callbacks.borrow_mut() = (props.on_marks.clone(), props.on_problems.clone(), props.on_load.clone());
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
                let (text, module) = latest.borrow().clone();
                let (a, b, c) = (callbacks.clone(), callbacks.clone(), callbacks);
                let fns = [
                    panels::string_fn(move |s| a.borrow().0.emit(AttrValue::from(s))),
                    panels::string_fn(move |s| b.borrow().1.emit(AttrValue::from(s))),
                    panels::string_fn(move |s| c.borrow().2.emit(s)),
                ];
                match panels::mount_walk(&el, &text, module, &fns[0], &fns[1], &fns[2]) {
                    Some(m) => {
                        *slot.borrow_mut() = Some((m, fns));
                        state.set(Mount::Mounted);
                    }
                    None => state.set(Mount::Failed),
                }
            });
            move || {
                *alive.borrow_mut() = false;
                if let Some((m, _)) = mounted.borrow_mut().take() {
                    m.unmount();
                }
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with((props.text.clone(), props.module, props.generation, *state), move |(text, module, _, _)| {
            if let Some((m, _)) = mounted.borrow().as_ref() {
                m.set(text, *module);
            }
        });
    }
    html! {
        <>
            { status(*state) }
            <div class="lazy-host" ref={host} data-testid="walk-host" />
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct CloudTrailPanelProps {
    /// The page's scenario (SCENARIO.md JSON), computed only while open.
    pub scenario: AttrValue,
    pub module: Phase,
    pub generation: u32,
    pub readonly: bool,
    pub open: bool,
    pub on_use: Callback<String>,
}

/// The "From CloudTrail" panel.
#[component]
pub fn CloudTrailPanel(props: &CloudTrailPanelProps) -> Html {
    html! {
        <Panel kind={PanelKind::CloudTrail} open={props.open}>
            <CloudTrailHost scenario={props.scenario.clone()} module={props.module} generation={props.generation}
                readonly={props.readonly} open=true on_use={props.on_use.clone()} />
        </Panel>
    }
}

#[component]
fn CloudTrailHost(props: &CloudTrailPanelProps) -> Html {
    let host = use_node_ref();
    let state = use_state_eq(|| Mount::Loading);
    let mounted: Rc<RefCell<Option<(CloudTrailMount, StringFn)>>> = use_mut_ref(|| None);
    let latest = use_mut_ref(|| (props.scenario.clone(), props.module, props.readonly));
    *latest.borrow_mut() = (props.scenario.clone(), props.module, props.readonly);
    let on_use = use_mut_ref(|| props.on_use.clone());
    *on_use.borrow_mut() = props.on_use.clone();
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
                let (scenario, module, readonly) = latest.borrow().clone();
                let f = panels::string_fn(move |s| on_use.borrow().emit(s));
                match panels::mount_cloudtrail(&el, &scenario, module, readonly, &f) {
                    Some(m) => {
                        *slot.borrow_mut() = Some((m, f));
                        state.set(Mount::Mounted);
                    }
                    None => state.set(Mount::Failed),
                }
            });
            move || {
                *alive.borrow_mut() = false;
                if let Some((m, _)) = mounted.borrow_mut().take() {
                    m.unmount();
                }
            }
        });
    }
    {
        let mounted = mounted.clone();
        let deps = (props.scenario.clone(), props.module, props.generation, props.readonly, *state);
        use_effect_with(deps, move |(scenario, module, _, readonly, _)| {
            if let Some((m, _)) = mounted.borrow().as_ref() {
                m.set(scenario, *module, *readonly);
            }
        });
    }
    html! {
        <>
            { status(*state) }
            <div class="lazy-host" ref={host} data-testid="cloudtrail-host" />
        </>
    }
}
