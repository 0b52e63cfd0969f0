//! The top bar of the full page: the examples, the decision, Share, Embed
//! and the theme.

use iamtrace::Decision;
use yew::prelude::*;

use crate::components::decision_class;
use crate::context::{use_page, Dialog};
use crate::eval::decision_title;
use crate::examples::{self, CHAINS, EXAMPLES};
use crate::share::Theme;

#[derive(Properties, PartialEq, Debug)]
pub struct HeaderProps {
    /// The example the scenario came from.
    pub example: Option<AttrValue>,
    /// Whether it was edited since.
    pub edited: bool,
    pub decision: Option<Decision>,
    /// Whether the one-request decision is shown (not while a chain is).
    #[prop_or(true)]
    pub show_decision: bool,
    pub errors: usize,
    pub theme: Theme,
    pub dialog: Option<Dialog>,
    pub on_example: Callback<String>,
    pub on_theme: Callback<()>,
}

pub fn logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" class="logo-bg" />
            <path d="M9 9.5h14M16 9.5v13M11 22.5h10" class="logo-mark" />
        </svg>
    }
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let onchange = {
        let cb = props.on_example.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit(select.value());
        })
    };
    let page = use_page();
    let current = props.example.clone().unwrap_or_default();
    let example = props.example.as_deref().and_then(|id| examples::find(id).or_else(|| examples::find_chain(id)));
    let toggle = |d: Dialog| {
        let (page, open) = (page.clone(), props.dialog);
        Callback::from(move |_: MouseEvent| if open == Some(d) { page.close_dialog() } else { page.open_dialog(d) })
    };
    let on_theme = props.on_theme.reform(|_: MouseEvent| ());
    let dark = props.theme == Theme::Dark;
    let chip = match props.decision {
        Some(d) => decision_title(d).to_owned(),
        None if props.errors > 0 => format!("{} error{}", props.errors, if props.errors == 1 { "" } else { "s" }),
        None => "No decision".to_owned(),
    };
    html! {
        <header class="topbar">
            <div class="brand">
                { logo() }
                <div class="brand-text">
                    <span class="brand-name">{ "iamtrace" }</span>
                    <span class="brand-sub">{ "IAM policy playground" }</span>
                </div>
            </div>
            <div class="example-picker">
                <label for="example-select" class="example-label">{ "Example" }</label>
                <select id="example-select" class="select" data-testid="example-select" {onchange}>
                    if props.example.is_none() {
                        <option value="" selected=true disabled=true>{ "Your own scenario" }</option>
                    }
                    <optgroup label="One request">
                        { for EXAMPLES.iter().map(|e| html! {
                            <option value={e.id} selected={e.id == current.as_str()}>{ e.title }</option>
                        }) }
                    </optgroup>
                    <optgroup label="Credential chains (STS)">
                        { for CHAINS.iter().map(|e| html! {
                            <option value={e.id} selected={e.id == current.as_str()}>{ e.title }</option>
                        }) }
                    </optgroup>
                </select>
                if let Some(e) = example {
                    <span class="example-blurb" title={e.blurb}>
                        if props.edited { <span class="edited-tag">{ "edited · " }</span> }
                        { e.blurb }
                    </span>
                }
            </div>
            if props.show_decision {
                <a class={classes!("decision-chip", decision_class(props.decision))} href="#answer" data-testid="decision-chip"
                    aria-label={format!("Decision: {chip}")}>{ chip }</a>
            }
            <div class="topbar-actions">
                <button type="button" class="btn btn-primary" data-testid="share-button" onclick={toggle(Dialog::Share)}
                    aria-expanded={(props.dialog == Some(Dialog::Share)).to_string()} aria-controls="share-dialog">
                    { "Share" }
                </button>
                <button type="button" class="btn" data-testid="embed-button" onclick={toggle(Dialog::Embed)}
                    aria-expanded={(props.dialog == Some(Dialog::Embed)).to_string()} aria-controls="embed-dialog">
                    { "Embed" }
                </button>
                <button type="button" class="btn btn-icon" data-testid="theme-toggle" onclick={on_theme}
                    aria-label={if dark { "Switch to the light theme" } else { "Switch to the dark theme" }}
                    aria-pressed={dark.to_string()} title={if dark { "Light theme" } else { "Dark theme" }}>
                    if dark {
                        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="4.5" /><path d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8" /></svg>
                    } else {
                        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z" /></svg>
                    }
                </button>
            </div>
        </header>
    }
}
