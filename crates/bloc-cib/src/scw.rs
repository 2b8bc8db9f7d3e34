//! ScenarioWizard's `.scw` project file (design cib.md §4.1): reading it into a
//! [`CibSystem`] with every problem located, and writing one ScenarioWizard can open.
//!
//! The layout, as ScenarioWizard 4.0 writes it (seen in cibsa's five sample files; JuCIB's
//! generated files, which ScenarioWizard 5 opened, have the same sections and a shorter
//! trailer):
//!
//! ```text
//! $ ScenarioWizard 4.0      version line
//! CIB_global.scw            file name
//! &WTRD                     section 1: '&' + descriptor name,
//!  -FT                        then ' -' + variant name per variant (the name may be blank)
//! #
//! &                         section 2: per descriptor '&', then one line per variant
//!                             (descriptor and variant essays; a single space in every sample)
//! #
//! #                         section 3: empty
//! FFFFFF                    section 4: one hex colour per variant
//! #
//! #                         section 5: empty
//!  0 , 0 ,-3 , 1            section 6: the matrix, one row per source variant, N cells
//! #
//! # 0-0                     trailer, ignored: '# 0-0', then per descriptor '# ', then per
//! ""                          ordered pair of descriptors '#  -> ' (row-major, diagonal
//! #                           included), each followed by a quoted comment ("" when empty),
//! #                           and two closing '#' lines
//! ```
//!
//! The numbers are written the way Visual Basic's `Str` writes them (a leading space for
//! non-negative values) followed by a space, and joined by commas; the quoted texts are
//! VB `Write #` strings. Like the public parsers (cibsa, JuCIB), the reader counts `#`
//! lines to find the matrix (the sixth section), skips blank lines, and ignores sections
//! 2 to 5 and the trailer. CRLF and LF line endings are both read; the writer uses CRLF,
//! as a Windows program expects.
//!
//! Self-impacts: the diagonal blocks (a descriptor on itself) are 0 in most files, but
//! three of cibsa's hold judgements there (the 2-variant descriptor `WSCEN` of
//! `CIB_natl_regional.scw` and of both `CIB_nested_simplified_*.scw`), and ScenarioWizard
//! counts them: its solution lists for those projects are exactly the scenarios consistent
//! with the self-impacts added to the balances, and its total impact scores include them.
//! bloc counts them too, so its consistent sets and scores for those projects equal
//! ScenarioWizard's; [`read_scw_with_warnings`] reports each descriptor that judges itself,
//! as a warning, since the method's convention leaves the diagonal blocks empty.
//!
//! Identifiers: a descriptor's id is its name trimmed (`D{j}`, 1-based, when blank); a
//! variant's id is its name trimmed (`{descriptor id}{k}`, 1-based, when blank, as in
//! Weimer-Jehle's anonymised models). Two variants of one descriptor with the same id are
//! an error.

use super::system::{CibSystem, Descriptor, MAX_VARIANTS};
use bloc_base::diagnostics::{Diagnostic, Diagnostics};
use std::ops::Range;

/// The version line the writer puts first (the version ScenarioWizard 4.0 writes).
pub const SCW_VERSION_LINE: &str = "$ ScenarioWizard 4.0";

/// Windows-1252's characters for the bytes 0x80 to 0x9F (the five it leaves undefined map
/// to the control character of the same number, as in Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The text of a file's bytes: UTF-8 if they are valid UTF-8 (a byte-order mark is
/// dropped), otherwise Latin-1 with the Windows-1252 characters for 0x80 to 0x9F (`€`,
/// curly quotes, dashes), the code page ScenarioWizard, a Windows program, writes in
/// Western locales. Never fails: every byte sequence has a text.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// The Windows-1252 bytes of `text`, for writing a file ScenarioWizard reads (the inverse
/// of [`decode_text`]'s fallback): a character the code page lacks becomes `?`.
pub fn encode_text(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if let Some(i) = CP1252_HIGH.iter().position(|&h| h == c) {
                0x80 + i as u8
            } else {
                u8::try_from(u32::from(c))
                    .ok()
                    .filter(|b| !(0x80..=0x9F).contains(b))
                    .unwrap_or(b'?')
            }
        })
        .collect()
}

/// A line of a text with the byte offset of its start; the `\r` of a CRLF ending is not
/// part of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The line's text.
    pub text: &'a str,
    /// Byte offset of its first character.
    pub start: usize,
}

impl<'a> Line<'a> {
    /// The span of the line without its leading and trailing white space (the line's start
    /// when it is blank).
    pub fn trimmed_span(&self) -> Range<usize> {
        let lead = self.text.len() - self.text.trim_start().len();
        let body = self.text.trim();
        let start = self.start + if body.is_empty() { 0 } else { lead };
        start..start + body.len()
    }

    /// The span of `part`, a subslice of this line's text.
    pub fn span_of(&self, part: &str) -> Range<usize> {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let start = self.start + offset.min(self.text.len());
        start..start + part.len()
    }
}

/// The lines of `text` with their offsets (CRLF or LF endings; no empty last line after a
/// final line break).
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line { text: body, start });
        start += raw.len();
    }
    out
}

/// What the reader is in, for messages about a file that ends too early.
const SECTION_NAMES: [&str; 6] = [
    "descriptors and variants",
    "descriptor and variant essays",
    "an empty section",
    "variant colours",
    "an empty section",
    "the cross-impact matrix",
];

struct RawDescriptor<'a> {
    line: Line<'a>,
    name: &'a str,
    variants: Vec<(Line<'a>, &'a str)>,
}

/// Reads a ScenarioWizard `.scw` project file (see the module's documentation for the
/// layout). The system's name is the file-name line without its `.scw` extension.
/// Self-impacts are kept and counted without a word: use [`read_scw_with_warnings`] to
/// hear of them.
pub fn read_scw(text: &str) -> Result<CibSystem, Diagnostics> {
    read_scw_with_warnings(text).map(|(system, _)| system)
}

/// Reads a ScenarioWizard `.scw` project file as [`read_scw`] does, with warnings about
/// what reads but departs from the method's convention: one per descriptor with non-zero
/// cells in its diagonal block (self-impacts, which ScenarioWizard and bloc both add to the
/// balances), at the first such cell.
#[expect(
    clippy::cognitive_complexity,
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn read_scw_with_warnings(text: &str) -> Result<(CibSystem, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let all = lines(text);
    let end = text.len()..text.len();
    let mut i = 0;

    // Version line.
    match all.first() {
        Some(l) if l.text.trim_start().starts_with('$') => i = 1,
        Some(l) => diags.push(
            Diagnostic::new(
                l.trimmed_span(),
                "",
                "the ScenarioWizard version line is missing",
                "a first line such as '$ ScenarioWizard 4.0'",
            )
            .with_hint("a .scw file starts with '$ ScenarioWizard', then the file name"),
        ),
        None => {
            diags.push(Diagnostic::new(
                0..0,
                "",
                "the file is empty",
                "a ScenarioWizard project ('$ ScenarioWizard 4.0', file name, descriptors)",
            ));
            return Err(diags);
        }
    }

    // File name line (absent only in a damaged file: then the descriptors come at once).
    let mut name = String::new();
    if let Some(l) = all.get(i) {
        let t = l.text.trim();
        if !t.starts_with('&') && !t.starts_with('#') {
            name = strip_scw_extension(t).to_string();
            i += 1;
        }
    }

    // Section 1: descriptors and variants.
    let mut raw: Vec<RawDescriptor<'_>> = Vec::new();
    let mut structure_end: Option<Line<'_>> = None;
    while let Some(&l) = all.get(i) {
        i += 1;
        let t = l.text.trim_start();
        if t.is_empty() {
            continue;
        }
        if let Some(rest) = t.strip_prefix('&') {
            raw.push(RawDescriptor {
                line: l,
                name: rest.trim(),
                variants: Vec::new(),
            });
        } else if let Some(rest) = t.strip_prefix('-') {
            match raw.last_mut() {
                Some(d) => d.variants.push((l, rest.trim())),
                None => diags.push(Diagnostic::new(
                    l.trimmed_span(),
                    "",
                    "a variant before any descriptor",
                    "a descriptor line '&name' first",
                )),
            }
        } else if t.starts_with('#') {
            structure_end = Some(l);
            break;
        } else {
            diags.push(
                Diagnostic::new(
                    l.trimmed_span(),
                    "",
                    format!("unexpected line '{}' among the descriptors", clip(t)),
                    "'&' and a descriptor name, ' -' and a variant name, or '#'",
                )
                .with_hint("section 1 of a .scw file lists descriptors and their variants"),
            );
        }
    }
    let structure_span = structure_end
        .map(|l| l.trimmed_span())
        .unwrap_or(end.clone());

    // Descriptors and variants: counts, identifiers.
    let mut descriptors: Vec<Descriptor> = Vec::with_capacity(raw.len());
    for (j, d) in raw.iter().enumerate() {
        let id = if d.name.is_empty() {
            format!("D{}", j + 1)
        } else {
            d.name.to_string()
        };
        if descriptors.iter().any(|e| e.id == id) {
            diags.push(Diagnostic::new(
                d.line.trimmed_span(),
                "",
                format!("descriptor '{id}' is listed twice"),
                "a name used by one descriptor only",
            ));
        }
        if d.variants.len() < 2 || d.variants.len() > MAX_VARIANTS {
            diags.push(Diagnostic::new(
                d.line.trimmed_span(),
                "",
                format!(
                    "descriptor '{id}' has {} variant{}",
                    d.variants.len(),
                    if d.variants.len() == 1 { "" } else { "s" }
                ),
                format!("2 to {MAX_VARIANTS} variant lines ' -name' after it"),
            ));
        }
        let mut variant_ids: Vec<String> = Vec::with_capacity(d.variants.len());
        for (k, (vl, vname)) in d.variants.iter().enumerate() {
            let vid = if vname.is_empty() {
                format!("{id}{}", k + 1)
            } else {
                vname.to_string()
            };
            if variant_ids.contains(&vid) {
                diags.push(Diagnostic::new(
                    vl.trimmed_span(),
                    "",
                    format!("variant '{vid}' is listed twice in descriptor '{id}'"),
                    "variant names unique within their descriptor",
                ));
            }
            variant_ids.push(vid);
        }
        descriptors.push(Descriptor {
            id,
            name: d.name.to_string(),
            variant_ids,
            variant_names: d.variants.iter().map(|(_, n)| n.to_string()).collect(),
        });
    }
    if structure_end.is_some() && descriptors.len() < 2 {
        diags.push(Diagnostic::new(
            structure_span.clone(),
            "",
            format!(
                "the project has {} descriptor{}",
                descriptors.len(),
                if descriptors.len() == 1 { "" } else { "s" }
            ),
            "at least 2 descriptors ('&name' lines) before the first '#'",
        ));
    }

    // Sections 2 to 5: count '#' lines.
    let mut hashes = usize::from(structure_end.is_some());
    if structure_end.is_some() {
        while hashes < 5 {
            let Some(&l) = all.get(i) else { break };
            i += 1;
            if l.text.trim_start().starts_with('#') {
                hashes += 1;
            }
        }
    }
    if hashes < 5 {
        diags.push(
            Diagnostic::new(
                end.clone(),
                "",
                format!(
                    "the file ends in section {} of 6 ({}) before the cross-impact matrix",
                    hashes + 1,
                    SECTION_NAMES[hashes]
                ),
                "six sections separated by '#' lines, the matrix in the sixth",
            )
            .with_hint("the file may be truncated"),
        );
        return Err(diags.finish());
    }

    // Section 6: the matrix.
    let n: usize = descriptors.iter().map(|d| d.variant_ids.len()).sum();
    let mut matrix: Vec<i32> = Vec::with_capacity(n * n);
    let mut rows = 0;
    let mut matrix_end = end.clone();
    let mut largest: Option<(i64, Range<usize>)> = None;
    let desc_of: Vec<usize> = descriptors
        .iter()
        .enumerate()
        .flat_map(|(j, d)| std::iter::repeat_n(j, d.variant_ids.len()))
        .collect();
    // Per descriptor: its non-zero self-impacts and the first one's span.
    let mut self_impacts: Vec<(usize, Range<usize>)> = vec![(0, 0..0); descriptors.len()];
    while let Some(&l) = all.get(i) {
        i += 1;
        let t = l.text.trim_start();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            matrix_end = l.trimmed_span();
            break;
        }
        rows += 1;
        if rows > n {
            if rows == n + 1 {
                diags.push(Diagnostic::new(
                    l.trimmed_span(),
                    "",
                    format!("the matrix has more rows than the {n} variants"),
                    format!("{n} rows, one per variant, then a '#' line"),
                ));
            }
            continue;
        }
        let cells: Vec<&str> = l.text.split(',').collect();
        if cells.len() != n {
            diags.push(Diagnostic::new(
                l.trimmed_span(),
                "",
                format!(
                    "matrix row {rows} ({}) has {} cells",
                    variant_label(&descriptors, rows - 1),
                    cells.len()
                ),
                format!("{n} comma-separated integers, one per variant"),
            ));
            matrix.extend(std::iter::repeat_n(0, n));
            continue;
        }
        for (c, cell) in cells.into_iter().enumerate() {
            let token = cell.trim();
            let span = if token.is_empty() {
                let s = l.span_of(cell);
                s.start..s.start
            } else {
                l.span_of(token)
            };
            match token.parse::<i32>() {
                Ok(v) => {
                    let abs = i64::from(v).abs();
                    let j = desc_of[rows - 1];
                    if v != 0 && desc_of[c] == j {
                        if self_impacts[j].0 == 0 {
                            self_impacts[j].1 = span.clone();
                        }
                        self_impacts[j].0 += 1;
                    }
                    if largest.as_ref().is_none_or(|(m, _)| abs > *m) {
                        largest = Some((abs, span));
                    }
                    matrix.push(v);
                }
                Err(_) => {
                    diags.push(Diagnostic::new(
                        span,
                        "",
                        if token.is_empty() {
                            "an empty matrix cell".to_string()
                        } else {
                            format!("matrix cell '{}' is not an integer", clip(token))
                        },
                        "an integer judgement such as -3, 0 or 2",
                    ));
                    matrix.push(0);
                }
            }
        }
    }
    if rows < n && !descriptors.is_empty() {
        diags.push(Diagnostic::new(
            matrix_end,
            "",
            format!("the matrix has {rows} rows"),
            format!("{n} rows, one per variant"),
        ));
    }
    if let Some((abs, span)) = largest {
        check_magnitude(abs, descriptors.len(), span, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags.finish());
    }
    let mut warnings = Diagnostics::default();
    for (d, (count, span)) in descriptors.iter().zip(self_impacts) {
        if count > 0 {
            warnings.push(
                Diagnostic::new(
                    span,
                    "",
                    format!(
                        "descriptor '{}' judges itself ({count} non-zero cell{} in its diagonal block)",
                        d.id,
                        if count == 1 { "" } else { "s" }
                    ),
                    "empty diagonal blocks (the method's convention)",
                )
                .with_hint(
                    "the self-impacts are counted in the balances, as ScenarioWizard counts them",
                ),
            );
        }
    }
    CibSystem::new(name, descriptors, matrix)
        .map(|system| (system, warnings.finish()))
        .map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::new(structure_span, "", e.to_string(), ""));
            d
        })
}

/// Judgements so large that a total impact score could overflow are refused: with D
/// descriptors a score sums D² cells.
pub(crate) fn check_magnitude(
    largest: i64,
    descriptors: usize,
    span: Range<usize>,
    diags: &mut Diagnostics,
) {
    let d = i64::try_from(descriptors).unwrap_or(i64::MAX);
    let bound = i64::from(i32::MAX) / d.saturating_mul(d).max(1);
    if largest > bound {
        diags.push(Diagnostic::new(
            span,
            "",
            format!("judgement {largest} is too large for {descriptors} descriptors"),
            format!("judgements within ±{bound} (a total impact score sums D² of them)"),
        ));
    }
}

/// `descriptor=variant` of the matrix row `r`, for messages.
fn variant_label(descriptors: &[Descriptor], r: usize) -> String {
    let mut r = r;
    for d in descriptors {
        if r < d.variant_ids.len() {
            return format!("{}={}", d.id, d.variant_ids[r]);
        }
        r -= d.variant_ids.len();
    }
    format!("row {}", r + 1)
}

/// At most 40 characters of `s`, for messages.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

fn strip_scw_extension(name: &str) -> &str {
    let n = name.len();
    if n >= 4 && name.is_char_boundary(n - 4) && name[n - 4..].eq_ignore_ascii_case(".scw") {
        &name[..n - 4]
    } else {
        name
    }
}

/// A name on one line (line breaks would end it early in the file).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A number as Visual Basic's `Str` writes it (a leading space unless negative).
pub(crate) fn vb_str(v: i64) -> String {
    if v < 0 {
        v.to_string()
    } else {
        format!(" {v}")
    }
}

/// Writes `system` as a ScenarioWizard `.scw` project file named `file_name` (written on
/// the second line; `{system.name}.scw` when empty), in ScenarioWizard 4.0's layout with
/// CRLF line endings: essays blank, every variant white (`FFFFFF`), the trailer's comment
/// slots empty. Descriptor and variant names are written (a line break in a name becomes a
/// space); [`read_scw`] gives back an equal system when every name is non-blank and
/// trimmed and equals its id.
pub fn write_scw(system: &CibSystem, file_name: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    out.push(SCW_VERSION_LINE.to_string());
    out.push(if file_name.trim().is_empty() {
        format!("{}.scw", one_line(&system.name))
    } else {
        one_line(file_name)
    });
    // 1: structure. ScenarioWizard knows names only, which must then be unique: a name that
    // repeats (bloc's own format allows it, ids being the keys) is written as its id.
    let names: Vec<String> = system
        .descriptors()
        .iter()
        .map(|d| one_line(&d.name))
        .collect();
    for (j, d) in system.descriptors().iter().enumerate() {
        let name = if names.iter().filter(|n| **n == names[j]).count() > 1 {
            one_line(&d.id)
        } else {
            names[j].clone()
        };
        out.push(format!("&{name}"));
        let variants: Vec<String> = d.variant_names.iter().map(|v| one_line(v)).collect();
        for (k, v) in variants.iter().enumerate() {
            // A blank name stays blank (Weimer-Jehle's anonymised models have them; reading
            // gives it its id back); a repeated one is written as its id.
            let v = if !v.trim().is_empty() && variants.iter().filter(|w| *w == v).count() > 1 {
                one_line(&d.variant_ids[k])
            } else {
                v.clone()
            };
            out.push(format!(" -{v}"));
        }
    }
    out.push("#".into());
    // 2: essays, blank.
    for d in system.descriptors() {
        out.push("&".into());
        out.extend(std::iter::repeat_n(" ".to_string(), d.len()));
    }
    out.push("#".into());
    // 3: empty.
    out.push("#".into());
    // 4: colours.
    out.extend(std::iter::repeat_n(
        "FFFFFF".to_string(),
        system.total_variants(),
    ));
    out.push("#".into());
    // 5: empty.
    out.push("#".into());
    // 6: the matrix.
    let n = system.total_variants();
    for row in system.matrix().chunks(n.max(1)) {
        let cells: Vec<String> = row
            .iter()
            .map(|&v| format!("{} ", vb_str(i64::from(v))))
            .collect();
        out.push(cells.join(","));
    }
    out.push("#".into());
    // Trailer: model comment, descriptor comments, judgement-section comments.
    out.push("# 0-0".into());
    out.push("\"\"".into());
    let d = system.descriptor_count();
    for _ in 0..d {
        out.push("# ".into());
        out.push("\"\"".into());
    }
    for _ in 0..d * d {
        out.push("#  -> ".into());
        out.push("\"\"".into());
    }
    out.push("#".into());
    out.push("#".into());
    let mut text = out.join("\r\n");
    text.push_str("\r\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published;
    use bloc_base::diagnostics::line_col;
    use proptest::prelude::*;

    /// A small project in ScenarioWizard's layout (hand-made, after the real files).
    pub(crate) const SMALL: &str = "$ ScenarioWizard 4.0\r\nsmall.scw\r\n&Economy\r\n -Grow\r\n -Shrink\r\n&Policy\r\n -Open\r\n -Closed\r\n -\r\n#\r\n&\r\n \r\n \r\n&\r\n \r\n \r\n \r\n#\r\n#\r\nFFFFFF\r\nFFFFFF\r\nFFFFFF\r\nFFFFFF\r\nFFFFFF\r\n#\r\n#\r\n 0 , 0 , 2 ,-2 , 0 \r\n 0 , 0 ,-1 , 1 , 1 \r\n 3 ,-3 , 0 , 0 , 0 \r\n-1 , 1 , 0 , 0 , 0 \r\n 0 , 0 , 0 , 0 , 0 \r\n#\r\n# 0-0\r\n\"\"\r\n# \r\n\"\"\r\n# \r\n\"\"\r\n#  -> \r\n\"\"\r\n#  -> \r\n\"\"\r\n#  -> \r\n\"\"\r\n#  -> \r\n\"\"\r\n#\r\n#\r\n";

    fn err_at(text: &str, result: Result<CibSystem, Diagnostics>) -> Vec<((usize, usize), String)> {
        let diags = result.expect_err("expected errors");
        diags
            .iter()
            .map(|d| (line_col(text, d.span.start), d.message.clone()))
            .collect()
    }

    #[test]
    fn reads_a_small_project() {
        let s = read_scw(SMALL).expect("reads");
        assert_eq!(s.name, "small");
        assert_eq!(s.descriptor_count(), 2);
        assert_eq!(s.descriptors()[0].id, "Economy");
        assert_eq!(s.descriptors()[0].variant_ids, ["Grow", "Shrink"]);
        // A blank variant name gets an id from its descriptor and number.
        assert_eq!(
            s.descriptors()[1].variant_ids,
            ["Open", "Closed", "Policy3"]
        );
        assert_eq!(s.descriptors()[1].variant_names, ["Open", "Closed", ""]);
        assert_eq!(s.cell(0, 0, 1, 0), 2);
        assert_eq!(s.cell(0, 0, 1, 1), -2);
        assert_eq!(s.cell(1, 0, 0, 1), -3);
        assert_eq!(s.cell(1, 1, 0, 0), -1);
        // LF endings read the same.
        assert_eq!(read_scw(&SMALL.replace("\r\n", "\n")).expect("reads"), s);
    }

    #[test]
    fn writes_and_reads_back_the_published_cases() {
        for case in published::CASES {
            let (_, system) = published::case(case.name).expect("case");
            let file = format!("{}.scw", case.name);
            let text = write_scw(&system, &file);
            assert!(text.starts_with("$ ScenarioWizard 4.0\r\n"));
            let back = read_scw(&text).expect("reads back");
            assert_eq!(back, system, "{}", case.name);
            // The trailer has one comment slot per descriptor and per ordered pair.
            let d = system.descriptor_count();
            assert_eq!(text.matches("\r\n#  -> \r\n").count(), d * d);
            assert_eq!(
                text.lines().filter(|l| *l == "FFFFFF").count(),
                system.total_variants()
            );
        }
    }

    #[test]
    fn writes_the_real_layout() {
        let s = read_scw(SMALL).expect("reads");
        let text = write_scw(&s, "small.scw");
        // The hand-made fixture follows ScenarioWizard's layout, so writing it gives it back.
        assert_eq!(text, SMALL);
    }

    #[test]
    fn blank_descriptor_names_get_numbers() {
        let text = SMALL.replace("&Economy", "&");
        let s = read_scw(&text).expect("reads");
        assert_eq!(s.descriptors()[0].id, "D1");
        assert_eq!(s.descriptors()[0].variant_ids, ["Grow", "Shrink"]);
    }

    #[test]
    fn self_impacts_are_kept_with_a_warning() {
        let text = SMALL
            .replace(" 0 , 0 , 2 ,-2 , 0 ", " 5 , 0 , 2 ,-2 , 0 ")
            .replace(" 0 , 0 ,-1 , 1 , 1 ", " 0 ,-4 ,-1 , 1 , 1 ");
        let s = read_scw(&text).expect("reads");
        assert_eq!(s.cell(0, 0, 0, 0), 5);
        assert_eq!(s.cell(0, 1, 0, 1), -4);
        assert!(s.has_self_impacts());
        let (with, warnings) = read_scw_with_warnings(&text).expect("reads");
        assert_eq!(with, s);
        assert_eq!(warnings.len(), 1);
        let w = &warnings.0[0];
        assert_eq!(line_col(&text, w.span.start), (27, 2));
        assert!(
            w.message
                .contains("'Economy' judges itself (2 non-zero cells"),
            "{}",
            w.message
        );
        let (_, none) = read_scw_with_warnings(SMALL).expect("reads");
        assert!(none.is_empty());
    }

    #[test]
    fn a_bad_cell_is_located() {
        let text = SMALL.replace(" 3 ,-3 , 0 ", " 3 ,x3 , 0 ");
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs.len(), 1, "{errs:?}");
        // Line 29, the fifth character: the token 'x3'.
        assert_eq!(errs[0].0, (29, 5));
        assert!(
            errs[0].1.contains("'x3' is not an integer"),
            "{}",
            errs[0].1
        );
    }

    #[test]
    fn a_short_row_is_located() {
        let text = SMALL.replace("-1 , 1 , 0 , 0 , 0 ", "-1 , 1 , 0 , 0 ");
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, (30, 1));
        assert!(
            errs[0].1.contains("row 4 (Policy=Closed) has 4 cells"),
            "{}",
            errs[0].1
        );
    }

    #[test]
    fn missing_rows_and_extra_rows() {
        let text = SMALL.replace(" 0 , 0 , 0 , 0 , 0 \r\n", "");
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs[0].0, (31, 1));
        assert!(errs[0].1.contains("has 4 rows"), "{}", errs[0].1);
        let text = SMALL.replace(
            " 0 , 0 , 0 , 0 , 0 \r\n",
            " 0 , 0 , 0 , 0 , 0 \r\n 1 , 1 , 1 , 1 , 1 \r\n",
        );
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs[0].0, (32, 2));
        assert!(errs[0].1.contains("more rows"), "{}", errs[0].1);
    }

    #[test]
    fn a_missing_section_is_reported() {
        // Cut after the colours: sections 5 and 6 are missing.
        let cut = SMALL.find("#\r\n#\r\n 0 ,").expect("found");
        let text = &SMALL[..cut];
        let errs = err_at(text, read_scw(text));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].1.contains("ends in section 4 of 6"),
            "{}",
            errs[0].1
        );
        assert_eq!(errs[0].0, line_col(text, text.len()));
    }

    #[test]
    fn structure_errors() {
        // No version line.
        let text = SMALL.replacen("$ ScenarioWizard 4.0\r\n", "", 1);
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs[0].0, (1, 1));
        assert!(errs[0].1.contains("version line"));
        // One variant only.
        let text = SMALL.replace(" -Shrink\r\n", "");
        let errs = err_at(&text, read_scw(&text));
        assert!(
            errs.iter()
                .any(|(at, m)| *at == (3, 1) && m.contains("has 1 variant")),
            "{errs:?}"
        );
        // One descriptor only.
        let text =
            "$ ScenarioWizard 4.0\nx.scw\n&A\n -a\n -b\n#\n#\n#\n#\n#\n 0 , 0 \n 0 , 0 \n#\n";
        let errs = err_at(text, read_scw(text));
        assert!(
            errs.iter()
                .any(|(at, m)| *at == (6, 1) && m.contains("1 descriptor")),
            "{errs:?}"
        );
        // A duplicate variant.
        let text = SMALL.replace(" -Closed", " -Open");
        let errs = err_at(&text, read_scw(&text));
        assert_eq!(errs[0].0, (8, 2));
        assert!(errs[0].1.contains("'Open' is listed twice"));
    }

    #[test]
    fn decodes_utf8_and_windows_1252() {
        assert_eq!(decode_text("Économie".as_bytes()), "Économie");
        assert_eq!(decode_text(b"\xC9conomie \x80 \x93x\x94"), "Économie € “x”");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(
            encode_text("Économie € “x” 漢"),
            b"\xC9conomie \x80 \x93x\x94 ?"
        );
        for b in 0..=255u8 {
            let s = decode_text(&[b'\xFF', b]);
            assert_eq!(encode_text(&s), [0xFF, b]);
        }
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in ".{0,400}") {
            let _ = read_scw(&text);
        }

        #[test]
        fn never_panics_on_damaged_files(cut in 0usize..600, at in 0usize..600, c in any::<char>()) {
            let text = crate::damaged(SMALL, at, c, cut);
            let cut = text.len();
            if let Err(diags) = read_scw(&text) {
                prop_assert!(!diags.is_empty());
                for d in diags.iter() {
                    prop_assert!(d.span.start <= d.span.end && d.span.end <= cut);
                }
            }
        }
    }
}
