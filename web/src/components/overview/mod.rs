//! The access overview: the scenario's request evaluated for every action of
//! its service (or every action a pattern such as `s3:Get*` covers), against
//! the same principal, resource and context, shown as a grid grouped by
//! access level. A cell opens its own trace: it becomes the request's
//! action, and the decision and the trace follow.
//!
//! The grid is computed in the knowledge module (the policies are parsed
//! once for all actions), after the inputs have been still for a moment;
//! while the panel is closed its heading shows the counts.

mod grid;

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use iamtrace::api;
use yew::prelude::*;

use grid::{counts, Filter, OverviewGrid};

use crate::browser;
use crate::components::on_input_value;
use crate::components::panel::Panel;
use crate::context::use_page;
use crate::data::{self, DataState};
use crate::knowledge::wire::Overview;
use crate::state::{Action, Field, Panel as PanelKind, PolicyState, RequestState};

/// Quiet time after the last change before the grid is recomputed (the
/// panel open; closed, only its heading's counts wait on it).
const DEBOUNCE_MS: u32 = 180;
const DEBOUNCE_CLOSED_MS: u32 = 700;

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
    pub policies: Rc<PolicyState>,
    pub request: Rc<RequestState>,
    pub data: DataState,
    pub open: bool,
}

/// The pattern evaluated: the one typed, or the request's service.
fn effective_pattern(typed: &str, action: &str) -> Option<String> {
    let typed = typed.trim();
    if !typed.is_empty() {
        return Some(typed.to_owned());
    }
    action.split_once(':').map(|(s, _)| format!("{s}:*")).filter(|p| p.len() > 2)
}

/// The grid for the scenario and a pattern, recomputed once the inputs have
/// been still for a moment (longer while the panel is closed).
#[hook]
fn use_overview(props: &OverviewProps, pattern: Option<String>) -> Option<Computed> {
    let computed = use_state_eq(|| None::<Computed>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let ready = props.data.reference_ready();
    let (policies, request, current) = (props.policies.clone(), props.request.clone(), computed.clone());
    let deps = (props.policies.clone(), props.request.clone(), pattern, ready, props.data.generation(), props.open);
    use_effect_with(deps, move |(_, _, pattern, active, _, open)| {
        if !*active {
            timer.borrow_mut().take();
            return;
        }
        let Some(pattern) = pattern.clone() else { return };
        let wait = match (current.is_none(), *open) {
            (true, _) => 0,
            (false, true) => DEBOUNCE_MS,
            (false, false) => DEBOUNCE_CLOSED_MS,
        };
        let run = move || {
            // The request's action does not change the grid: leave it out of the key.
            let mut request = request.input();
            request.action = String::new();
            let input = api::Input { name: None, policies: policies.texts(), request, expected: None };
            let scenario = serde_json::to_string(&api::scenario_doc(&input)).unwrap_or_default();
            let key = format!("{pattern}\n{scenario}");
            if current.as_ref().is_some_and(|c| c.key == key) {
                return;
            }
            let t0 = browser::now();
            let Some(overview) = data::overview(&scenario, &pattern) else { return };
            let ms = browser::now() - t0;
            current.set(Some(Computed { key, overview: Rc::new(overview), ms }));
        };
        *timer.borrow_mut() = Some(Timeout::new(wait, run));
    });
    (*computed).clone()
}

#[component]
pub fn OverviewPanel(props: &OverviewProps) -> Html {
    let page = use_page();
    let typed = use_state_eq(String::new);
    let search = use_state_eq(String::new);
    let filter = use_state_eq(|| Filter::All);
    let previous = use_state_eq(|| None::<AttrValue>);
    let action = props.request.action.clone();
    let computed = use_overview(props, effective_pattern(&typed, &action));
    let ready = props.data.reference_ready();

    let on_pattern = {
        let typed = typed.setter();
        on_input_value(move |v| typed.set(v))
    };
    let on_search = {
        let search = search.setter();
        on_input_value(move |v| search.set(v))
    };
    // Kept while the request's action stays the same, so the grid does not
    // re-render until the overview itself changes.
    let on_open = {
        let (page, previous) = (page.clone(), previous.setter());
        use_callback(action.clone(), move |action: String, current: &String| {
            if !current.eq_ignore_ascii_case(&action) {
                previous.set(Some(AttrValue::from(current.clone())));
            }
            page.act(Action::SetField(Field::Action, action));
        })
    };
    let on_back = {
        let (page, previous) = (page.clone(), previous.setter());
        use_callback((), move |action: String, _| {
            page.act(Action::SetField(Field::Action, action));
            previous.set(None);
        })
    };

    let placeholder =
        action.split_once(':').map_or_else(|| "s3:*".to_owned(), |(svc, _)| format!("{svc}:* (the request's service)"));
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

    let body = match (&computed, ready, effective_pattern(&typed, &action)) {
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
        (Some(c), true, Some(_)) => match &c.overview.error {
            Some(e) => {
                html! { <p class="empty ov-error" data-testid="overview-error">{ crate::components::rich(e) }</p> }
            }
            None => html! {
                <OverviewGrid overview={c.overview.clone()} ms={c.ms} search={AttrValue::from((*search).clone())}
                    filter={*filter} on_filter={filter.setter().to_callback()} current={AttrValue::from(action.clone())}
                    previous={(*previous).clone()} {on_open} {on_back} readonly={page.readonly} />
            },
        },
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
        <Panel kind={PanelKind::Overview} open={props.open} {subtitle}>
            <div class="overview" data-testid="overview">
                { controls }
                { body }
            </div>
        </Panel>
    }
}
