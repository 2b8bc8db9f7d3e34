//! Problems found in an input file, as data.
//!
//! The core never prints. It returns every problem of a file at once, each with the byte
//! span it concerns, the dotted path of the value, a message, what was expected and an
//! optional hint. Front ends render them (the CLI with miette as `FILE:LINE:COL`); the same
//! value serializes to JSON.

use serde::Serialize;
use std::ops::Range;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Byte range in the source text the problem concerns.
    pub span: Range<usize>,
    /// Dotted path of the value concerned (`citizens.vision`), empty for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What was expected instead.
    pub expected: String,
    /// An optional suggestion.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at `span`.
    pub fn new(
        span: Range<usize>,
        path: impl Into<String>,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Diagnostic {
            span,
            path: path.into(),
            message: message.into(),
            expected: expected.into(),
            hint: None,
        }
    }

    /// The same problem with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `message, expected ...` in one line.
    pub fn summary(&self) -> String {
        if self.expected.is_empty() {
            self.message.clone()
        } else {
            format!("{}, expected {}", self.message, self.expected)
        }
    }
}

/// A 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut boundary = offset;
    while !text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    let before = &text[..boundary];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..boundary].chars().count() + 1;
    (line, col)
}

/// The line starts of a text, for [`line_col`] of many offsets in linear time overall.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`'s lines.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// The same as [`line_col`]`(text, offset)`, in logarithmic time plus the line's length.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let mut boundary = offset.min(text.len());
        while !text.is_char_boundary(boundary) {
            boundary -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= boundary);
        let start = self.starts[line - 1];
        (line, text[start..boundary].chars().count() + 1)
    }
}

/// All problems of one file, sorted by position.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }
    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Sorts by position and drops exact duplicates.
    pub fn finish(mut self) -> Self {
        self.0.sort_by_key(|a| (a.span.start, a.span.end));
        self.0.dedup();
        self
    }
    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_line_col_at_every_offset() {
        for text in ["", "a", "\n", "ab\ncd\n\nxé\r\nz", "é\n\n"] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{text:?} {offset}"
                );
            }
        }
    }
    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 100), (3, 2));
    }
}
