//! The policy editors, grouped by kind in the core's order; kinds without
//! policies stay hidden until added from the "Add policy" menu. Every kind
//! is laid out by its shape (one of, a list of, levels of), so a new kind
//! needs only its words in `crate::kinds`.

mod add_menu;
mod card;

use std::rc::Rc;

use iamtrace::api;
use iamtrace::policy::{Place, PolicyKind, Shape};
use yew::prelude::*;

use card::PolicyCard;

use crate::components::panel::Panel;
use crate::context::{use_page, Dialog, PageContext};
use crate::data::DataState;
use crate::eval::{managed_view, Annotations, Evaluated};
use crate::hooks::selection::Highlights;
use crate::kinds::{self, words};
use crate::knowledge::wire::Phase;
use crate::state::{Action, EditorId, Level, Panel as PanelKind, PolicyEntry, PolicyState};

#[derive(Properties, PartialEq, Debug)]
pub struct PoliciesProps {
    pub policies: Rc<PolicyState>,
    /// Bumped when the texts are replaced wholesale (editors are rebuilt).
    pub generation: u64,
    /// How many check codes are switched off.
    pub checks_off: usize,
    pub open: bool,
    /// The current evaluation: each editor's diagnostics and managed document.
    pub evaluated: Rc<Evaluated>,
    /// The checks' findings (maybe of an earlier revision, until the new ones arrive).
    pub annotations: Option<Rc<Annotations>>,
    pub highlights: Highlights,
    pub data: DataState,
}

/// Why a slot that names a managed policy shows no document yet.
fn managed_waiting(data: &DataState) -> &'static str {
    match (data.module, data.status.managed) {
        (Phase::Failed, _) | (_, Phase::Failed) => "The AWS managed policies could not be loaded.",
        _ => "Loading the AWS managed policies…",
    }
}

#[component]
pub fn PoliciesPanel(props: &PoliciesProps) -> Html {
    let page = use_page();
    let on_text = {
        let actions = page.actions();
        use_memo(actions, |a| a.reform(|(id, text): (EditorId, String)| Action::SetText { id, text }))
    };
    let card = |place: Place, entry: &PolicyEntry| -> Html {
        let id = entry.id;
        let ev = &props.evaluated;
        let notes = props.annotations.as_deref();
        let managed = ev.managed.get(&id).cloned();
        let waiting =
            (managed.is_none() && api::names_managed_policy(&entry.text) && props.data.status.managed != Phase::Ready)
                .then(|| managed_waiting(&props.data));
        let marks =
            notes.map_or(&ev.editor_marks, |a| &a.editor_marks).get(&id).cloned().unwrap_or_else(|| "[]".to_owned());
        let hl = &props.highlights;
        html! {
            <PolicyCard key={format!("{}-{id}", props.generation)} entry={entry.clone()} title={kinds::title(place)}
                slug={kinds::slug(place)} named={words(place.kind).named} generation={props.generation}
                counts={ev.editor_counts.get(&id).copied().unwrap_or((0, 0))}
                findings={notes.and_then(|a| a.editor_findings.get(&id)).copied().unwrap_or_default()}
                marks={AttrValue::from(marks)} {managed} {waiting}
                highlights={(hl.json(id), hl.json(managed_view(id)))} highlight_seq={hl.seq} scroll_to={hl.scroll_to}
                on_text={(*on_text).clone()} />
        }
    };
    let p = &props.policies;
    let groups: Vec<Html> = PolicyKind::ALL
        .into_iter()
        .filter(|k| p.count(*k) > 0 || !p.levels(*k).is_empty())
        .map(|kind| {
            let body = match kind.shape() {
                Shape::Levels => {
                    let n = p.levels(kind).len();
                    html! { { for p.levels_of(kind).map(|level| level_view(&page, kind, level, n, props.generation, &card)) } }
                }
                Shape::One | Shape::List => html! { { for p.of_kind(kind).map(|(place, e)| card(place, e)) } },
            };
            group(&page, kind, body)
        })
        .collect();
    let aside = html! { <>{ checks_button(&page, props.checks_off) }{ add_menu::add_menu(&page, p) }</> };
    let count = p.iter().count();
    let subtitle = AttrValue::from(format!("{count} polic{}", if count == 1 { "y" } else { "ies" }));
    html! {
        <Panel kind={PanelKind::Policies} open={props.open} {aside} subtitle={Some(subtitle)}>
            if groups.is_empty() {
                <p class="empty">{ "No policies yet. Add one with “+ Add policy”: without any policy, every request is implicitly denied." }</p>
            }
            { for groups }
        </Panel>
    }
}

/// A kind's group: its heading, a way to add another, a hint, the cards.
fn group(page: &PageContext, kind: PolicyKind, body: Html) -> Html {
    let w = words(kind);
    let key = kind.key();
    let add = page.on_any::<MouseEvent>(Action::Add(kind));
    let actions = match kind.shape() {
        _ if page.readonly => Html::default(),
        Shape::One => Html::default(),
        Shape::List => html! {
            <button type="button" class="btn btn-ghost btn-small" onclick={add} data-testid={format!("add-{key}-more")}
                aria-label={format!("Add another {}", w.add.to_lowercase())}>{ "Add another" }</button>
        },
        Shape::Levels => html! {
            <button type="button" class="btn btn-ghost btn-small" onclick={add}
                aria-label={format!("Add an {} level below the last", w.card)}>{ "Add level" }</button>
        },
    };
    html! {
        <div class={classes!("policy-group", format!("group-{key}"))} data-testid={format!("group-{key}")}>
            <div class="group-head">
                <h3 class="group-title">{ w.group }</h3>
                <div class="group-actions">{ actions }</div>
            </div>
            <p class="group-hint">{ w.hint }</p>
            { body }
        </div>
    }
}

/// One SCP or RCP level of `n`: where it sits, its actions, its cards.
fn level_view(
    page: &PageContext,
    kind: PolicyKind,
    level: Level<'_>,
    n: usize,
    generation: u64,
    card: &dyn Fn(Place, &PolicyEntry) -> Html,
) -> Html {
    let (abbr, key, l) = (words(kind).card, kind.key(), level.index);
    let where_ = if l == 0 {
        " · organization root"
    } else if l + 1 == n {
        " · account"
    } else {
        " · OU"
    };
    let add = page.on_any::<MouseEvent>(Action::AddToLevel { level: level.id });
    let remove = page.on_any::<MouseEvent>(Action::RemoveLevel { level: level.id });
    html! {
        <div class="level" key={format!("{generation}-level-{}", level.id)} data-testid={format!("level-{key}-{l}")}>
            <div class="level-head">
                <span class="level-title">{ format!("{abbr} level {}", l + 1) }<span class="level-where">{ if n > 1 { where_ } else { "" } }</span></span>
                if !page.readonly {
                    <span class="level-actions">
                        <button type="button" class="btn btn-ghost btn-small" onclick={add}
                            aria-label={format!("Add a policy to {abbr} level {}", l + 1)}>{ "Add policy" }</button>
                        <button type="button" class="btn btn-ghost btn-small" onclick={remove}
                            aria-label={format!("Remove {abbr} level {}", l + 1)}>{ "Remove level" }</button>
                    </span>
                }
            </div>
            if level.policies.is_empty() {
                <p class="level-empty">{ "No policies: a level without policies allows nothing." }</p>
            }
            { for level.policies.iter().enumerate().map(|(i, e)| card(Place::new(kind, i, Some(l)), e)) }
        </div>
    }
}

/// The Checks button: opens the dialog that switches check codes on and off.
fn checks_button(page: &PageContext, off: usize) -> Html {
    let onclick = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.open_dialog(Dialog::Checks))
    };
    html! {
        <button type="button" class="btn btn-ghost btn-small checks-button" {onclick} data-testid="checks-button"
            title="Choose which policy checks run">
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h10M18 7h2M4 17h2M10 17h10" /><circle cx="16" cy="7" r="2" /><circle cx="8" cy="17" r="2" /></svg>
            <span class="checks-label">{ "Checks" }</span>
            if off > 0 {
                <span class="badge badge-muted">{ format!("{off} off") }</span>
            }
        </button>
    }
}
