//! The sections of the page and which of them are open (part of the
//! state: share links carry it).

/// The page's two columns: what is evaluated, and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Input,
    Output,
}

/// A section of the page. A new panel: a variant here (with its key, title,
/// bit and column), a component under `components/`, and an arm in
/// `components/app.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Policies,
    Request,
    Decision,
    Trace,
    Diagram,
    /// The access overview: every action of the request's service.
    Overview,
    /// A request imported from a pasted CloudTrail record.
    CloudTrail,
    /// The chain scenario's editor (the credential walkthrough).
    Chain,
    /// The chain walked: a row of hops, each opening its checks and trace.
    Walk,
}

impl Panel {
    pub const ALL: [Panel; 9] = [
        Panel::Chain,
        Panel::Policies,
        Panel::Request,
        Panel::CloudTrail,
        Panel::Walk,
        Panel::Decision,
        Panel::Overview,
        Panel::Trace,
        Panel::Diagram,
    ];

    /// The panels of a chain scenario (the others belong to one request).
    pub const CHAIN: [Panel; 2] = [Panel::Chain, Panel::Walk];

    /// The panel's name in links (`panels=policies,decision`).
    pub fn key(self) -> &'static str {
        match self {
            Panel::Policies => "policies",
            Panel::Request => "request",
            Panel::Decision => "decision",
            Panel::Trace => "trace",
            Panel::Diagram => "diagram",
            Panel::Overview => "overview",
            Panel::CloudTrail => "cloudtrail",
            Panel::Chain => "chain",
            Panel::Walk => "walk",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Panel::Policies => "Policies",
            Panel::Request => "Request",
            Panel::Decision => "Decision",
            Panel::Trace => "Trace",
            Panel::Diagram => "Evaluation flow",
            Panel::Overview => "Access overview",
            Panel::CloudTrail => "From CloudTrail",
            Panel::Chain => "Credential chain",
            Panel::Walk => "Walkthrough",
        }
    }

    pub fn parse(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.key() == s.trim())
    }

    /// The column the panel sits in.
    pub fn column(self) -> Column {
        match self {
            Panel::Policies | Panel::Request | Panel::CloudTrail | Panel::Chain => Column::Input,
            Panel::Decision | Panel::Overview | Panel::Trace | Panel::Diagram | Panel::Walk => Column::Output,
        }
    }

    /// Whether a page opens with the panel expanded: all but the access
    /// overview, which shows its summary in its heading until it is opened,
    /// and the CloudTrail import, which waits for a paste.
    pub fn opens_by_default(self) -> bool {
        !matches!(self, Panel::Overview | Panel::CloudTrail)
    }

    /// Whether the panel belongs to a chain scenario.
    pub fn is_chain(self) -> bool {
        Panel::CHAIN.contains(&self)
    }

    fn bit(self) -> u16 {
        match self {
            Panel::Policies => 1,
            Panel::Request => 2,
            Panel::Decision => 4,
            Panel::Trace => 8,
            Panel::Diagram => 16,
            Panel::Overview => 32,
            Panel::CloudTrail => 64,
            Panel::Chain => 128,
            Panel::Walk => 256,
        }
    }
}

/// A set of panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelSet(u16);

impl Default for PanelSet {
    fn default() -> Self {
        PanelSet::default_open()
    }
}

impl PanelSet {
    pub fn all() -> Self {
        PanelSet::of(&Panel::ALL)
    }

    /// The panels a page opens with (see [`Panel::opens_by_default`]).
    pub fn default_open() -> Self {
        PanelSet::of(&Panel::ALL.into_iter().filter(|p| p.opens_by_default()).collect::<Vec<_>>())
    }

    /// The panels an embed shows when its link does not say.
    pub fn embed_default() -> Self {
        PanelSet::of(&[Panel::Policies, Panel::Decision, Panel::Trace])
    }

    pub const fn empty() -> Self {
        PanelSet(0)
    }

    pub fn of(panels: &[Panel]) -> Self {
        PanelSet(panels.iter().fold(0, |acc, p| acc | p.bit()))
    }

    pub fn contains(self, p: Panel) -> bool {
        self.0 & p.bit() != 0
    }

    #[must_use]
    pub fn with(self, p: Panel, on: bool) -> Self {
        if on {
            PanelSet(self.0 | p.bit())
        } else {
            PanelSet(self.0 & !p.bit())
        }
    }

    /// The panels in both sets.
    #[must_use]
    pub fn intersect(self, other: PanelSet) -> Self {
        PanelSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses `policies,trace`; unknown names are ignored.
    pub fn parse_list(s: &str) -> PanelSet {
        PanelSet::of(&s.split(',').filter_map(Panel::parse).collect::<Vec<_>>())
    }

    /// The panels in page order.
    pub fn panels(self) -> Vec<Panel> {
        Panel::ALL.into_iter().filter(|p| self.contains(*p)).collect()
    }

    /// `policies,trace`.
    pub fn to_list(self) -> String {
        self.panels().iter().map(|p| p.key()).collect::<Vec<_>>().join(",")
    }
}
