//! Real `terraform show -json` output, made by Terraform itself: a configuration of
//! `aws_vpc`, `aws_vpc_ipv4_cidr_block_association` and `aws_subnet` is planned offline
//! against the AWS provider of a local filesystem mirror (fake credentials, no API
//! calls), and the plan JSON is imported. Skips, loudly, where `terraform` or the mirror
//! is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use cidrplan::import::{import, merge, Format, RangeKind};

const MIRROR_CANDIDATES: &[&str] = &["/opt/tf-plugins", "/usr/share/terraform/plugins"];

fn terraform() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("TERRAFORM").map(PathBuf::from),
        Some(PathBuf::from("/usr/local/bin/terraform")),
        Some(PathBuf::from("/usr/bin/terraform")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

fn mirror() -> Option<PathBuf> {
    let from_env = std::env::var_os("TF_PLUGIN_MIRROR").map(PathBuf::from);
    from_env
        .into_iter()
        .chain(MIRROR_CANDIDATES.iter().map(PathBuf::from))
        .find(|m| m.join("registry.terraform.io/hashicorp/aws").is_dir())
}

const CONFIG: &str = r#"
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-an-offline-plan"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
  tags       = { Name = "main" }
}

resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.41.0.0/16"
}

module "net" {
  source = "./net"
  vpc_id = aws_vpc.main.id
}
"#;

const MODULE: &str = r#"
variable "vpc_id" { type = string }

resource "aws_subnet" "a" {
  vpc_id            = var.vpc_id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "nodes-a" }
}

resource "aws_subnet" "b" {
  count      = 2
  vpc_id     = var.vpc_id
  cidr_block = cidrsubnet("10.41.0.0/16", 4, count.index)
}
"#;

fn run(terraform: &Path, dir: &Path, cli_config: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(terraform)
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("terraform runs");
    assert!(
        out.status.success(),
        "terraform {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_real_terraform_plan_imports_its_cidrs() {
    let (Some(terraform), Some(mirror)) = (terraform(), mirror()) else {
        eprintln!(
            "\n*** SKIPPED: terraform or the hashicorp/aws filesystem mirror is absent; \
             the real Terraform import test did not run ***\n"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("cidrplan-tf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("net")).unwrap();
    std::fs::write(dir.join("main.tf"), CONFIG).unwrap();
    std::fs::write(dir.join("net/main.tf"), MODULE).unwrap();
    let cli_config = dir.join("cli.tfrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/hashicorp/*\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/hashicorp/*\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    run(
        &terraform,
        &dir,
        &cli_config,
        &["init", "-input=false", "-no-color"],
    );
    run(
        &terraform,
        &dir,
        &cli_config,
        &[
            "plan",
            "-input=false",
            "-no-color",
            "-refresh=false",
            "-out=tfplan",
        ],
    );
    let shown = run(&terraform, &dir, &cli_config, &["show", "-json", "tfplan"]);
    let text = String::from_utf8(shown.stdout).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let inv = import(None, &text, "tfplan.json").unwrap();
    assert_eq!(inv.format, Format::Terraform);
    let mut got: Vec<(String, RangeKind, String)> = inv
        .ranges
        .iter()
        .map(|r| (r.cidr.to_string(), r.kind, r.name.clone()))
        .collect();
    got.sort();
    let want = [
        ("10.40.0.0/16", RangeKind::Network, "main"),
        ("10.40.1.0/24", RangeKind::Subnet, "nodes-a"),
        (
            "10.41.0.0/16",
            RangeKind::Network,
            "aws_vpc_ipv4_cidr_block_association.extra",
        ),
        (
            "10.41.0.0/20",
            RangeKind::Subnet,
            "module.net.aws_subnet.b[0]",
        ),
        (
            "10.41.16.0/20",
            RangeKind::Subnet,
            "module.net.aws_subnet.b[1]",
        ),
    ];
    let want: Vec<(String, RangeKind, String)> = want
        .iter()
        .map(|(c, k, n)| (c.to_string(), *k, n.to_string()))
        .collect();
    assert_eq!(got, want, "skipped: {:?}", inv.skipped);
    let frag = merge(&[inv]);
    let pools: Vec<String> = frag.network.pools.iter().map(|p| p.to_string()).collect();
    assert_eq!(pools, ["10.40.0.0/15"]);
    assert_eq!(frag.network.allocations.len(), 3);
    assert!(frag.overlaps.is_empty());
}
