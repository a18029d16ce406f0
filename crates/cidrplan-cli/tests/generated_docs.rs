//! Shell completions and man pages, generated from the clap definition by the binary
//! itself, as the release script and users run it.

use assert_cmd::Command;

fn cidrplan() -> Command {
    Command::cargo_bin("cidrplan").expect("binary built")
}

#[test]
fn completions_cover_every_visible_subcommand_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = cidrplan()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let script = String::from_utf8(out).expect("UTF-8 script");
        for sub in ["plan", "recommend", "lint", "overlaps", "carve", "verify"] {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
}

#[test]
fn an_unknown_shell_is_bad_usage() {
    cidrplan().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_pages_are_written_for_the_command_and_each_subcommand() {
    let dir = std::env::temp_dir().join(format!("cidrplan-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    cidrplan().arg("__man-pages").arg(&dir).assert().success();
    let main = std::fs::read_to_string(dir.join("cidrplan.1")).expect("cidrplan.1 written");
    assert!(
        main.starts_with(".ie") || main.contains(".TH cidrplan 1"),
        "{main}"
    );
    let carve = std::fs::read_to_string(dir.join("cidrplan-carve.1")).expect("carve page");
    assert!(
        carve.contains("strategy"),
        "the carve page names its options"
    );
    assert!(!dir.join("cidrplan-__verify-helper.1").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
