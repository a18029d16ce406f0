//! Removing everything a run created: its echo servers and its namespaces (which take
//! their veth pairs, addresses, routes and nftables rules with them). Runs when the guard
//! is dropped (success, mismatch, error, panic) and from the SIGINT/SIGTERM/SIGHUP handler.
//!
//! Creation steps hold the registry lock while they run, so the handler never tears down
//! in the middle of one; names are registered before they are created, and the sweep also
//! deletes any namespace carrying this run's id.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};

/// What a run has created so far.
#[derive(Debug)]
pub(crate) struct Registry {
    run_id: String,
    namespaces: Vec<String>,
    servers: Vec<Child>,
    finished: bool,
}

impl Registry {
    /// Records namespaces about to be created.
    pub(crate) fn add_namespaces(&mut self, names: impl IntoIterator<Item = String>) {
        self.namespaces.extend(names);
    }

    /// Records a running echo server.
    pub(crate) fn add_server(&mut self, child: Child) {
        self.servers.push(child);
    }
}

/// Owns the teardown of one run.
pub(crate) struct Guard {
    shared: Arc<Mutex<Registry>>,
}

impl Guard {
    /// A guard for `run_id`; installs the signal handler (once per process).
    pub(crate) fn new(run_id: &str) -> Guard {
        let shared = Arc::new(Mutex::new(Registry {
            run_id: run_id.to_string(),
            namespaces: Vec::new(),
            servers: Vec::new(),
            finished: false,
        }));
        let for_signal = Arc::clone(&shared);
        // An error means a handler is already installed (a second run in one process);
        // the Drop guard still cleans up.
        let _ = ctrlc::set_handler(move || {
            let mut registry = lock(&for_signal);
            let run_id = registry.run_id.clone();
            let leftovers = teardown(&mut registry);
            eprintln!(
                "cidrplan: verify interrupted; removed the replica {run_id}{}",
                if leftovers.is_empty() {
                    String::new()
                } else {
                    format!(" (left: {})", leftovers.join(", "))
                }
            );
            std::process::exit(130);
        });
        Guard { shared }
    }

    /// The registry, locked: hold it while creating anything.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Registry> {
        lock(&self.shared)
    }

    /// Tears the replica down now; returns what could not be removed.
    pub(crate) fn teardown(&self) -> Vec<String> {
        teardown(&mut self.lock())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let leftovers = self.teardown();
        if !leftovers.is_empty() {
            eprintln!(
                "cidrplan: could not remove namespaces {}",
                leftovers.join(", ")
            );
        }
    }
}

fn lock(shared: &Mutex<Registry>) -> MutexGuard<'_, Registry> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Namespaces whose name starts with `prefix`, as `ip netns list` shows them.
pub(crate) fn namespaces_with_prefix(prefix: &str) -> Vec<String> {
    let Ok(output) = Command::new("ip")
        .args(["netns", "list"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| name.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

fn teardown(registry: &mut Registry) -> Vec<String> {
    if registry.finished {
        return Vec::new();
    }
    for child in &mut registry.servers {
        let _ = child.kill();
        let _ = child.wait();
    }
    registry.servers.clear();
    let prefix = format!("{}-", registry.run_id);
    let mut names: Vec<String> = registry.namespaces.drain(..).collect();
    for name in namespaces_with_prefix(&prefix) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // Only names of this run are ever deleted.
    names.retain(|n| n.starts_with(&prefix));
    if !names.is_empty() {
        let script: String = names.iter().map(|n| format!("netns del {n}\n")).collect();
        let _ = super::system::run_input("ip", &["-force", "-batch", "-"], &script);
    }
    registry.finished = true;
    namespaces_with_prefix(&prefix)
}
