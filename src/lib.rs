//! jindu (禁毒国际合作文献检索): Chinese full-text search over international drug-control
//! cooperation documents.
//!
//! The flow, and the direction of every dependency:
//! `corpus` (files → documents) and `knowledge` (domain data) → `analysis` (normalization +
//! jieba) → `tagger` (derived facets) → `index` (tantivy generations) → `search` (queries,
//! facets, snippets) → `cli` and `http` (the only places that talk to users).

pub mod analysis;
pub mod bench;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod evaluation;
pub mod http;
pub mod index;
pub mod knowledge;
pub mod search;
pub mod tagger;
