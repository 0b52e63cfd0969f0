//! The footer: the privacy promise, the AWS data this page ships (package
//! versions, and whether it has loaded), and the timings of the last
//! evaluation.

use yew::prelude::*;

use crate::data::{self, DataState};
use crate::knowledge::wire::Phase;
use crate::num::fixed;

#[derive(Properties, PartialEq, Debug)]
pub struct FooterProps {
    pub data: DataState,
    /// The data versions of the page that made the open link, if it said.
    pub made_with: Option<Vec<String>>,
    pub eval_ms: f64,
    /// The checks' share of the evaluation (with the way to the knowledge module and back).
    pub lint_ms: Option<f64>,
}

fn status_text(d: &DataState) -> String {
    let s = &d.status;
    match d.summary() {
        "ready" => {
            let more = [(s.descriptions, "descriptions"), (s.managed, "managed policies")]
                .iter()
                .filter(|(p, _)| *p == Phase::Ready)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>();
            if more.is_empty() {
                "loaded".to_owned()
            } else {
                format!("loaded, with {}", more.join(" and "))
            }
        }
        "unavailable" => "not available: checks, completion and the overview are off".to_owned(),
        "idle" => "not loaded yet".to_owned(),
        _ => "loading…".to_owned(),
    }
}

/// `pkg@1.2` → `pkg 1.2` (the scope's `@` stays).
fn spaced(v: &str) -> String {
    match v.rfind('@').filter(|&i| i > 0) {
        Some(i) => format!("{} {}", v.get(..i).unwrap_or(v), v.get(i + 1..).unwrap_or("")),
        None => v.to_owned(),
    }
}

#[component]
pub fn Footer(props: &FooterProps) -> Html {
    let d = &props.data;
    let sources = data::sources();
    let versions = data::versions();
    let title = d.error.clone().or_else(|| d.status.error.clone()).unwrap_or_default();
    let note = props.made_with.as_ref().filter(|m| **m != versions).map(|m| {
        html! {
            <span class="footer-note" data-testid="data-version-note">
                { format!("This link was made with {}; this page has newer or other data.", m.iter().map(|v| spaced(v)).collect::<Vec<_>>().join(", ")) }
            </span>
        }
    });
    html! {
        <footer class="footer">
            <span>{ "Runs entirely in your browser: nothing you type leaves this page." }</span>
            <span class="footer-data" data-testid="data-status" data-status={d.summary()} title={title}>
                <span class={classes!("data-dot", format!("data-dot-{}", d.summary()))} aria-hidden="true" />
                { "AWS data: " }
                <span data-testid="data-versions">
                    { for sources.iter().enumerate().map(|(i, s)| html! {
                        <>
                            { if i > 0 { " · " } else { "" } }
                            <span class="data-source" title={format!("npm {}@{}", s.package, s.version)}>
                                { format!("{} {}", s.package, s.version) }
                                <span class="muted">{ format!(" ({})", s.date) }</span>
                            </span>
                        </>
                    }) }
                </span>
                { format!(" · {}", status_text(d)) }
            </span>
            { for note }
            <span class="footer-timing" data-testid="eval-time">
                { format!("Evaluated in {} ms", fixed(props.eval_ms, 1)) }
                if let Some(ms) = props.lint_ms {
                    { format!(" (checks {} ms)", fixed(ms, 1)) }
                }
            </span>
        </footer>
    }
}
