//! jindu's integration tests: one binary, a module per public surface.

mod analysis;
mod api;
mod bench;
mod browser;
mod cli;
mod common;
mod config;
mod coop_model;
mod corpus;
mod crash;
mod formats;
mod fuzz;
mod quality;
mod real_data;
mod search;
mod server;
mod tagger;
mod writes;
