//! Rendering of bloc diagnostics for people: `FILE:LINE:COL: problem, expected ...`
//! followed by the source line with the span underlined (miette's graphical handler).

use bloc_base::diagnostics::{Diagnostic, Diagnostics, line_col};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use std::io::IsTerminal;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct Problem {
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    message: String,
    label: String,
    #[help]
    help: Option<String>,
}

/// Renders every diagnostic of `text` (named `name`) as a string.
pub fn diagnostics(name: &str, text: &str, diags: &Diagnostics) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diags.iter() {
        out.push_str(&one(name, text, d, &handler));
    }
    out.push_str(&format!(
        "{name}: {} problem{} found\n",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    ));
    out
}

fn one(name: &str, text: &str, d: &Diagnostic, handler: &GraphicalReportHandler) -> String {
    let (line, col) = line_col(text, d.span.start);
    let mut out = format!("{name}:{line}:{col}: {}\n", d.summary());
    let len = d
        .span
        .end
        .saturating_sub(d.span.start)
        .max(usize::from(!text.is_empty()));
    let start = d.span.start.min(text.len().saturating_sub(len));
    let problem = Problem {
        src: NamedSource::new(name, text.to_string()),
        span: (start, len).into(),
        message: d.message.clone(),
        label: if d.expected.is_empty() {
            d.message.clone()
        } else {
            format!("expected {}", d.expected)
        },
        help: d.hint.clone(),
    };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &problem).is_ok() {
        out.push_str(&rendered);
    }
    out.push('\n');
    out
}

/// A table in bloc's style (condensed UTF-8 borders) with the given header row.
pub fn table(header: impl Into<comfy_table::Row>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(header);
    t
}

/// A progress bar over `runs` runs on stderr, shown only when stderr is a terminal.
pub fn progress_bar(runs: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(runs);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} runs {pos}/{len} [{bar:40}] {elapsed_precise} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
