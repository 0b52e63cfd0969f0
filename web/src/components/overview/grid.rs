//! The access overview's grid: every action evaluated, grouped by access
//! level, filterable by decision and name; a cell opens its own trace.

use std::rc::Rc;

use iamtrace::Decision;
use yew::prelude::*;

use crate::components::decision_class;
use crate::eval::decision_title;
use crate::knowledge::wire::{Overview, OverviewCell};
use crate::num::fixed;

const LEVELS: [(&str, &str); 5] = [
    ("list", "List"),
    ("read", "Read"),
    ("write", "Write"),
    ("tagging", "Tagging"),
    ("permissions-management", "Permissions management"),
];

/// Which cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Only(Decision),
}

/// Allowed, explicitly denied, implicitly denied (or not evaluated).
pub fn counts(cells: &[&OverviewCell]) -> [usize; 3] {
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

#[derive(Properties, PartialEq, Debug)]
pub struct GridProps {
    pub overview: Rc<Overview>,
    /// Milliseconds in all (the knowledge module's share is in the overview).
    pub ms: f64,
    /// Show actions whose name contains this.
    pub search: AttrValue,
    pub filter: Filter,
    pub on_filter: Callback<Filter>,
    /// The request's action.
    pub current: AttrValue,
    /// The action before a cell was opened ("← back").
    pub previous: Option<AttrValue>,
    /// Makes an action the request's.
    pub on_open: Callback<String>,
    /// Goes back to `previous`.
    pub on_back: Callback<String>,
    pub readonly: bool,
}

fn shown_by(filter: Filter, c: &OverviewCell) -> bool {
    match filter {
        Filter::All => true,
        Filter::Only(Decision::Allow) => c.decision == Some(Decision::Allow),
        Filter::Only(Decision::ExplicitDeny) => c.decision == Some(Decision::ExplicitDeny),
        Filter::Only(Decision::ImplicitDeny) => {
            !matches!(c.decision, Some(Decision::Allow) | Some(Decision::ExplicitDeny))
        }
    }
}

#[component]
pub fn OverviewGrid(props: &GridProps) -> Html {
    let o = &props.overview;
    let current = props.current.as_str();
    let needle = props.search.trim().to_ascii_lowercase();
    let by_name: Vec<&OverviewCell> =
        o.cells.iter().filter(|c| needle.is_empty() || c.action.to_ascii_lowercase().contains(&needle)).collect();
    let [allowed, denied, implicit] = counts(&by_name);
    let shown: Vec<&OverviewCell> = by_name.iter().copied().filter(|c| shown_by(props.filter, c)).collect();
    let chip = |f: Filter, label: &str, n: usize, class: &'static str, key: &'static str| {
        let pressed = props.filter == f;
        let onclick = props.on_filter.reform(move |_: MouseEvent| if pressed { Filter::All } else { f });
        html! {
            <button type="button" class={classes!("ov-chip", class, pressed.then_some("pressed"))} {onclick}
                aria-pressed={pressed.to_string()} data-testid="overview-filter" data-filter={key}>
                <span class="ov-chip-n">{ n.to_string() }</span>{ label.to_owned() }
            </button>
        }
    };
    let single_service = o.pattern != "*";
    let back = props.previous.as_ref().filter(|p| !p.eq_ignore_ascii_case(current)).map(|p| {
        let onclick = props.on_back.reform({
            let p = p.to_string();
            move |_: MouseEvent| p.clone()
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
                { if props.readonly { "Each cell is one action, evaluated against this request." } else { "Click an action to see its trace: it becomes the request's action." } }
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
                                    let onclick = props.on_open.reform({
                                        let action = c.action.clone();
                                        move |_: MouseEvent| action.clone()
                                    });
                                    html! {
                                        <li>
                                            <button type="button" class={classes!("ov-cell", decision_class(c.decision), is_current.then_some("current"))}
                                                {onclick} disabled={props.readonly}
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
            <p class="ov-time muted" data-testid="overview-time" data-ms={fixed(props.ms, 3)} data-module-ms={fixed(o.ms, 3)}>
                { format!("{} actions evaluated in {} ms ({} ms in the knowledge module).", o.cells.len(), fixed(props.ms, 1), fixed(o.ms, 1)) }
            </p>
        </>
    }
}
