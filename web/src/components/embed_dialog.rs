//! Embed: builds an iframe snippet for documentation pages.

use yew::prelude::*;

use crate::browser;
use crate::components::dialog::{copy_into, html_attr, on_escape, status_text, Copied};
use crate::context::use_page;
use crate::share::{self, ViewOptions};
use crate::state::{Panel, PanelSet, State};

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    pub state: UseReducerHandle<State>,
}

/// Embed: builds an iframe snippet for documentation pages.
#[component]
pub fn EmbedDialog(props: &DialogProps) -> Html {
    let chain = props.state.chain.is_some();
    let panels = use_state_eq(move || if chain { PanelSet::of(&[Panel::Walk]) } else { PanelSet::embed_default() });
    let readonly = use_state_eq(|| true);
    let copied = use_state_eq(|| Copied::Not);
    let view = ViewOptions { embed: true, panels: Some(*panels), readonly: *readonly, theme: None };
    let src = format!("{}#{}", browser::base_url(), share::fragment_for(&props.state, &view));
    let title = props.state.title();
    let height = if panels.contains(Panel::Policies) || panels.contains(Panel::Trace) { 560 } else { 320 };
    let snippet = format!(
        "<iframe src=\"{}\" title=\"iamtrace: {}\" width=\"100%\" height=\"{height}\" loading=\"lazy\" style=\"border:1px solid #d0d7de;border-radius:8px\"></iframe>",
        html_attr(&src),
        html_attr(&title)
    );
    let toggle = |p: Panel| {
        let panels = panels.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            panels.set(panels.with(p, input.checked()));
        })
    };
    let on_readonly = {
        let readonly = readonly.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            readonly.set(input.checked());
        })
    };
    let copy = {
        let (snippet, copied) = (snippet.clone(), copied.clone());
        Callback::from(move |_| copy_into(snippet.clone(), copied.clone()))
    };
    use_effect_with((), |_| browser::focus("embed-first-option"));
    let page = use_page();
    let close = page.on_close::<MouseEvent>();
    html! {
        <div class="dialog" id="embed-dialog" role="dialog" aria-labelledby="embed-title" data-testid="embed-dialog"
            onkeydown={on_escape(page.on_close())}>
            <div class="dialog-head">
                <h2 id="embed-title" class="dialog-title">{ "Embed in a page" }</h2>
                <button type="button" class="btn btn-ghost btn-small" onclick={close} aria-label="Close the embed dialog">{ "Close" }</button>
            </div>
            <fieldset class="embed-options">
                <legend class="field-label">{ "Panels to show" }</legend>
                { for Panel::ALL.iter().filter(|p| p.is_chain() == props.state.chain.is_some()).map(|p| html! {
                    <label class="check">
                        <input type="checkbox" checked={panels.contains(*p)} onchange={toggle(*p)}
                            id={(*p == Panel::Policies).then_some("embed-first-option")}
                            data-testid={format!("embed-panel-{}", p.key())} />
                        { p.title() }
                    </label>
                }) }
                <label class="check check-separate">
                    <input type="checkbox" checked={*readonly} onchange={on_readonly} data-testid="embed-readonly" />
                    { "Read-only" }
                </label>
            </fieldset>
            <label class="field-label" for="embed-snippet">{ "HTML snippet" }</label>
            <textarea id="embed-snippet" class="input mono snippet" readonly=true rows="4" value={snippet} data-testid="embed-snippet" />
            <div class="copy-row copy-row-end">
                <a class="btn btn-ghost" href={src} target="_blank" rel="noopener" data-testid="embed-preview">{ "Preview" }</a>
                <button type="button" class="btn btn-primary" onclick={copy} data-testid="embed-copy">{ "Copy snippet" }</button>
            </div>
            <p class="copy-status" role="status">{ status_text(*copied, "Snippet") }</p>
        </div>
    }
}
