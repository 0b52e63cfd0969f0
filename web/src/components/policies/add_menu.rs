//! The "+ Add policy" menu: a policy of any kind (a kind of one only while
//! it has none), or an AWS managed policy from the picker.

use iamtrace::policy::{PolicyKind, Shape};
use yew::prelude::*;

use crate::context::{Dialog, PageContext};
use crate::kinds::words;
use crate::state::{Action, PolicyState};

pub(super) fn add_menu(page: &PageContext, policies: &PolicyState) -> Html {
    if page.readonly {
        return Html::default();
    }
    let on_add = {
        let page = page.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            select.set_value("");
            if value == "managed" {
                page.open_dialog(Dialog::Managed);
            } else if let Some(kind) = PolicyKind::from_key(&value) {
                page.act(Action::Add(kind));
            }
        })
    };
    let taken = |k: PolicyKind| k.shape() == Shape::One && policies.count(k) > 0;
    html! {
        <select class="select select-add" aria-label="Add a policy" data-testid="add-policy" onchange={on_add}>
            <option value="" selected=true>{ "+ Add policy" }</option>
            { for PolicyKind::ALL.into_iter().map(|k| html! {
                <option value={k.key()} disabled={taken(k)}>{ words(k).add }</option>
            }) }
            <option value="managed">{ "AWS managed policy…" }</option>
        </select>
    }
}
