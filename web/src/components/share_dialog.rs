//! Share: copies the exact-state link at once, and offers the plain JSON form.

use yew::prelude::*;

use crate::browser;
use crate::components::dialog::{copy_into, on_escape, status_text, Copied};
use crate::context::use_page;
use crate::share;
use crate::state::State;

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    pub state: UseReducerHandle<State>,
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
    let page = use_page();
    let close = page.on_close::<MouseEvent>();
    let select_all = Callback::from(|e: FocusEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="dialog" id="share-dialog" role="dialog" aria-labelledby="share-title" data-testid="share-dialog"
            onkeydown={on_escape(page.on_close())}>
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
