//! The credential walkthrough: a chain scenario (a long-term credential,
//! STS calls, a request) walked hop by hop. [`ChainPanel`] edits the
//! scenario's text; [`walk::WalkPanel`] shows the walk: a row of hops, the
//! failed one lit, each opening its checks, the credential it yields, and
//! the trace of each evaluation (the trace panel's own components, on the
//! page's evaluator; picks highlight the policy in the chain text).

mod credential;
mod hop;
pub mod walk;

use std::rc::Rc;

use iamtrace::LineIndex;
use yew::prelude::*;

use crate::components::panel::Panel;
use crate::context::use_page;
use crate::editor::Editor;
use crate::eval::{self, Mark, Range};
use crate::knowledge::chain::ChainProblem;
use crate::state::{Action, EditorId, Panel as PanelKind, State};

/// The chain editor's id (apart from the policy editors' ids).
pub const CHAIN_EDITOR: EditorId = 1 << 30;

/// Highlights placed in the chain editor by a pick in the walk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChainMarks {
    pub seq: u32,
    /// `[{from:[l,c], to:[l,c], strong}]`, as the editor bridge takes them.
    pub json: AttrValue,
}

impl Reducible for ChainMarks {
    type Action = AttrValue;

    fn reduce(self: Rc<Self>, json: AttrValue) -> Rc<Self> {
        Rc::new(ChainMarks { seq: self.seq.wrapping_add(1), json })
    }
}

/// Byte ranges of the chain text as editor ranges (JSON).
pub fn ranges_json(text: &str, spans: &[(u32, u32, bool)]) -> AttrValue {
    let index = LineIndex::new(text);
    let ranges: Vec<Range> = spans
        .iter()
        .map(|&(start, end, strong)| {
            let (a, b) = (index.position(text, start), index.position(text, end));
            Range { from: [a.line, a.utf16_column], to: [b.line, b.utf16_column], strong }
        })
        .collect();
    AttrValue::from(serde_json::to_string(&ranges).unwrap_or_else(|_| "[]".to_owned()))
}

pub(crate) fn marks_json(text: &str, problems: &[ChainProblem]) -> AttrValue {
    let index = LineIndex::new(text);
    let marks: Vec<Mark<'_>> = problems
        .iter()
        .map(|p| {
            let (a, b) = (index.position(text, p.start), index.position(text, p.end.max(p.start)));
            Mark::problem(a, b, p.error, &p.code, &p.message, p.help.as_deref())
        })
        .collect();
    AttrValue::from(eval::marks_json(&marks))
}

#[derive(Properties, PartialEq, Debug)]
pub struct ChainProps {
    /// The chain scenario's text.
    pub text: AttrValue,
    /// Bumped when the text is replaced wholesale (the editor is rebuilt).
    pub generation: u64,
    /// Highlights placed by picks in the walk.
    pub marks: ChainMarks,
    /// The scenario's problems as the editor marks them (JSON, from the walk).
    pub problems: AttrValue,
    pub open: bool,
}

/// The chain scenario's editor, and the way back to one request. The walk
/// (in the panels module) reports the scenario's problems and the picks'
/// highlights, which this editor shows.
#[component]
pub fn ChainPanel(props: &ChainProps) -> Html {
    let page = use_page();
    let on_change = page.on(|(_, text): (EditorId, String)| Action::SetChain(text));
    let close = page.on_any(Action::Load(Box::new(State::initial())));
    let aside = html! {
        <button type="button" class="btn btn-small" onclick={close} data-testid="chain-close"
            title="Leave the chain and go back to the one-request playground">{ "One request" }</button>
    };
    html! {
        <Panel kind={PanelKind::Chain} open={props.open} {aside}>
            <p class="panel-hint">
                { "A chain scenario: users and roles under " }<code class="mono">{ "entities" }</code>
                { ", then a " }<code class="mono">{ "chain" }</code>{ " of hops: a " }<code class="mono">{ "credential" }</code>
                { ", STS " }<code class="mono">{ "call" }</code>{ "s, and a " }<code class="mono">{ "request" }</code>
                { ". Paste your own; the walk follows every edit." }
            </p>
            <div class="chain-editor">
                <Editor key={props.generation.to_string()} id={CHAIN_EDITOR} text={props.text.clone()}
                    label="Chain scenario (JSON)" marks={props.problems.clone()} highlights={props.marks.json.clone()}
                    highlight_seq={props.marks.seq} scroll=true {on_change} testid="editor-chain" />
            </div>
        </Panel>
    }
}
