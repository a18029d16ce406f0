//! Every `$ cidrplan ...` example in a subcommand's `--help` that needs no file of the
//! reader's and no root runs, exits 0 or 1 (1 is "findings" for overlaps and lint), and
//! prints the lines the help shows under it (a line ending in `...` is matched up to the
//! dots; whitespace runs count as one space, as tables align to their widest cell).
//! The examples that read a file (`network.yaml`, `plan.json`), write one (`>`), pipe to
//! another program or need root are listed and skipped: doc_examples.rs runs the docs' ones.

use std::path::Path;
use std::process::Command;

/// The built binary's directory, first on PATH, so `printf ... | cidrplan` finds it.
fn path_with_binary() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_cidrplan"))
        .parent()
        .expect("binary's directory");
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn help_of(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cidrplan"))
        .args(args)
        .arg("--help")
        .env("NO_COLOR", "1")
        .output()
        .expect("cidrplan runs");
    assert!(out.status.success(), "cidrplan {args:?} --help failed");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The subcommands `cidrplan --help` lists (the hidden ones are not listed).
fn subcommands() -> Vec<String> {
    let help = help_of(&[]);
    let section = help.split("Commands:").nth(1).expect("a Commands: section");
    section
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        // A name sits two spaces in; deeper lines continue the previous description.
        .filter(|line| !line[2..].starts_with(' '))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// One `$ ...` example of a help text and the output lines shown under it.
struct Example {
    command: String,
    shown: Vec<String>,
}

fn examples_in(help: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_example = false;
    for line in help.lines() {
        if let Some(command) = line.strip_prefix("  $ ") {
            out.push(Example {
                command: command.to_owned(),
                shown: Vec::new(),
            });
            in_example = true;
        } else if in_example && line.starts_with("  ") && !line.trim().is_empty() {
            out.last_mut()
                .expect("an example")
                .shown
                .push(line.trim().to_owned());
        } else {
            in_example = false;
        }
    }
    out
}

/// Why an example cannot run here as it stands, if it cannot.
fn skip_reason(command: &str) -> Option<&'static str> {
    let code = command.split(" #").next().unwrap_or(command);
    if code.contains("sudo") {
        return Some("needs root");
    }
    if code.contains('>') {
        return Some("writes a file");
    }
    if code.contains("&&")
        || code
            .split('|')
            .skip(1)
            .any(|p| !p.trim_start().starts_with("cidrplan"))
    {
        return Some("pipes to another program");
    }
    let reads_file = code.split_whitespace().any(|word| {
        [".yaml", ".yml", ".json", ".toml", ".txt", ".csv"]
            .iter()
            .any(|ext| word.ends_with(ext))
    });
    if reads_file {
        return Some("reads the reader's file");
    }
    None
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_runnable_help_example_prints_what_the_help_shows() {
    let path = path_with_binary();
    let mut ran = 0;
    let mut skipped = Vec::new();
    for sub in subcommands() {
        for example in examples_in(&help_of(&[&sub])) {
            if let Some(why) = skip_reason(&example.command) {
                skipped.push(format!("{sub}: {} ({why})", example.command));
                continue;
            }
            let out = Command::new("sh")
                .arg("-c")
                .arg(&example.command)
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .expect("sh runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "`cidrplan {sub} --help` example `{}` exited {code:?}: {}",
                example.command,
                String::from_utf8_lossy(&out.stderr)
            );
            let printed: Vec<String> = stdout.lines().map(collapsed).collect();
            for shown in &example.shown {
                let expected = collapsed(shown.trim_end_matches("...").trim_end());
                if expected.is_empty() {
                    continue;
                }
                assert!(
                    printed.iter().any(|line| line.starts_with(&expected)),
                    "`cidrplan {sub} --help` shows `{shown}` under `{}`, which printed:\n{stdout}",
                    example.command
                );
            }
            ran += 1;
        }
    }
    eprintln!(
        "help examples: {ran} ran; {} skipped:\n  {}",
        skipped.len(),
        skipped.join("\n  ")
    );
    assert!(ran >= 6, "only {ran} help examples ran");
}
