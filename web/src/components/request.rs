//! The request form: principal, action, resource, resource account, the
//! rarer facts behind a disclosure, and the context key table with the keys
//! the evaluator derived.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::components::arn::{ArnField, ArnParts};
use crate::components::on_input_value;
use crate::components::panel::Panel;
use crate::eval::Evaluated;
use crate::state::{Action, ContextRow, Field, Flag, Panel as PanelKind, State};

#[derive(Properties, PartialEq, Debug)]
pub struct RequestProps {
    pub state: UseReducerHandle<State>,
    pub evaluated: Rc<(Evaluated, f64)>,
    pub open: bool,
    pub readonly: bool,
    pub on_action: Callback<Action>,
    pub on_panel: Callback<(PanelKind, bool)>,
}

fn input_cb(cb: &Callback<Action>, f: impl Fn(String) -> Action + 'static) -> Callback<InputEvent> {
    let cb = cb.clone();
    on_input_value(move |v| cb.emit(f(v)))
}

#[component]
pub fn RequestPanel(props: &RequestProps) -> Html {
    let s = &*props.state;
    let r = &s.request;
    let ev = &props.evaluated.0;
    let readonly = props.readonly;

    // Focus the value of a row that was just added (by "Add context key",
    // a missing key or an override), unless a whole new state was loaded.
    let seen = use_mut_ref(|| (s.generation, r.context.len()));
    {
        let seen = seen.clone();
        let rows: Vec<(u32, bool)> = r.context.iter().map(|row| (row.id, row.key.is_empty())).collect();
        let generation = s.generation;
        use_effect_with((generation, rows.len()), move |_| {
            let (g, n) = *seen.borrow();
            if g == generation && rows.len() > n {
                if let Some((id, empty_key)) = rows.last() {
                    browser::focus(&if *empty_key { format!("ctx-key-{id}") } else { format!("ctx-value-{id}-0") });
                }
            }
            *seen.borrow_mut() = (generation, rows.len());
        });
    }

    let messages = |f: Field| -> Html {
        let list = ev.field_messages.get(&f).cloned().unwrap_or_default();
        html! {
            <div id={format!("req-{}-msg", f.key())} class="field-messages" data-testid={format!("request-{}-messages", f.key())}>
                { for list.into_iter().map(|m| html! { <p class="field-error">{ m }</p> }) }
            </div>
        }
    };
    let invalid = |f: Field| ev.field_messages.get(&f).is_some_and(|v| !v.is_empty());

    let text_field = |f: Field,
                      label: &'static str,
                      value: &str,
                      placeholder: &'static str,
                      hint: Option<&'static str>,
                      arn: Option<ArnField>| {
        let id = format!("req-{}", f.key());
        let described =
            format!("{id}-parts {id}-msg{}", if hint.is_some() { format!(" {id}-hint") } else { String::new() });
        let oninput = input_cb(&props.on_action, move |v| Action::SetField(f, v));
        html! {
            <div class={classes!("field", format!("field-{}", f.key()))}>
                <label class="field-label" for={id.clone()}>{ label }</label>
                <input id={id.clone()} class={classes!("input", "mono", invalid(f).then_some("input-invalid"))} type="text"
                    value={value.to_owned()} {placeholder} {oninput} readonly={readonly} spellcheck="false" autocomplete="off"
                    aria-invalid={invalid(f).to_string()} aria-describedby={described}
                    data-testid={format!("request-{}", f.key().replace('_', "-"))} />
                if let Some(h) = hint {
                    <p class="field-hint" id={format!("{id}-hint")}>{ h }</p>
                }
                if let Some(kind) = arn {
                    <ArnParts value={AttrValue::from(value.to_owned())} field={kind} id={format!("{id}-parts")} />
                }
                { messages(f) }
            </div>
        }
    };

    let flag = |flag: Flag, label: &'static str, checked: bool, testid: &'static str| {
        let cb = props.on_action.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(Action::SetFlag(flag, input.checked()));
        });
        html! {
            <label class="check">
                <input type="checkbox" {checked} {onchange} disabled={readonly} data-testid={testid} />
                { label }
            </label>
        }
    };

    let row = |row: &ContextRow| -> Html {
        let id = row.id;
        let on_key = input_cb(&props.on_action, move |key| Action::SetContextKey { row: id, key });
        let remove = props.on_action.reform(move |_: MouseEvent| Action::RemoveContext { row: id });
        let on_multi = {
            let cb = props.on_action.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                cb.emit(Action::SetContextMulti { row: id, multi: input.checked() });
            })
        };
        let add_value = props.on_action.reform(move |_: MouseEvent| Action::AddContextValue { row: id });
        let key_label = if row.key.is_empty() { "new key".to_owned() } else { row.key.clone() };
        let values =
            if row.multi { row.values.clone() } else { row.values.iter().take(1).cloned().collect::<Vec<_>>() };
        html! {
            <tr class="ctx-row" key={format!("{}-{id}", s.generation)} data-testid="context-row" data-key={row.key.clone()}>
                <td class="ctx-key" data-label="Key">
                    <input id={format!("ctx-key-{id}")} class="input mono" type="text" value={row.key.clone()} oninput={on_key}
                        placeholder="aws:SourceIp" aria-label="Context key" readonly={readonly} spellcheck="false"
                        autocomplete="off" data-testid="context-key" />
                </td>
                <td class="ctx-values" data-label="Value">
                    { for values.iter().enumerate().map(|(i, v)| {
                        let on_value = input_cb(&props.on_action, move |value| Action::SetContextValue { row: id, index: i, value });
                        let remove_value = props.on_action.reform(move |_: MouseEvent| Action::RemoveContextValue { row: id, index: i });
                        html! {
                            <div class="ctx-value">
                                <input id={format!("ctx-value-{id}-{i}")} class="input mono" type="text" value={v.clone()} oninput={on_value}
                                    aria-label={format!("Value {} of {key_label}", i + 1)} readonly={readonly} spellcheck="false"
                                    autocomplete="off" data-testid="context-value" />
                                if row.multi && !readonly {
                                    <button type="button" class="btn btn-ghost btn-small btn-square" onclick={remove_value}
                                        aria-label={format!("Remove value {} of {key_label}", i + 1)}>{ "−" }</button>
                                }
                            </div>
                        }
                    }) }
                    if row.multi && !readonly {
                        <button type="button" class="btn btn-ghost btn-small" onclick={add_value}
                            data-testid="context-add-value" aria-label={format!("Add a value to {key_label}")}>{ "+ value" }</button>
                    }
                </td>
                <td class="ctx-multi" data-label="Multivalued">
                    <label class="check check-compact">
                        <input type="checkbox" checked={row.multi} onchange={on_multi} disabled={readonly}
                            data-testid="context-multi" aria-label={format!("{key_label} is multivalued")} />
                        <span class="check-text">{ "list" }</span>
                    </label>
                </td>
                <td class="ctx-remove">
                    if !readonly {
                        <button type="button" class="btn btn-ghost btn-small btn-square" onclick={remove}
                            aria-label={format!("Remove {key_label}")} data-testid="context-remove">{ "×" }</button>
                    }
                </td>
            </tr>
        }
    };

    let facts = ev.answer.as_ref().and_then(|a| a.trace.first()).and_then(|s| s.request.as_ref());
    let derived = facts.map(|f| f.derived_keys.clone()).unwrap_or_default();
    let derived_rows = derived.iter().map(|d| {
        let (key, value) = (d.key.clone(), d.value.clone());
        let over = props.on_action.reform(move |_: MouseEvent| Action::AddContext { key: key.clone(), value: value.clone() });
        html! {
            <li class="derived" data-testid="derived-key" data-key={d.key.clone()}>
                <code class="mono derived-key">{ d.key.clone() }</code>
                <code class="mono derived-value">{ d.value.clone() }</code>
                <span class="derived-from">{ format!("from {}", d.from) }</span>
                if !readonly {
                    <button type="button" class="btn btn-ghost btn-small derived-override" onclick={over} data-testid="derived-override"
                        aria-label={format!("Override {}", d.key)}>{ "Override" }</button>
                }
            </li>
        }
    });
    let add_row =
        props.on_action.reform(|_: MouseEvent| Action::AddContext { key: String::new(), value: String::new() });
    let show_parent = !r.session_parent_arn.is_empty()
        || r.principal.contains(":assumed-role/")
        || r.principal.contains(":federated-user/")
        || r.flags != Default::default();
    let summary = facts.map(|f| {
        let who = f.principal_kind.describe();
        match f.cross_account {
            Some(true) => format!("{who}, cross-account"),
            Some(false) => format!("{who}, same account"),
            None => who.to_owned(),
        }
    });

    html! {
        <Panel kind={PanelKind::Request} open={props.open} on_toggle={props.on_panel.clone()} subtitle={summary.map(AttrValue::from)}>
            <div class="request-grid">
                { text_field(Field::Principal, "Principal", &r.principal, "arn:aws:iam::111122223333:user/alice", None, Some(ArnField::Principal)) }
                { text_field(Field::Action, "Action", &r.action, "s3:GetObject", Some("service:Operation, as in the policy's Action element"), None) }
                { text_field(Field::Resource, "Resource", &r.resource, "arn:aws:s3:::amzn-s3-demo-bucket/key", None, Some(ArnField::Resource)) }
                { text_field(Field::ResourceAccount, "Resource account", &r.resource_account, "from the resource ARN",
                    Some("For ARNs without an account, such as S3 buckets: the account that owns the resource."), None) }
            </div>
            <details class="more" open={show_parent}>
                <summary>{ "Session parent and flags" }</summary>
                { text_field(Field::SessionParentArn, "Session parent ARN", &r.session_parent_arn, "arn:aws:iam::111122223333:role/path/RoleName",
                    Some("For a role session: the role's ARN with its path. For a federated user: the IAM user's ARN."), Some(ArnField::SessionParent)) }
                <div class="flags">
                    { flag(Flag::PrincipalInManagementAccount, "Principal is in the organization's management account (SCPs do not apply)",
                        r.flags.principal_in_management_account, "flag-management-account") }
                    { flag(Flag::ServiceLinkedRole, "Principal is a service-linked role (SCPs do not apply)", r.flags.service_linked_role,
                        "flag-service-linked-role") }
                </div>
            </details>
            <div class="ctx">
                <div class="ctx-head">
                    <h3 class="subhead" id="ctx-title">{ "Context keys" }</h3>
                    if !readonly {
                        <button type="button" class="btn btn-small" onclick={add_row} data-testid="context-add">{ "+ Add key" }</button>
                    }
                </div>
                if !r.context.is_empty() {
                <table class="ctx-table" aria-labelledby="ctx-title" data-testid="context-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Key" }</th>
                            <th scope="col">{ "Value" }</th>
                            <th scope="col"><span class="sr-only">{ "Multivalued" }</span></th>
                            <th scope="col"><span class="sr-only">{ "Actions" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for r.context.iter().map(row) }
                    </tbody>
                </table>
                } else {
                    <p class="empty" data-testid="context-table">{ "None given. Add the keys your conditions test, such as aws:SourceIp or aws:MultiFactorAuthPresent." }</p>
                }
                if !derived.is_empty() {
                    <div class="derived-block">
                        <h4 class="derived-title">{ "Derived by the evaluator" }<span class="muted">{ " · override one to give it another value" }</span></h4>
                        <ul class="plain-list derived-list">{ for derived_rows }</ul>
                    </div>
                }
                for m in ev.request_messages.iter() {
                    <p class="field-error">{ m.clone() }</p>
                }
            </div>
        </Panel>
    }
}
