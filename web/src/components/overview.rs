//! The access overview: the scenario's request evaluated for every action of
//! its service (or every action a pattern such as `s3:Get*` covers), against
//! the same principal, resource and context, shown as a grid grouped by
//! access level. A cell opens its own trace: it becomes the request's
//! action, and the decision and the trace follow.
//!
//! The grid is computed in the knowledge module (the policies are parsed
//! once for all actions), after the inputs have been still for a moment;
//! while the panel is closed its heading shows the counts.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use iamtrace::api;
use iamtrace::Decision;
use yew::prelude::*;

use crate::browser;
use crate::components::panel::Panel;
use crate::components::{decision_class, on_input_value};
use crate::data::{self, DataState};
use crate::eval::decision_title;
use crate::knowledge::wire::{Overview, OverviewCell};
use crate::num::fixed;
use crate::state::{Action, Field, Panel as PanelKind, State};

/// Quiet time after the last change before the grid is recomputed (the
/// panel open; closed, only its heading's counts wait on it).
const DEBOUNCE_MS: u32 = 180;
const DEBOUNCE_CLOSED_MS: u32 = 700;

const LEVELS: [(&str, &str); 5] = [
    ("list", "List"),
    ("read", "Read"),
    ("write", "Write"),
    ("tagging", "Tagging"),
    ("permissions-management", "Permissions management"),
];

/// Which cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Only(Decision),
}

/// A computed grid and what it was computed from.
#[derive(Debug, Clone, PartialEq)]
struct Computed {
    key: String,
    overview: Rc<Overview>,
    /// Milliseconds, in all (the knowledge module's share is in `overview.ms`).
    ms: f64,
}

#[derive(Properties, PartialEq, Debug)]
pub struct OverviewProps {
    pub state: UseReducerHandle<State>,
    pub data: DataState,
    pub open: bool,
    pub readonly: bool,
    pub on_action: Callback<Action>,
    pub on_panel: Callback<(PanelKind, bool)>,
}

/// The pattern evaluated: the one typed, or the request's service.
fn effective_pattern(typed: &str, action: &str) -> Option<String> {
    let typed = typed.trim();
    if !typed.is_empty() {
        return Some(typed.to_owned());
    }
    action.split_once(':').map(|(s, _)| format!("{s}:*")).filter(|p| p.len() > 2)
}

fn counts(cells: &[&OverviewCell]) -> [usize; 3] {
    let mut n = [0; 3];
    for c in cells {
        let i = match c.decision {
            Some(Decision::Allow) => 0,
            Some(Decision::ExplicitDeny) => 1,
            _ => 2,
        };
        if let Some(x) = n.get_mut(i) {
            *x += 1;
        }
    }
    n
}

#[component]
pub fn OverviewPanel(props: &OverviewProps) -> Html {
    let typed = use_state_eq(String::new);
    let search = use_state_eq(String::new);
    let filter = use_state_eq(|| Filter::All);
    let computed = use_state_eq(|| None::<Computed>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let previous = use_state_eq(|| None::<String>);
    let s = &*props.state;
    let ready = props.data.reference_ready();
    let pattern = effective_pattern(&typed, &s.request.action);

    {
        let state = props.state.clone();
        let computed = computed.clone();
        let timer = timer.clone();
        let pattern = pattern.clone();
        let deps = (s.rev, pattern.clone(), ready, props.data.generation(), props.open);
        use_effect_with(deps, move |(_, _, active, _, open)| {
            if !*active {
                timer.borrow_mut().take();
                return;
            }
            let Some(pattern) = pattern else { return };
            let wait = match (computed.is_none(), *open) {
                (true, _) => 0,
                (false, true) => DEBOUNCE_MS,
                (false, false) => DEBOUNCE_CLOSED_MS,
            };
            let run = move || {
                // The request's action does not change the grid: leave it out of the key.
                let mut input = state.to_input();
                input.request.action = String::new();
                let scenario = serde_json::to_string(&api::scenario_doc(&input)).unwrap_or_default();
                let key = format!("{pattern}\n{scenario}");
                if computed.as_ref().is_some_and(|c| c.key == key) {
                    return;
                }
                let t0 = browser::now();
                let Some(overview) = data::overview(&scenario, &pattern) else { return };
                let ms = browser::now() - t0;
                computed.set(Some(Computed { key, overview: Rc::new(overview), ms }));
            };
            *timer.borrow_mut() = Some(Timeout::new(wait, run));
        });
    }

    let on_pattern = {
        let typed = typed.clone();
        on_input_value(move |v| typed.set(v))
    };
    let on_search = {
        let search = search.clone();
        on_input_value(move |v| search.set(v))
    };
    let current = s.request.action.clone();
    let open_cell = |action: String| {
        let (cb, previous, current) = (props.on_action.clone(), previous.clone(), current.clone());
        Callback::from(move |_: MouseEvent| {
            if !current.eq_ignore_ascii_case(&action) {
                previous.set(Some(current.clone()));
            }
            cb.emit(Action::SetField(Field::Action, action.clone()));
        })
    };

    let placeholder = s
        .request
        .action
        .split_once(':')
        .map_or_else(|| "s3:*".to_owned(), |(svc, _)| format!("{svc}:* (the request's service)"));
    let controls = html! {
        <div class="ov-controls">
            <label class="ov-field">
                <span class="ov-label">{ "Actions" }</span>
                <input class="input mono ov-pattern" type="text" value={(*typed).clone()} oninput={on_pattern}
                    placeholder={placeholder} spellcheck="false" data-testid="overview-pattern"
                    aria-label="Actions to evaluate: a pattern such as s3:Get*, empty for the request's service" />
            </label>
            <label class="ov-field ov-field-search">
                <span class="ov-label">{ "Filter" }</span>
                <input class="input ov-search" type="search" value={(*search).clone()} oninput={on_search}
                    placeholder="name contains…" spellcheck="false" data-testid="overview-search" aria-label="Show actions whose name contains" />
            </label>
        </div>
    };

    let body = match (&*computed, ready, &pattern) {
        (_, false, _) => {
            let text = match props.data.summary() {
                "unavailable" => "The access overview needs the AWS service reference, which could not be loaded.",
                _ => "Loading the AWS service reference…",
            };
            html! { <p class="empty" data-testid="overview-waiting">{ text }</p> }
        }
        (_, true, None) => {
            html! { <p class="empty">{ "Give the request an action (service:Name) or a pattern above." }</p> }
        }
        (None, true, Some(_)) => html! { <p class="empty">{ "Evaluating…" }</p> },
        (Some(c), true, Some(_)) => {
            let o = &c.overview;
            match &o.error {
                Some(e) => {
                    html! { <p class="empty ov-error" data-testid="overview-error">{ crate::components::rich(e) }</p> }
                }
                None => grid(o, c.ms, &search, *filter, &filter, &current, &previous, &open_cell, props.readonly),
            }
        }
    };
    let waiting = match props.data.summary() {
        "unavailable" => Some(AttrValue::Static("needs the AWS data, which could not be loaded")),
        "ready" => None,
        _ => Some(AttrValue::Static("loading the AWS data…")),
    };
    let subtitle = waiting.or_else(|| {
        computed.as_ref().filter(|c| c.overview.error.is_none() && ready).map(|c| {
            let o = &c.overview;
            let [a, d, i] = counts(&o.cells.iter().collect::<Vec<_>>());
            AttrValue::from(format!(
                "{} · {a} allowed · {d} explicit deny · {i} implicit deny",
                o.service.as_deref().unwrap_or(o.pattern.as_str())
            ))
        })
    });
    html! {
        <Panel kind={PanelKind::Overview} open={props.open} on_toggle={props.on_panel.clone()} {subtitle}>
            <div class="overview" data-testid="overview">
                { controls }
                { body }
            </div>
        </Panel>
    }
}

#[allow(clippy::too_many_arguments, reason = "one view function; splitting it would only move the arguments")]
fn grid(
    o: &Overview,
    ms: f64,
    search: &str,
    filter: Filter,
    set_filter: &UseStateHandle<Filter>,
    current: &str,
    previous: &UseStateHandle<Option<String>>,
    open_cell: &dyn Fn(String) -> Callback<MouseEvent>,
    readonly: bool,
) -> Html {
    let needle = search.trim().to_ascii_lowercase();
    let by_name: Vec<&OverviewCell> =
        o.cells.iter().filter(|c| needle.is_empty() || c.action.to_ascii_lowercase().contains(&needle)).collect();
    let [allowed, denied, implicit] = counts(&by_name);
    let shown: Vec<&OverviewCell> = by_name
        .iter()
        .copied()
        .filter(|c| match filter {
            Filter::All => true,
            Filter::Only(Decision::Allow) => c.decision == Some(Decision::Allow),
            Filter::Only(Decision::ExplicitDeny) => c.decision == Some(Decision::ExplicitDeny),
            Filter::Only(Decision::ImplicitDeny) => {
                !matches!(c.decision, Some(Decision::Allow) | Some(Decision::ExplicitDeny))
            }
        })
        .collect();
    let chip = |f: Filter, label: &str, n: usize, class: &'static str, key: &'static str| {
        let pressed = filter == f;
        let set = set_filter.clone();
        let onclick = Callback::from(move |_: MouseEvent| set.set(if pressed { Filter::All } else { f }));
        html! {
            <button type="button" class={classes!("ov-chip", class, pressed.then_some("pressed"))} {onclick}
                aria-pressed={pressed.to_string()} data-testid="overview-filter" data-filter={key}>
                <span class="ov-chip-n">{ n.to_string() }</span>{ label.to_owned() }
            </button>
        }
    };
    let single_service = o.pattern != "*";
    let back = previous.as_ref().filter(|p| !p.eq_ignore_ascii_case(current)).map(|p| {
        let onclick = open_cell(p.clone());
        let previous = previous.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            onclick.emit(e);
            previous.set(None);
        });
        html! {
            <button type="button" class="link-button ov-back" {onclick} data-testid="overview-back">
                { "← back to " }<code>{ p.clone() }</code>
            </button>
        }
    });
    html! {
        <>
            <div class="ov-summary" role="group" aria-label="Show only">
                { chip(Filter::All, "actions", by_name.len(), "d-none", "all") }
                { chip(Filter::Only(Decision::Allow), "allowed", allowed, "d-allow", "allow") }
                { chip(Filter::Only(Decision::ExplicitDeny), "explicit deny", denied, "d-deny", "explicit-deny") }
                { chip(Filter::Only(Decision::ImplicitDeny), "implicit deny", implicit, "d-implicit", "implicit-deny") }
            </div>
            <p class="ov-hint">
                { if readonly { "Each cell is one action, evaluated against this request." } else { "Click an action to see its trace: it becomes the request's action." } }
                { for back }
            </p>
            <div class="ov-groups" data-testid="overview-grid">
                { for LEVELS.iter().map(|(key, title)| {
                    let cells: Vec<&OverviewCell> = shown.iter().copied().filter(|c| c.access == *key).collect();
                    if cells.is_empty() {
                        return Html::default();
                    }
                    let [a, d, i] = counts(&cells);
                    html! {
                        <section class="ov-group" data-testid="overview-group" data-access={*key}>
                            <h3 class="ov-group-title">
                                { *title }
                                <span class="ov-group-counts">
                                    <span class="ov-count">{ format!("{} action{}", cells.len(), if cells.len() == 1 { "" } else { "s" }) }</span>
                                    if a > 0 { <span class="ov-count ov-count-allow">{ format!("{a} allowed") }</span> }
                                    if d > 0 { <span class="ov-count ov-count-deny">{ format!("{d} denied") }</span> }
                                    if i > 0 && (a > 0 || d > 0) { <span class="ov-count ov-count-implicit">{ format!("{i} implicit") }</span> }
                                </span>
                            </h3>
                            <ul class="ov-cells">
                                { for cells.into_iter().map(|c| {
                                    let is_current = c.action.eq_ignore_ascii_case(current);
                                    let label = if single_service { c.action.split_once(':').map_or(c.action.as_str(), |(_, n)| n) } else { c.action.as_str() };
                                    let word = c.decision.map_or("not evaluated", decision_title);
                                    html! {
                                        <li>
                                            <button type="button" class={classes!("ov-cell", decision_class(c.decision), is_current.then_some("current"))}
                                                onclick={open_cell(c.action.clone())} disabled={readonly}
                                                title={format!("{}: {word}", c.action)} aria-current={is_current.then_some("true")}
                                                data-testid="overview-cell" data-action={c.action.clone()}
                                                data-decision={c.decision.map_or("none", |d| d.as_str())}>
                                                <span class="ov-dot" aria-hidden="true" />
                                                <span class="ov-name">{ label.to_owned() }</span>
                                                <span class="sr-only">{ format!(": {word}") }</span>
                                            </button>
                                        </li>
                                    }
                                }) }
                            </ul>
                        </section>
                    }
                }) }
                if shown.is_empty() {
                    <p class="empty">{ "No action matches the filter." }</p>
                }
            </div>
            <p class="ov-time muted" data-testid="overview-time" data-ms={fixed(ms, 3)} data-module-ms={fixed(o.ms, 3)}>
                { format!("{} actions evaluated in {} ms ({} ms in the knowledge module).", o.cells.len(), fixed(ms, 1), fixed(o.ms, 1)) }
            </p>
        </>
    }
}
