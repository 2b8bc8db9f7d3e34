//! The integration tests of the `bloc` binary, one test executable: each module runs the
//! real binary for one command family.

mod calibrate;
mod cib;
mod cli;
mod common;
mod forecast;
mod golden;
mod hardening;
mod sensitivity;
mod strategies;
