//! One integration-test binary: every test drives the real `meritlist`
//! binary on real files in a folder of its own.

mod clauses;
mod common;
mod documents;
mod errors;
mod examples;
mod formats;
mod hardening;
mod init;
mod lifecycle;
mod properties;
mod review;
mod safety;
mod samples;
mod workbook;
