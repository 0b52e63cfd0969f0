//! The context key table: one row per key (a list for multivalued keys),
//! the keys the evaluator derived (each one a click from being overridden),
//! and the request's messages that belong to no field.

use std::collections::HashSet;

use iamtrace::trace::DerivedKey;
use yew::prelude::*;

use crate::browser;
use crate::components::{add_on_click, input_value};
use crate::context::PageContext;
use crate::state::{Action, ContextRow};

fn checkbox(f: impl Fn(bool) -> Action + 'static, page: &PageContext) -> Callback<Event> {
    page.on(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        f(input.checked())
    })
}

/// Values of a multivalued key shown as inputs before "show all": a list of
/// thousands would take seconds to build (all of them are evaluated).
pub const SHOWN_VALUES: usize = 100;

fn row_view(page: &PageContext, generation: u64, row: &ContextRow, all_values: &UseStateHandle<HashSet<u32>>) -> Html {
    let readonly = page.readonly;
    let id = row.id;
    let on_key = page.on(move |e: InputEvent| Action::SetContextKey { row: id, key: input_value(&e) });
    let remove = page.on_any(Action::RemoveContext { row: id });
    let on_multi = checkbox(move |multi| Action::SetContextMulti { row: id, multi }, page);
    let add_value = page.on_any(Action::AddContextValue { row: id });
    let key_label = if row.key.is_empty() { "new key".to_owned() } else { row.key.clone() };
    let values = if row.multi { row.values.as_slice() } else { row.values.get(..1).unwrap_or(&[]) };
    let hidden = if all_values.contains(&id) { 0 } else { values.len().saturating_sub(SHOWN_VALUES) };
    let values = values.get(..values.len() - hidden).unwrap_or(values);
    html! {
        <tr class="ctx-row" key={format!("{generation}-{id}")} data-testid="context-row" data-key={row.key.clone()}>
            <td class="ctx-key" data-label="Key">
                <input id={format!("ctx-key-{id}")} class="input mono" type="text" value={row.key.clone()} oninput={on_key}
                    placeholder="aws:SourceIp" aria-label="Context key" readonly={readonly} spellcheck="false"
                    autocomplete="off" data-testid="context-key" />
            </td>
            <td class="ctx-values" data-label="Value">
                { for values.iter().enumerate().map(|(i, v)| {
                    let on_value = page.on(move |e: InputEvent| Action::SetContextValue { row: id, index: i, value: input_value(&e) });
                    let remove_value = page.on_any(Action::RemoveContextValue { row: id, index: i });
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
                if hidden > 0 {
                    <p class="ctx-hidden" data-testid="context-values-hidden">
                        { format!("… and {hidden} more values (all are evaluated) ") }
                        <button type="button" class="btn btn-ghost btn-small" onclick={add_on_click(all_values, id)}
                            data-testid="context-show-all">{ "Show all" }</button>
                    </p>
                }
                if row.multi && !readonly && hidden == 0 {
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
}

/// Focuses the value of a row that was just added (by "Add context key", a
/// missing key or an override), unless a whole new state was loaded.
#[hook]
pub(super) fn use_focus_new_rows(rows: &[ContextRow], generation: u64) {
    let seen = use_mut_ref(|| (generation, rows.len()));
    let last = rows.last().map(|row| (row.id, row.key.is_empty()));
    use_effect_with((generation, rows.len()), move |&(generation, n)| {
        let (g, before) = *seen.borrow();
        if g == generation && n > before {
            if let Some((id, empty_key)) = last {
                browser::focus(&if empty_key { format!("ctx-key-{id}") } else { format!("ctx-value-{id}-0") });
            }
        }
        *seen.borrow_mut() = (generation, n);
    });
}

/// The table, the derived keys and `messages` (the request's that belong to no field).
pub(super) fn context_table(
    page: &PageContext,
    rows: &[ContextRow],
    generation: u64,
    all_values: &UseStateHandle<HashSet<u32>>,
    derived: &[DerivedKey<'_>],
    messages: &[String],
) -> Html {
    let readonly = page.readonly;
    let derived_items = derived.iter().map(|d| {
        let over = page.on_any(Action::AddContext { key: d.key.to_string(), value: d.value.to_string() });
        html! {
            <li class="derived" data-testid="derived-key" data-key={d.key.clone()}>
                <code class="mono derived-key">{ d.key.clone() }</code>
                <code class="mono derived-value">{ d.value.to_string() }</code>
                <span class="derived-from">{ format!("from {}", d.from) }</span>
                if !readonly {
                    <button type="button" class="btn btn-ghost btn-small derived-override" onclick={over} data-testid="derived-override"
                        aria-label={format!("Override {}", d.key)}>{ "Override" }</button>
                }
            </li>
        }
    });
    let add_row = page.on_any(Action::AddContext { key: String::new(), value: String::new() });
    html! {
        <div class="ctx">
            <div class="ctx-head">
                <h3 class="subhead" id="ctx-title">{ "Context keys" }</h3>
                if !readonly {
                    <button type="button" class="btn btn-small" onclick={add_row} data-testid="context-add">{ "+ Add key" }</button>
                }
            </div>
            if !rows.is_empty() {
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
                    { for rows.iter().map(|row| row_view(page, generation, row, all_values)) }
                </tbody>
            </table>
            } else {
                <p class="empty" data-testid="context-table">{ "None given. Add the keys your conditions test, such as aws:SourceIp or aws:MultiFactorAuthPresent." }</p>
            }
            if !derived.is_empty() {
                <div class="derived-block">
                    <h4 class="derived-title">{ "Derived by the evaluator" }<span class="muted">{ " · override one to give it another value" }</span></h4>
                    <ul class="plain-list derived-list">{ for derived_items }</ul>
                </div>
            }
            for m in messages.iter() {
                <p class="field-error">{ m.clone() }</p>
            }
        </div>
    }
}
