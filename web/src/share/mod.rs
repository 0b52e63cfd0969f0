//! Share links: the playground's state in the URL fragment (which browsers
//! never send to a server).
//!
//! The fragment is a `&`-separated list of `key` or `key=value` items:
//!
//! - `v1=<base64url, no padding, of raw DEFLATE of the UTF-8 JSON of [`StateV1`]>`:
//!   the exact state. Later formats will be `v2=`, ... and `v1` links keep
//!   opening forever: [`StateV1`] (in `v1.rs`) only ever gains optional fields.
//! - `scenario=<percent-encoded JSON in the scenario format>`: for links
//!   written by hand.
//! - `example=<id>`: a built-in example.
//! - `embed`, `panels=<comma list>`, `readonly`, `theme=light|dark`: how to show it.
//!
//! Decoding never trusts the link: its length is capped, inflating stops at
//! [`MAX_STATE_BYTES`], and every failure is a [`LinkError`] with a message
//! for people.

mod v1;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use iamtrace::api;
use miniz_oxide::inflate::TINFLStatus;

pub use v1::{ContextV1, FlagsV1, PoliciesV1, PolicyV1, RequestV1, StateV1, ValueV1};

use crate::state::{PanelSet, State};

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
            if iamtrace::walk::has_chain(&text) {
                // A chain scenario: its own errors show in the chain editor.
                return Ok(Some(State::from_chain(text, None)));
            }
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
    if let Some(chain) = &state.chain {
        return chain.clone();
    }
    let input = state.to_input();
    serde_json::to_string(&api::scenario_doc(&input)).unwrap_or_default()
}

#[cfg(test)]
mod tests;
