//! The message for a link that could not be opened, above a working page.

use yew::prelude::*;

/// `message`: why the link could not be opened.
pub fn link_error(message: &AttrValue, on_dismiss: &Callback<()>) -> Html {
    let onclick = on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="banner banner-error" role="alert" data-testid="link-error">
            <div class="banner-text">
                <strong>{ "This link could not be opened. " }</strong>
                { message.clone() }
                { ". Showing the default example instead." }
            </div>
            <button type="button" class="btn btn-ghost btn-small" {onclick} aria-label="Dismiss this message">{ "Dismiss" }</button>
        </div>
    }
}
