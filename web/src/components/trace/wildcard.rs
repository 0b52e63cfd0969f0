//! An action wildcard that matched: how many real actions it covers, and
//! the list on demand (each one a click from becoming the request's action).

use iamtrace::trace::{ElementStatus, StatementTrace};
use yew::prelude::*;

use super::View;
use crate::data;
use crate::state::{Action, Field};

/// The access level's name, for the wildcard list.
fn access_title(key: &str) -> &'static str {
    match key {
        "list" => "List",
        "read" => "Read",
        "write" => "Write",
        "tagging" => "Tagging",
        "permissions-management" => "Permissions",
        _ => "",
    }
}

pub(super) fn wildcard(view: &View<'_>, si: usize, ti: usize, st: &StatementTrace<'_>) -> Html {
    let Some(hit) = st.action.hit.as_ref().filter(|_| st.action.status == ElementStatus::Matched) else {
        return Html::default();
    };
    if st.action.element != "Action" || !hit.text.contains(['*', '?']) {
        return Html::default();
    }
    let Some(n) = data::count(&hit.text).filter(|n| *n > 0) else { return Html::default() };
    let pattern = hit.text.to_string();
    let open = view.lists_open.contains(&(si, ti));
    let every = pattern == "*";
    let toggle = {
        let lists_open = view.lists_open.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*lists_open).clone();
            if !m.remove(&(si, ti)) {
                m.insert((si, ti));
            }
            lists_open.set(m);
        })
    };
    let list = open.then(|| {
        let items = data::expand(&pattern);
        html! {
            <ul class="wildcard-list" data-testid="wildcard-list">
                { for items.into_iter().map(|a| {
                    let onclick = view.page.on_any(Action::SetField(Field::Action, a.name.clone()));
                    let current = a.name.eq_ignore_ascii_case(&st.action.against);
                    html! {
                        <li>
                            <button type="button" class={classes!("wildcard-action", current.then_some("current"))} {onclick}
                                disabled={view.page.readonly} data-testid="wildcard-action" data-action={a.name.clone()}
                                title={format!("Evaluate {} instead", a.name)}>
                                <span class="mono">{ a.name.split_once(':').map_or(a.name.as_str(), |(_, n)| n).to_owned() }</span>
                                <span class={classes!("access-tag", format!("access-{}", a.access))}>{ access_title(&a.access) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        }
    });
    html! {
        <li class="el el-wildcard">
            <div class="wildcard-line">
                <span class="el-name">{ "covers" }</span>
                <span class="wildcard-count" data-testid="wildcard-count" data-count={n.to_string()}>
                    { if every { format!("every action of every service: {n} actions") } else { format!("{n} real action{}", if n == 1 { "" } else { "s" }) } }
                </span>
                if !every {
                    <button type="button" class="link-button wildcard-toggle" onclick={toggle} aria-expanded={open.to_string()}
                        data-testid="wildcard-toggle">{ if open { "hide the list" } else { "list them" } }</button>
                }
            </div>
            { for list }
        </li>
    }
}
