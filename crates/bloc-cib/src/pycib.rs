//! PyCIB's JSON exchange format, `format_version` 2 (PyCIB `cib/utils.py`, `load_from_json`
//! and `save_to_json`; design cib.md §4.3):
//!
//! ```json
//! {
//!   "format_version": 2,
//!   "descriptors": { "A": ["a1", "a2"], "B": ["b1", "b2"] },
//!   "impacts": [
//!     { "src_desc": "A", "src_state": "a1", "tgt_desc": "B", "tgt_state": "b2", "impact": 2.0 }
//!   ]
//! }
//! ```
//!
//! `descriptors` maps each descriptor to its ordered states, in the object's key order;
//! `impacts` lists the judged cells (a cell not listed is 0). PyCIB stores impacts as
//! floats (`2.0`); bloc's engine takes integer judgements, so an impact must be integral.
//! As PyCIB does, the reader refuses blank or repeated names, a record judging a
//! descriptor on itself, and a cell given twice; other keys are ignored.
//!
//! The file is parsed here, not with serde, so that every problem carries the span of the
//! value concerned and the descriptors keep their order.

use super::scw::{check_magnitude, clip};
use super::system::{CibSystem, Descriptor, MAX_VARIANTS};
use bloc_base::diagnostics::{Diagnostic, Diagnostics};
use bloc_base::document::closest;
use std::ops::Range;

/// A JSON value with its span.
#[derive(Debug, Clone)]
struct Json {
    span: Range<usize>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Null,
    Bool,
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Members in file order: key, key's span, value.
    Object(Vec<(String, Range<usize>, Json)>),
}

impl Json {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }

    /// The member `key` of an object (the last one, as Python's `json` keeps).
    fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            Kind::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _, _)| k == key)
                .map(|m| &m.2),
            _ => None,
        }
    }
}

/// How deep arrays and objects may nest (a PyCIB file nests three deep).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, Diagnostic>;

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A syntax error at the current position, spanning the character there.
    fn error(&self, message: impl Into<String>, expected: impl Into<String>) -> Diagnostic {
        let len = self.text[self.pos.min(self.text.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Diagnostic::new(self.pos..self.pos + len, "", message, expected)
    }

    fn unexpected(&self, expected: &str) -> Diagnostic {
        match self.text[self.pos.min(self.text.len())..].chars().next() {
            None => self.error("the JSON ends too early", expected),
            Some(c) => self.error(format!("unexpected '{c}'"), expected),
        }
    }

    fn value(&mut self) -> Parsed<Json> {
        self.skip_ws();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(b't') => self.literal("true", Kind::Bool)?,
            Some(b'f') => self.literal("false", Kind::Bool)?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'N' | b'I') => {
                return Err(self
                    .error("NaN and Infinity are not JSON", "a finite number")
                    .with_hint("PyCIB writes them for a non-finite impact: fix the judgement"));
            }
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Json {
            span: start..self.pos,
            kind,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Parsed<Kind> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn nest(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(self.error(
                "arrays and objects nest too deeply",
                format!("at most {MAX_DEPTH} levels"),
            ))
        } else {
            Ok(())
        }
    }

    fn object(&mut self) -> Parsed<Kind> {
        self.nest()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a quoted key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':' after the key"));
            }
            self.pos += 1;
            let value = self.value()?;
            members.push((key, key_span, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Kind::Object(members));
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    fn array(&mut self) -> Parsed<Kind> {
        self.nest()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Kind::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Kind::Array(items));
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let digits = self.text.get(self.pos..self.pos + 4);
        match digits.and_then(|d| {
            d.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(d, 16).ok())
                .flatten()
        }) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error("a bad \\u escape", "four hexadecimal digits")),
        }
    }

    fn string(&mut self) -> Parsed<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(b) = self.peek() else {
                self.pos = open;
                return Err(self.error("the string is not closed", "a closing '\"'"));
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.error("the string is not closed", "a closing '\"'"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.text[self.pos..].starts_with("\\u")
                            {
                                let back = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    self.pos = back;
                                    hi
                                }
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.pos -= 2;
                            return Err(self.error(
                                "an unknown escape in a string",
                                "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                            ));
                        }
                    }
                    run = self.pos;
                }
                0..=0x1F => {
                    return Err(self.error(
                        "a control character (a line break?) inside a string",
                        "'\\n' and the like, escaped",
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn number(&mut self) -> Parsed<f64> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while let Some(b'0'..=b'9') = p.peek() {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.unexpected("a digit"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        match self.text[start..self.pos].parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(Diagnostic::new(
                start..self.pos,
                "",
                "the number is too large",
                "a finite number",
            )),
        }
    }
}

/// Parses `text` as JSON with spans, or gives the first syntax error.
fn parse_json(text: &str) -> Parsed<Json> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    if text.starts_with('\u{FEFF}') {
        p.pos = '\u{FEFF}'.len_utf8();
    }
    let v = p.value()?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.unexpected("the end of the file after the JSON value"));
    }
    Ok(v)
}

/// The PyCIB source a message points to.
const PYCIB_LOADER: &str = "PyCIB's load_from_json (cib/utils.py)";

/// Reads a PyCIB JSON file (`format_version` 2) into a system (no name: PyCIB's format
/// has none). Descriptor and state names are the ids, trimmed, and the names as written.
#[expect(
    clippy::cognitive_complexity,
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn read_pycib_json(text: &str) -> Result<CibSystem, Diagnostics> {
    let mut diags = Diagnostics::default();
    let root = match parse_json(text) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let root_start = root.span.start..root.span.start + 1;
    if !matches!(root.kind, Kind::Object(_)) {
        diags.push(Diagnostic::new(
            root.span.clone(),
            "",
            format!("the file holds {}", root.kind_name()),
            "an object with format_version, descriptors and impacts",
        ));
        return Err(diags);
    }

    // format_version.
    match root.get("format_version") {
        None => diags.push(
            Diagnostic::new(
                root_start.clone(),
                "format_version",
                "format_version is missing",
                "\"format_version\": 2",
            )
            .with_hint("PyCIB's save_to_json writes it; version 1 files (impacts as 'A|a|B|b' keys) are not read"),
        ),
        Some(v) => {
            // PyCIB reads it with int(), so "2" passes there too.
            let two = match &v.kind {
                Kind::Number(x) => *x == 2.0,
                Kind::String(t) => t.trim() == "2",
                _ => false,
            };
            if !two {
                let d = Diagnostic::new(
                    v.span.clone(),
                    "format_version",
                    format!("format_version {} is not read", clip(&text[v.span.clone()])),
                    "2",
                );
                diags.push(if matches!(v.kind, Kind::Number(x) if x == 1.0) {
                    d.with_hint(
                        "version 1 keeps impacts as 'A|a|B|b' keys: load and save it with PyCIB to get version 2",
                    )
                } else {
                    d
                });
            }
        }
    }

    // descriptors.
    let mut descriptors: Vec<Descriptor> = Vec::new();
    match root.get("descriptors") {
        None => diags.push(Diagnostic::new(
            root_start.clone(),
            "descriptors",
            "descriptors are missing",
            "\"descriptors\": an object mapping each descriptor to its list of states",
        )),
        Some(Json {
            kind: Kind::Object(members),
            span,
        }) => {
            for (key, key_span, states) in members {
                let path = format!("descriptors.{key}");
                if key.trim().is_empty() {
                    diags.push(Diagnostic::new(
                        key_span.clone(),
                        path.clone(),
                        "a blank descriptor name",
                        "a non-empty name",
                    ));
                }
                if descriptors.iter().any(|d| d.id == key.trim()) {
                    diags.push(Diagnostic::new(
                        key_span.clone(),
                        path.clone(),
                        format!("descriptor '{}' is listed twice", clip(key)),
                        "each descriptor once",
                    ));
                }
                let mut ids: Vec<String> = Vec::new();
                let mut names: Vec<String> = Vec::new();
                match &states.kind {
                    Kind::Array(items) => {
                        for (k, s) in items.iter().enumerate() {
                            let state_path = format!("{path}[{k}]");
                            match &s.kind {
                                Kind::String(name) => {
                                    let id = name.trim().to_string();
                                    if id.is_empty() {
                                        diags.push(Diagnostic::new(
                                            s.span.clone(),
                                            state_path,
                                            "a blank state name",
                                            "a non-empty name",
                                        ));
                                    } else if ids.contains(&id) {
                                        diags.push(Diagnostic::new(
                                            s.span.clone(),
                                            state_path,
                                            format!(
                                                "state '{}' is listed twice in descriptor '{}'",
                                                clip(&id),
                                                clip(key)
                                            ),
                                            "each state once",
                                        ));
                                    }
                                    ids.push(id);
                                    names.push(name.clone());
                                }
                                _ => diags.push(Diagnostic::new(
                                    s.span.clone(),
                                    state_path,
                                    format!("a state given as {}", s.kind_name()),
                                    "a state name in quotes",
                                )),
                            }
                        }
                        if items.len() < 2 || items.len() > MAX_VARIANTS {
                            diags.push(Diagnostic::new(
                                key_span.clone(),
                                path.clone(),
                                format!(
                                    "descriptor '{}' has {} state{}",
                                    clip(key),
                                    items.len(),
                                    if items.len() == 1 { "" } else { "s" }
                                ),
                                format!("2 to {MAX_VARIANTS} states"),
                            ));
                        }
                    }
                    _ => diags.push(Diagnostic::new(
                        states.span.clone(),
                        path.clone(),
                        format!("the states are given as {}", states.kind_name()),
                        "a list of state names",
                    )),
                }
                descriptors.push(Descriptor {
                    id: key.trim().to_string(),
                    name: key.clone(),
                    variant_ids: ids,
                    variant_names: names,
                });
            }
            if members.len() < 2 {
                diags.push(Diagnostic::new(
                    span.start..span.start + 1,
                    "descriptors",
                    format!(
                        "{} descriptor{}",
                        members.len(),
                        if members.len() == 1 { "" } else { "s" }
                    ),
                    "at least 2 descriptors",
                ));
            }
        }
        Some(other) => diags.push(Diagnostic::new(
            other.span.clone(),
            "descriptors",
            format!("descriptors are given as {}", other.kind_name()),
            "an object mapping each descriptor to its list of states",
        )),
    }

    // The matrix layout.
    let mut offsets = Vec::with_capacity(descriptors.len() + 1);
    let mut n = 0;
    for d in &descriptors {
        offsets.push(n);
        n += d.variant_ids.len();
    }
    let mut matrix = vec![0i32; n * n];
    let mut given: Vec<bool> = vec![false; n * n];
    let mut largest: Option<(i64, Range<usize>)> = None;

    // impacts.
    match root.get("impacts") {
        None => diags.push(Diagnostic::new(
            root_start.clone(),
            "impacts",
            "impacts are missing",
            "\"impacts\": a list of {src_desc, src_state, tgt_desc, tgt_state, impact} records",
        )),
        Some(Json {
            kind: Kind::Array(records),
            ..
        }) => {
            for (r, record) in records.iter().enumerate() {
                let path = format!("impacts[{r}]");
                let brace = record.span.start..record.span.start + 1;
                if !matches!(record.kind, Kind::Object(_)) {
                    diags.push(Diagnostic::new(
                        record.span.clone(),
                        path,
                        format!("an impact record given as {}", record.kind_name()),
                        "an object {src_desc, src_state, tgt_desc, tgt_state, impact}",
                    ));
                    continue;
                }
                let mut text_of = |key: &str| -> Option<(&str, Range<usize>)> {
                    match record.get(key) {
                        Some(Json {
                            kind: Kind::String(s),
                            span,
                        }) => Some((s.as_str(), span.clone())),
                        Some(v) => {
                            diags.push(Diagnostic::new(
                                v.span.clone(),
                                format!("{path}.{key}"),
                                format!("{key} is {}", v.kind_name()),
                                "a name in quotes",
                            ));
                            None
                        }
                        None => {
                            diags.push(Diagnostic::new(
                                brace.clone(),
                                path.clone(),
                                format!("the impact record has no {key}"),
                                "src_desc, src_state, tgt_desc, tgt_state and impact",
                            ));
                            None
                        }
                    }
                };
                let src_desc = text_of("src_desc");
                let src_state = text_of("src_state");
                let tgt_desc = text_of("tgt_desc");
                let tgt_state = text_of("tgt_state");
                let impact = match record.get("impact") {
                    Some(Json {
                        kind: Kind::Number(x),
                        span,
                    }) => Some((*x, span.clone())),
                    Some(v) => {
                        diags.push(Diagnostic::new(
                            v.span.clone(),
                            format!("{path}.impact"),
                            format!("impact is {}", v.kind_name()),
                            "a number",
                        ));
                        None
                    }
                    None => {
                        diags.push(Diagnostic::new(
                            brace.clone(),
                            path.clone(),
                            "the impact record has no impact",
                            "src_desc, src_state, tgt_desc, tgt_state and impact",
                        ));
                        None
                    }
                };
                let src = locate(&descriptors, src_desc, src_state, &path, "src", &mut diags);
                let tgt = locate(&descriptors, tgt_desc, tgt_state, &path, "tgt", &mut diags);
                let value = impact.and_then(|(x, span)| {
                    if x.fract() == 0.0 && x.abs() > f64::from(i32::MAX) {
                        diags.push(Diagnostic::new(
                            span,
                            format!("{path}.impact"),
                            format!("impact {} is too large", clip(&text[record_value_span(record, "impact")])),
                            "a judgement such as -3, 0 or 2",
                        ));
                        None
                    } else if x.fract() != 0.0 {
                        diags.push(
                            Diagnostic::new(
                                span,
                                format!("{path}.impact"),
                                format!("impact {} is not an integer", clip(&text[record_value_span(record, "impact")])),
                                "an integral judgement such as -3, 0 or 2.0",
                            )
                            .with_hint(
                                "bloc's engine takes integer judgements: scale every impact (by 10, say) and round",
                            ),
                        );
                        None
                    } else {
                        let v = x as i32;
                        let abs = i64::from(v).abs();
                        if largest.as_ref().is_none_or(|(m, _)| abs > *m) {
                            largest = Some((abs, span));
                        }
                        Some(v)
                    }
                });
                let (Some((i, k)), Some((j, l))) = (src, tgt) else {
                    continue;
                };
                if i == j {
                    diags.push(
                        Diagnostic::new(
                            brace.clone(),
                            path.clone(),
                            format!(
                                "the record judges descriptor '{}' on itself",
                                clip(&descriptors[i].id)
                            ),
                            "src_desc and tgt_desc different",
                        )
                        .with_hint("self-impacts are omitted in CIB; PyCIB refuses them too"),
                    );
                    continue;
                }
                let cell = (offsets[i] + k) * n + offsets[j] + l;
                if given[cell] {
                    diags.push(Diagnostic::new(
                        brace.clone(),
                        path.clone(),
                        format!(
                            "the cell {}={} -> {}={} is given twice",
                            clip(&descriptors[i].id),
                            clip(&descriptors[i].variant_ids[k]),
                            clip(&descriptors[j].id),
                            clip(&descriptors[j].variant_ids[l])
                        ),
                        "each cell once",
                    ));
                }
                given[cell] = true;
                if let Some(v) = value {
                    matrix[cell] = v;
                }
            }
        }
        Some(other) => diags.push(
            Diagnostic::new(
                other.span.clone(),
                "impacts",
                format!("impacts are given as {}", other.kind_name()),
                "a list of {src_desc, src_state, tgt_desc, tgt_state, impact} records",
            )
            .with_hint(format!(
                "an object of 'A|a|B|b' keys is format_version 1, which {PYCIB_LOADER} migrates"
            )),
        ),
    }
    if let Some((abs, span)) = largest {
        check_magnitude(abs, descriptors.len(), span, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags.finish());
    }
    CibSystem::new("", descriptors, matrix).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(root_start, "", e.to_string(), ""));
        d
    })
}

/// The span of member `key`'s value in `record` (the record's when absent).
fn record_value_span(record: &Json, key: &str) -> Range<usize> {
    record
        .get(key)
        .map_or(record.span.clone(), |v| v.span.clone())
}

/// The descriptor and variant a record names, reporting unknown names with suggestions.
fn locate(
    descriptors: &[Descriptor],
    desc: Option<(&str, Range<usize>)>,
    state: Option<(&str, Range<usize>)>,
    path: &str,
    side: &str,
    diags: &mut Diagnostics,
) -> Option<(usize, usize)> {
    let (desc, desc_span) = desc?;
    let Some(i) = descriptors.iter().position(|d| d.id == desc.trim()) else {
        let mut d = Diagnostic::new(
            desc_span,
            format!("{path}.{side}_desc"),
            format!("unknown descriptor '{}'", clip(desc)),
            "one of the descriptors",
        );
        if let Some(c) = closest(desc.trim(), descriptors.iter().map(|d| d.id.as_str())) {
            d = d.with_hint(format!("did you mean '{c}'?"));
        }
        diags.push(d);
        return None;
    };
    let (state, state_span) = state?;
    let d = &descriptors[i];
    let Some(k) = d.variant_ids.iter().position(|v| v == state.trim()) else {
        let mut diag = Diagnostic::new(
            state_span,
            format!("{path}.{side}_state"),
            format!(
                "descriptor '{}' has no state '{}'",
                clip(&d.id),
                clip(state)
            ),
            format!("one of {}", d.variant_ids.join(", ")),
        );
        if let Some(c) = closest(state.trim(), d.variant_ids.iter().map(String::as_str)) {
            diag = diag.with_hint(format!("did you mean '{c}'?"));
        }
        diags.push(diag);
        return None;
    };
    Some((i, k))
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Names usable as PyCIB keys: the display names if they are all non-blank and distinct,
/// otherwise the ids.
fn labels<'a>(names: &'a [String], ids: &'a [String]) -> &'a [String] {
    let usable = names
        .iter()
        .enumerate()
        .all(|(i, n)| !n.trim().is_empty() && !names[..i].contains(n));
    if usable { names } else { ids }
}

/// Writes `system` as PyCIB JSON, `format_version` 2, in the layout of PyCIB's
/// `save_to_json` (two-space indentation), with every non-zero cell off the diagonal
/// blocks as a record, row by row, and impacts as integers (PyCIB reads them as floats).
/// Names are the display names, or the ids where names are blank or repeated.
pub fn write_pycib_json(system: &CibSystem) -> String {
    let ds = system.descriptors();
    let desc_names: Vec<String> = ds.iter().map(|d| d.name.clone()).collect();
    let desc_ids: Vec<String> = ds.iter().map(|d| d.id.clone()).collect();
    let desc_labels = labels(&desc_names, &desc_ids);
    let state_labels: Vec<&[String]> = ds
        .iter()
        .map(|d| labels(&d.variant_names, &d.variant_ids))
        .collect();

    let mut out = String::from("{\n  \"format_version\": 2,\n  \"descriptors\": {");
    for (j, d) in desc_labels.iter().enumerate() {
        out.push_str(if j == 0 { "\n" } else { ",\n" });
        out.push_str(&format!("    {}: [", quote(d)));
        for (k, s) in state_labels[j].iter().enumerate() {
            out.push_str(if k == 0 { "\n" } else { ",\n" });
            out.push_str(&format!("      {}", quote(s)));
        }
        out.push_str("\n    ]");
    }
    out.push_str(if ds.is_empty() { "}" } else { "\n  }" });
    out.push_str(",\n  \"impacts\": [");
    let mut first = true;
    for i in 0..ds.len() {
        for k in 0..system.variant_count(i) {
            for j in 0..ds.len() {
                if i == j {
                    continue;
                }
                for l in 0..system.variant_count(j) {
                    let v = system.cell(i, k, j, l);
                    if v == 0 {
                        continue;
                    }
                    out.push_str(if first { "\n" } else { ",\n" });
                    first = false;
                    out.push_str(&format!(
                        "    {{\n      \"src_desc\": {},\n      \"src_state\": {},\n      \"tgt_desc\": {},\n      \"tgt_state\": {},\n      \"impact\": {v}\n    }}",
                        quote(&desc_labels[i]),
                        quote(&state_labels[i][k]),
                        quote(&desc_labels[j]),
                        quote(&state_labels[j][l]),
                    ));
                }
            }
        }
    }
    out.push_str(if first { "]" } else { "\n  ]" });
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published;
    use bloc_base::diagnostics::line_col;
    use proptest::prelude::*;

    /// A hand-made file in the layout PyCIB's save_to_json writes (floats, two-space indent).
    const SMALL: &str = r#"{
  "format_version": 2,
  "descriptors": {
    "Zeta": [
      "up",
      "down"
    ],
    "Alpha": [
      "low",
      "mid",
      "high"
    ]
  },
  "impacts": [
    {
      "src_desc": "Zeta",
      "src_state": "up",
      "tgt_desc": "Alpha",
      "tgt_state": "high",
      "impact": 2.0
    },
    {
      "src_desc": "Alpha",
      "src_state": "low",
      "tgt_desc": "Zeta",
      "tgt_state": "down",
      "impact": -3
    }
  ]
}"#;

    fn errors(text: &str) -> Vec<((usize, usize), String, Option<String>)> {
        read_pycib_json(text)
            .expect_err("errors")
            .iter()
            .map(|d| {
                (
                    line_col(text, d.span.start),
                    d.message.clone(),
                    d.hint.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_a_small_file_in_key_order() {
        let s = read_pycib_json(SMALL).expect("reads");
        // Key order is kept: Zeta comes first although it sorts last.
        assert_eq!(s.descriptors()[0].id, "Zeta");
        assert_eq!(s.descriptors()[1].variant_ids, ["low", "mid", "high"]);
        assert_eq!(s.cell(0, 0, 1, 2), 2);
        assert_eq!(s.cell(1, 0, 0, 1), -3);
        assert_eq!(s.matrix().iter().filter(|&&v| v != 0).count(), 2);
    }

    #[test]
    fn writes_and_reads_back_the_published_cases() {
        for case in published::CASES {
            let (_, system) = published::case(case.name).expect("case");
            let text = write_pycib_json(&system);
            let mut back = read_pycib_json(&text).expect("reads back");
            back.name = system.name.clone();
            assert_eq!(back, system, "{}", case.name);
        }
    }

    #[test]
    fn writes_pycib_layout() {
        let s = read_pycib_json(SMALL).expect("reads");
        // PyCIB writes 2.0 where bloc writes 2: otherwise the same text.
        assert_eq!(write_pycib_json(&s), SMALL.replace("2.0", "2") + "\n");
    }

    #[test]
    fn an_unknown_state_is_located() {
        let text = SMALL.replace("\"tgt_state\": \"high\"", "\"tgt_state\": \"hihg\"");
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, (19, 20));
        assert!(
            e[0].1.contains("descriptor 'Alpha' has no state 'hihg'"),
            "{}",
            e[0].1
        );
        assert_eq!(e[0].2.as_deref(), Some("did you mean 'high'?"));
        let text = SMALL.replace("\"src_desc\": \"Alpha\"", "\"src_desc\": \"Alpa\"");
        let e = errors(&text);
        assert_eq!(e[0].0, (23, 19));
        assert!(e[0].1.contains("unknown descriptor 'Alpa'"));
    }

    #[test]
    fn fractional_impacts_are_refused_with_a_hint() {
        let text = SMALL.replace("2.0", "2.5");
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, (20, 17));
        assert!(e[0].1.contains("impact 2.5 is not an integer"));
        assert!(e[0].2.as_deref().unwrap_or("").contains("scale"));
    }

    #[test]
    fn structural_errors() {
        // A syntax error: a missing comma, at the next key.
        let text = SMALL.replacen("\"format_version\": 2,", "\"format_version\": 2", 1);
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, (3, 3));
        // Version 1 and a missing version.
        let e = errors(&SMALL.replace("\"format_version\": 2", "\"format_version\": 1"));
        assert_eq!(e[0].0, (2, 21));
        assert!(e[0].2.is_some());
        let e = errors(&SMALL.replace("\"format_version\": 2,", ""));
        assert_eq!(e[0].0, (1, 1));
        assert!(e[0].1.contains("format_version is missing"));
        // A self-impact, a duplicate cell, a missing key.
        let e = errors(
            &SMALL
                .replace("\"tgt_desc\": \"Zeta\"", "\"tgt_desc\": \"Alpha\"")
                .replace("\"tgt_state\": \"down\"", "\"tgt_state\": \"mid\""),
        );
        assert_eq!(e[0].0, (22, 5));
        assert!(e[0].1.contains("on itself"));
        let dup = SMALL.replace("\"src_desc\": \"Alpha\",\n      \"src_state\": \"low\",\n      \"tgt_desc\": \"Zeta\",\n      \"tgt_state\": \"down\"", "\"src_desc\": \"Zeta\",\n      \"src_state\": \"up\",\n      \"tgt_desc\": \"Alpha\",\n      \"tgt_state\": \"high\"");
        let e = errors(&dup);
        assert!(e[0].1.contains("given twice"), "{e:?}");
        let e = errors(&SMALL.replace("      \"impact\": -3\n", "      \"impac\": -3\n"));
        assert!(e[0].1.contains("has no impact"), "{e:?}");
        // One state, a duplicate state, a blank state.
        let e = errors(&SMALL.replace("      \"up\",\n      \"down\"\n", "      \"up\"\n"));
        assert!(e.iter().any(|x| x.1.contains("has 1 state")), "{e:?}");
        let e = errors(&SMALL.replace("\"mid\"", "\"low\""));
        assert!(e[0].1.contains("listed twice"));
        let e = errors(&SMALL.replace("\"mid\"", "\" \""));
        assert!(e[0].1.contains("blank state"));
        // Not an object; garbage after it; too deep.
        assert!(errors("[1, 2]")[0].1.contains("an array"));
        assert!(errors("{} x")[0].1.contains("unexpected 'x'"));
        assert!(errors(&"[".repeat(100))[0].1.contains("nest too deeply"));
        assert!(errors(r#"{"a": NaN}"#)[0].1.contains("NaN"));
    }

    #[test]
    fn strings_with_escapes() {
        let text = SMALL.replace("\"Zeta\"", "\"Z\\u00e9ta \\ud83d\\ude00\\n\"");
        let s = read_pycib_json(&text).expect("reads");
        assert_eq!(s.descriptors()[0].name, "Zéta 😀\n");
        let back = read_pycib_json(&write_pycib_json(&s)).expect("reads back");
        assert_eq!(back.descriptors()[0].name, "Zéta 😀\n");
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in ".{0,300}") {
            let _ = read_pycib_json(&text);
        }

        #[test]
        fn never_panics_on_json_like_text(text in r#"[\[\]{}",:0-9.eE+\-a-z\\ ]{0,200}"#) {
            let _ = read_pycib_json(&text);
        }

        #[test]
        fn never_panics_on_damaged_files(cut in 0usize..600, at in 0usize..600, c in any::<char>()) {
            let text = crate::damaged(SMALL, at, c, cut);
            let cut = text.len();
            if let Err(diags) = read_pycib_json(&text) {
                for d in diags.iter() {
                    prop_assert!(d.span.start <= d.span.end && d.span.end <= cut);
                }
            }
        }
    }
}
