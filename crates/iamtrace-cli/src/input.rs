//! Reading scenario files (or standard input) and locating spans in them.

use std::io::Read;

use iamtrace::{Diagnostic, LineIndex, Span};

pub struct Input {
    name: String,
    bytes: Vec<u8>,
    index: Option<LineIndex>,
}

impl Input {
    pub fn read(path: &str) -> Result<Input, String> {
        let bytes = if path == "-" {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map_err(|e| format!("cannot read standard input: {e}"))?;
            b
        } else {
            std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {}", e.to_string().to_lowercase()))?
        };
        let index = std::str::from_utf8(&bytes).ok().map(LineIndex::new);
        let name = if path == "-" { "<stdin>".to_owned() } else { path.to_owned() };
        Ok(Input { name, bytes, index })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file as UTF-8 text.
    pub fn text(&self) -> Result<&str, Diagnostic> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let at = e.valid_up_to();
            Diagnostic::error("json-invalid-utf8", Span::from_range(at, at + 1), format!("invalid UTF-8 at byte {at}"))
                .with_help("save the file as UTF-8")
        })
    }

    /// The lossy text, for showing snippets of files that are not UTF-8.
    pub fn lossy(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// 1-based line and column of a byte offset of the file.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        match (&self.index, self.text()) {
            (Some(idx), Ok(text)) => {
                let p = idx.position(text, offset);
                (p.line, p.column)
            }
            _ => (1, offset + 1),
        }
    }
}
