//! The documentation as a newcomer meets it: every relative link of the README and the
//! docs leads to a file in the repository, and every command of a console or sh block runs
//! and prints what the page shows.
//!
//! Conventions the pages follow (so the examples can run): in a ```console block, `$ CMD`
//! lines are commands and the lines after them, up to the next `$`, are their output (a
//! last line `...` means "and more"); an indented `# ...` line continues the comment of
//! the command above. In a ```sh block every line is a command (`cargo run -p cidrplan-cli
//! --` stands for `cidrplan`). `$ cat FILE` with output defines FILE for the commands after
//! it; a fenced block whose info string says `file=NAME` (```` ```yaml file=request.yaml ````)
//! defines NAME for every example of its page.
//!
//! Which test runs what: this one runs the shell commands; commands that run Python
//! (`python -m cidrplan...`, `ansible-doc`) and the ```python and ```hcl blocks are run by
//! `bindings/python/tests/test_doc_examples.py` (the Python suite, which builds the module);
//! ```js and ```ts blocks by `bindings/wasm/test/doc-examples.test.mjs` (the wasm suite).
//! An example is left out only by a marker on the lines right before its fence, with a
//! reason: `<!-- example: skip: REASON -->` leaves out the whole block, `<!-- example: skip
//! `PREFIX`: REASON -->` the block's commands that start with PREFIX. A command neither run
//! nor marked fails the test, and so does a marker that leaves nothing out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Markdown files in `dir` (not recursive), sorted.
fn markdown_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("readable entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The pages checked: the README, docs/*.md, bindings/*/README.md, the web demo's and the
/// clients' READMEs. Found by listing, so a new page is checked without an edit here.
fn pages() -> Vec<PathBuf> {
    let root = repo();
    let mut out = vec![root.join("README.md")];
    out.extend(markdown_in(&root.join("docs")));
    let mut bindings: Vec<PathBuf> = std::fs::read_dir(root.join("bindings"))
        .expect("bindings/ exists")
        .map(|e| e.expect("readable entry").path().join("README.md"))
        .filter(|p| p.exists())
        .collect();
    bindings.sort();
    out.extend(bindings);
    for extra in ["web-demo/README.md", "tests/clients/README.md"] {
        let p = root.join(extra);
        if p.exists() {
            out.push(p);
        }
    }
    out
}

/// A marker leaving examples out: `<!-- example: skip: REASON -->` (the whole block) or
/// `<!-- example: skip `PREFIX`: REASON -->` (the commands starting with PREFIX).
struct Skip {
    prefix: Option<String>,
    reason: String,
}

/// Reads a marker line; `Err` for a line that starts like one but is malformed.
fn skip_marker(line: &str) -> Option<Result<Skip, String>> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let rest = inner.strip_prefix("example:")?.trim();
    let Some(rest) = rest.strip_prefix("skip") else {
        return Some(Err(format!("unknown example marker `{line}`")));
    };
    let rest = rest.trim_start();
    let (prefix, rest) = match rest.strip_prefix('`') {
        Some(quoted) => match quoted.split_once('`') {
            Some((prefix, rest)) => (Some(prefix.to_string()), rest),
            None => return Some(Err(format!("unclosed `PREFIX` in `{line}`"))),
        },
        None => (None, rest),
    };
    let reason = rest.trim_start().strip_prefix(':').unwrap_or("").trim();
    if reason.is_empty() {
        return Some(Err(format!("marker without a reason: `{line}`")));
    }
    Some(Ok(Skip {
        prefix,
        reason: reason.to_string(),
    }))
}

/// One fenced block: its info string, its lines (without the fence's indentation) and the
/// markers right before it.
struct Block {
    info: String,
    lines: Vec<String>,
    skips: Vec<Skip>,
}

impl Block {
    fn lang(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }
}

/// The fenced blocks of a page; `bad` collects malformed markers.
fn blocks(text: &str, bad: &mut Vec<String>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(usize, Block)> = None;
    let mut pending: Vec<Skip> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix("```") {
            match current.take() {
                Some((_, block)) => out.push(block),
                None => {
                    current = Some((
                        indent,
                        Block {
                            info: rest.trim().to_string(),
                            lines: Vec::new(),
                            skips: std::mem::take(&mut pending),
                        },
                    ))
                }
            }
        } else if let Some((indent, block)) = current.as_mut() {
            let cut = line
                .char_indices()
                .take_while(|(i, c)| *i < *indent && *c == ' ')
                .count();
            block.lines.push(line[cut..].to_string());
        } else {
            match skip_marker(line) {
                Some(Ok(skip)) => pending.push(skip),
                Some(Err(e)) => bad.push(e),
                None => {
                    if !pending.is_empty() {
                        bad.push(format!(
                            "an example marker is not right before a fence: `{line}` follows it"
                        ));
                        pending.clear();
                    }
                }
            }
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

/// A command of a console or sh block and the output the page shows for it.
struct Example {
    command: String,
    shown: Vec<String>,
    /// The block's index in the page and the marker that leaves the command out.
    block: usize,
    skip: Option<usize>,
}

/// The command without its trailing comment (`cmd   # what it does`).
fn strip_comment(command: &str) -> String {
    match command.find("  #") {
        Some(at) => command[..at].trim_end().to_string(),
        None => command.trim_end().to_string(),
    }
}

/// The commands of a page's console and sh blocks; `files` receives the `file=NAME` blocks.
fn examples(blocks: &[Block], files: &mut BTreeMap<String, String>) -> Vec<Example> {
    let mut out = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if let Some(file) = block
            .info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            files.insert(file.to_string(), block.lines.join("\n") + "\n");
        }
        let push = |command: String, shown: Vec<String>, out: &mut Vec<Example>| {
            let skip = block
                .skips
                .iter()
                .position(|s| s.prefix.as_deref().is_none_or(|p| command.starts_with(p)));
            out.push(Example {
                command,
                shown,
                block: index,
                skip,
            });
        };
        match block.lang() {
            "console" => {
                let mut current: Option<(String, Vec<String>)> = None;
                for line in &block.lines {
                    if let Some(cmd) = line.strip_prefix("$ ") {
                        if let Some((c, s)) = current.take() {
                            push(c, s, &mut out);
                        }
                        current = Some((strip_comment(cmd), Vec::new()));
                    } else if line.trim_start().starts_with('#') && line.starts_with("  ") {
                        // the comment of the command above, continued
                    } else if let Some((_, shown)) = current.as_mut() {
                        shown.push(line.trim_end().to_string());
                    }
                }
                if let Some((c, s)) = current.take() {
                    push(c, s, &mut out);
                }
            }
            "sh" | "bash" | "shell" => {
                for line in &block.lines {
                    let cmd = strip_comment(line.trim());
                    if cmd.is_empty() || cmd.starts_with('#') {
                        continue;
                    }
                    let cmd = match cmd.strip_prefix("cargo run -p cidrplan-cli -- ") {
                        Some(rest) => format!("cidrplan {rest}"),
                        None => cmd,
                    };
                    push(cmd, Vec::new(), &mut out);
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

/// Commands the Python suite runs (it has the module and, where installed, Ansible).
fn for_python_suite(command: &str) -> bool {
    command
        .split_whitespace()
        .any(|w| matches!(w, "python" | "python3" | "ansible-doc"))
}

/// The programs a command runs (the first word of each pipeline stage).
fn programs(command: &str) -> Vec<&str> {
    command
        .split(['|', ';'])
        .flat_map(|stage| stage.split("&&"))
        .filter_map(|stage| stage.split_whitespace().next())
        .collect()
}

fn on_path(program: &str, path: &str) -> bool {
    std::env::split_paths(path).any(|dir| dir.join(program).is_file())
}

/// What happened to a page's examples.
#[derive(Default)]
struct Tally {
    ran: usize,
    excluded: Vec<String>,
    python_suite: usize,
    other_blocks: BTreeMap<String, usize>,
}

#[test]
fn every_example_command_runs_and_prints_what_the_page_shows() {
    let bin = assert_cmd::cargo::cargo_bin("cidrplan");
    let bin_dir = bin.parent().expect("binary in a directory").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    let mut ran_total = 0;
    for page in pages() {
        let name = page
            .strip_prefix(repo())
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&page).expect("page readable");
        let mut bad = Vec::new();
        let page_blocks = blocks(&text, &mut bad);
        failures.extend(bad.into_iter().map(|b| format!("{name}: {b}")));
        let mut tally = Tally::default();
        let mut used: Vec<(usize, usize)> = Vec::new();
        for (index, block) in page_blocks.iter().enumerate() {
            let marker = block.skips.iter().position(|s| s.prefix.is_none());
            match block.lang() {
                "python" | "hcl" | "terraform" | "js" | "mjs" | "cjs" | "ts" => {
                    *tally
                        .other_blocks
                        .entry(block.lang().to_string())
                        .or_default() += 1;
                }
                "yaml" | "yml"
                    if block.lines.iter().any(|l| {
                        l.trim_start()
                            .trim_start_matches("- ")
                            .starts_with("hosts:")
                    }) =>
                {
                    *tally
                        .other_blocks
                        .entry("playbook".to_string())
                        .or_default() += 1;
                }
                // The README's Rust blocks are the cidrplan crate's doctests (`ReadmeDoctests`).
                "rust" if name == "README.md" => {
                    *tally.other_blocks.entry("rust".to_string()).or_default() += 1;
                }
                "rust" => match marker {
                    Some(k) => {
                        tally
                            .excluded
                            .push(format!("rust block ({})", block.skips[k].reason));
                        used.push((index, k));
                    }
                    None => failures.push(format!(
                        "{name}: a rust block no test compiles: make it one of the crate's \
                         doctests or mark it"
                    )),
                },
                _ => {}
            }
        }
        let mut files = BTreeMap::new();
        let list = examples(&page_blocks, &mut files);
        let dir = std::env::temp_dir().join(format!(
            "cidrplan-doc-{}-{}",
            std::process::id(),
            name.replace('/', "-")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        for (file, body) in &files {
            std::fs::write(dir.join(file), body).expect("file written");
        }
        for ex in list {
            let cmd = ex.command.trim();
            if let Some(skip) = ex.skip {
                used.push((ex.block, skip));
                let reason = &page_blocks[ex.block].skips[skip].reason;
                tally.excluded.push(format!("{cmd} ({reason})"));
                continue;
            }
            if let Some(file) = cmd.strip_prefix("cat ") {
                // `$ cat FILE` shows the file: it defines it for what follows.
                if !ex.shown.is_empty() {
                    std::fs::write(dir.join(file.trim()), ex.shown.join("\n") + "\n")
                        .expect("file written");
                    continue;
                }
            }
            if for_python_suite(cmd) {
                tally.python_suite += 1;
                continue;
            }
            let missing: Vec<String> = files_named(cmd)
                .into_iter()
                .filter(|f| !dir.join(f).exists())
                .collect();
            if !missing.is_empty() {
                failures.push(format!(
                    "{name}: `{cmd}` reads {}, which no page defines (a `file=NAME` block or \
                     `$ cat NAME` with its text), and no marker leaves it out",
                    missing.join(", ")
                ));
                continue;
            }
            let absent: Vec<&str> = programs(cmd)
                .into_iter()
                .filter(|p| *p != "cidrplan" && !p.contains('/') && !on_path(p, &path))
                .filter(|p| !matches!(*p, "printf" | "echo" | "cat" | "cd" | "test"))
                .collect();
            if !absent.is_empty() {
                eprintln!(
                    "SKIPPED {name}: `{cmd}`: {} not installed here",
                    absent.join(", ")
                );
                tally
                    .excluded
                    .push(format!("{cmd} ({} not installed)", absent.join(", ")));
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
            tally.ran += 1;
            ran_total += 1;
            if ex.shown.is_empty() {
                if !output.status.success() {
                    failures.push(format!(
                        "{name}: `{cmd}` exited {:?}: {}",
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
                    "{name}: `{cmd}` printed\n{}\nbut the page shows\n{}",
                    got.join("\n"),
                    expected.join("\n")
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        // A marker on a command block must leave something out (a stale one hides nothing).
        for (index, block) in page_blocks.iter().enumerate() {
            if !matches!(block.lang(), "console" | "sh" | "bash" | "shell" | "rust") {
                continue;
            }
            for (k, skip) in block.skips.iter().enumerate() {
                if !used.contains(&(index, k)) {
                    failures.push(format!(
                        "{name}: the marker `{}` ({}) leaves out nothing",
                        skip.prefix.as_deref().unwrap_or("(block)"),
                        skip.reason
                    ));
                }
            }
        }
        tallies.push((name, tally));
    }
    eprintln!("examples per page (shell commands run here; the others by the suite named):");
    for (name, t) in &tallies {
        let others: Vec<String> = t
            .other_blocks
            .iter()
            .map(|(lang, n)| {
                let suite = match lang.as_str() {
                    "python" | "hcl" | "terraform" | "playbook" => "python suite",
                    "rust" => "cidrplan's doctests",
                    _ => "wasm suite",
                };
                format!("{n} {lang} block(s) ({suite})")
            })
            .collect();
        eprintln!(
            "  {name}: ran {}, excluded {}, {} for the python suite{}{}",
            t.ran,
            t.excluded.len(),
            t.python_suite,
            if others.is_empty() { "" } else { "; " },
            others.join(", ")
        );
        for e in &t.excluded {
            eprintln!("      excluded: {e}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran_total >= 15, "the pages' examples ran ({ran_total})");
}
