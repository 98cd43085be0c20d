//! The cooperation-type model (issue 4): what the model fitted on the labelled sets
//! (corpus/knowledge/coop_model.tsv, bundled) adds, drops and leaves to the context through
//! `jindu tag`, against the same knowledge without it; its file's errors; and `jindu eval
//! tagging-model` fitting a model that `jindu tag` then uses.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{root, temp_dir};
use crate::tagger::{jindu, text_of};

/// `jindu tag --json` on `text`, with the knowledge in `knowledge` (default: the bundled one).
fn tag_json(text: &str, knowledge: Option<&Path>) -> serde_json::Value {
    let mut args = vec!["tag", "--json"];
    let dir;
    if let Some(knowledge) = knowledge {
        dir = knowledge.display().to_string();
        args.extend(["--knowledge", dir.as_str()]);
    }
    args.push("-");
    let out = jindu(&args, Some(text));
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_str(&stdout).expect("jindu tag --json prints JSON")
}

/// The model's verdict on `value`, if it reported one.
fn verdict(tagged: &serde_json::Value, value: &str) -> Option<String> {
    tagged["explanation"]["coop_model"]
        .as_array()?
        .iter()
        .find(|s| s["value"] == value)
        .and_then(|s| s["verdict"].as_str().map(str::to_string))
}

/// A copy of the bundled knowledge, with its model (fitted on the labelled sets).
fn knowledge_with_model(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for entry in fs::read_dir(root().join("corpus/knowledge")).expect("knowledge folder") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    assert!(
        dir.join("coop_model.tsv").exists(),
        "the bundled knowledge has a model"
    );
    dir
}

/// A copy of the bundled knowledge without its model: the cue rules alone.
fn knowledge_without_model(name: &str) -> PathBuf {
    let dir = knowledge_with_model(name);
    fs::remove_file(dir.join("coop_model.tsv")).expect("remove the model");
    dir
}

#[test]
fn the_model_adds_a_type_without_a_cue_and_says_which_ngrams_weighed() {
    // Alternative development told without any of its cue words (替代种植, 替代作物 …).
    let text = "中国企业在老挝北部租地种植香蕉和橡胶，帮助原罂粟种植农户转产增收。";
    let with_model = tag_json(text, Some(&knowledge_with_model("model-on")));
    assert_eq!(
        with_model["derived"]["coop_types"],
        serde_json::json!(["替代发展"])
    );
    assert_eq!(verdict(&with_model, "替代发展").as_deref(), Some("added"));
    let added = with_model["explanation"]["coop_types"]
        .as_array()
        .and_then(|types| types.iter().find(|t| t["value"] == "替代发展"))
        .expect("替代发展 explained");
    let triggers = added["triggers"].as_array().expect("triggers");
    assert!(!triggers.is_empty() && triggers.iter().all(|t| t["rule"] == "model"));
    for trigger in triggers {
        let (start, end) = (trigger["start"].as_u64(), trigger["end"].as_u64());
        let (start, end) = (start.expect("start") as usize, end.expect("end") as usize);
        let word: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(
            trigger["word"],
            word.as_str(),
            "offsets point at the n-gram"
        );
    }
    // The bundled knowledge is the same.
    assert_eq!(tag_json(text, None)["derived"], with_model["derived"]);

    // The rules alone miss it.
    let rules_only = tag_json(text, Some(&knowledge_without_model("model-off")));
    assert_eq!(rules_only["derived"]["coop_types"], serde_json::json!([]));
    assert!(rules_only["explanation"].get("coop_model").is_none());
}

#[test]
fn the_model_drops_a_type_it_finds_unlikely_and_says_why() {
    // A handover under a bilateral document is judicial assistance; the document itself
    // (合作文件, a strong cue of policy talks) is only the legal basis.
    let text = "依据双边合作文件，越方在友谊关口岸向我方移交了3名涉毒嫌犯。";
    let rules_only = tag_json(text, Some(&knowledge_without_model("drop-off")));
    assert_eq!(
        rules_only["derived"]["coop_types"],
        serde_json::json!(["禁毒战略与政策沟通", "司法协助"])
    );
    let with_model = tag_json(text, None);
    assert_eq!(
        with_model["derived"]["coop_types"],
        serde_json::json!(["司法协助"])
    );
    assert_eq!(
        verdict(&with_model, "禁毒战略与政策沟通").as_deref(),
        Some("dropped")
    );
    assert_eq!(verdict(&with_model, "司法协助").as_deref(), Some("kept"));
    let rejected = with_model["explanation"]["rejected"]
        .as_array()
        .expect("rejected");
    assert!(rejected.iter().any(|r| r["word"] == "合作文件"
        && r["reason"]
            .as_str()
            .is_some_and(|why| why.contains("under its drop threshold 0.3"))));
}

#[test]
fn the_model_does_not_add_what_the_context_ruled_out() {
    // A course on precursor control is 人员培训 only: the rules set 易制毒化学品管制 aside as
    // the course's subject, and the model, sure of it, may not put it back.
    let knowledge = knowledge_with_model("model-context");
    let course = "2014年11月，国际麻醉品管制局与UNODC在北京联合举办易制毒化学品管制培训班，为我国35名执法人员讲授前体化学品国际管制框架。";
    let tagged = tag_json(course, Some(&knowledge));
    assert_eq!(
        tagged["derived"]["coop_types"],
        serde_json::json!(["人员培训"])
    );
    assert_eq!(
        verdict(&tagged, "易制毒化学品管制").as_deref(),
        Some("blocked")
    );
    // A purely domestic text never reaches the model (the international gate is closed).
    let domestic = tag_json(
        "某市公安局联合海关开展缉毒专项行动，查获冰毒两公斤。",
        Some(&knowledge),
    );
    assert_eq!(domestic["derived"]["coop_types"], serde_json::json!([]));
    assert!(domestic["explanation"].get("coop_model").is_none());
    // Nor does a text longer than the passages it was fitted on.
    let long = format!("{}{}", course, "。".repeat(1000));
    let tagged = tag_json(&long, Some(&knowledge));
    assert!(tagged["explanation"].get("coop_model").is_none());
    assert_eq!(
        tagged["derived"]["coop_types"],
        serde_json::json!(["人员培训"])
    );
}

#[test]
fn a_malformed_model_file_is_an_error_naming_file_and_line() {
    let dir = knowledge_without_model("model-bad");
    let header = "# test\nngrams\t2\t3\nadd\t0.7\ndrop\t0.1\ntypes\t情报交流\nbias\t-1\n";
    for (body, line, message) in [
        ("情报\t1.5\n", 7, "needs an idf and 1 weights"),
        (
            "情报\t1\t2\n合作\t1\t2\t3\n",
            8,
            "needs an idf and 1 weights",
        ),
        ("情报\tx\t1\n", 7, "not a number"),
    ] {
        fs::write(dir.join("coop_model.tsv"), format!("{header}{body}")).expect("write");
        let out = jindu(
            &["tag", "--knowledge", &dir.display().to_string(), "-"],
            Some("中老两国开展情报交流。"),
        );
        let (_, stderr) = text_of(&out);
        assert_ne!(out.status.code(), Some(0));
        assert!(
            stderr.contains(&format!("coop_model.tsv:{line}:")) && stderr.contains(message),
            "{stderr}"
        );
    }
    let unknown = header.replace("types\t情报交流", "types\t走私合作");
    fs::write(dir.join("coop_model.tsv"), unknown).expect("write");
    let out = jindu(
        &["tag", "--knowledge", &dir.display().to_string(), "-"],
        Some("中老两国开展情报交流。"),
    );
    let (_, stderr) = text_of(&out);
    assert!(
        stderr.contains("coop_model.tsv:5:") && stderr.contains("走私合作"),
        "{stderr}"
    );
}

/// Small labelled sets for fitting: international training courses and intelligence
/// exchanges, and domestic texts with no type.
fn write_set(path: &Path, start: usize) {
    let mut lines = Vec::new();
    for i in start..start + 8 {
        let (text, types) = match i % 3 {
            0 => (
                format!("中方为老挝第{i}期禁毒执法人员举办研修班。"),
                vec!["人员培训"],
            ),
            1 => (
                format!("中缅双方第{i}次通报涉毒线索，共享案件信息。"),
                vec!["情报交流"],
            ),
            _ => (format!("某市第{i}次开展禁毒宣传活动。"), vec![]),
        };
        let record = serde_json::json!({
            "id": format!("s{i}"), "text": text, "countries": [], "organizations": [],
            "coop_types": types, "drug_types": [], "year": null,
        });
        lines.push(record.to_string());
    }
    fs::write(path, lines.join("\n") + "\n").expect("write set");
}

#[test]
fn jindu_eval_tagging_model_fits_a_model_that_jindu_tag_uses() {
    let dir = knowledge_without_model("model-fit");
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    write_set(&a, 0);
    write_set(&b, 8);
    let model = dir.join("coop_model.tsv");
    let (a_arg, b_arg, k_arg) = (
        a.display().to_string(),
        b.display().to_string(),
        dir.display().to_string(),
    );
    let fit_args = |extra: &[&str]| -> std::process::Output {
        let mut args = vec![
            "eval",
            "tagging-model",
            "--set",
            a_arg.as_str(),
            "--set",
            b_arg.as_str(),
            "--knowledge",
            k_arg.as_str(),
        ];
        args.extend(extra);
        jindu(&args, None)
    };
    let fit = |out: &Path| {
        let out = fit_args(&["--add", "0.6", "--out", &out.display().to_string()]);
        let (stdout, stderr) = text_of(&out);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        stdout
    };
    let stdout = fit(&model);
    assert!(stdout.contains("leave-one-set-out"), "{stdout}");
    assert!(
        stdout.contains("<- chosen") && stdout.contains("wrote"),
        "{stdout}"
    );
    let written = fs::read_to_string(&model).expect("model written");
    assert!(written.contains("\nadd\t0.6\n") && written.contains("\ntypes\t禁毒战略与政策沟通\t"));
    // Fitting is deterministic.
    let again = dir.join("again.tsv");
    fit(&again);
    assert_eq!(fs::read(&again).expect("again"), written.as_bytes());

    // jindu tag now reports the fitted model's probabilities.
    let tagged = tag_json("中方为柬埔寨禁毒执法人员举办研修班。", Some(&dir));
    let scores = tagged["explanation"]["coop_model"]
        .as_array()
        .expect("scores");
    assert!(scores.iter().any(|s| s["value"] == "人员培训"), "{tagged}");

    // --pool scores the grid over the chosen held-out sets only; a file that is no --set is
    // refused.
    let out = fit_args(&["--pool", b_arg.as_str()]);
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("1 pooled set, rules only") && !stdout.contains("all sets,"),
        "{stdout}"
    );
    let out = fit_args(&["--pool", "nowhere.jsonl"]);
    let (_, stderr) = text_of(&out);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr.contains("--pool nowhere.jsonl is not one of the --set files"),
        "{stderr}"
    );

    // A set with an unknown type is refused, naming the file and the text.
    fs::write(
        &b,
        "{\"id\":\"bad1\",\"text\":\"x\",\"coop_types\":[\"走私合作\"]}\n",
    )
    .expect("write");
    let out = fit_args(&[]);
    let (_, stderr) = text_of(&out);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr.contains("bad1") && stderr.contains("走私合作"),
        "{stderr}"
    );
}
