//! The five network models of the talk, and the request's choice among them.

use core::fmt;

/// How a cluster's pod addresses integrate with the main network.
///
/// The names and definitions are those of Tim Hockin's talk "Kubernetes and Networks:
/// why is this so dang hard?" (see `DESIGN.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum NetworkModel {
    /// Every cluster gets a unique pod range routed by the network; no NAT.
    Flat,
    /// Clusters reuse one pod range (a hole in the main network); pods leave by SNAT to
    /// their node, and the network reaches pods only through gateways.
    Island,
    /// Clusters reuse ranges and nothing crosses except explicit gateways.
    Isolated,
    /// Island inside, but each node's pod range is mapped 1:1 to a unique external range.
    Mapped,
    /// Clusters of a group are flat among themselves; each group is an island toward the
    /// main network, and groups reuse one range.
    Archipelago,
}

impl NetworkModel {
    /// Every model, in the talk's order; ties in a ranking keep this order.
    pub const ALL: [NetworkModel; 5] = [
        NetworkModel::Flat,
        NetworkModel::Island,
        NetworkModel::Isolated,
        NetworkModel::Mapped,
        NetworkModel::Archipelago,
    ];

    /// The model's wire name (`"flat"`, `"island"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            NetworkModel::Flat => "flat",
            NetworkModel::Island => "island",
            NetworkModel::Isolated => "isolated",
            NetworkModel::Mapped => "mapped",
            NetworkModel::Archipelago => "archipelago",
        }
    }

    /// One line on the model, as the CLI's `--model` help gives it.
    pub const fn summary(self) -> &'static str {
        match self {
            NetworkModel::Flat => "Unique pod ranges routed by the network, no NAT",
            NetworkModel::Island => {
                "One reused pod range; pods SNAT to their node; gateways for ingress"
            }
            NetworkModel::Isolated => "Reused ranges and no integration beyond explicit gateways",
            NetworkModel::Mapped => {
                "Island inside, each node's range mapped 1:1 to a unique external range"
            }
            NetworkModel::Archipelago => {
                "Flat inside groups of clusters, islands toward the network"
            }
        }
    }

    /// Whether clusters of this model reuse one IPv4 pod range (so it is a hole).
    pub const fn reuses_pod_range(self) -> bool {
        !matches!(self, NetworkModel::Flat)
    }
}

impl fmt::Display for NetworkModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `model` field of a request: plan with the recommended model or a named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ModelChoice {
    /// Plan with the top-ranked feasible model (the default).
    #[default]
    Auto,
    /// See [`NetworkModel::Flat`].
    Flat,
    /// See [`NetworkModel::Island`].
    Island,
    /// See [`NetworkModel::Isolated`].
    Isolated,
    /// See [`NetworkModel::Mapped`].
    Mapped,
    /// See [`NetworkModel::Archipelago`].
    Archipelago,
}

impl ModelChoice {
    /// Every choice, `auto` first, then the models in the talk's order: the names the
    /// CLI's `--model` takes.
    pub const ALL: [ModelChoice; 6] = [
        ModelChoice::Auto,
        ModelChoice::Flat,
        ModelChoice::Island,
        ModelChoice::Isolated,
        ModelChoice::Mapped,
        ModelChoice::Archipelago,
    ];

    /// The wire name: `"auto"` or the model's.
    pub const fn as_str(self) -> &'static str {
        match self.model() {
            None => "auto",
            Some(model) => model.as_str(),
        }
    }

    /// One line on the choice, as the CLI's `--model` help gives it.
    pub const fn summary(self) -> &'static str {
        match self.model() {
            None => "The top feasible recommendation",
            Some(model) => model.summary(),
        }
    }

    /// The named model, or `None` for `auto`.
    pub const fn model(self) -> Option<NetworkModel> {
        match self {
            ModelChoice::Auto => None,
            ModelChoice::Flat => Some(NetworkModel::Flat),
            ModelChoice::Island => Some(NetworkModel::Island),
            ModelChoice::Isolated => Some(NetworkModel::Isolated),
            ModelChoice::Mapped => Some(NetworkModel::Mapped),
            ModelChoice::Archipelago => Some(NetworkModel::Archipelago),
        }
    }
}

impl fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for ModelChoice {
    type Err = crate::Error;

    /// A choice by its wire name; anything else is `invalid_input` naming the choices.
    fn from_str(text: &str) -> crate::Result<Self> {
        ModelChoice::ALL
            .into_iter()
            .find(|m| m.as_str() == text)
            .ok_or_else(|| {
                let names: alloc::vec::Vec<&str> =
                    ModelChoice::ALL.iter().map(|m| m.as_str()).collect();
                crate::Error::invalid_input(
                    "model",
                    alloc::format!(
                        "{} is not one of {}",
                        crate::text::quoted(text),
                        names.join(", ")
                    ),
                )
            })
    }
}
