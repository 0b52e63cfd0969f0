//! The request step's body: the request as the evaluator read it.

use iamtrace::trace::RequestFacts;
use yew::prelude::*;

use super::elements::code;
use crate::components::rich;
use crate::data;

pub(super) fn facts_view(f: &RequestFacts) -> Html {
    let row = |k: &'static str, v: Html| html! { <div class="fact"><dt>{ k }</dt><dd>{ v }</dd></div> };
    html! {
        <dl class="facts">
            { row("principal", html! { <>{ code(&f.principal) }<span class="muted">{ format!(" · {}", f.principal_kind.describe()) }</span></> }) }
            if let Some(p) = &f.session_parent {
                { row("session of", code(p)) }
            }
            { row("action", code(&f.action)) }
            { row("service", match data::service_name(&f.service) {
                Some(name) => html! { <span data-testid="trace-service">{ name }<span class="muted">{ format!(" ({})", f.service) }</span></span> },
                None => html! { <span data-testid="trace-service">{ code(&f.service) }</span> },
            }) }
            { row("resource", code(&f.resource)) }
            { row("accounts", html! {
                <>
                    { f.principal_account.clone().unwrap_or_else(|| "none".into()) }
                    { " → " }
                    { f.resource_account.clone().unwrap_or_else(|| "none".into()) }
                    { match f.cross_account { Some(true) => " (cross-account)", Some(false) => " (same account)", None => "" } }
                </>
            }) }
            { row("policies", html! {
                <ul class="applies-list">
                    { for f.policies.iter().map(|a| html! {
                        <li class={if a.applies { "applies-yes" } else { "applies-no" }}>
                            { format!("{} ×{}: ", a.kind.key(), a.count) }{ rich(&a.reason) }
                        </li>
                    }) }
                </ul>
            }) }
        </dl>
    }
}
