//! The Share and Embed dialogs.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::browser;
use crate::components::app::EMBED_DEFAULT_PANELS;
use crate::share::{self, ViewOptions};
use crate::state::{Panel, PanelSet, State};

/// Copy status shown next to a copy button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    Failed,
}

fn copy_into(text: String, status: UseStateHandle<Copied>) {
    spawn_local(async move {
        status.set(if browser::copy(&text).await { Copied::Yes } else { Copied::Failed });
    });
}

fn status_text(c: Copied, what: &str) -> String {
    match c {
        Copied::Not => String::new(),
        Copied::Yes => format!("{what} copied to the clipboard"),
        Copied::Failed => "Copying was not allowed: select the text and copy it yourself".to_owned(),
    }
}

/// A dialog's `onkeydown`: Escape closes it.
pub fn on_escape(close: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close.emit(());
        }
    })
}

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    pub state: UseReducerHandle<State>,
    pub on_close: Callback<()>,
}

/// Share: copies the exact-state link at once, and offers the plain JSON form.
#[component]
pub fn ShareDialog(props: &DialogProps) -> Html {
    let base = browser::base_url();
    let link = format!("{base}#{}", share::share_fragment(&props.state));
    let json_link = format!("{base}#{}", share::scenario_fragment(&props.state));
    let copied = use_state_eq(|| Copied::Not);
    let copied_json = use_state_eq(|| Copied::Not);
    {
        let (link, copied) = (link.clone(), copied.clone());
        use_effect_with((), move |_| {
            copy_into(link, copied);
            browser::select_input("share-link");
        });
    }
    let copy_link = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_| copy_into(link.clone(), copied.clone()))
    };
    let copy_json = {
        let (link, copied) = (json_link.clone(), copied_json.clone());
        Callback::from(move |_| copy_into(link.clone(), copied.clone()))
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let select_all = Callback::from(|e: FocusEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="dialog" id="share-dialog" role="dialog" aria-labelledby="share-title" data-testid="share-dialog"
            onkeydown={on_escape(props.on_close.clone())}>
            <div class="dialog-head">
                <h2 id="share-title" class="dialog-title">{ "Share this scenario" }</h2>
                <button type="button" class="btn btn-ghost btn-small" onclick={close} aria-label="Close the share dialog">{ "Close" }</button>
            </div>
            <p class="dialog-text">
                { "The link carries every policy text and the request, compressed after the " }<code>{ "#" }</code>
                { ". Browsers never send that part to a server, so the scenario stays between you and whoever opens the link." }
            </p>
            <label class="field-label" for="share-link">{ "Link to this exact state" }</label>
            <div class="copy-row">
                <input id="share-link" class="input mono" readonly=true value={link} data-testid="share-link" onfocus={select_all.clone()} />
                <button type="button" class="btn btn-primary" onclick={copy_link} data-testid="share-copy">{ "Copy" }</button>
            </div>
            <p class="copy-status" role="status" data-testid="share-status" data-copied={(*copied == Copied::Yes).to_string()}>
                { status_text(*copied, "Link") }
            </p>
            <label class="field-label" for="share-json-link">{ "Plain JSON link (readable, for docs written by hand)" }</label>
            <div class="copy-row">
                <input id="share-json-link" class="input mono" readonly=true value={json_link} data-testid="share-json-link" onfocus={select_all} />
                <button type="button" class="btn" onclick={copy_json} data-testid="share-json-copy">{ "Copy" }</button>
            </div>
            <p class="copy-status" role="status">{ status_text(*copied_json, "JSON link") }</p>
        </div>
    }
}

/// Embed: builds an iframe snippet for documentation pages.
#[component]
pub fn EmbedDialog(props: &DialogProps) -> Html {
    let panels = use_state_eq(|| PanelSet::of(&EMBED_DEFAULT_PANELS));
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
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog" id="embed-dialog" role="dialog" aria-labelledby="embed-title" data-testid="embed-dialog"
            onkeydown={on_escape(props.on_close.clone())}>
            <div class="dialog-head">
                <h2 id="embed-title" class="dialog-title">{ "Embed in a page" }</h2>
                <button type="button" class="btn btn-ghost btn-small" onclick={close} aria-label="Close the embed dialog">{ "Close" }</button>
            </div>
            <fieldset class="embed-options">
                <legend class="field-label">{ "Panels to show" }</legend>
                { for Panel::ALL.iter().map(|p| html! {
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

/// Escapes text for a double-quoted HTML attribute.
fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}
