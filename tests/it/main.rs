//! jindu's integration tests: one binary, a module per public surface.

mod analysis;
mod api;
mod browser;
mod cli;
mod common;
mod corpus;
mod real_data;
mod search;
mod server;
