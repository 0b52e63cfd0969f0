//! Reading scenario files (or standard input) and locating spans in them.

use std::borrow::Cow;
use std::io::Read;

use iamtrace::diagnostic::Code;
use iamtrace::{Diagnostic, LineIndex, Span};

use crate::error::{Error, Result};

pub struct Input {
    name: String,
    /// The file's text with its line index, or its bytes and the offset
    /// where they stop being UTF-8 (checked once, when read).
    content: Result<(String, LineIndex), (Vec<u8>, usize)>,
}

impl Input {
    pub fn read(path: &str) -> Result<Input> {
        let read = if path == "-" {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b)
        } else {
            std::fs::read(path)
        };
        let bytes = read.map_err(|source| Error::Read { path: path.to_owned(), source })?;
        let content = match String::from_utf8(bytes) {
            Ok(text) => {
                let index = LineIndex::new(&text);
                Ok((text, index))
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                Err((e.into_bytes(), at))
            }
        };
        let name = if path == "-" { "<stdin>".to_owned() } else { path.to_owned() };
        Ok(Input { name, content })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file as UTF-8 text.
    pub fn text(&self) -> Result<&str, Diagnostic> {
        match &self.content {
            Ok((text, _)) => Ok(text),
            Err((_, at)) => Err(Diagnostic::error(
                Code::JsonInvalidUtf8,
                Span::from_range(*at, at + 1),
                format!("invalid UTF-8 at byte {at}"),
            )
            .with_help("save the file as UTF-8")),
        }
    }

    /// The lossy text, for showing snippets of files that are not UTF-8.
    pub fn lossy(&self) -> Cow<'_, str> {
        match &self.content {
            Ok((text, _)) => Cow::Borrowed(text),
            Err((bytes, _)) => String::from_utf8_lossy(bytes),
        }
    }

    /// 1-based line and column of a byte offset of the file.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        match &self.content {
            Ok((text, index)) => {
                let p = index.position(text, offset);
                (p.line, p.column)
            }
            Err(_) => (1, offset + 1),
        }
    }
}
