//! Small excerpts of a text around a span, for the diagnostic renderer.
//!
//! The renderer never sees a whole file: it gets a few lines of at most
//! [`WIDTH`] characters around the start of the span, so showing an error
//! costs the same for a 200-byte file and for an 8 MB line. Cut sides are
//! marked `...`; control characters (and those that reorder text) are
//! shown as `�`, so a file cannot drive the terminal.

use std::ops::Range;

use crate::input::{ceil, floor};

/// Characters shown before the start of a span.
pub const BEFORE: usize = 40;
/// Characters of the text shown on one line, at most.
pub const WIDTH: usize = 100;
/// Lines shown for a span that covers several, at most.
pub const MAX_LINES: usize = 6;
/// A span ending further than this past the first line is shown from its
/// start only (its lines are not looked for).
const MAX_FOLLOW: usize = 16 * 1024;
const ELLIPSIS: &str = "...";

/// A few lines of a text, each cut to a window, as one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The 1-based line number of its first line in the source.
    pub first_line: usize,
    /// For each line: the source bytes shown, and where they start in `text`.
    segments: Vec<(Range<usize>, usize)>,
}

/// An excerpt around a span, and the span in the excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub excerpt: Excerpt,
    /// The span in excerpt offsets; when the span does not fit, its part on
    /// the first line.
    pub span: Range<usize>,
    /// Whether the whole span is shown.
    pub whole: bool,
    /// The column (1-based, in characters of the excerpt) where the span
    /// starts on the excerpt's first line.
    pub column: usize,
}

impl Excerpt {
    /// Where byte `offset` of `source` is in the excerpt, if it is shown.
    pub fn map(&self, source: &str, offset: usize) -> Option<usize> {
        self.segments.iter().find(|(r, _)| r.start <= offset && offset <= r.end).map(|(r, at)| {
            let offset = floor(source, offset).max(r.start);
            at + source.get(r.start..offset).map_or(0, shown_len)
        })
    }
}

/// The window of `source` around the span `start..end`, whose start is on
/// line `line` (1-based), which begins at byte `line_start`; a span over
/// at most `max_lines` lines ([`MAX_LINES`] at most) is shown whole.
pub fn window(source: &str, line: usize, line_start: usize, start: usize, end: usize, max_lines: usize) -> Window {
    let start = floor(source, start);
    let end = ceil(source, end.max(start));
    let line_start = floor(source, line_start.min(start));
    // Back up to BEFORE characters, not past the line's start.
    let before = source.get(line_start..start).unwrap_or("");
    let from = before.char_indices().rev().take(BEFORE).last().map_or(start, |(i, _)| line_start + i);
    let first = line_window(source, from, WIDTH);
    let mut lines = vec![(from, first, from > line_start)];
    let mut whole = end <= first.0;
    if !whole && !first.1 && end - first.0 <= MAX_FOLLOW {
        let mut at = first.0;
        while lines.len() < max_lines.min(MAX_LINES) {
            let Some(next) = next_line(source, at) else { break };
            let w = line_window(source, next, WIDTH);
            lines.push((next, w, false));
            if end <= w.0 {
                whole = true;
                break;
            }
            if w.1 {
                break;
            }
            at = w.0;
        }
    }
    if !whole {
        lines.truncate(1);
    }
    let mut text = String::new();
    let mut segments = Vec::with_capacity(lines.len());
    for (i, (from, (to, cut_right), cut_left)) in lines.into_iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if cut_left {
            text.push_str(ELLIPSIS);
        }
        segments.push((from..to, text.len()));
        push_shown(&mut text, source.get(from..to).unwrap_or(""));
        if cut_right {
            text.push_str(ELLIPSIS);
        }
    }
    let excerpt = Excerpt { text, first_line: line, segments };
    let a = excerpt.map(source, start).unwrap_or(0);
    let last = excerpt.segments.first().map_or(start, |(r, _)| r.end);
    let b = excerpt.map(source, if whole { end } else { end.min(last) }).unwrap_or(a).max(a);
    let column = excerpt.text.get(..a).map_or(0, |s| s.chars().count()) + 1;
    Window { excerpt, span: a..b, whole, column }
}

/// From `from`, the end of the window of `width` characters on its line,
/// and whether the line goes on past it.
fn line_window(source: &str, from: usize, width: usize) -> (usize, bool) {
    let rest = source.get(from..).unwrap_or("");
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if c == '\n' || (c == '\r' && rest.get(i + 1..).is_some_and(|r| r.starts_with('\n'))) {
            return (from + i, false);
        }
        if n == width {
            return (from + i, true);
        }
    }
    (source.len(), false)
}

/// The start of the line after the line break at `at`.
fn next_line(source: &str, at: usize) -> Option<usize> {
    let rest = source.get(at..)?;
    if rest.starts_with("\r\n") {
        Some(at + 2)
    } else if rest.starts_with('\n') {
        Some(at + 1)
    } else {
        None
    }
}

/// Whether `c` is shown as `�`: control characters (tab aside) and the
/// characters that change the direction of text.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, s: &str) {
    for c in s.chars() {
        out.push(if hidden(c) { '\u{FFFD}' } else { c });
    }
}

/// The length of `s` once shown.
fn shown_len(s: &str) -> usize {
    s.chars().map(|c| if hidden(c) { '\u{FFFD}'.len_utf8() } else { c.len_utf8() }).sum()
}

/// `s` with hidden characters replaced, for one-line texts such as messages.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_shown(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(w: &Window) -> &str {
        &w.excerpt.text[w.span.clone()]
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let src = "{\n  \"Effect\": \"deny\"\n}";
        let start = src.find("\"deny").unwrap();
        let w = window(src, 2, 2, start, start + 6, MAX_LINES);
        assert_eq!(w.excerpt.text, "  \"Effect\": \"deny\"");
        assert_eq!(shown(&w), "\"deny\"");
        assert!(w.whole);
        assert_eq!(w.column, 13);
        assert_eq!(w.excerpt.first_line, 2);
    }

    #[test]
    fn long_lines_are_cut_around_the_start() {
        let src = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let w = window(&src, 1, 0, 5000, 5001, MAX_LINES);
        assert!(w.excerpt.text.starts_with("...") && w.excerpt.text.ends_with("..."), "{}", w.excerpt.text);
        assert_eq!(shown(&w), "X");
        assert_eq!(w.excerpt.text.chars().count(), WIDTH + 6);
        assert_eq!(w.column, BEFORE + 4);
    }

    #[test]
    fn huge_spans_show_their_start_only() {
        let src = format!("[{}]", "x".repeat(8_000_000));
        let w = window(&src, 1, 0, 0, src.len(), MAX_LINES);
        assert!(!w.whole);
        assert!(w.excerpt.text.len() < 200);
        assert!(shown(&w).starts_with("[x"));
        // Many lines: the same.
        let src = "{\n".repeat(100_000);
        let w = window(&src, 1, 0, 0, src.len(), MAX_LINES);
        assert!(!w.whole);
        assert_eq!(w.excerpt.text, "{");
    }

    #[test]
    fn spans_over_a_few_lines_are_shown_whole() {
        let src = "a\n  {\n    \"x\": 1\n  }\nb";
        let start = src.find('{').unwrap();
        let end = src.find('}').unwrap() + 1;
        let w = window(src, 2, 2, start, end, MAX_LINES);
        assert!(w.whole);
        assert_eq!(w.excerpt.text, "  {\n    \"x\": 1\n  }");
        assert_eq!(shown(&w), "{\n    \"x\": 1\n  }");
        // A label's window shows one line: the span is cut to it.
        let one = window(src, 2, 2, start, end, 1);
        assert!(!one.whole);
        assert_eq!(one.excerpt.text, "  {");
        let crlf = src.replace('\n', "\r\n");
        let start = crlf.find('{').unwrap();
        let end = crlf.find('}').unwrap() + 1;
        let w = window(&crlf, 2, 3, start, end, MAX_LINES);
        assert_eq!(w.excerpt.text, "  {\n    \"x\": 1\n  }");
    }

    #[test]
    fn control_characters_are_hidden_and_offsets_follow() {
        let src = "a\u{1b}[31m\u{0}b\u{202E}c";
        let at = src.find('c').unwrap();
        let w = window(src, 1, 0, at, at + 1, MAX_LINES);
        assert!(!w.excerpt.text.contains('\u{1b}') && !w.excerpt.text.contains('\u{0}'));
        assert!(!w.excerpt.text.contains('\u{202E}'));
        assert_eq!(shown(&w), "c");
        assert_eq!(clean("x\u{7}y"), "x\u{FFFD}y");
    }

    #[test]
    fn offsets_inside_characters_and_past_the_end_are_safe() {
        let src = "é😀\n";
        for s in 0..src.len() + 3 {
            for e in 0..src.len() + 3 {
                let w = window(src, 1, 0, s, e, MAX_LINES);
                assert!(w.excerpt.text.is_char_boundary(w.span.start));
                assert!(w.excerpt.text.is_char_boundary(w.span.end));
                assert!(w.span.start <= w.span.end && w.span.end <= w.excerpt.text.len());
            }
        }
    }
}
