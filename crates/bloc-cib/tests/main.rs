//! The integration tests of bloc-cib, one binary (modules named by behaviour).

mod cib_features;
mod cib_flagship;
mod cib_properties;
