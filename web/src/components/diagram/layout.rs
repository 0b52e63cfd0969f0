//! Where the boxes and lines of the evaluation flow go: one column for a
//! request within one account, two lanes (principal's account, resource's
//! account) joined at the bottom for a cross-account one.

use iamtrace::trace::{Side, Stage, Step, Verdict};
use iamtrace::Decision;

use crate::eval::decision_title;

/// Where a node sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Center,
    Left,
    Right,
}

/// One box of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    pub step: Option<usize>,
    pub label: String,
    pub verdict: Verdict,
    pub decisive: bool,
    pub summary: String,
    pub column: Column,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Node {
    /// Steps with no policies to look at get a one-line box.
    pub fn compact(&self) -> bool {
        matches!(self.verdict, Verdict::NotApplicable | Verdict::Skipped) && !self.summary.is_empty()
    }
}

pub(super) const W: f64 = 360.0;
const H: f64 = 40.0;
const H_COMPACT: f64 = 24.0;
pub(super) const GAP: f64 = 13.0;
const CENTER_W: f64 = 236.0;
const SIDE_W: f64 = 168.0;

fn short_label(s: &Step<'_>) -> String {
    let level = s.level.map(|l| format!(" level {}", l + 1)).unwrap_or_default();
    match s.stage {
        Stage::Request => "Request".into(),
        Stage::ExplicitDeny => "Explicit deny check".into(),
        Stage::Credentials => "Credential restrictions".into(),
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
pub(super) fn layout(
    steps: &[Step<'_>],
    cross: bool,
    decision: Decision,
) -> (Vec<Node>, Vec<(usize, usize)>, f64, bool) {
    let node = |i: usize, s: &Step<'_>, column| Node {
        step: Some(i),
        label: short_label(s),
        verdict: s.verdict,
        decisive: s.decisive,
        summary: s.summary.to_string(),
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
pub(super) fn attach_x(n: &Node) -> f64 {
    match n.column {
        Column::Center => n.x + n.w / 2.0,
        Column::Left => n.x + n.w - 28.0,
        Column::Right => n.x + 28.0,
    }
}
