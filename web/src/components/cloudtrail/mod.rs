//! From CloudTrail: paste a CloudTrail record (one record, a log file's
//! `Records`, a `lookup-events` result, or a decoded EC2 authorization
//! message) and get the request it describes. Each request field and
//! context key says which record field it came from (a click highlights it
//! in the pasted text); keys the record cannot show are listed with why;
//! an access-denied error is set beside iamtrace's decision. The request
//! is evaluated against the page's current policies, and "Use this
//! request" makes it the playground's request (the policies stay).
//!
//! The import runs in the knowledge module (it checks actions against the
//! service reference), and this view in the panels module (neither fits
//! the page's first download), inside the page's panel. The pasted text
//! stays on the page: it is not part of share links, since records carry
//! account ids, addresses and key ids.

mod event;

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use iamtrace::cloudtrail::Imported;
use yew::prelude::*;

use event::EventView;

use iamtrace::api;

use crate::components::rich;
use crate::data::{self, DataState};
use crate::editor::Editor;
use crate::eval::{self, Mark, Range};
use crate::knowledge::wire::Phase;
use crate::state::EditorId;

/// The paste area's editor id (apart from the policy editors' ids).
pub const CLOUDTRAIL_EDITOR: EditorId = 1 << 29;

/// Quiet time after the last keystroke before the text is imported again.
const DEBOUNCE_MS: u32 = 200;

#[derive(Properties, PartialEq, Debug)]
pub struct CloudTrailProps {
    /// The page's scenario (SCENARIO.md JSON): the imported request is
    /// evaluated against its policies.
    pub scenario: AttrValue,
    pub data: DataState,
    /// An embed that may not be edited: no "Use this request".
    pub readonly: bool,
    /// Makes a request (`share::RequestV1` JSON) the page's request.
    pub on_use: Callback<String>,
}

fn marks_json(imported: &Imported) -> AttrValue {
    let all = imported.diagnostics.iter().chain(imported.events.iter().flat_map(|e| &e.diagnostics));
    let marks: Vec<Mark<'_>> = all
        .map(|d| {
            let help = d.diagnostic.help.as_deref();
            Mark::problem(
                d.start,
                d.end,
                d.diagnostic.is_error(),
                d.diagnostic.code.as_str(),
                &d.diagnostic.message,
                help,
            )
        })
        .collect();
    AttrValue::from(eval::marks_json(&marks))
}

/// Highlights for the paste area: a field picked in the import.
#[derive(Debug, Clone, Default, PartialEq)]
struct Picked {
    seq: u32,
    json: AttrValue,
}

impl Reducible for Picked {
    type Action = Range;

    fn reduce(self: Rc<Self>, range: Range) -> Rc<Self> {
        let json = serde_json::to_string(&[range]).unwrap_or_else(|_| "[]".to_owned());
        Rc::new(Picked { seq: self.seq.wrapping_add(1), json: AttrValue::from(json) })
    }
}

/// The import, as the panels module mounts it in the page's panel.
#[component]
pub fn CloudTrailView(props: &CloudTrailProps) -> Html {
    let text = use_state_eq(String::new);
    let imported = use_state_eq(|| None::<(String, Rc<Imported>)>);
    let chosen = use_state_eq(|| 0usize);
    let picked = use_reducer_eq(Picked::default);
    let pending = use_mut_ref(|| None::<Timeout>);
    let seq = use_mut_ref(|| 0u64);
    let ready = props.data.checks_ready();
    {
        let (imported, chosen, seq) = (imported.setter(), chosen.setter(), seq.clone());
        use_effect_with(((*text).clone(), ready), move |(text, ready)| {
            let n = {
                let mut s = seq.borrow_mut();
                *s += 1;
                *s
            };
            if text.trim().is_empty() {
                imported.set(None);
                *pending.borrow_mut() = None;
                return;
            }
            if !*ready {
                return;
            }
            let text = text.clone();
            let run = move || {
                wasm_bindgen_futures::spawn_local(async move {
                    let out = data::cloudtrail(&text).await;
                    if *seq.borrow() == n {
                        if let Some(out) = out {
                            chosen.set(0);
                            imported.set(Some((text, Rc::new(out))));
                        }
                    }
                });
            };
            *pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, run));
        });
    }
    let on_change = {
        let text = text.setter();
        Callback::from(move |(_, t): (EditorId, String)| text.set(t))
    };
    let current = imported.as_ref().filter(|(t, _)| *t == *text).map(|(_, i)| i.clone());
    let marks = current.as_ref().map_or(AttrValue::Static("[]"), |i| marks_json(i));
    let on_pick = {
        let picked = picked.dispatcher();
        Callback::from(move |r: Range| picked.dispatch(r))
    };
    let status = match (text.trim().is_empty(), props.data.module, &current) {
        (true, _, _) => None,
        (false, Phase::Failed, _) => Some("The import could not be loaded (the knowledge module is missing)."),
        (false, _, None) => Some("Reading the record…"),
        _ => None,
    };
    let policies = use_memo(props.scenario.clone(), |s| {
        let input = api::input_from_scenario(s).unwrap_or_default();
        Rc::new(input.policies)
    });
    let ctx = Ctx {
        policies: (*policies).clone(),
        data: props.data.clone(),
        readonly: props.readonly,
        on_use: props.on_use.clone(),
    };
    html! {
        <div class="ct" data-testid="ct">
            <p class="panel-hint">
                { "Paste a CloudTrail record, a log file's " }<code class="mono">{ "Records" }</code>
                { ", a " }<code class="mono">{ "lookup-events" }</code>{ " result, or the output of " }
                <code class="mono">{ "aws sts decode-authorization-message" }</code>
                { ". It stays in this page and is not put in share links." }
            </p>
            <div class="ct-editor">
                <Editor id={CLOUDTRAIL_EDITOR} text={AttrValue::from((*text).clone())} label="CloudTrail record (JSON)"
                    {marks} highlights={picked.json.clone()} highlight_seq={picked.seq} scroll=true {on_change}
                    testid="editor-cloudtrail" />
            </div>
            if let Some(s) = status {
                <p class="muted" role="status" data-testid="ct-status">{ s }</p>
            }
            if let Some(i) = current {
                { imported_view(&i, *chosen, &chosen, &ctx, &on_pick) }
            }
        </div>
    }
}

/// What an event's view needs of the panel.
struct Ctx {
    policies: Rc<api::Policies>,
    data: DataState,
    readonly: bool,
    on_use: Callback<String>,
}

fn imported_view(
    i: &Rc<Imported>,
    chosen: usize,
    choose: &UseStateHandle<usize>,
    ctx: &Ctx,
    on_pick: &Callback<Range>,
) -> Html {
    if let Some(d) = i.diagnostics.iter().find(|d| d.diagnostic.is_error()) {
        return html! {
            <div class="ct-error" role="alert" data-testid="ct-error" data-line={d.start.line.to_string()}
                data-column={d.start.column.to_string()}>
                <span class="diag-pos mono">{ format!("line {}, column {}", d.start.line, d.start.column) }</span>
                <span class="diag-msg">{ rich(&d.diagnostic.message) }</span>
                if let Some(h) = &d.diagnostic.help {
                    <span class="diag-help">{ "help: " }{ rich(h) }</span>
                }
            </div>
        };
    }
    let n = i.events.len();
    let chosen = chosen.min(n.saturating_sub(1));
    html! {
        <div class="ct-result" data-testid="ct-result">
            if n > 1 {
                <div class="ct-events" role="tablist" aria-label="Events">
                    { for i.events.iter().enumerate().map(|(k, e)| {
                        let choose = choose.setter();
                        let label = format!("{} {}", e.path, e.event_name.as_deref().unwrap_or("?"));
                        html! {
                            <button type="button" role="tab" aria-selected={(k == chosen).to_string()}
                                class={classes!("chip", (k == chosen).then_some("chip-on"), e.has_errors().then_some("chip-bad"))}
                                onclick={Callback::from(move |_: MouseEvent| choose.set(k))} data-testid="ct-event">{ label }</button>
                        }
                    }) }
                </div>
            }
            if let Some(e) = i.events.get(chosen) {
                <EventView key={chosen} event={Rc::new(e.clone())} policies={ctx.policies.clone()} data={ctx.data.clone()}
                    readonly={ctx.readonly} on_use={ctx.on_use.clone()} on_pick={on_pick.clone()} />
            } else {
                <p class="empty">{ "No events in the pasted text." }</p>
            }
        </div>
    }
}
