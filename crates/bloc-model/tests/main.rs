//! The integration tests of bloc-model, one binary (modules named by behaviour).

mod bloc_model;
mod playbook;
mod priors;
mod strategy;
