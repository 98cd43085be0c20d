//! What the benches share: the shipped policy texts and the knowledge.

use jindu::knowledge::Knowledge;

/// The policy documents of `corpus/policy`, joined.
pub fn policy_text() -> String {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/policy"))
        .expect("corpus/policy")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The bundled knowledge.
pub fn knowledge() -> Knowledge {
    Knowledge::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/knowledge"
    )))
    .expect("knowledge")
}
