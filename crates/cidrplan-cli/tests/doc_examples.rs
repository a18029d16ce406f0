//! The documentation as a newcomer meets it: every relative link of the README and the
//! docs leads to a file in the repository, and every `cidrplan` example in a console or
//! sh block runs and prints what the page shows.
//!
//! Conventions the pages follow (so the examples can run): in a ```console block, `$ CMD`
//! lines are commands and the lines after them, up to the next `$`, are their output (a
//! last line `...` means "and more"); an indented `# ...` line continues the comment of
//! the command above. `$ cat FILE` with output defines FILE for the commands after it; a
//! fenced block whose info string says `file=NAME` (```` ```yaml file=request.yaml ````)
//! defines NAME for every example of its page. A command naming a file no page defines,
//! or needing root, is left out and listed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The pages checked: the README, docs/ and the surfaces' READMEs.
fn pages() -> Vec<PathBuf> {
    let root = repo();
    let mut out = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    for extra in [
        "web-demo/README.md",
        "bindings/wasm/README.md",
        "bindings/python/README.md",
        "tests/clients/README.md",
    ] {
        let p = root.join(extra);
        if p.exists() {
            out.push(p);
        }
    }
    out
}

/// One fenced block: its info string and its lines.
struct Block {
    info: String,
    lines: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => {
                    current = Some(Block {
                        info: rest.trim().to_string(),
                        lines: Vec::new(),
                    })
                }
            }
        } else if let Some(block) = current.as_mut() {
            block.lines.push(line.to_string());
        }
    }
    out
}

/// Relative link targets of a Markdown page: `](target)`, without an anchor.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or("").trim();
        // Code such as `filters()[name](...)` is no link.
        let is_path = !target.is_empty() && !target.contains(' ') && target != "...";
        if is_path && !target.contains("://") && !target.starts_with("mailto:") {
            out.push(target.to_string());
        }
    }
    out
}

#[test]
fn every_relative_link_leads_to_a_file_in_the_repository() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("page readable");
        let dir = page.parent().expect("page in a directory");
        for target in links(&text) {
            if !dir.join(&target).exists() {
                broken.push(format!("{} -> {target}", page.display()));
            }
        }
        // A file readers cannot open is no reference: the product brief is not in the repo.
        if text.contains("DESIGN.md") {
            broken.push(format!(
                "{} names DESIGN.md, which is not in the repository",
                page.display()
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "broken references:\n{}",
        broken.join("\n")
    );
}

/// A command of a console block and the output the page shows for it.
struct Example {
    page: String,
    command: String,
    shown: Vec<String>,
}

/// The command without its trailing comment (`cmd   # what it does`).
fn strip_comment(command: &str) -> String {
    match command.find("  #") {
        Some(at) => command[..at].trim_end().to_string(),
        None => command.trim_end().to_string(),
    }
}

fn examples(page: &Path, files: &mut BTreeMap<String, String>) -> Vec<Example> {
    let text = std::fs::read_to_string(page).expect("page readable");
    let name = page
        .strip_prefix(repo())
        .unwrap_or(page)
        .display()
        .to_string();
    let mut out = Vec::new();
    for block in blocks(&text) {
        if let Some(file) = block
            .info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            files.insert(file.to_string(), block.lines.join("\n") + "\n");
        }
        let lang = block.info.split_whitespace().next().unwrap_or("");
        match lang {
            "console" => {
                let mut current: Option<Example> = None;
                for line in &block.lines {
                    if let Some(cmd) = line.strip_prefix("$ ") {
                        out.extend(current.take());
                        current = Some(Example {
                            page: name.clone(),
                            command: strip_comment(cmd),
                            shown: Vec::new(),
                        });
                    } else if line.trim_start().starts_with('#') && line.starts_with("  ") {
                        // the comment of the command above, continued
                    } else if let Some(ex) = current.as_mut() {
                        ex.shown.push(line.trim_end().to_string());
                    }
                }
                out.extend(current.take());
            }
            "sh" | "bash" | "shell" => {
                for line in &block.lines {
                    let cmd = strip_comment(line.trim());
                    if let Some(rest) = cmd.strip_prefix("cargo run -p cidrplan-cli -- ") {
                        out.push(Example {
                            page: name.clone(),
                            command: format!("cidrplan {rest}"),
                            shown: Vec::new(),
                        });
                    } else if cmd.starts_with("cidrplan ") {
                        out.push(Example {
                            page: name.clone(),
                            command: cmd,
                            shown: Vec::new(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for ex in &mut out {
        while ex.shown.last().is_some_and(|l| l.is_empty()) {
            ex.shown.pop();
        }
    }
    out
}

/// Files a command reads: words that look like file names (not options, not the output of `>`).
fn files_named(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_redirect = false;
    for word in command.split_whitespace() {
        if word == ">" {
            after_redirect = true;
            continue;
        }
        let looks_like_file = [".json", ".yaml", ".yml", ".toml", ".txt"]
            .iter()
            .any(|ext| word.ends_with(ext));
        if looks_like_file && !after_redirect && !word.starts_with('-') && !word.contains('\'') {
            out.push(word.to_string());
        }
        after_redirect = false;
    }
    out
}

#[test]
fn every_cidrplan_example_runs_and_prints_what_the_page_shows() {
    let bin = assert_cmd::cargo::cargo_bin("cidrplan");
    let bin_dir = bin.parent().expect("binary in a directory").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = Vec::new();
    let mut left_out = Vec::new();
    let mut failures = Vec::new();
    for page in pages() {
        let mut files = BTreeMap::new();
        let list = examples(&page, &mut files);
        let dir = std::env::temp_dir().join(format!(
            "cidrplan-doc-{}-{}",
            std::process::id(),
            page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        for (name, body) in &files {
            std::fs::write(dir.join(name), body).expect("file written");
        }
        for ex in list {
            let cmd = ex.command.trim();
            if let Some(file) = cmd.strip_prefix("cat ") {
                // `$ cat FILE` shows the file: it defines it for what follows.
                if !ex.shown.is_empty() {
                    std::fs::write(dir.join(file.trim()), ex.shown.join("\n") + "\n")
                        .expect("file written");
                }
                continue;
            }
            let runs_cidrplan = cmd.starts_with("cidrplan ")
                || cmd == "cidrplan"
                || (cmd.starts_with("printf ") && cmd.contains("| cidrplan"));
            if !runs_cidrplan || cmd.contains("sudo ") {
                left_out.push(format!(
                    "{}: {cmd} (not a cidrplan command run as a user)",
                    ex.page
                ));
                continue;
            }
            let missing: Vec<String> = files_named(cmd)
                .into_iter()
                .filter(|f| !dir.join(f).exists())
                .collect();
            if !missing.is_empty() {
                left_out.push(format!(
                    "{}: {cmd} (no page defines {})",
                    ex.page,
                    missing.join(", ")
                ));
                continue;
            }
            let output = Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .current_dir(&dir)
                .env("PATH", &path)
                .output()
                .expect("sh runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let got: Vec<&str> = stdout.lines().map(str::trim_end).collect();
            ran.push(format!("{}: {cmd}", ex.page));
            if ex.shown.is_empty() {
                if !output.status.success() {
                    failures.push(format!(
                        "{}: `{cmd}` exited {:?}: {}",
                        ex.page,
                        output.status.code(),
                        String::from_utf8_lossy(&output.stderr)
                    ));
                }
                continue;
            }
            let (expected, prefix_only) = match ex.shown.last().map(String::as_str) {
                Some("...") => (&ex.shown[..ex.shown.len() - 1], true),
                _ => (&ex.shown[..], false),
            };
            let matches = if prefix_only {
                got.len() >= expected.len() && got[..expected.len()] == *expected
            } else {
                got == *expected
            };
            if !matches {
                failures.push(format!(
                    "{}: `{cmd}` printed\n{}\nbut the page shows\n{}",
                    ex.page,
                    got.join("\n"),
                    expected.join("\n")
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("ran {} examples:\n  {}", ran.len(), ran.join("\n  "));
    eprintln!("left out {}:\n  {}", left_out.len(), left_out.join("\n  "));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran.len() >= 8, "the pages' examples ran ({})", ran.len());
}
