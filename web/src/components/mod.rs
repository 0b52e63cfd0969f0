//! The page's components, one per file (a panel with parts: one folder).
//! Each takes only what it renders, as props, and reads what the whole page
//! shares (changing the state, picking, dialogs, read-only) from the
//! [`crate::context::PageContext`]; only [`app::App`] owns state.

pub mod app;
pub mod arn;
pub mod chain;
pub mod checks;
pub mod cloudtrail;
pub mod decision;
pub mod diagram;
pub mod dialog;
pub mod embed_bar;
pub mod embed_dialog;
pub mod footer;
pub mod header;
pub mod lazy_panels;
pub mod link_error;
pub mod managed;
pub mod overview;
pub mod panel;
pub mod policies;
pub mod request;
pub mod share_dialog;
pub mod trace;

use iamtrace::trace::Verdict;
use iamtrace::Decision;

/// A short word for a verdict, as shown on badges.
pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Info => "Info",
        Verdict::Allow => "Allow",
        Verdict::NoAllow => "No allow",
        Verdict::ExplicitDeny => "Deny",
        Verdict::Pass => "Pass",
        Verdict::Skipped => "Skipped",
        Verdict::NotApplicable => "N/A",
        Verdict::NotReached => "Not reached",
        Verdict::ImplicitDeny => "Implicit deny",
    }
}

/// The CSS modifier for a verdict.
pub fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Info => "v-info",
        Verdict::Allow => "v-allow",
        Verdict::NoAllow => "v-noallow",
        Verdict::ExplicitDeny => "v-deny",
        Verdict::Pass => "v-pass",
        Verdict::Skipped => "v-skipped",
        Verdict::NotApplicable => "v-na",
        Verdict::NotReached => "v-notreached",
        Verdict::ImplicitDeny => "v-implicit",
    }
}

/// A kebab-case name for a verdict (`data-verdict`).
pub fn verdict_key(v: Verdict) -> &'static str {
    match v {
        Verdict::Info => "info",
        Verdict::Allow => "allow",
        Verdict::NoAllow => "no-allow",
        Verdict::ExplicitDeny => "explicit-deny",
        Verdict::Pass => "pass",
        Verdict::Skipped => "skipped",
        Verdict::NotApplicable => "not-applicable",
        Verdict::NotReached => "not-reached",
        Verdict::ImplicitDeny => "implicit-deny",
    }
}

/// The CSS modifier for a decision (`none` while inputs have errors).
pub fn decision_class(d: Option<Decision>) -> &'static str {
    match d {
        Some(Decision::Allow) => "d-allow",
        Some(Decision::ExplicitDeny) => "d-deny",
        Some(Decision::ImplicitDeny) => "d-implicit",
        None => "d-none",
    }
}

/// A click that adds `item` to a set held in state (a list shown whole, a
/// group opened for good).
pub fn add_on_click<T>(
    set: &yew::UseStateHandle<std::collections::HashSet<T>>,
    item: T,
) -> yew::Callback<yew::MouseEvent>
where
    T: Eq + std::hash::Hash + Clone + 'static,
{
    let set = set.clone();
    yew::Callback::from(move |_: yew::MouseEvent| {
        let mut next = (*set).clone();
        next.insert(item.clone());
        set.set(next);
    })
}

/// The value of the input an event came from.
pub fn input_value(e: &yew::InputEvent) -> String {
    use yew::TargetCast;
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

/// An `oninput` handler that hands the input's new value to `f`.
pub fn on_input_value(f: impl Fn(String) + 'static) -> yew::Callback<yew::InputEvent> {
    use yew::TargetCast;
    yew::Callback::from(move |e: yew::InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        f(input.value());
    })
}

/// Renders a core message, where user input is in backticks, with the
/// quoted parts as code. Text only: nothing becomes markup.
pub fn rich(text: &str) -> yew::Html {
    use yew::html;
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks: show the text as it is.
    if parts.len().is_multiple_of(2) {
        return html! { { text.to_owned() } };
    }
    html! {
        { for parts.iter().enumerate().map(|(i, p)| if i % 2 == 1 {
            html! { <code class="mono q">{ (*p).to_owned() }</code> }
        } else {
            html! { { (*p).to_owned() } }
        }) }
    }
}
