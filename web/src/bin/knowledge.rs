//! The knowledge module: a second wasm file that the page loads after it is
//! interactive (`src/data.rs`). It fetches the AWS data files from the
//! page's own origin, inflates them (they are shipped zlib-compressed, so
//! the transfer is small whatever the host does), and answers the page and
//! the editor through the functions below: the page's module gets
//! `iamtrace_web::knowledge::lines` text (small to read in wasm), the
//! editor's JavaScript gets JSON. The logic lives in
//! `iamtrace_web::knowledge` (pure, tested natively); this file is the
//! browser glue.

#[cfg(target_arch = "wasm32")]
mod module {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use iamtrace_data::{ManagedPolicies, ServiceReference};
    use iamtrace_web::knowledge::wire::{ManagedDoc, Phase, Status, Transfer};
    use iamtrace_web::knowledge::{complete, hover, lines, Store};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// Inflated data files are far below this; it guards against a corrupt file.
    const MAX_INFLATED: usize = 32 << 20;

    /// The three data files.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum File {
        Reference,
        Descriptions,
        Managed,
    }

    impl File {
        fn parse(s: &str) -> Option<File> {
            match s {
                "reference" => Some(File::Reference),
                "descriptions" => Some(File::Descriptions),
                "managed" => Some(File::Managed),
                _ => None,
            }
        }

        fn key(self) -> &'static str {
            match self {
                File::Reference => "reference",
                File::Descriptions => "descriptions",
                File::Managed => "managed",
            }
        }
    }

    #[derive(Default)]
    struct Module {
        store: Store,
        status: Status,
        urls: BTreeMap<String, String>,
        on_status: Option<js_sys::Function>,
        /// Promise resolvers waiting for a file.
        waiting: BTreeMap<File, Vec<js_sys::Function>>,
    }

    thread_local! {
        static MODULE: RefCell<Module> = RefCell::new(Module::default());
    }

    fn with<R>(f: impl FnOnce(&mut Module) -> R) -> R {
        MODULE.with(|m| f(&mut m.borrow_mut()))
    }

    fn now() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }

    fn json<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
    }

    fn phase(m: &mut Module, file: File) -> &mut Phase {
        match file {
            File::Reference => &mut m.status.reference,
            File::Descriptions => &mut m.status.descriptions,
            File::Managed => &mut m.status.managed,
        }
    }

    /// Tells the page (outside of any borrow of the module).
    fn notify() {
        let (callback, status) = with(|m| {
            m.status.generation = m.status.generation.wrapping_add(1);
            (m.on_status.clone(), lines::write_status(&m.status))
        });
        if let Some(f) = callback {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&status));
        }
    }

    /// `config`: `file=url` pairs separated by spaces (`reference`,
    /// `descriptions`, `managed`); `on_status` is called with the [`Status`]
    /// (as `lines`) on every change.
    #[wasm_bindgen]
    pub fn init(config: &str, on_status: js_sys::Function) {
        let urls: BTreeMap<String, String> = config
            .split_whitespace()
            .filter_map(|pair| pair.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        with(|m| {
            m.urls = urls;
            m.on_status = Some(on_status);
        });
    }

    /// The current [`Status`] (as `lines`).
    #[wasm_bindgen]
    pub fn status() -> String {
        with(|m| lines::write_status(&m.status))
    }

    /// The current [`Status`] as JSON, with the bytes and times of every
    /// file fetched (for people and tests).
    #[wasm_bindgen]
    pub fn report() -> String {
        with(|m| json(&m.status))
    }

    async fn fetch(url: &str) -> Result<Vec<u8>, String> {
        let window = web_sys::window().ok_or("no window")?;
        let err = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str(url)).await.map_err(err)?.dyn_into().map_err(err)?;
        if !response.ok() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let buffer = JsFuture::from(response.array_buffer().map_err(err)?).await.map_err(err)?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    fn inflate(packed: &[u8]) -> Result<String, String> {
        let bytes = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(packed, MAX_INFLATED)
            .map_err(|e| format!("the file is damaged ({:?})", e.status))?;
        String::from_utf8(bytes).map_err(|_| "the file is not UTF-8".to_owned())
    }

    async fn fetch_file(file: File) -> Result<(), String> {
        let t0 = now();
        let url = with(|m| m.urls.get(file.key()).cloned()).ok_or_else(|| format!("no address for {}", file.key()))?;
        let packed = fetch(&url).await?;
        let text = inflate(&packed)?;
        let inflated = text.len();
        let loaded = with(|m| -> Result<(), String> {
            match file {
                File::Reference => {
                    let r = ServiceReference::parse(text).map_err(|e| e.to_string())?;
                    m.status.sources = r.sources().iter().map(|s| format!("{}@{}", s.package, s.version)).collect();
                    m.store.reference = Some(r);
                }
                File::Descriptions => match m.store.reference.as_mut() {
                    Some(r) => r.load_descriptions(text).map_err(|e| e.to_string())?,
                    None => return Err("the service reference is not loaded".to_owned()),
                },
                File::Managed => m.store.managed = Some(ManagedPolicies::parse(text).map_err(|e| e.to_string())?),
            }
            Ok(())
        });
        loaded.map_err(|e| format!("{}: {e}", file.key()))?;
        let transfer = Transfer { file: file.key().to_owned(), compressed: packed.len(), inflated, ms: now() - t0 };
        with(|m| m.status.transfer.push(transfer));
        Ok(())
    }

    async fn load_file(file: File) {
        if file == File::Descriptions {
            let _ = ensure(File::Reference).await;
        }
        let result = fetch_file(file).await;
        let waiters = with(|m| {
            let ok = result.is_ok();
            *phase(m, file) = if ok { Phase::Ready } else { Phase::Failed };
            if let Err(e) = &result {
                m.status.error = Some(e.clone());
            }
            m.waiting.remove(&file).unwrap_or_default()
        });
        notify();
        for resolve in waiters {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    /// Resolves once `file` is loaded (or failed); starts loading it if
    /// nobody has asked for it yet.
    fn ensure(file: File) -> JsFuture {
        let mut start = false;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            with(|m| match *phase(m, file) {
                Phase::Ready | Phase::Failed => {
                    let _ = resolve.call0(&JsValue::NULL);
                }
                Phase::Loading => m.waiting.entry(file).or_default().push(resolve),
                Phase::Idle => {
                    *phase(m, file) = Phase::Loading;
                    m.waiting.entry(file).or_default().push(resolve);
                    start = true;
                }
            });
        });
        if start {
            notify();
            wasm_bindgen_futures::spawn_local(load_file(file));
        }
        JsFuture::from(promise)
    }

    /// Loads `reference`, `descriptions` or `managed` (once); the promise
    /// resolves when it is loaded or has failed (see [`status`]).
    #[wasm_bindgen]
    pub fn load(file: &str) -> js_sys::Promise {
        let file = File::parse(file);
        wasm_bindgen_futures::future_to_promise(async move {
            if let Some(f) = file {
                let _ = ensure(f).await;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Checks policy texts: a `LintRequest` in, a `LintResponse` out (as `lines`).
    #[wasm_bindgen]
    pub fn lint(request: &str) -> String {
        let t0 = now();
        let request = lines::read_lint_request(request);
        let mut out = with(|m| m.store.lint(&request));
        out.ms = now() - t0;
        lines::write_lint_response(&out)
    }

    /// The access overview of a scenario (SCENARIO.md JSON) for a pattern
    /// (empty: every action of the request's service).
    #[wasm_bindgen]
    pub fn overview(scenario: &str, pattern: &str) -> String {
        let t0 = now();
        let mut out = with(|m| m.store.overview(scenario, Some(pattern)));
        out.ms = now() - t0;
        lines::write_overview(&out)
    }

    #[wasm_bindgen(js_name = serviceName)]
    pub fn service_name(prefix: &str) -> Option<String> {
        with(|m| m.store.service_name(prefix).map(str::to_owned))
    }

    /// The actions a pattern covers (as `lines`).
    #[wasm_bindgen]
    pub fn expand(pattern: &str) -> String {
        with(|m| lines::write_actions(&m.store.expand(pattern)))
    }

    /// How many actions a pattern covers (0 for none, or without the reference).
    #[wasm_bindgen]
    pub fn count(pattern: &str) -> usize {
        with(|m| m.store.reference.as_ref().map_or(0, |r| r.count(pattern)))
    }

    /// A managed policy's document by name or ARN (as `lines`; `null` when unknown).
    #[wasm_bindgen(js_name = managedPolicy)]
    pub fn managed_policy(name_or_arn: &str) -> Option<String> {
        with(|m| {
            m.store
                .managed_policy(name_or_arn)
                .map(|p| lines::write_managed_doc(&ManagedDoc { name: p.name, arn: p.arn, text: p.text.into_owned() }))
        })
    }

    /// Managed policies whose name contains the query's words (as `lines`).
    #[wasm_bindgen(js_name = managedList)]
    pub fn managed_list(query: &str, limit: usize) -> String {
        with(|m| lines::write_managed_list(&m.store.managed_list(query, limit)))
    }

    /// The requests a pasted CloudTrail text describes
    /// (`iamtrace::cloudtrail::Imported` JSON), with the service reference
    /// (loaded first).
    #[wasm_bindgen]
    pub fn cloudtrail(text: String) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let _ = ensure(File::Reference).await;
            Ok(JsValue::from_str(&with(|m| json(&m.store.cloudtrail(&text)))))
        })
    }

    /// Completions at a UTF-16 offset of a policy text, as JSON.
    #[wasm_bindgen]
    pub fn complete(text: &str, pos: usize) -> Option<String> {
        with(|m| complete::complete(&m.store, text, pos).map(|c| json(&c)))
    }

    /// The tooltip at a UTF-16 offset, as JSON (`null`: none). Loads the
    /// descriptions first when the tooltip would show one.
    #[wasm_bindgen]
    pub fn hover(text: String, pos: usize) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            if hover::wants_descriptions(&text, pos) {
                let _ = ensure(File::Descriptions).await;
            }
            Ok(with(|m| hover::hover_at(&m.store, &text, pos)).map_or(JsValue::NULL, |h| JsValue::from_str(&json(&h))))
        })
    }

    /// An action's description (loading the descriptions first), or `null`.
    #[wasm_bindgen]
    pub fn describe(action: String) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let _ = ensure(File::Descriptions).await;
            Ok(with(|m| m.store.describe(&action)).map_or(JsValue::NULL, |d| JsValue::from_str(&d)))
        })
    }
}

fn main() {}
