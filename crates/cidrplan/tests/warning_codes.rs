//! `k8s::WARNING_CODES` lists exactly the codes the core's source gives its warnings, so
//! `cidrplan lint --allow` can refuse a misspelt code.

use std::path::Path;

/// Every `"snake_case"` literal that follows `code: ` or opens a warning push in the
/// planner's source.
fn emitted(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            emitted(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for marker in ["code: \"", "push(\"", "push( \"", "=> \"", "=> { \""] {
            for (at, _) in squeezed.match_indices(marker) {
                let rest = &squeezed[at + marker.len()..];
                let Some(end) = rest.find('"') else { continue };
                let word = &rest[..end];
                let snake = !word.is_empty()
                    && word.contains('_')
                    && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                if snake && !out.iter().any(|w| w == word) {
                    out.push(word.to_string());
                }
            }
        }
    }
}

#[test]
fn every_emitted_warning_code_is_listed() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/k8s");
    let mut found = Vec::new();
    emitted(&src, &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|c| !cidrplan::k8s::WARNING_CODES.contains(&c.as_str()))
        // Field names and kinds that follow `=> "` in matches, not warning codes.
        .filter(|c| !c.ends_with("_cidr") && !c.ends_with("_v6") && !c.ends_with("_subnet"))
        .filter(|c| !c.ends_with("_cidrs"))
        // The wire names of `network.cni`, not warning codes.
        .filter(|c| {
            !cidrplan::k8s::Cni::ALL
                .iter()
                .any(|cni| cni.as_str() == c.as_str())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes the source emits but WARNING_CODES lacks: {missing:?}"
    );
    for listed in cidrplan::k8s::WARNING_CODES {
        assert!(
            found.iter().any(|c| c == listed),
            "WARNING_CODES lists {listed}, which no source emits"
        );
    }
    let mut sorted = cidrplan::k8s::WARNING_CODES.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, cidrplan::k8s::WARNING_CODES);
}

/// Every code the cloud rules name in a plan (`add("code", ...)` in `k8s/cloud.rs`), so
/// `k8s::RULE_CODES` lists exactly them, sorted.
#[test]
fn every_applied_rule_code_is_listed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/k8s/cloud.rs");
    let text = std::fs::read_to_string(path).unwrap();
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found: Vec<String> = Vec::new();
    for marker in ["add( \"", "add(\""] {
        for (at, _) in squeezed.match_indices(marker) {
            let rest = &squeezed[at + marker.len()..];
            let word = &rest[..rest.find('"').unwrap()];
            if !found.iter().any(|w| w == word) {
                found.push(word.to_string());
            }
        }
    }
    // Rules that decide by refusing (errors and infeasibility reasons) name their code in
    // the message: "... (eks_service_cidr_size)" or "pods_in_node_subnet: ...".
    for listed in cidrplan::k8s::RULE_CODES {
        assert!(
            found.iter().any(|c| c == listed),
            "RULE_CODES lists {listed}, which no rule row names"
        );
    }
    for code in &found {
        assert!(
            cidrplan::k8s::RULE_CODES.contains(&code.as_str()),
            "cloud.rs names rule {code}, which RULE_CODES lacks"
        );
    }
    let mut sorted = cidrplan::k8s::RULE_CODES.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, cidrplan::k8s::RULE_CODES);
}
