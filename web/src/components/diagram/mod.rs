//! A picture of the evaluation flow (deny check, RCPs, SCPs, VPC endpoint,
//! resource policy, identity, boundary, session; both account sides for a
//! cross-account request) with the path this request took lit up. Inline
//! SVG built here; picking a node picks its trace step.

mod layout;

use std::rc::Rc;

use iamtrace::trace::Verdict;
use yew::prelude::*;

use layout::{attach_x, layout, Column, Node, GAP, W};

use crate::components::panel::Panel;
use crate::components::{decision_class, verdict_class, verdict_label};
use crate::context::use_page;
use crate::eval::Evaluated;
use crate::num::fixed;
use crate::pick::Pick;
use crate::state::Panel as PanelKind;

#[derive(Properties, PartialEq, Debug)]
pub struct DiagramProps {
    /// The evaluation whose answer is shown.
    pub evaluated: Rc<Evaluated>,
    /// The answer is from an earlier revision (the current one has errors).
    #[prop_or_default]
    pub stale: bool,
    pub open: bool,
    pub picked: Option<Pick>,
}

fn reached(v: Verdict) -> bool {
    v != Verdict::NotReached
}

#[component]
pub fn DiagramPanel(props: &DiagramProps) -> Html {
    let page = use_page();
    let ev = &props.evaluated;
    let (Some(answer), Some(decision)) = (ev.answer.as_ref(), ev.decision) else {
        return html! {
            <Panel kind={PanelKind::Diagram} open={props.open}>
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
        let onclick = n.step.map(|s| page.on_pick::<MouseEvent>(Pick::Step(s)));
        let onkeydown = n.step.map(|s| {
            let page = page.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    page.pick(Pick::Step(s));
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
        <Panel kind={PanelKind::Diagram} open={props.open}
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
