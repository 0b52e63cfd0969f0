//! The slim bar of an embed: what this is, and the way out to the full
//! playground.

use yew::prelude::*;

use crate::browser;
use crate::components::header::logo;
use crate::share::{self, ViewOptions};
use crate::state::State;

#[derive(Properties, PartialEq, Debug)]
pub struct EmbedBarProps {
    /// The scenario (the link out carries all of it).
    pub state: UseReducerHandle<State>,
}

/// An embed's bar: what this is, and the way out to the full playground.
#[component]
pub fn EmbedBar(props: &EmbedBarProps) -> Html {
    let title = props.state.title();
    // The link is computed when it is used, so it always carries the
    // current state.
    let full_link =
        |state: &State| format!("{}#{}", browser::base_url(), share::fragment_for(state, &ViewOptions::default()));
    let href = full_link(&props.state);
    let refresh = {
        let state = props.state.clone();
        Callback::from(move |e: Event| {
            let a: web_sys::HtmlAnchorElement = e.target_unchecked_into();
            a.set_href(&full_link(&state));
        })
    };
    let onclick = refresh.reform(|e: MouseEvent| e.into());
    let onfocus = refresh.reform(|e: FocusEvent| e.into());
    html! {
        <header class="embedbar">
            <span class="embed-brand">{ logo() }<span class="brand-name">{ "iamtrace" }</span></span>
            <span class="embed-title">{ title }</span>
            <a class="embed-open" href={href} target="_blank" rel="noopener" data-testid="open-full" {onclick} {onfocus}>
                { "Open in the full playground" }<span aria-hidden="true">{ " ↗" }</span>
            </a>
        </header>
    }
}
