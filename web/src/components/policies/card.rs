//! One policy's card: its title, name, badges and editor, and for a slot
//! that names an AWS managed policy the document it stands for, read-only.

use std::rc::Rc;

use iamtrace::api::ResolvedPolicy;
use yew::prelude::*;

use crate::context::use_page;
use crate::editor::Editor;
use crate::eval::managed_view;
use crate::state::{Action, EditorId, PolicyEntry};

/// The badge of each check category on a card: class and word.
const CATEGORY_BADGES: [(&str, &str, &str); 4] = [
    ("error", "error", "errors"),
    ("security", "security warning", "security warnings"),
    ("warning", "warning", "warnings"),
    ("suggestion", "suggestion", "suggestions"),
];

#[derive(Properties, PartialEq, Debug)]
pub struct CardProps {
    pub entry: PolicyEntry,
    pub title: AttrValue,
    /// `data-testid` suffix: `identity-0`, `scp-1-0`, ...
    pub slug: AttrValue,
    /// Whether the card has a name field.
    pub named: bool,
    /// Bumped when the texts are replaced wholesale (editors are rebuilt).
    pub generation: u64,
    /// The policy reader's errors and warnings.
    pub counts: (usize, usize),
    /// The checks' findings by category.
    pub findings: [usize; 4],
    /// The editor's diagnostics and findings, as JSON for the bridge.
    pub marks: AttrValue,
    /// The document a managed policy name resolved to.
    pub managed: Option<Rc<ResolvedPolicy>>,
    /// Why a managed policy name shows no document yet.
    pub waiting: Option<&'static str>,
    /// The highlights of the editor and of the managed document's view.
    pub highlights: (AttrValue, AttrValue),
    pub highlight_seq: u32,
    pub scroll_to: Option<EditorId>,
    pub on_text: Callback<(EditorId, String)>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn PolicyCard(props: &CardProps) -> Html {
    let page = use_page();
    let readonly = page.readonly;
    let id = props.entry.id;
    let (errors, warnings) = props.counts;
    let on_name = page.on(move |e: InputEvent| Action::SetName { id, name: crate::components::input_value(&e) });
    let remove = page.on_any(Action::Remove { id });
    let title = &props.title;
    let slug = &props.slug;
    let generation = props.generation;
    html! {
        <article class={classes!("policy-card", (errors > 0).then_some("has-errors"))} data-testid={format!("policy-{slug}")}>
            <header class="policy-card-head">
                <h4 class="policy-card-title">{ title.clone() }</h4>
                if props.named {
                    <input class="name-input" type="text" placeholder="name" value={props.entry.name.clone()} oninput={on_name}
                        aria-label={format!("Name of {}", title.to_lowercase())} readonly={readonly}
                        data-testid={format!("policy-name-{slug}")} spellcheck="false" />
                }
                <span class="card-badges">
                    if errors > 0 {
                        <span class="badge badge-error" data-testid="policy-errors">{ plural(errors, "error", "errors") }</span>
                    }
                    if warnings > 0 {
                        <span class="badge badge-warning">{ plural(warnings, "warning", "warnings") }</span>
                    }
                    { for CATEGORY_BADGES.iter().zip(props.findings).filter(|(_, n)| *n > 0).map(|((cat, one, many), n)| html! {
                        <span class={classes!("badge", "badge-cat", format!("badge-cat-{cat}"))} data-testid="policy-findings"
                            data-category={*cat} title={format!("checks: {}", plural(n, one, many))}>
                            { plural(n, one, many) }
                        </span>
                    }) }
                    if props.managed.is_some() {
                        <span class="badge badge-managed" data-testid="policy-managed">{ "AWS managed" }</span>
                    }
                </span>
                if !readonly {
                    <button type="button" class="btn btn-ghost btn-small remove" onclick={remove}
                        aria-label={format!("Remove {}", title.to_lowercase())} data-testid={format!("policy-remove-{slug}")}>
                        { "Remove" }
                    </button>
                }
            </header>
            <Editor key={format!("{generation}-{id}")} {id} text={AttrValue::from(props.entry.text.clone())}
                label={format!("{title} (JSON)")} {readonly} marks={props.marks.clone()} highlights={props.highlights.0.clone()}
                highlight_seq={props.highlight_seq} scroll={props.scroll_to == Some(id)} on_change={props.on_text.clone()}
                testid={format!("editor-{slug}")} />
            if let Some(m) = &props.managed {
                <div class="managed-doc" data-testid={format!("managed-doc-{slug}")}>
                    <div class="managed-doc-head">
                        <span class="managed-doc-title">{ "Resolved document of " }<strong>{ m.name.clone() }</strong></span>
                        <code class="managed-doc-arn">{ m.arn.clone() }</code>
                        <span class="muted">{ "read-only" }</span>
                    </div>
                    <Editor key={format!("{generation}-{id}-{}", m.arn)} id={managed_view(id)} text={AttrValue::from(m.text.clone())}
                        label={format!("{title} (AWS managed policy {}, read-only)", m.name)} readonly=true
                        marks={AttrValue::Static("[]")} highlights={props.highlights.1.clone()} highlight_seq={props.highlight_seq}
                        scroll={props.scroll_to == Some(managed_view(id))} on_change={Callback::noop()}
                        testid={format!("editor-managed-{slug}")} />
                </div>
            } else if let Some(why) = props.waiting {
                <p class="managed-waiting">{ why }</p>
            }
        </article>
    }
}
