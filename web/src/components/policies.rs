//! The policy editors, grouped by kind; kinds without policies stay hidden
//! until added from the "Add" menu.

use std::rc::Rc;

use iamtrace::api;
use yew::prelude::*;

use crate::components::app::{Dialog, Highlights};
use crate::components::on_input_value;
use crate::components::panel::Panel;
use crate::data::DataState;
use crate::editor::Editor;
use crate::eval::{managed_view, Annotations, Evaluated};
use crate::knowledge::wire::Phase;
use crate::state::{Action, AddKind, EditorId, Level, Panel as PanelKind, PolicyEntry, State};

#[derive(Properties, PartialEq, Debug)]
pub struct PoliciesProps {
    pub state: UseReducerHandle<State>,
    pub evaluated: Rc<(Evaluated, f64)>,
    pub highlights: Highlights,
    pub open: bool,
    pub readonly: bool,
    pub on_action: Callback<Action>,
    pub on_text: Callback<(EditorId, String)>,
    pub on_panel: Callback<(PanelKind, bool)>,
    pub data: DataState,
    /// Opens the checks or the managed-policy picker.
    pub on_open: Callback<Dialog>,
    /// The checks' findings (maybe of an earlier revision, until the new ones arrive).
    pub annotations: Option<Rc<Annotations>>,
}

/// The badge of each check category on a card: class and word.
const CATEGORY_BADGES: [(&str, &str, &str); 4] = [
    ("error", "error", "errors"),
    ("security", "security warning", "security warnings"),
    ("warning", "warning", "warnings"),
    ("suggestion", "suggestion", "suggestions"),
];

/// What one editor card needs.
struct Card<'a> {
    entry: &'a PolicyEntry,
    title: String,
    /// `data-testid` suffix: `identity-0`, `scp-1-0`, ...
    slug: String,
    named: bool,
}

fn group_hint(kind: &str) -> &'static str {
    match kind {
        "identity" => "Attached to the user or role that makes the request (for a role session: the role's).",
        "resource" => "Attached to the resource: a bucket policy, a key policy, a role's trust policy.",
        "boundary" => "The most the identity policies may grant to this user or role.",
        "session" => "Passed when the session was created (AssumeRole, GetFederationToken); they narrow it.",
        "scp" => "Service control policies of the principal's account, from the organization root down. Every level must allow.",
        "rcp" => "Resource control policies of the resource's account, from the root down. Every level must allow.",
        "vpce" => "The policy of the VPC endpoint the request goes through.",
        _ => "",
    }
}

fn group_title(kind: &str) -> &'static str {
    match kind {
        "identity" => "Identity-based policies",
        "resource" => "Resource-based policy",
        "boundary" => "Permissions boundary",
        "session" => "Session policies",
        "scp" => "Service control policies",
        "rcp" => "Resource control policies",
        "vpce" => "VPC endpoint policy",
        _ => "",
    }
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
    let s = &*props.state;
    let p = &s.policies;
    let ev = &props.evaluated.0;
    let readonly = props.readonly;
    let generation = s.generation;

    let card = |c: Card<'_>| -> Html {
        let id = c.entry.id;
        let (errors, warnings) = ev.editor_counts.get(&id).copied().unwrap_or((0, 0));
        let notes = props.annotations.as_deref();
        let findings = notes.and_then(|a| a.editor_findings.get(&id)).copied().unwrap_or_default();
        let managed = ev.managed.get(&id);
        let names_managed = api::names_managed_policy(&c.entry.text);
        let on_name = {
            let cb = props.on_action.clone();
            on_input_value(move |name| cb.emit(Action::SetName { id, name }))
        };
        let remove = props.on_action.reform(move |_: MouseEvent| Action::Remove { id });
        let marks =
            notes.map_or(&ev.editor_marks, |a| &a.editor_marks).get(&id).cloned().unwrap_or_else(|| "[]".to_owned());
        let marks = AttrValue::from(marks);
        let hl = &props.highlights;
        let label = format!("{} (JSON)", c.title);
        html! {
            <article class={classes!("policy-card", (errors > 0).then_some("has-errors"))} key={format!("{generation}-{id}")}
                data-testid={format!("policy-{}", c.slug)}>
                <header class="policy-card-head">
                    <h4 class="policy-card-title">{ c.title.clone() }</h4>
                    if c.named {
                        <input class="name-input" type="text" placeholder="name" value={c.entry.name.clone()} oninput={on_name}
                            aria-label={format!("Name of {}", c.title.to_lowercase())} readonly={readonly}
                            data-testid={format!("policy-name-{}", c.slug)} spellcheck="false" />
                    }
                    <span class="card-badges">
                        if errors > 0 {
                            <span class="badge badge-error" data-testid="policy-errors">
                                { format!("{errors} error{}", if errors == 1 { "" } else { "s" }) }
                            </span>
                        }
                        if warnings > 0 {
                            <span class="badge badge-warning">{ format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }) }</span>
                        }
                        { for CATEGORY_BADGES.iter().zip(findings).filter(|(_, n)| *n > 0).map(|((cat, one, many), n)| html! {
                            <span class={classes!("badge", "badge-cat", format!("badge-cat-{cat}"))} data-testid="policy-findings"
                                data-category={*cat} title={format!("checks: {n} {}", if n == 1 { *one } else { *many })}>
                                { format!("{n} {}", if n == 1 { *one } else { *many }) }
                            </span>
                        }) }
                        if managed.is_some() {
                            <span class="badge badge-managed" data-testid="policy-managed">{ "AWS managed" }</span>
                        }
                    </span>
                    if !readonly {
                        <button type="button" class="btn btn-ghost btn-small remove" onclick={remove}
                            aria-label={format!("Remove {}", c.title.to_lowercase())} data-testid={format!("policy-remove-{}", c.slug)}>
                            { "Remove" }
                        </button>
                    }
                </header>
                <Editor key={format!("{generation}-{id}")} {id} text={AttrValue::from(c.entry.text.clone())} label={label}
                    {readonly} {marks} highlights={hl.json(id)} highlight_seq={hl.seq} scroll={hl.scroll_to == Some(id)}
                    on_change={props.on_text.clone()} testid={format!("editor-{}", c.slug)} />
                if let Some(m) = managed {
                    <div class="managed-doc" data-testid={format!("managed-doc-{}", c.slug)}>
                        <div class="managed-doc-head">
                            <span class="managed-doc-title">{ "Resolved document of " }<strong>{ m.name.clone() }</strong></span>
                            <code class="managed-doc-arn">{ m.arn.clone() }</code>
                            <span class="muted">{ "read-only" }</span>
                        </div>
                        <Editor key={format!("{generation}-{id}-{}", m.arn)} id={managed_view(id)} text={AttrValue::from(m.text.clone())}
                            label={format!("{} (AWS managed policy {}, read-only)", c.title, m.name)} readonly=true
                            marks={AttrValue::Static("[]")} highlights={hl.json(managed_view(id))} highlight_seq={hl.seq}
                            scroll={hl.scroll_to == Some(managed_view(id))} on_change={Callback::noop()}
                            testid={format!("editor-managed-{}", c.slug)} />
                    </div>
                } else if names_managed && props.data.status.managed != Phase::Ready {
                    <p class="managed-waiting">{ managed_waiting(&props.data) }</p>
                }
            </article>
        }
    };

    let group = |kind: &'static str, body: Html, actions: Html| -> Html {
        html! {
            <div class={classes!("policy-group", format!("group-{kind}"))} data-testid={format!("group-{kind}")}>
                <div class="group-head">
                    <h3 class="group-title">{ group_title(kind) }</h3>
                    <div class="group-actions">{ actions }</div>
                </div>
                <p class="group-hint">{ group_hint(kind) }</p>
                { body }
            </div>
        }
    };

    let levels = |kind: &'static str, abbr: &'static str, levels: &[Level]| -> Html {
        let n = levels.len();
        html! {
            { for levels.iter().enumerate().map(|(l, level)| {
                let where_ = if l == 0 { " · organization root" } else if l + 1 == n { " · account" } else { " · OU" };
                let level_id = level.id;
                let add = props.on_action.reform(move |_: MouseEvent| Action::AddToLevel { level: level_id });
                let remove = props.on_action.reform(move |_: MouseEvent| Action::RemoveLevel { level: level_id });
                html! {
                    <div class="level" key={format!("{generation}-level-{level_id}")} data-testid={format!("level-{kind}-{l}")}>
                        <div class="level-head">
                            <span class="level-title">{ format!("{abbr} level {}", l + 1) }<span class="level-where">{ if n > 1 { where_ } else { "" } }</span></span>
                            if !readonly {
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
                        { for level.policies.iter().enumerate().map(|(i, e)| card(Card {
                            entry: e,
                            title: format!("{abbr} level {} policy {}", l + 1, i + 1),
                            slug: format!("{kind}-{l}-{i}"),
                            named: true,
                        })) }
                    </div>
                }
            }) }
        }
    };

    let mut groups: Vec<Html> = Vec::new();
    if !p.identity.is_empty() {
        let add = props.on_action.reform(|_: MouseEvent| Action::Add(AddKind::Identity));
        let actions = if readonly {
            Html::default()
        } else {
            html! { <button type="button" class="btn btn-ghost btn-small" onclick={add}
            data-testid="add-identity-more" aria-label="Add another identity-based policy">{ "Add another" }</button> }
        };
        let body = html! { { for p.identity.iter().enumerate().map(|(i, e)| card(Card {
        entry: e, title: format!("Identity policy {}", i + 1), slug: format!("identity-{i}"), named: true })) } };
        groups.push(group("identity", body, actions));
    }
    if let Some(e) = &p.resource {
        groups.push(group(
            "resource",
            card(Card { entry: e, title: "Resource-based policy".into(), slug: "resource".into(), named: false }),
            Html::default(),
        ));
    }
    if let Some(e) = &p.boundary {
        groups.push(group(
            "boundary",
            card(Card { entry: e, title: "Permissions boundary".into(), slug: "boundary".into(), named: true }),
            Html::default(),
        ));
    }
    if !p.session.is_empty() {
        let add = props.on_action.reform(|_: MouseEvent| Action::Add(AddKind::Session));
        let actions = if readonly {
            Html::default()
        } else {
            html! { <button type="button" class="btn btn-ghost btn-small" onclick={add}
            aria-label="Add another session policy">{ "Add another" }</button> }
        };
        let body = html! { { for p.session.iter().enumerate().map(|(i, e)| card(Card {
        entry: e, title: format!("Session policy {}", i + 1), slug: format!("session-{i}"), named: true })) } };
        groups.push(group("session", body, actions));
    }
    for (kind, abbr, list, add_kind) in
        [("scp", "SCP", &p.scp, AddKind::ScpLevel), ("rcp", "RCP", &p.rcp, AddKind::RcpLevel)]
    {
        if list.is_empty() {
            continue;
        }
        let add = props.on_action.reform(move |_: MouseEvent| Action::Add(add_kind));
        let actions = if readonly {
            Html::default()
        } else {
            html! { <button type="button" class="btn btn-ghost btn-small" onclick={add}
            aria-label={format!("Add an {abbr} level below the last")}>{ "Add level" }</button> }
        };
        groups.push(group(kind, levels(kind, abbr, list), actions));
    }
    if let Some(e) = &p.vpce {
        groups.push(group(
            "vpce",
            card(Card { entry: e, title: "VPC endpoint policy".into(), slug: "vpce".into(), named: false }),
            Html::default(),
        ));
    }

    let add_menu = if readonly {
        Html::default()
    } else {
        let on_add = {
            let (cb, open) = (props.on_action.clone(), props.on_open.clone());
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                let value = select.value();
                select.set_value("");
                if value == "managed" {
                    open.emit(Dialog::Managed);
                } else if let Some(kind) = AddKind::ALL.into_iter().find(|k| k.key() == value) {
                    cb.emit(Action::Add(kind));
                }
            })
        };
        let taken = |k: AddKind| match k {
            AddKind::Resource => p.resource.is_some(),
            AddKind::Boundary => p.boundary.is_some(),
            AddKind::Vpce => p.vpce.is_some(),
            _ => false,
        };
        html! {
            <select class="select select-add" aria-label="Add a policy" data-testid="add-policy" onchange={on_add}>
                <option value="" selected=true>{ "+ Add policy" }</option>
                { for AddKind::ALL.into_iter().map(|k| html! {
                    <option value={k.key()} disabled={taken(k)}>{ k.label() }</option>
                }) }
                <option value="managed">{ "AWS managed policy…" }</option>
            </select>
        }
    };
    let checks_button = {
        let off = s.lint_off.len();
        let onclick = props.on_open.reform(|_: MouseEvent| Dialog::Checks);
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
    };
    let aside = html! { <>{ checks_button }{ add_menu }</> };
    let count = s.entries().len();
    let subtitle = AttrValue::from(format!("{count} polic{}", if count == 1 { "y" } else { "ies" }));

    html! {
        <Panel kind={PanelKind::Policies} open={props.open} on_toggle={props.on_panel.clone()} {aside} subtitle={Some(subtitle)}>
            if groups.is_empty() {
                <p class="empty">{ "No policies yet. Add one with “+ Add policy”: without any policy, every request is implicitly denied." }</p>
            }
            { for groups }
        </Panel>
    }
}
