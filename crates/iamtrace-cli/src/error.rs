//! The one error type of the command line: what stops a command before it
//! ends. `main` prints it as `error: <message>` and exits with status 1.
//!
//! Problems in the user's documents are not these: they are diagnostics,
//! rendered with their snippets, and the command goes on with the next
//! scenario.

use std::fmt;
use std::io;

#[derive(Debug)]
pub enum Error {
    /// A file, or standard input (`-`), could not be read.
    Read { path: String, source: io::Error },
    /// The output could not be written (a closed pipe, a full disk).
    Write(io::Error),
    /// An answer could not be turned into JSON.
    Json(serde_json::Error),
    /// Arguments that do not go together.
    Usage(&'static str),
    /// A `--policies` file without a `policies` object.
    NoPolicies { path: String },
    /// A `--policies` entry that is not a policy.
    NotAPolicy { path: String, line: u32, column: u32 },
    /// A problem with an input that comes located and worded already: a
    /// diagnostic as `file:line:col: message`, or rendered with its snippet.
    Located(String),
}

/// An I/O error's text in the project's style (lowercase).
fn lower(e: &io::Error) -> String {
    e.to_string().to_lowercase()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } if path == "-" => write!(f, "cannot read standard input: {}", lower(source)),
            Error::Read { path, source } => write!(f, "cannot read `{path}`: {}", lower(source)),
            Error::Write(e) => write!(f, "cannot write the output: {}", lower(e)),
            Error::Json(e) => write!(f, "cannot write the answer as JSON: {e}"),
            Error::Usage(message) => f.write_str(message),
            Error::NoPolicies { path } => {
                write!(f, "`{path}` has no `policies`: give a scenario file or its `policies` object")
            }
            Error::NotAPolicy { path, line, column } => write!(
                f,
                "{path}:{line}:{column}: expected a policy (an object, a JSON string, or `{{\"name\", \"policy\"}}`)"
            ),
            Error::Located(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. } | Error::Write(source) => Some(source),
            Error::Json(e) => Some(e),
            Error::Usage(_) | Error::NoPolicies { .. } | Error::NotAPolicy { .. } | Error::Located(_) => None,
        }
    }
}

/// Writing to the output is the only I/O that `?` converts: reading names
/// its path ([`Error::Read`]).
impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Write(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_the_error_style() {
        let missing = || io::Error::new(io::ErrorKind::NotFound, "No such file or directory (os error 2)");
        assert_eq!(
            Error::Read { path: "a.json".into(), source: missing() }.to_string(),
            "cannot read `a.json`: no such file or directory (os error 2)"
        );
        assert_eq!(
            Error::Read { path: "-".into(), source: missing() }.to_string(),
            "cannot read standard input: no such file or directory (os error 2)"
        );
        let pipe = io::Error::new(io::ErrorKind::BrokenPipe, "Broken pipe (os error 32)");
        assert_eq!(Error::from(pipe).to_string(), "cannot write the output: broken pipe (os error 32)");
        assert_eq!(
            Error::NotAPolicy { path: "p.json".into(), line: 3, column: 7 }.to_string(),
            "p.json:3:7: expected a policy (an object, a JSON string, or `{\"name\", \"policy\"}`)"
        );
        assert_eq!(
            Error::NoPolicies { path: "p.json".into() }.to_string(),
            "`p.json` has no `policies`: give a scenario file or its `policies` object"
        );
        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        assert!(Error::from(json).to_string().starts_with("cannot write the answer as JSON: "));
    }
}
