//! A picture of the evaluation flow (deny check, RCPs, SCPs, VPC endpoint,
//! resource policy, identity, boundary, session; both account sides for a
//! cross-account request) with the path this request took lit up. Inline
//! SVG built here; picking a node picks its trace step.

use std::rc::Rc;

use iamtrace::trace::{Side, Stage, Step, Verdict};
use iamtrace::Decision;
use yew::prelude::*;

use crate::components::panel::Panel;
use crate::components::{decision_class, verdict_class, verdict_label};
use crate::eval::{decision_title, Evaluated};
use crate::num::fixed;
use crate::pick::Pick;
use crate::state::Panel as PanelKind;

#[derive(Properties, PartialEq, Debug)]
pub struct DiagramProps {
    pub evaluated: Rc<(Evaluated, f64)>,
    /// The answer is from an earlier revision (the current one has errors).
    #[prop_or_default]
    pub stale: bool,
    pub open: bool,
    pub picked: Option<Pick>,
    pub on_pick: Callback<Pick>,
    pub on_panel: Callback<(PanelKind, bool)>,
}

/// Where a node sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Center,
    Left,
    Right,
}

/// One box of the diagram.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    step: Option<usize>,
    label: String,
    verdict: Verdict,
    decisive: bool,
    summary: String,
    column: Column,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Node {
    /// Steps with no policies to look at get a one-line box.
    fn compact(&self) -> bool {
        matches!(self.verdict, Verdict::NotApplicable | Verdict::Skipped) && !self.summary.is_empty()
    }
}

const W: f64 = 360.0;
const H: f64 = 40.0;
const H_COMPACT: f64 = 24.0;
const GAP: f64 = 13.0;
const CENTER_W: f64 = 236.0;
const SIDE_W: f64 = 168.0;

fn short_label(s: &Step<'_>) -> String {
    let level = s.level.map(|l| format!(" level {}", l + 1)).unwrap_or_default();
    match s.stage {
        Stage::Request => "Request".into(),
        Stage::ExplicitDeny => "Explicit deny check".into(),
        Stage::Rcp => format!("RCP{}", if level.is_empty() { "s".to_owned() } else { level }),
        Stage::Scp => format!("SCP{}", if level.is_empty() { "s".to_owned() } else { level }),
        Stage::VpcEndpoint => "VPC endpoint policy".into(),
        Stage::ResourcePolicy => "Resource-based policy".into(),
        Stage::Identity => "Identity policies".into(),
        Stage::Boundary => "Permissions boundary".into(),
        Stage::Session => "Session policies".into(),
        Stage::CrossAccount => "Both accounts allow?".into(),
        Stage::Decision => "Decision".into(),
    }
}

fn side_of(s: &Step<'_>) -> Column {
    match (s.side, s.stage) {
        (Some(Side::Principal), _) => Column::Left,
        (Some(Side::Resource), _) => Column::Right,
        (None, Stage::Scp | Stage::Identity | Stage::Boundary | Stage::Session) => Column::Left,
        (None, Stage::Rcp | Stage::ResourcePolicy) => Column::Right,
        _ => Column::Center,
    }
}

/// Lays the steps out; returns the nodes, the edges (by node index) and the height.
fn layout(steps: &[Step<'_>], cross: bool, decision: Decision) -> (Vec<Node>, Vec<(usize, usize)>, f64, bool) {
    let node = |i: usize, s: &Step<'_>, column| Node {
        step: Some(i),
        label: short_label(s),
        verdict: s.verdict,
        decisive: s.decisive,
        summary: s.summary.clone(),
        column,
        x: 0.0,
        y: 0.0,
        w: 0.0,
        h: H,
    };
    let mut top: Vec<Node> = Vec::new();
    let mut left: Vec<Node> = Vec::new();
    let mut right: Vec<Node> = Vec::new();
    let mut bottom: Vec<Node> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        match s.stage {
            Stage::Request | Stage::Decision => {}
            Stage::CrossAccount => bottom.push(node(i, s, Column::Center)),
            _ if !cross => top.push(node(i, s, Column::Center)),
            _ => match side_of(s) {
                Column::Left => left.push(node(i, s, Column::Left)),
                Column::Right => right.push(node(i, s, Column::Right)),
                Column::Center => top.push(node(i, s, Column::Center)),
            },
        }
    }
    let final_step = steps.iter().position(|s| s.stage == Stage::Decision);
    bottom.push(Node {
        step: final_step,
        label: decision_title(decision).to_owned(),
        verdict: match decision {
            Decision::Allow => Verdict::Allow,
            Decision::ExplicitDeny => Verdict::ExplicitDeny,
            Decision::ImplicitDeny => Verdict::ImplicitDeny,
        },
        decisive: false,
        summary: String::new(),
        column: Column::Center,
        x: 0.0,
        y: 0.0,
        w: 0.0,
        h: H,
    });

    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut y = 8.0;
    let place = |n: &mut Node, y: f64| {
        let (x, w) = match n.column {
            Column::Center => ((W - CENTER_W) / 2.0, CENTER_W),
            Column::Left => (6.0, SIDE_W),
            Column::Right => (W - 6.0 - SIDE_W, SIDE_W),
        };
        n.x = x;
        n.w = w;
        n.y = y;
        n.h = if n.compact() { H_COMPACT } else { H };
    };
    for mut n in top {
        place(&mut n, y);
        if !nodes.is_empty() {
            edges.push((nodes.len() - 1, nodes.len()));
        }
        y += n.h + GAP;
        nodes.push(n);
    }
    let fork = nodes.len().checked_sub(1);
    let split = !left.is_empty() || !right.is_empty();
    let mut ends = Vec::new();
    if split {
        y += 30.0; // room for the column headings
        let start_y = y;
        let mut max_y = y;
        for column in [left, right] {
            let mut cy = start_y;
            let mut prev = fork;
            for mut n in column {
                place(&mut n, cy);
                if let Some(p) = prev {
                    edges.push((p, nodes.len()));
                }
                prev = Some(nodes.len());
                cy += n.h + GAP;
                nodes.push(n);
            }
            if let Some(p) = prev {
                ends.push(p);
            }
            max_y = max_y.max(cy);
        }
        y = max_y;
    }
    let mut first_bottom = true;
    for mut n in bottom {
        place(&mut n, y);
        if first_bottom && split {
            for e in &ends {
                edges.push((*e, nodes.len()));
            }
        } else if !nodes.is_empty() {
            edges.push((nodes.len() - 1, nodes.len()));
        }
        first_bottom = false;
        y += n.h + GAP;
        nodes.push(n);
    }
    (nodes, edges, y - GAP + 8.0, split)
}

/// Where edges meet a node: the middle, or the inner side of a lane (so
/// lines stay clear of the lane headings).
fn attach_x(n: &Node) -> f64 {
    match n.column {
        Column::Center => n.x + n.w / 2.0,
        Column::Left => n.x + n.w - 28.0,
        Column::Right => n.x + 28.0,
    }
}

fn reached(v: Verdict) -> bool {
    v != Verdict::NotReached
}

#[component]
pub fn DiagramPanel(props: &DiagramProps) -> Html {
    let ev = &props.evaluated.0;
    let (Some(answer), Some(decision)) = (ev.answer.as_ref(), ev.decision) else {
        return html! {
            <Panel kind={PanelKind::Diagram} open={props.open} on_toggle={props.on_panel.clone()}>
                <p class="empty">{ "The flow appears once the policies and the request have no errors." }</p>
            </Panel>
        };
    };
    let facts = answer.trace.first().and_then(|s| s.request.as_ref());
    let cross = facts.and_then(|f| f.cross_account) == Some(true);
    let (nodes, edges, height, split) = layout(&answer.trace, cross, decision);
    let picked_step = props.picked.and_then(Pick::step);

    let edge_view = |(a, b): &(usize, usize)| -> Html {
        let (Some(from), Some(to)) = (nodes.get(*a), nodes.get(*b)) else { return Html::default() };
        let lit = reached(from.verdict) && reached(to.verdict) && from.verdict != Verdict::ExplicitDeny;
        let (x1, y1) = (attach_x(from), from.y + from.h);
        let (x2, y2) = (attach_x(to), to.y);
        let d = if (x1 - x2).abs() < 0.5 {
            format!("M{} {} V{}", fixed(x1, 1), fixed(y1, 1), fixed(y2 - 1.0, 1))
        } else {
            // Forks turn above the lane headings; merges just above the node.
            let mid = if to.column == Column::Center { y2 - GAP / 2.0 } else { y2 - 26.0 };
            format!("M{} {} V{} H{} V{}", fixed(x1, 1), fixed(y1, 1), fixed(mid, 1), fixed(x2, 1), fixed(y2 - 1.0, 1))
        };
        html! { <path class={classes!("edge", lit.then_some("edge-lit"))} d={d} marker-end={if lit { "url(#arrow-lit)" } else { "url(#arrow)" }} /> }
    };

    let node_view = |n: &Node| -> Html {
        let is_final = n.summary.is_empty();
        let picked = n.step.is_some() && n.step == picked_step;
        let onclick = n.step.map(|s| props.on_pick.reform(move |_: MouseEvent| Pick::Step(s)));
        let onkeydown = n.step.map(|s| {
            let cb = props.on_pick.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    cb.emit(Pick::Step(s));
                }
            })
        });
        let class = if is_final { decision_class(Some(decision)) } else { verdict_class(n.verdict) };
        let word = if is_final { "decision".to_owned() } else { verdict_label(n.verdict).to_lowercase() };
        let aria =
            if is_final { format!("Decision: {}", n.label) } else { format!("{}: {}. {}", n.label, word, n.summary) };
        let cx = n.x + n.w / 2.0;
        let compact = n.compact();
        html! {
            <g class={classes!("node", class, n.decisive.then_some("decisive"), is_final.then_some("node-final"), picked.then_some("picked"))}
                role="button" tabindex="0" aria-label={aria} {onclick} {onkeydown} data-testid="diagram-node"
                data-verdict={crate::components::verdict_key(n.verdict)}>
                <title>{ if is_final { n.label.clone() } else { format!("{}: {}", n.label, n.summary) } }</title>
                <rect x={fixed(n.x, 1)} y={fixed(n.y, 1)} width={fixed(n.w, 1)} height={fixed(n.h, 1)} rx="8" />
                if compact {
                    <text class="node-label node-label-compact" x={fixed(cx, 1)} y={fixed(n.y + 16.0, 1)} text-anchor="middle">
                        { format!("{} · {}", n.label, word) }
                    </text>
                } else {
                    <text class="node-label" x={fixed(cx, 1)} y={fixed(n.y + if is_final { 25.0 } else { 17.0 }, 1)} text-anchor="middle">{ n.label.clone() }</text>
                }
                if !is_final && !compact {
                    <text class="node-verdict" x={fixed(cx, 1)} y={fixed(n.y + 31.0, 1)} text-anchor="middle">
                        { if n.decisive { format!("{word} · decided here") } else { word.clone() } }
                    </text>
                }
            </g>
        }
    };

    let headings = if split {
        let y = nodes.iter().filter(|n| n.column != Column::Center).map(|n| n.y).fold(f64::MAX, f64::min);
        let p = facts.and_then(|f| f.principal_account.clone()).unwrap_or_default();
        let r = facts.and_then(|f| f.resource_account.clone()).unwrap_or_default();
        let (left, right) = (10.0, W - 10.0);
        html! {
            <>
                <text class="col-heading" x={fixed(left, 1)} y={fixed(y - 17.0, 1)}>{ "principal's account" }</text>
                <text class="col-account" x={fixed(left, 1)} y={fixed(y - 5.0, 1)}>{ p }</text>
                <text class="col-heading" x={fixed(right, 1)} y={fixed(y - 17.0, 1)} text-anchor="end">{ "resource's account" }</text>
                <text class="col-account" x={fixed(right, 1)} y={fixed(y - 5.0, 1)} text-anchor="end">{ r }</text>
            </>
        }
    } else {
        Html::default()
    };
    let description = format!(
        "Evaluation flow{}: {}",
        if cross { " for a cross-account request" } else { "" },
        nodes
            .iter()
            .filter(|n| reached(n.verdict))
            .map(|n| if n.summary.is_empty() {
                n.label.clone()
            } else {
                format!("{} ({})", n.label, verdict_label(n.verdict).to_lowercase())
            })
            .collect::<Vec<_>>()
            .join(", then ")
    );

    html! {
        <Panel kind={PanelKind::Diagram} open={props.open} on_toggle={props.on_panel.clone()}
            subtitle={Some(AttrValue::from(if props.stale { "out of date: fix the errors to update" } else if cross { "cross-account: both sides must allow" } else { "same account" }))}
            class={classes!(props.stale.then_some("stale"))}>
            <figure class="diagram" data-testid="diagram">
                <svg viewBox={format!("0 0 {} {}", fixed(W, 0), fixed(height, 0))} role="group" aria-label={description}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                            <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                        </marker>
                        <marker id="arrow-lit" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                            <path d="M0 0 L10 5 L0 10 z" class="arrowhead arrowhead-lit" />
                        </marker>
                    </defs>
                    { headings }
                    { for edges.iter().map(edge_view) }
                    { for nodes.iter().map(node_view) }
                </svg>
                <figcaption class="legend">
                    <span class="legend-item"><span class="swatch swatch-lit" />{ "path taken" }</span>
                    <span class="legend-item"><span class="swatch swatch-decisive" />{ "decided here" }</span>
                    <span class="legend-item"><span class="swatch swatch-na" />{ "no such policies" }</span>
                    <span class="legend-item"><span class="swatch swatch-off" />{ "not reached" }</span>
                </figcaption>
            </figure>
        </Panel>
    }
}
