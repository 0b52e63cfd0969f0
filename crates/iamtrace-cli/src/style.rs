//! Terminal colour: ANSI codes only when writing to a terminal.

use std::io::IsTerminal;

/// Whether to colour by default: a terminal on stdout and no `NO_COLOR`.
pub fn auto() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn error(self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn pass(self, s: &str) -> String {
        self.paint("32", s)
    }
    pub fn fail(self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn allow(self, s: &str) -> String {
        self.paint("1;32", s)
    }
    pub fn deny(self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn implicit(self, s: &str) -> String {
        self.paint("1;33", s)
    }
    pub fn code(self, s: &str) -> String {
        self.paint("36", s)
    }
}
