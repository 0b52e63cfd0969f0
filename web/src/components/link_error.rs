//! The message for a link that could not be opened, above a working page.

use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct LinkErrorProps {
    /// Why the link could not be opened.
    pub message: AttrValue,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn LinkError(props: &LinkErrorProps) -> Html {
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="banner banner-error" role="alert" data-testid="link-error">
            <div class="banner-text">
                <strong>{ "This link could not be opened. " }</strong>
                { props.message.clone() }
                { ". Showing the default example instead." }
            </div>
            <button type="button" class="btn btn-ghost btn-small" {onclick} aria-label="Dismiss this message">{ "Dismiss" }</button>
        </div>
    }
}
