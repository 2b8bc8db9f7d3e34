//! Parameter values that carry their source.
//!
//! Every parameter of a bloc scenario is written as `{ value = ..., source = "..." }`. The
//! source is one of: `record:CTRY.variable` (a row of the shipped 1989 record, data/1989;
//! a test checks the value agrees with it), `event:DATE CTRY` (a row of the timeline), a
//! paper (author, year), or `estimate: why`. Each type fixes the range of its value in the
//! JSON Schema, so an out-of-range value is reported with its line and column.
//!
//! A value may also carry a prior, `{ value = 0.82, prior = { beta = [8, 2] }, source =
//! "estimate: ..." }` ([`Prior`]): the distribution `bloc calibrate` and forecasts from a
//! posterior draw it from. The prior lives on the type's range ([`super::parameters::
//! ValueKind::bounds`]); `bloc check` refuses a prior that does not fit that range or whose
//! support leaves out the value.

pub use bloc_calibrate::prior::Prior;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! sourced {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $($range:tt)*) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The value.
            #[schemars($($range)*)]
            pub value: $ty,
            /// Where the value comes from: `record:CTRY.variable`, `event:DATE CTRY`, a paper,
            /// or `estimate: why`.
            #[schemars(length(min = 3))]
            pub source: String,
            /// The value's prior, for calibration and forecasts from a posterior (optional).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub prior: Option<Prior>,
        }

        impl $name {
            /// A value with its source and no prior.
            pub fn new(value: $ty, source: &str) -> Self {
                $name { value, source: source.to_string(), prior: None }
            }
        }
    };
}

sourced!(
    /// A share or probability in [0, 1], with its source.
    Fraction, f64, range(min = 0.0, max = 1.0)
);
sourced!(
    /// A non-negative real number, with its source.
    Amount, f64, range(min = 0.0, max = 1.0e12)
);
sourced!(
    /// A real number in [-1, 1] (a change per week, a shift), with its source.
    Shift, f64, range(min = -1.0, max = 1.0)
);
sourced!(
    /// A position on the liberalization scale 0-100, with its source.
    Position, f64, range(min = 0.0, max = 100.0)
);
sourced!(
    /// A whole number (people, weeks, soldiers), with its source.
    Count, u64, range(min = 0, max = 10_000_000_000u64)
);

/// What kind of source a parameter names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind<'a> {
    /// A fact of the shipped 1989 record: country id and variable name.
    Record {
        /// Country id, e.g. `GDR`.
        country: &'a str,
        /// Variable name, e.g. `population`.
        variable: &'a str,
    },
    /// A row of the timeline.
    Event(&'a str),
    /// An estimate, with the reason.
    Estimate(&'a str),
    /// A publication or other reference.
    Reference(&'a str),
}

/// Classifies a `source` string.
pub fn source_kind(source: &str) -> SourceKind<'_> {
    if let Some(rest) = source.strip_prefix("record:") {
        let rest = rest.split_whitespace().next().unwrap_or("");
        if let Some((country, variable)) = rest.split_once('.') {
            return SourceKind::Record { country, variable };
        }
    }
    if let Some(rest) = source.strip_prefix("event:") {
        return SourceKind::Event(rest.trim());
    }
    if let Some(rest) = source.strip_prefix("estimate") {
        return SourceKind::Estimate(rest.trim_start_matches(':').trim());
    }
    SourceKind::Reference(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            source_kind("record:GDR.population"),
            SourceKind::Record {
                country: "GDR",
                variable: "population"
            }
        );
        assert_eq!(source_kind("estimate: why"), SourceKind::Estimate("why"));
        assert_eq!(
            source_kind("event:1989-02-06 POL"),
            SourceKind::Event("1989-02-06 POL")
        );
        assert_eq!(
            source_kind("Epstein 2002"),
            SourceKind::Reference("Epstein 2002")
        );
    }
}
