//! The root component: owns the state, evaluates it, keeps the address bar
//! in step, and wires the panels together.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use iamtrace::api;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::components::checks::ChecksDialog;
use crate::components::decision::DecisionPanel;
use crate::components::diagram::DiagramPanel;
use crate::components::dialogs::{EmbedDialog, ShareDialog};
use crate::components::footer::Footer;
use crate::components::header::{EmbedBar, Header};
use crate::components::managed::ManagedPicker;
use crate::components::overview::OverviewPanel;
use crate::components::policies::PoliciesPanel;
use crate::components::request::RequestPanel;
use crate::components::trace::TracePanel;
use crate::data::{self, DataState};
use crate::eval::{self, Annotations, Checks, Evaluated};
use crate::knowledge::wire::Phase;
use crate::num::fixed;
use crate::pick::{self, Pick};
use crate::share::{self, Theme, ViewOptions};
use crate::state::{Action, EditorId, Panel, PanelSet, State};

/// The panels an embed shows when its link does not say.
pub const EMBED_DEFAULT_PANELS: [Panel; 3] = [Panel::Policies, Panel::Decision, Panel::Trace];

/// The least time between two address-bar updates (Safari allows about 100
/// in 30 s; one a second is plenty for a person typing).
const URL_THROTTLE_MS: f64 = 1000.0;

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Share,
    Embed,
    /// The checks: switch codes on and off.
    Checks,
    /// Pick an AWS managed policy to add.
    Managed,
}

/// How long after the first render the knowledge module starts loading.
const DATA_DELAY_MS: u32 = 30;

/// Editor highlights for the current pick.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlights {
    pub seq: u32,
    pub by_editor: Rc<BTreeMap<EditorId, AttrValue>>,
    pub scroll_to: Option<EditorId>,
}

impl Highlights {
    pub fn json(&self, id: EditorId) -> AttrValue {
        self.by_editor.get(&id).cloned().unwrap_or(AttrValue::Static("[]"))
    }

    /// The highlights that replace these: `ranges` per editor (as the
    /// editor reads them), scrolling to `scroll_to`.
    fn next<R: serde::Serialize>(
        &self,
        ranges: impl IntoIterator<Item = (EditorId, R)>,
        scroll_to: Option<EditorId>,
    ) -> Highlights {
        let by_editor = ranges
            .into_iter()
            .map(|(id, r)| (id, AttrValue::from(serde_json::to_string(&r).unwrap_or_else(|_| "[]".to_owned()))))
            .collect();
        Highlights { seq: self.seq + 1, by_editor: Rc::new(by_editor), scroll_to }
    }
}

/// Throttled address-bar updates.
#[derive(Default)]
struct UrlSync {
    armed: bool,
    pending: bool,
    last_write: f64,
    /// The fragment written last (to tell our writes from the user's).
    written: String,
    latest: Option<(UseReducerHandle<State>, ViewOptions)>,
}

fn write_now(sync: &Rc<RefCell<UrlSync>>) {
    let mut s = sync.borrow_mut();
    s.pending = false;
    s.last_write = browser::now();
    if let Some((state, view)) = &s.latest {
        let fragment = share::fragment_for(state, view);
        if fragment != s.written {
            browser::replace_fragment(&fragment);
            s.written = fragment;
        }
    }
}

fn schedule_write(sync: &Rc<RefCell<UrlSync>>) {
    let wait = {
        let mut s = sync.borrow_mut();
        if s.pending {
            return;
        }
        s.pending = true;
        (s.last_write + URL_THROTTLE_MS - browser::now()).clamp(150.0, URL_THROTTLE_MS)
    };
    let sync = sync.clone();
    Timeout::new(wait as u32, move || write_now(&sync)).forget();
}

fn initial_theme(asked: Option<Theme>, embed: bool) -> Theme {
    if let Some(t) = asked {
        return t;
    }
    match browser::saved_theme().as_deref() {
        Some("dark") if !embed => Theme::Dark,
        Some("light") if !embed => Theme::Light,
        _ if browser::prefers_dark() => Theme::Dark,
        _ => Theme::Light,
    }
}

#[component]
pub fn App() -> Html {
    let boot = use_memo((), |_| share::boot(&browser::fragment()));
    let state = {
        let boot = boot.clone();
        use_reducer(move || boot.state.clone())
    };
    let view = use_state_eq(|| boot.view);
    let link_error = use_state_eq(|| boot.error.as_ref().map(ToString::to_string));
    let theme = use_state_eq(|| initial_theme(boot.view.theme, boot.view.embed));
    let picked = use_state_eq(|| None::<Pick>);
    let highlights = use_state_eq(Highlights::default);
    let dialog = use_state_eq(|| None::<Dialog>);
    let sync = use_mut_ref(UrlSync::default);
    let data = use_state_eq(DataState::default);

    // The AWS knowledge loads once the page is interactive (after this first
    // render); the page works the same without it.
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            data::mark_interactive();
            let on_change = Callback::from(move |d: DataState| data.set(d));
            Timeout::new(DATA_DELAY_MS, move || data::start(on_change)).forget();
        });
    }

    let evaluated: Rc<(Evaluated, f64)> = {
        let s = state.clone();
        let checks_ready = data.checks_ready();
        use_memo((state.rev, state.lint_off.clone(), data.generation()), move |_| {
            let t0 = browser::now();
            let bridge = data::Bridge;
            let checks: Option<&dyn Checks> = if checks_ready { Some(&bridge) } else { None };
            let e = eval::evaluate_with(&s, checks);
            (e, browser::now() - t0)
        })
    };

    // The checks run once the new trace has been painted; until their
    // findings arrive, the editors keep the previous ones (mapped through
    // the edit by CodeMirror).
    let annotations = use_state_eq(|| None::<Rc<Annotations>>);
    {
        let annotations = annotations.clone();
        let s = state.clone();
        let ev = evaluated.clone();
        let ready = data.checks_ready();
        let latest = use_mut_ref(|| 0u64);
        use_effect_with((evaluated.0.stamp, ready), move |_| {
            let n = {
                let mut q = latest.borrow_mut();
                *q += 1;
                *q
            };
            if !ready {
                annotations.set(None);
                return;
            }
            browser::after_paint(move || {
                if *latest.borrow() != n {
                    return; // a newer evaluation is on its way
                }
                let a = eval::annotate(&s, &ev.0, Some(&data::Bridge), &browser::now);
                annotations.set(Some(Rc::new(a)));
            });
        });
    }

    // Managed policies load when a slot names one (or the picker opens).
    {
        let names = state.entries().iter().any(|e| api::names_managed_policy(&e.text));
        let wanted = (names || *dialog == Some(Dialog::Managed))
            && data.module == Phase::Ready
            && data.status.managed == Phase::Idle;
        use_effect_with(wanted, |wanted| {
            if *wanted {
                data::ensure("managed");
            }
        });
    }

    // "Turn off" in a finding's tooltip (web/js/editor.js).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|d| {
                EventListener::new(&d, "iamtrace-lint-off", move |e| {
                    let code = e.dyn_ref::<web_sys::CustomEvent>().and_then(|c| c.detail().as_string());
                    if let Some(code) = code {
                        dispatch.dispatch(Action::SetLint { code, on: false });
                    }
                })
            });
            move || drop(listener)
        });
    }

    // While a text has errors there is no answer: the trace and the flow keep
    // showing the last one (marked stale) instead of flickering away.
    let last_good = use_mut_ref(|| None::<(u64, Rc<(Evaluated, f64)>)>);
    if evaluated.0.answer.is_some() {
        *last_good.borrow_mut() = Some((state.generation, evaluated.clone()));
    }
    let (shown, stale) = match (&evaluated.0.answer, &*last_good.borrow()) {
        (None, Some((g, e))) if *g == state.generation => (e.clone(), true),
        _ => (evaluated.clone(), false),
    };

    {
        let t = *theme;
        use_effect_with(t, |t| browser::apply_theme(t.key()));
    }
    use_effect_with(view.embed, |e| browser::set_root_flag("data-embed", *e));

    // The address bar follows the state, throttled; our own first render
    // leaves the link as it came.
    sync.borrow_mut().latest = Some((state.clone(), *view));
    {
        let sync = sync.clone();
        use_effect_with((state.rev, state.open, state.lint_off.clone(), *view), move |_| {
            let armed = std::mem::replace(&mut sync.borrow_mut().armed, true);
            if armed {
                schedule_write(&sync);
            } else {
                sync.borrow_mut().written = browser::fragment();
            }
        });
    }
    // A link pasted into the address bar of an open page.
    {
        let state = state.clone();
        let view = view.clone();
        let link_error = link_error.clone();
        let sync = sync.clone();
        let highlights = highlights.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let fragment = browser::fragment();
                    if fragment == sync.borrow().written {
                        return;
                    }
                    sync.borrow_mut().written = fragment.clone();
                    let boot = share::boot(&fragment);
                    link_error.set(boot.error.as_ref().map(ToString::to_string));
                    view.set(boot.view);
                    highlights.set(Highlights::default());
                    state.dispatch(Action::Load(Box::new(boot.state)));
                })
            });
            move || drop(listener)
        });
    }

    let dispatch = state.dispatcher();
    let on_action = {
        let dispatch = dispatch.clone();
        Callback::from(move |a: Action| dispatch.dispatch(a))
    };
    let on_text = {
        let dispatch = dispatch.clone();
        Callback::from(move |(id, text): (EditorId, String)| dispatch.dispatch(Action::SetText { id, text }))
    };
    let on_pick = {
        let evaluated = shown.clone();
        let state = state.clone();
        let picked = picked.clone();
        let highlights = highlights.clone();
        Callback::from(move |p: Pick| {
            let Some(answer) = evaluated.0.answer.as_ref() else { return };
            let (ranges, first) = eval::ranges(&state, &evaluated.0, &pick::spans(answer, p));
            highlights.set(highlights.next(ranges, first));
            picked.set(Some(p));
        })
    };
    let on_diagnostic = {
        let evaluated = evaluated.clone();
        let annotations = (*annotations).clone();
        let state = state.clone();
        let highlights = highlights.clone();
        Callback::from(move |(finding, i): (bool, usize)| {
            let d = if finding {
                annotations.as_ref().and_then(|a| a.findings.get(i))
            } else {
                evaluated.0.diagnostics.get(i)
            };
            let Some((id, range)) = d.and_then(|d| eval::diagnostic_range(&state, d)) else {
                return;
            };
            highlights.set(highlights.next([(id, [range])], Some(id)));
        })
    };
    let on_example = {
        let dispatch = dispatch.clone();
        let highlights = highlights.clone();
        let picked = picked.clone();
        let link_error = link_error.clone();
        Callback::from(move |id: String| {
            if let Some(s) = State::from_example(&id) {
                highlights.set(Highlights::default());
                picked.set(None);
                link_error.set(None);
                dispatch.dispatch(Action::Load(Box::new(s)));
            }
        })
    };
    let on_dialog = {
        let dialog = dialog.clone();
        Callback::from(move |d: Option<Dialog>| dialog.set(d))
    };
    let on_theme = {
        let theme = theme.clone();
        let embed = view.embed;
        Callback::from(move |_| {
            let next = if *theme == Theme::Dark { Theme::Light } else { Theme::Dark };
            if !embed {
                browser::save_theme(next.key());
            }
            theme.set(next);
        })
    };
    let dismiss_error = {
        let link_error = link_error.clone();
        Callback::from(move |_| link_error.set(None))
    };

    let embed = view.embed;
    let readonly = embed && view.readonly;
    let visible =
        if embed { view.panels.unwrap_or_else(|| PanelSet::of(&EMBED_DEFAULT_PANELS)) } else { PanelSet::all() };
    let open = state.open;
    let on_panel = {
        let dispatch = dispatch.clone();
        Callback::from(move |(p, o): (Panel, bool)| dispatch.dispatch(Action::SetPanel(p, o)))
    };
    let (ev, eval_ms) = (&evaluated.0, evaluated.1);
    let answer_rc = evaluated.clone();
    let on_open = {
        let dialog = dialog.clone();
        Callback::from(move |d: Dialog| dialog.set(Some(d)))
    };

    let error_banner = link_error.as_ref().map(|msg| {
        html! {
            <div class="banner banner-error" role="alert" data-testid="link-error">
                <div class="banner-text">
                    <strong>{ "This link could not be opened. " }</strong>
                    { msg.clone() }
                    { ". Showing the default example instead." }
                </div>
                <button type="button" class="btn btn-ghost btn-small" onclick={dismiss_error} aria-label="Dismiss this message">{ "Dismiss" }</button>
            </div>
        }
    });

    let left = html! {
        <>
            if visible.contains(Panel::Policies) {
                <PoliciesPanel state={state.clone()} evaluated={answer_rc.clone()} highlights={(*highlights).clone()}
                    open={open.contains(Panel::Policies)} {readonly} on_action={on_action.clone()} on_text={on_text.clone()}
                    on_panel={on_panel.clone()} data={(*data).clone()} on_open={on_open.clone()}
                    annotations={(*annotations).clone()} />
            }
            if visible.contains(Panel::Request) {
                <RequestPanel state={state.clone()} evaluated={answer_rc.clone()} open={open.contains(Panel::Request)}
                    {readonly} on_action={on_action.clone()} on_panel={on_panel.clone()} />
            }
        </>
    };
    let right = html! {
        <>
            if visible.contains(Panel::Decision) {
                <DecisionPanel state={state.clone()} evaluated={answer_rc.clone()} annotations={(*annotations).clone()}
                    open={open.contains(Panel::Decision)}
                    {readonly} on_action={on_action.clone()} on_pick={on_pick.clone()} on_diagnostic={on_diagnostic.clone()}
                    on_panel={on_panel.clone()} />
            }
            if visible.contains(Panel::Overview) {
                <OverviewPanel state={state.clone()} data={(*data).clone()} open={open.contains(Panel::Overview)}
                    {readonly} on_action={on_action.clone()} on_panel={on_panel.clone()} />
            }
            if visible.contains(Panel::Trace) {
                <TracePanel state={state.clone()} evaluated={shown.clone()} {stale} open={open.contains(Panel::Trace)}
                    picked={*picked} on_pick={on_pick.clone()} on_panel={on_panel.clone()} data={data.generation()}
                    {readonly} on_action={on_action.clone()} />
            }
            if visible.contains(Panel::Diagram) {
                <DiagramPanel evaluated={shown.clone()} {stale} open={open.contains(Panel::Diagram)} picked={*picked}
                    on_pick={on_pick.clone()} on_panel={on_panel.clone()} />
            }
        </>
    };
    let has_left = visible.contains(Panel::Policies) || visible.contains(Panel::Request);
    let has_right =
        visible.contains(Panel::Decision) || visible.contains(Panel::Diagram) || visible.contains(Panel::Trace);
    let layout = classes!("workspace", (!(has_left && has_right)).then_some("workspace-single"));

    html! {
        <div class={classes!("app", embed.then_some("app-embed"))} data-testid="app" data-rev={state.rev.to_string()}
            data-eval-ms={fixed(eval_ms, 3)} data-data={data.summary()}
            data-lint-ms={annotations.as_ref().and_then(|a| a.lint_ms).map(|(inside, total)| format!("{} {}", fixed(inside, 3), fixed(total, 3)))}
            data-checked-rev={annotations.as_ref().map(|a| a.rev.to_string())}>
            <a class="skip-link" href="#answer">{ "Skip to the decision" }</a>
            if embed {
                <EmbedBar state={state.clone()} decision={ev.decision} />
            } else {
                <Header state={state.clone()} decision={ev.decision} errors={ev.errors} theme={*theme}
                    on_example={on_example} on_dialog={on_dialog.clone()} {on_theme} dialog={*dialog} />
            }
            { for error_banner }
            if !embed {
                if let Some(Dialog::Share) = *dialog {
                    <ShareDialog state={state.clone()} on_close={on_dialog.reform(|_| None)} />
                }
                if let Some(Dialog::Embed) = *dialog {
                    <EmbedDialog state={state.clone()} on_close={on_dialog.reform(|_| None)} />
                }
                if let Some(Dialog::Checks) = *dialog {
                    <ChecksDialog state={state.clone()} annotations={(*annotations).clone()} data={(*data).clone()}
                        on_action={on_action.clone()} on_close={on_dialog.reform(|_| None)} />
                }
                if let Some(Dialog::Managed) = *dialog {
                    <ManagedPicker data={(*data).clone()} on_action={on_action.clone()} on_close={on_dialog.reform(|_| None)} />
                }
            }
            <main class={layout}>
                if has_left {
                    <div class="col col-input">{ left }</div>
                }
                if has_right {
                    <div class="col col-output" id="answer">{ right }</div>
                }
            </main>
            if !embed {
                <Footer data={(*data).clone()} made_with={state.made_with.clone()} {eval_ms}
                    lint_ms={annotations.as_ref().and_then(|a| a.lint_ms).map(|(_, total)| total)} />
            }
        </div>
    }
}
