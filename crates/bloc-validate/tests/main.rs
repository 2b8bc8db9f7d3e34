//! The integration tests of bloc-validate, one binary (modules named by behaviour).

mod bdm_peers;
mod cib_published;
mod exchange_peers;
mod findings;
mod flagship_sources;
mod hindcast;
mod mesa_reference;
mod sensitivity;
