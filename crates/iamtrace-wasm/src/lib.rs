//! iamtrace for JavaScript: a thin wasm-bindgen shell over [`iamtrace::api`].
//!
//! Every function returns plain data (JSON-compatible: maps are plain
//! objects, absent options are `null`) and never throws on bad input: a
//! value that cannot be read becomes `{ error: InputError }`. The TypeScript
//! types live in `types.d.ts` and are emitted into the generated `.d.ts`.

use iamtrace::api::{self, Input};
use iamtrace::diagnostic::Code;
use iamtrace::span::{LineIndex, Position};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Why an input could not be evaluated at all (policy and request problems
/// are not this: they are `diagnostics` of a normal output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The offending field of an `Input`, such as `request.context.k`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where in a scenario text the error is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
}

const INPUT_HELP: &str = "pass an object shaped like `Input`: `{ policies: { identity: [{ text }] }, \
    request: { principal, action, resource } }`; policy documents are strings, context values are strings \
    or arrays of strings";

impl InputError {
    fn new(code: Code, message: impl Into<String>, help: Option<&str>) -> Box<Self> {
        Box::new(InputError {
            code: code.as_str().to_owned(),
            message: message.into(),
            help: help.map(str::to_owned),
            path: None,
            start: None,
            end: None,
        })
    }
}

#[derive(Serialize)]
struct Failure<'a> {
    error: &'a InputError,
}

#[derive(Serialize)]
struct Parsed<'a> {
    input: &'a Input,
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or_else(|e| {
        let error = InputError::new(Code::OutputUnserializable, e.to_string(), None);
        Failure { error: &error }.serialize(&serializer).unwrap_or(JsValue::NULL)
    })
}

/// Reads a JS value as an [`Input`], naming the field that is wrong.
fn input_from_js(value: JsValue) -> Result<Input, Box<InputError>> {
    if !value.is_object() || js_sys::Array::is_array(&value) {
        let found = if value.is_null() {
            "null".to_owned()
        } else if value.is_object() {
            "an array".to_owned()
        } else {
            value.js_typeof().as_string().unwrap_or_default()
        };
        let message = format!("expected an `Input` object, found {found}");
        return Err(InputError::new(Code::InputInvalid, message, Some(INPUT_HELP)));
    }
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        // serde-wasm-bindgen errors are JS `Error`s: drop their `Error: ` prefix.
        let raw = e.inner().to_string();
        let message = raw.strip_prefix("Error: ").unwrap_or(&raw).to_owned();
        let mut error = InputError::new(Code::InputInvalid, message, Some(INPUT_HELP));
        let path = e.path().to_string();
        error.path = (path != ".").then_some(path);
        error
    })
}

/// Reads a scenario (the SCENARIO.md JSON format) into an [`Input`].
fn input_from_scenario(json: &JsValue) -> Result<Input, Box<InputError>> {
    let Some(text) = json.as_string() else {
        let found = json.js_typeof().as_string().unwrap_or_default();
        let message = format!("a scenario must be a JSON string, found {found}");
        let help = Some("pass `JSON.stringify(scenario)`");
        return Err(InputError::new(Code::InputNotAString, message, help));
    };
    api::input_from_scenario(&text).map_err(|d| {
        let index = LineIndex::new(&text);
        let mut error = InputError::new(d.code, d.message, d.help.as_deref());
        error.start = Some(index.position(&text, d.span.start));
        error.end = Some(index.position(&text, d.span.end));
        error
    })
}

/// Evaluates policy texts and a request: `Input` in, `EvaluateResult` out.
#[wasm_bindgen(unchecked_return_type = "EvaluateResult")]
pub fn evaluate(#[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue) -> JsValue {
    match input_from_js(input) {
        Ok(input) => to_js(&api::evaluate(&input)),
        Err(error) => to_js(&Failure { error: &error }),
    }
}

/// Evaluates a scenario given as a JSON string (the SCENARIO.md format).
#[wasm_bindgen(js_name = evaluateScenario, unchecked_return_type = "EvaluateResult")]
pub fn evaluate_scenario(#[wasm_bindgen(unchecked_param_type = "string")] json: JsValue) -> JsValue {
    match input_from_scenario(&json) {
        Ok(input) => to_js(&api::evaluate(&input)),
        Err(error) => to_js(&Failure { error: &error }),
    }
}

/// Reads a scenario JSON string into the `Input` that `evaluate` takes, so a
/// page can show the policy texts that output spans and positions refer to.
#[wasm_bindgen(js_name = scenarioToInput, unchecked_return_type = "ScenarioResult")]
pub fn scenario_to_input(#[wasm_bindgen(unchecked_param_type = "string")] json: JsValue) -> JsValue {
    match input_from_scenario(&json) {
        Ok(input) => to_js(&Parsed { input: &input }),
        Err(error) => to_js(&Failure { error: &error }),
    }
}

/// The first error of a chain scenario, located in its text.
fn chain_error(text: &str, parsed: &iamtrace::walk::ParsedChain<'_>) -> Box<InputError> {
    let index = LineIndex::new(text);
    match parsed.diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => {
            let span = iamtrace::scenario::file_span(&parsed.docs, d.doc, d.span).unwrap_or(d.span);
            let mut error = InputError::new(d.code, d.message.clone(), d.help.as_deref());
            error.start = Some(index.position(text, span.start));
            error.end = Some(index.position(text, span.end));
            error
        }
        None => InputError::new(Code::ChainMissing, "scenario has no `chain`", None),
    }
}

/// Walks a chain scenario (a JSON string in the CLI's chain format: the
/// credential walkthrough) hop by hop: `Walk`, or `{ error }` when it cannot
/// be read. Managed policies named by ARN are not available in this module.
#[wasm_bindgen(js_name = walkScenario, unchecked_return_type = "WalkResult")]
pub fn walk_scenario(#[wasm_bindgen(unchecked_param_type = "string")] json: JsValue) -> JsValue {
    let Some(text) = json.as_string() else {
        let found = json.js_typeof().as_string().unwrap_or_default();
        let message = format!("a chain scenario must be a JSON string, found {found}");
        let error = InputError::new(Code::InputNotAString, message, Some("pass `JSON.stringify(scenario)`"));
        return to_js(&Failure { error: &error });
    };
    let parsed = iamtrace::walk::parse(&text, None);
    match &parsed.chain {
        Some(chain) => to_js(&chain.walk()),
        None => to_js(&Failure { error: &chain_error(&text, &parsed) }),
    }
}

/// Reads pasted CloudTrail text (one record, a log file's `Records`, a
/// `lookup-events` result, or a decoded authorization message): the
/// requests it describes, each value with the record field it came from.
#[wasm_bindgen(js_name = importCloudTrail, unchecked_return_type = "ImportResult")]
pub fn import_cloudtrail(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> JsValue {
    match text.as_string() {
        Some(t) => to_js(&iamtrace::cloudtrail::import(&t)),
        None => {
            let found = text.js_typeof().as_string().unwrap_or_default();
            let message = format!("CloudTrail text must be a string, found {found}");
            let error = InputError::new(Code::InputNotAString, message, Some("pass the record's JSON text"));
            to_js(&Failure { error: &error })
        }
    }
}

/// The version of iamtrace in this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
