//! Reading a TOML input file into a typed value, reporting every problem at once.
//!
//! Three passes, each reporting all it finds:
//! 1. TOML syntax (with `toml`'s recovering parser);
//! 2. structure, checked against the JSON Schema that `schemars` derives from the Rust type:
//!    unknown keys, missing keys, wrong types, numbers out of the declared range, unknown enum
//!    values. The schema is the single place where a field's type and range are declared, so
//!    `bloc schema` and `bloc check` can never disagree;
//! 3. semantic rules that involve several values (densities summing over 1, vision larger than
//!    the lattice), written per type with [`Checked`], whose problems name a dotted path that is
//!    resolved here to the span of that value in the file.
//!
//! Only a file that passes all three is deserialized with serde, so a typed value in bloc is
//! always a valid one.

use crate::diagnostics::{Diagnostic, Diagnostics};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Semantic rules of a typed input, beyond what its schema says.
pub trait Checked {
    /// Reports every rule the value breaks.
    fn check(&self, problems: &mut SemanticProblems);
}

/// Problems found by [`Checked::check`], each naming the dotted path of the value concerned.
#[derive(Debug, Default)]
pub struct SemanticProblems {
    found: Vec<(String, String, String)>,
}

impl SemanticProblems {
    /// Records that the value at `path` (dotted, with `[i]` for array elements) is wrong.
    pub fn error(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) {
        self.found
            .push((path.into(), message.into(), expected.into()));
    }

    /// The problems recorded so far as `(path, message, expected)`.
    pub fn into_vec(self) -> Vec<(String, String, String)> {
        self.found
    }
}

/// Parses and validates `text` as a `T`, or returns every problem found.
pub fn parse<T>(text: &str) -> Result<T, Diagnostics>
where
    T: DeserializeOwned + JsonSchema + Checked,
{
    let doc = parse_document(text)?;
    let schema = schemars::schema_for!(T);
    let root = schema.as_value();
    let mut diags = Diagnostics::default();
    let whole = Spanned::new(0..text.len(), DeValue::Table(doc.get_ref().clone()));
    check_against_schema(root, root, &whole, &mut Vec::new(), &mut diags);
    if !diags.is_empty() {
        return Err(diags.finish());
    }
    let value: T = match toml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diags.push(Diagnostic::new(span, "", e.message().to_string(), ""));
            return Err(diags.finish());
        }
    };
    let mut problems = SemanticProblems::default();
    value.check(&mut problems);
    for (path, message, expected) in problems.into_vec() {
        let (span, exact) = locate(&whole, &path);
        // A value left at its default has no place in the file: name it in the message.
        let message = if exact {
            message
        } else {
            format!("{path} (default): {message}")
        };
        diags.push(Diagnostic::new(span, path, message, expected));
    }
    if diags.is_empty() {
        Ok(value)
    } else {
        Err(diags.finish())
    }
}

/// Turns semantic problems `(path, message, expected)` found in a value read from `text`
/// into diagnostics located in `text` (for rules checked outside [`Checked`], such as an
/// events file checked against its scenario).
pub fn locate_problems(text: &str, problems: Vec<(String, String, String)>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(doc) = parse_document(text) else {
        return diags;
    };
    let whole = Spanned::new(0..text.len(), DeValue::Table(doc.get_ref().clone()));
    for (path, message, expected) in problems {
        let (span, _) = locate(&whole, &path);
        diags.push(Diagnostic::new(span, path, message, expected));
    }
    diags.finish()
}

/// A hash of a value's canonical form (hex SHA-256 of its JSON), for result metadata.
pub fn canonical_hash<T: serde::Serialize>(value: &T) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(value).unwrap_or_default();
    let digest = Sha256::digest(json.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses TOML syntax, reporting every syntax error the recovering parser finds.
pub fn parse_document(text: &str) -> Result<Spanned<DeTable<'_>>, Diagnostics> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Ok(doc);
    }
    let mut diags = Diagnostics::default();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        diags.push(Diagnostic::new(
            span,
            "",
            format!("invalid TOML: {}", e.message().trim()),
            "valid TOML syntax",
        ));
    }
    Err(diags.finish())
}

/// The span of the value at a dotted path such as `citizens.vision` or `schedule[2].step`,
/// and whether the value itself (rather than an enclosing one, as for a key left at its
/// default) was found. A path not in the file at all points at the start of the file.
fn locate(root: &Spanned<DeValue<'_>>, path: &str) -> (Range<usize>, bool) {
    let mut current = root;
    let mut exact = true;
    for segment in split_path(path) {
        let next = match segment {
            PathSegment::Key(k) => current.get_ref().as_table().and_then(|t| {
                t.iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k)
                    .map(|(_, v)| v)
            }),
            PathSegment::Index(i) => current.get_ref().as_array().and_then(|a| a.get(i)),
        };
        match next {
            Some(v) => current = v,
            None => {
                exact = false;
                break;
            }
        }
    }
    if std::ptr::eq(current, root) && !path.is_empty() {
        (0..0, false)
    } else {
        (current.span(), exact)
    }
}

enum PathSegment<'a> {
    Key(&'a str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<PathSegment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(PathSegment::Key(key));
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(PathSegment::Index(i));
            }
        }
    }
    out
}

fn join_path(path: &[String]) -> String {
    let mut s = String::new();
    for seg in path {
        if seg.starts_with('[') {
            s.push_str(seg);
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
    }
    s
}

fn resolve<'a>(root: &'a Json, schema: &'a Json) -> &'a Json {
    let mut s = schema;
    for _ in 0..32 {
        match s.get("$ref").and_then(Json::as_str) {
            Some(r) => {
                let Some(pointer) = r.strip_prefix('#') else {
                    return s;
                };
                match root.pointer(pointer) {
                    Some(target) => s = target,
                    None => return s,
                }
            }
            None => return s,
        }
    }
    s
}

fn toml_kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn matches_type(v: &DeValue<'_>, ty: &str) -> bool {
    matches!(
        (ty, v),
        ("string", DeValue::String(_))
            | ("integer", DeValue::Integer(_))
            | ("number", DeValue::Integer(_) | DeValue::Float(_))
            | ("boolean", DeValue::Boolean(_))
            | ("array", DeValue::Array(_))
            | ("object", DeValue::Table(_))
    )
}

fn describe_type(ty: &str) -> &str {
    match ty {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "array" => "an array",
        "object" => "a table",
        other => other,
    }
}

fn number_of(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i128::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    }
}

fn integer_of(v: &DeValue<'_>) -> Option<i128> {
    match v {
        DeValue::Integer(i) => i128::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
        _ => None,
    }
}

fn format_bounds(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "uint8" => (0, u8::MAX as i128),
        "uint16" => (0, u16::MAX as i128),
        "uint32" | "uint" => (0, u32::MAX as i128),
        "uint64" => (0, u64::MAX as i128),
        "int8" => (i8::MIN as i128, i8::MAX as i128),
        "int16" => (i16::MIN as i128, i16::MAX as i128),
        "int32" | "int" => (i32::MIN as i128, i32::MAX as i128),
        "int64" => (i64::MIN as i128, i64::MAX as i128),
        _ => return None,
    })
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-6) {
        // 1e308 in full would be 309 digits.
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Edit distance, for "did you mean" hints on unknown keys and names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// For alternatives told apart by one tag property (an internally tagged enum's
/// `kind = "..."`): the property's name and every alternative's tag. `None` unless there
/// are at least two alternatives, each with a constant for the same property, all
/// different (a constant they share, like a header's `kind = "bloc"`, is no tag).
fn tagged_alternatives(alternatives: &[Json], root: &Json) -> Option<(String, Vec<String>)> {
    if alternatives.len() < 2 {
        return None;
    }
    let mut key: Option<String> = None;
    let mut tags = Vec::new();
    for alt in alternatives {
        let props = resolve(root, alt).get("properties")?.as_object()?;
        let (k, tag) = props.iter().find_map(|(k, p)| {
            let p = resolve(root, p);
            let single = p
                .get("enum")
                .and_then(Json::as_array)
                .filter(|e| e.len() == 1)
                .and_then(|e| e[0].as_str());
            p.get("const")
                .and_then(Json::as_str)
                .or(single)
                .map(|t| (k.clone(), t.to_string()))
        })?;
        if *key.get_or_insert_with(|| k.clone()) != k {
            return None;
        }
        if tags.contains(&tag) {
            return None;
        }
        tags.push(tag);
    }
    key.map(|k| (k, tags))
}

/// The problem of a table whose tag matches none of the tagged alternatives, located at
/// the tag, naming every tag; `None` if the alternatives have no common tag or the table's
/// tag is one of them.
fn unknown_tag(
    root: &Json,
    alternatives: &[Json],
    v: &DeValue<'_>,
    path: &[String],
) -> Option<Diagnostic> {
    let (key, tags) = tagged_alternatives(alternatives, root)?;
    let DeValue::Table(table) = v else {
        return None;
    };
    let (_, tag) = table
        .iter()
        .find(|(k, _)| AsRef::<str>::as_ref(k.get_ref()) == key)?;
    let DeValue::String(s) = tag.get_ref() else {
        return None;
    };
    if tags.iter().any(|t| t == s.as_ref() as &str) {
        return None;
    }
    let quoted: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    let mut tag_path = path.to_vec();
    tag_path.push(key);
    let mut d = Diagnostic::new(
        tag.span(),
        join_path(&tag_path),
        format!("unknown value \"{s}\""),
        format!("one of {}", quoted.join(", ")),
    );
    if let Some(c) = closest(s, tags.iter().map(String::as_str)) {
        d = d.with_hint(format!("did you mean \"{c}\"?"));
    }
    Some(d)
}

/// For alternatives that are each a table of one required key (an externally tagged enum,
/// written `{ beta = [8, 2] }`): every alternative's key, in order.
fn keyed_alternatives(alternatives: &[Json], root: &Json) -> Option<Vec<String>> {
    if alternatives.len() < 2 {
        return None;
    }
    alternatives
        .iter()
        .map(|alt| {
            let alt = resolve(root, alt);
            let required = alt.get("required")?.as_array()?;
            let properties = alt.get("properties")?.as_object()?;
            match required.as_slice() {
                [key] if properties.len() == 1 => key.as_str().map(str::to_string),
                _ => None,
            }
        })
        .collect()
}

/// What to report for a table that should name exactly one of keyed alternatives: `Ok(i)`
/// when it names alternative `i` alone (its own problems are reported), else the problem
/// (an unknown key at the key, with a did-you-mean; no key or several at the table).
fn keyed_choice(
    keys: &[String],
    v: &DeValue<'_>,
    span: Range<usize>,
    path: &[String],
) -> Result<usize, Diagnostic> {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let expected = format!("exactly one of {}", quoted.join(", "));
    let DeValue::Table(table) = v else {
        return Err(Diagnostic::new(
            span,
            join_path(path),
            format!("wrong type: found {}", toml_kind(v)),
            format!("a table with {expected}"),
        ));
    };
    let present: Vec<_> = table.iter().collect();
    let [(key, _)] = present.as_slice() else {
        let names: Vec<String> = present
            .iter()
            .map(|(k, _)| format!("`{}`", k.get_ref()))
            .collect();
        let found = if names.is_empty() {
            "an empty table".to_string()
        } else {
            format!("{} keys ({})", names.len(), names.join(", "))
        };
        return Err(Diagnostic::new(span, join_path(path), found, expected));
    };
    let name: &str = key.get_ref();
    if let Some(i) = keys.iter().position(|k| k == name) {
        return Ok(i);
    }
    let mut key_path = path.to_vec();
    key_path.push(name.to_string());
    let mut d = Diagnostic::new(
        key.span(),
        join_path(&key_path),
        format!("unknown key `{name}`"),
        expected,
    );
    if let Some(c) = closest(name, keys.iter().map(String::as_str)) {
        d = d.with_hint(format!("did you mean `{c}`?"));
    }
    Err(d)
}

fn const_strings(alternatives: &[Json], root: &Json) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for alt in alternatives {
        let alt = resolve(root, alt);
        if let Some(c) = alt.get("const").and_then(Json::as_str) {
            out.push(c.to_string());
        } else if let Some(e) = alt.get("enum").and_then(Json::as_array) {
            for v in e {
                out.push(v.as_str()?.to_string());
            }
        } else {
            return None;
        }
    }
    Some(out)
}

/// Reports a value that matched none of `alts` (each attempt's problems in `attempts`): a
/// string or type against a list of constants, an unknown tag, a table that names no single
/// key of keyed alternatives, or else the problems of the alternative that got furthest.
fn report_alternatives(
    root: &Json,
    alts: &[Json],
    mut attempts: Vec<Diagnostics>,
    value: &Spanned<DeValue<'_>>,
    path: &[String],
    diags: &mut Diagnostics,
) {
    let span = value.span();
    let v = value.get_ref();
    let here = join_path(path);
    if let Some(names) = const_strings(alts, root) {
        let found = match v {
            DeValue::String(s) => format!("unknown value \"{s}\""),
            other => format!("wrong type: found {}", toml_kind(other)),
        };
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        let mut d = Diagnostic::new(
            span.clone(),
            here.clone(),
            found,
            format!("one of {}", quoted.join(", ")),
        );
        if let DeValue::String(s) = v
            && let Some(c) = closest(s, names.iter().map(String::as_str))
        {
            d = d.with_hint(format!("did you mean \"{c}\"?"));
        }
        diags.push(d);
    } else if let Some(d) = unknown_tag(root, alts, v, path) {
        // Alternatives told apart by a tag (`kind = "..."`) none of them has: name them
        // all, rather than the problems of whichever alternative came closest.
        diags.push(d);
    } else if let Some(keys) = keyed_alternatives(alts, root) {
        // Alternatives told apart by their one key (`{ beta = [8, 2] }`): the problems
        // of the alternative named, or that no single known key is named.
        match keyed_choice(&keys, v, span.clone(), path) {
            Ok(i) => attempts
                .swap_remove(i)
                .0
                .into_iter()
                .for_each(|d| diags.push(d)),
            Err(d) => diags.push(d),
        }
    } else {
        // Report the alternative that got furthest (fewest problems).
        let best = attempts
            .into_iter()
            .min_by_key(Diagnostics::len)
            .unwrap_or_default();
        for d in best.0 {
            diags.push(d);
        }
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
fn check_against_schema(
    root: &Json,
    schema: &Json,
    value: &Spanned<DeValue<'_>>,
    path: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    let schema = resolve(root, schema);
    let span = value.span();
    let v = value.get_ref();
    let here = join_path(path);

    if let Some(all) = schema.get("allOf").and_then(Json::as_array) {
        for s in all {
            check_against_schema(root, s, value, path, diags);
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(alts) = schema.get(key).and_then(Json::as_array) else {
            continue;
        };
        // TOML has no null: an optional value that is present must match the other branch.
        let alts: Vec<Json> = alts
            .iter()
            .filter(|a| resolve(root, a).get("type").and_then(Json::as_str) != Some("null"))
            .cloned()
            .collect();
        let mut attempts = Vec::new();
        for alt in &alts {
            let mut scratch = Diagnostics::default();
            check_against_schema(root, alt, value, &mut path.clone(), &mut scratch);
            if scratch.is_empty() {
                attempts.clear();
                break;
            }
            attempts.push(scratch);
        }
        if attempts.is_empty() {
            continue;
        }
        report_alternatives(root, &alts, attempts, value, path, diags);
    }

    if let Some(c) = schema.get("const").and_then(Json::as_str)
        && v.as_str() != Some(c)
    {
        diags.push(Diagnostic::new(
            span,
            here,
            "wrong value",
            format!("\"{c}\""),
        ));
        return;
    }
    if let Some(options) = schema.get("enum").and_then(Json::as_array) {
        let names: Vec<&str> = options.iter().filter_map(Json::as_str).collect();
        match v.as_str() {
            Some(s) if names.contains(&s) => {}
            other => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                let msg = match other {
                    Some(s) => format!("unknown value \"{s}\""),
                    None => format!("wrong type: found {}", toml_kind(v)),
                };
                let mut d =
                    Diagnostic::new(span, here, msg, format!("one of {}", quoted.join(", ")));
                if let Some(s) = other
                    && let Some(c) = closest(s, names.iter().copied())
                {
                    d = d.with_hint(format!("did you mean \"{c}\"?"));
                }
                diags.push(d);
                return;
            }
        }
    }

    let types: Vec<&str> = match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| matches_type(v, t)) {
        let expected: Vec<&str> = types.iter().map(|t| describe_type(t)).collect();
        diags.push(Diagnostic::new(
            span,
            here,
            format!("wrong type: found {}", toml_kind(v)),
            expected.join(" or "),
        ));
        return;
    }

    match v {
        DeValue::Integer(_) | DeValue::Float(_) => check_number(schema, v, span, &here, diags),
        DeValue::Table(table) => check_table(root, schema, table, span, path, diags),
        DeValue::Array(items) => {
            let n = items.len() as u64;
            if let Some(min) = schema.get("minItems").and_then(Json::as_u64)
                && n < min
            {
                diags.push(Diagnostic::new(
                    span.clone(),
                    here.clone(),
                    format!("too few elements: {n}"),
                    format!("at least {min}"),
                ));
            }
            if let Some(max) = schema.get("maxItems").and_then(Json::as_u64)
                && n > max
            {
                diags.push(Diagnostic::new(
                    span.clone(),
                    here.clone(),
                    format!("too many elements: {n}"),
                    format!("at most {max}"),
                ));
            }
            let prefix = schema.get("prefixItems").and_then(Json::as_array);
            for (i, item) in items.iter().enumerate() {
                let item_schema = prefix
                    .and_then(|p| p.get(i))
                    .or_else(|| schema.get("items"));
                if let Some(s) = item_schema {
                    path.push(format!("[{i}]"));
                    check_against_schema(root, s, item, path, diags);
                    path.pop();
                }
            }
        }
        DeValue::String(s) => {
            if let Some(min) = schema.get("minLength").and_then(Json::as_u64)
                && (s.chars().count() as u64) < min
            {
                diags.push(Diagnostic::new(
                    span,
                    here,
                    "string too short",
                    format!("at least {min} characters"),
                ));
            }
        }
        DeValue::Boolean(_) | DeValue::Datetime(_) => {}
    }
}

fn check_number(
    schema: &Json,
    v: &DeValue<'_>,
    span: Range<usize>,
    here: &str,
    diags: &mut Diagnostics,
) {
    let Some(x) = number_of(v) else {
        diags.push(Diagnostic::new(
            span,
            here,
            "number cannot be read",
            "a number",
        ));
        return;
    };
    if !x.is_finite() {
        diags.push(Diagnostic::new(
            span,
            here,
            format!("{x} is not finite"),
            "a finite number",
        ));
        return;
    }
    let mut lo: Option<(f64, bool)> = schema
        .get("minimum")
        .and_then(Json::as_f64)
        .map(|m| (m, true));
    let mut hi: Option<(f64, bool)> = schema
        .get("maximum")
        .and_then(Json::as_f64)
        .map(|m| (m, true));
    if let Some(m) = schema.get("exclusiveMinimum").and_then(Json::as_f64) {
        lo = Some((m, false));
    }
    if let Some(m) = schema.get("exclusiveMaximum").and_then(Json::as_f64) {
        hi = Some((m, false));
    }
    let below = lo.is_some_and(|(m, incl)| if incl { x < m } else { x <= m });
    let above = hi.is_some_and(|(m, incl)| if incl { x > m } else { x >= m });
    if below || above {
        let range = match (lo, hi) {
            (Some((a, ai)), Some((b, bi))) => format!(
                "a value {} {} and {} {}",
                if ai { "at least" } else { "above" },
                fmt_num(a),
                if bi { "at most" } else { "below" },
                fmt_num(b)
            ),
            (Some((a, ai)), None) => {
                format!(
                    "a value {} {}",
                    if ai { "at least" } else { "above" },
                    fmt_num(a)
                )
            }
            (None, Some((b, bi))) => {
                format!(
                    "a value {} {}",
                    if bi { "at most" } else { "below" },
                    fmt_num(b)
                )
            }
            (None, None) => String::new(),
        };
        diags.push(Diagnostic::new(
            span,
            here,
            format!("{} is out of range", fmt_num(x)),
            range,
        ));
        return;
    }
    if let Some((flo, fhi)) = schema
        .get("format")
        .and_then(Json::as_str)
        .and_then(format_bounds)
        && let Some(n) = integer_of(v)
        && (n < flo || n > fhi)
    {
        diags.push(Diagnostic::new(
            span,
            here,
            format!("{n} is out of range"),
            format!("an integer from {flo} to {fhi}"),
        ));
    }
}

fn check_table(
    root: &Json,
    schema: &Json,
    table: &DeTable<'_>,
    span: Range<usize>,
    path: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    let props = schema.get("properties").and_then(Json::as_object);
    let additional = schema.get("additionalProperties");
    let here = join_path(path);
    for (key, value) in table.iter() {
        let name: &str = key.get_ref().as_ref();
        let prop = props.and_then(|p| p.get(name));
        path.push(name.to_string());
        match (prop, additional) {
            (Some(s), _) => check_against_schema(root, s, value, path, diags),
            (None, Some(Json::Bool(false))) => {
                let known: Vec<&str> = props
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let mut d = Diagnostic::new(
                    key.span(),
                    join_path(path),
                    format!("unknown key `{name}`"),
                    if known.is_empty() {
                        "no keys here".to_string()
                    } else {
                        format!("one of {}", known.join(", "))
                    },
                );
                if let Some(c) = closest(name, known.iter().copied()) {
                    d = d.with_hint(format!("did you mean `{c}`?"));
                }
                diags.push(d);
            }
            (None, Some(s)) if s.is_object() => check_against_schema(root, s, value, path, diags),
            (None, _) => {}
        }
        path.pop();
    }
    if let Some(required) = schema.get("required").and_then(Json::as_array) {
        for r in required.iter().filter_map(Json::as_str) {
            if !table.iter().any(|(k, _)| k.get_ref().as_ref() == r) {
                let at = if span.start == 0 && here.is_empty() {
                    0..0
                } else {
                    span.clone()
                };
                let place = if here.is_empty() {
                    "the top level".to_string()
                } else {
                    format!("[{here}]")
                };
                diags.push(Diagnostic::new(
                    at,
                    if here.is_empty() {
                        r.to_string()
                    } else {
                        format!("{here}.{r}")
                    },
                    format!("missing key `{r}` in {place}"),
                    format!("a value for `{r}`"),
                ));
            }
        }
    }
}

/// The JSON Schema of an input type, as `bloc schema` prints it.
pub fn schema_json<T: JsonSchema>() -> Json {
    schemars::schema_for!(T).as_value().clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn alts(tags: &[&str]) -> Vec<Json> {
        tags.iter()
            .map(|t| json!({"type": "object", "properties": {"kind": {"const": t}, "x": {"type": "number"}}}))
            .collect()
    }

    #[test]
    fn only_distinct_constants_of_several_alternatives_are_tags() {
        let root = json!({});
        let (key, tags) = tagged_alternatives(&alts(&["a", "b"]), &root).expect("tagged");
        assert_eq!((key.as_str(), tags), ("kind", vec!["a".into(), "b".into()]));
        assert_eq!(
            tagged_alternatives(&alts(&["a"]), &root),
            None,
            "one alternative"
        );
        assert_eq!(
            tagged_alternatives(&alts(&["a", "a"]), &root),
            None,
            "a shared constant"
        );
    }
}
