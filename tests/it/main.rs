//! One integration-test binary: every test drives the real `meritlist`
//! binary on real files in a folder of its own.

mod common;
mod examples;
mod properties;
mod samples;
