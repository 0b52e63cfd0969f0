//! AWS managed policies: the picker that adds one to the scenario by name.
//! (A policy slot whose text is a managed policy's name or ARN shows the
//! resolved document read-only; see `policies.rs`.)

use yew::prelude::*;

use crate::components::on_input_value;
use crate::context::use_page;
use crate::data::{self, DataState};
use crate::knowledge::wire::Phase;
use crate::state::Action;

/// Policies listed at once (the count says how many match).
const SHOWN: usize = 60;

#[derive(Properties, PartialEq, Debug)]
pub struct PickerProps {
    pub data: DataState,
}

#[component]
pub fn ManagedPicker(props: &PickerProps) -> Html {
    let page = use_page();
    let query = use_state_eq(String::new);
    let ready = props.data.module == Phase::Ready && props.data.status.managed == Phase::Ready;
    let list = if ready { data::managed_list(&query, SHOWN) } else { Default::default() };
    let pick = |name: String| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| {
            page.act(Action::AddManaged { name: name.clone() });
            page.close_dialog();
        })
    };
    let oninput = {
        let query = query.clone();
        on_input_value(move |v| query.set(v))
    };
    let onkeydown = {
        let (page, first) = (page.clone(), list.items.first().map(|i| i.name.clone()));
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                page.close_dialog();
            }
            "Enter" => {
                if let Some(name) = &first {
                    e.prevent_default();
                    page.act(Action::AddManaged { name: name.clone() });
                    page.close_dialog();
                }
            }
            _ => {}
        })
    };
    use_effect_with((), |_| crate::browser::focus("managed-search"));
    let close = page.on_close::<MouseEvent>();
    let status = match props.data.status.managed {
        Phase::Failed => "The managed policies could not be loaded.".to_owned(),
        _ if !ready => "Loading AWS managed policies…".to_owned(),
        _ if list.total == 0 => "No managed policy has that in its name.".to_owned(),
        _ if list.total > list.items.len() => {
            format!("{} policies match; the first {} are shown. Type more to narrow.", list.total, list.items.len())
        }
        _ => format!("{} polic{} match.", list.total, if list.total == 1 { "y" } else { "ies" }),
    };
    html! {
        <div class="dialog" id="managed-picker" role="dialog" aria-labelledby="managed-title" data-testid="managed-picker"
            onkeydown={onkeydown}>
            <div class="dialog-head">
                <h2 id="managed-title" class="dialog-title">{ "Add an AWS managed policy" }</h2>
                <button type="button" class="btn btn-ghost btn-small" onclick={close} aria-label="Close the managed policy picker">{ "Close" }</button>
            </div>
            <p class="dialog-text">
                { "Adds an identity policy slot holding the policy's name. Any slot also takes a name such as " }
                <code>{ "ReadOnlyAccess" }</code>{ " or an ARN such as " }<code>{ "arn:aws:iam::aws:policy/ReadOnlyAccess" }</code>
                { " in place of a document; the page shows the document it stands for." }
            </p>
            <input id="managed-search" class="input" type="search" placeholder="Search by name: s3 read, lambda, ViewOnly…"
                value={(*query).clone()} {oninput} data-testid="managed-search" aria-describedby="managed-status" spellcheck="false" />
            <p class="copy-status" id="managed-status" role="status">{ status }</p>
            <ul class="managed-list" data-testid="managed-list">
                { for list.items.into_iter().map(|p| html! {
                    <li>
                        <button type="button" class="managed-option" onclick={pick(p.name.clone())} data-testid="managed-option"
                            data-name={p.name.clone()}>
                            <span class="managed-name">{ p.name.clone() }</span>
                            <span class="managed-meta">
                                if p.path != "/" { <code>{ p.path.clone() }</code>{ " · " } }
                                { format!("updated {}", p.updated.get(..10).unwrap_or(&p.updated)) }
                            </span>
                        </button>
                    </li>
                }) }
            </ul>
        </div>
    }
}
