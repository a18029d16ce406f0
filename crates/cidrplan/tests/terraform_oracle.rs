//! `sequential` carving against Terraform's own `cidrsubnets`, the placement it replaces.
//!
//! Runs only where a `terraform` binary is on PATH (`terraform console` evaluates the
//! function offline); elsewhere it prints why and passes.

use std::io::Write;
use std::process::{Command, Stdio};

use cidrplan::{carve, CarveInput, CarveRequest, Prefix, RequestSize, Strategy};

/// Deterministic xorshift, so the cases are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Case {
    pool: Prefix,
    newbits: Vec<u8>,
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(0x5eed_c1d2_9a7e_0001);
    let mut out = vec![Case {
        pool: "10.1.0.0/16".parse().unwrap(),
        newbits: vec![4, 4, 8, 4],
    }];
    for i in 0..200 {
        let v6 = i % 3 == 2;
        let pool: Prefix = if v6 {
            let len = 32 + rng.below(64) as u8;
            Prefix::new(
                cidrplan::Family::V6,
                (0xfd00u128 << 112) & !((1u128 << (128 - len)) - 1),
                len,
            )
            .unwrap()
        } else {
            let len = 8 + rng.below(20) as u8;
            let first = (10u128 << 24) & !((1u128 << (32 - len)) - 1);
            Prefix::new(cidrplan::Family::V4, first, len).unwrap()
        };
        let room = if v6 { 24 } else { (32 - pool.len()).min(12) };
        let count = 1 + rng.below(8) as usize;
        let newbits = (0..count)
            .map(|_| 1 + rng.below(u64::from(room)) as u8)
            .collect();
        out.push(Case { pool, newbits });
    }
    out
}

fn ours(case: &Case) -> Option<Vec<String>> {
    let requests = case
        .newbits
        .iter()
        .enumerate()
        .map(|(i, nb)| CarveRequest::new(format!("s{i}"), RequestSize::Len(case.pool.len() + nb)))
        .collect();
    let result = carve(&CarveInput {
        pools: vec![case.pool],
        requests,
        reserved: vec![],
        strategy: Strategy::Sequential,
    });
    match result {
        Ok(r) => Some(r.allocations.iter().map(|a| a.prefix.to_string()).collect()),
        Err(e) => {
            assert_eq!(e.code(), "space_exhausted", "{e}");
            None
        }
    }
}

#[test]
fn sequential_matches_terraform_cidrsubnets() {
    let available = Command::new("terraform")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        eprintln!("skipped: terraform is not on PATH");
        return;
    }
    let cases = cases();
    let calls: Vec<String> = cases
        .iter()
        .map(|c| {
            let args: Vec<String> = c.newbits.iter().map(u8::to_string).collect();
            format!(
                "try(cidrsubnets(\"{}\", {}), \"error\")",
                c.pool,
                args.join(", ")
            )
        })
        .collect();
    let expression = format!("jsonencode([{}])\n", calls.join(", "));
    let mut child = Command::new("terraform")
        .arg("console")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform console starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(expression.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "terraform console failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The console prints the JSON text as an HCL string literal.
    let literal = String::from_utf8(output.stdout).unwrap();
    let json: String =
        serde_json::from_str(literal.trim()).expect("an HCL string literal is a JSON string here");
    let answers: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(answers.len(), cases.len());
    let mut compared = 0;
    for (case, answer) in cases.iter().zip(answers) {
        let theirs: Option<Vec<String>> = answer
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect());
        assert_eq!(
            ours(case),
            theirs,
            "cidrsubnets(\"{}\", {:?})",
            case.pool,
            case.newbits
        );
        compared += 1;
    }
    eprintln!("compared {compared} cases with terraform");
}
