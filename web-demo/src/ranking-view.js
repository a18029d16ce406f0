// The recommendation: every model with its score, feasibility and reasons. Choosing a
// model asks the app to plan with it.
import { h, fill } from "./dom.js";

const signed = (n) => (n > 0 ? `+${n}` : String(n));

/**
 * @param container element to fill
 * @param ranking the core's ranking (best first)
 * @param shown the model of the plan on screen
 * @param chosen the request's model ("auto" or a model name)
 * @param onPick called with a model name, or "auto"
 */
export function renderRanking(container, ranking, shown, chosen, onPick) {
  const best = ranking.find((r) => r.feasible)?.model ?? null;
  fill(
    container,
    h("p", { class: "ranking-summary" },
      best ? ["Recommended: ", h("strong", { id: "recommended-model" }, best)] : "No model fits this network.",
      chosen && chosen !== "auto"
        ? [" · showing ", h("strong", {}, chosen), " (chosen) ", h("button", { type: "button", class: "link", onclick: () => onPick("auto") }, "back to the recommendation")]
        : null),
    h("ol", { class: "ranking", id: "ranking" },
      ranking.map((r, i) =>
        h("li", { class: `model${r.model === shown ? " shown" : ""}${r.feasible ? "" : " infeasible"}`, dataset: { model: r.model, rank: String(i + 1) } },
          h("div", { class: "model-head" },
            h("span", { class: "model-name" }, r.model),
            h("span", { class: `score ${r.score >= 0 ? "pos" : "neg"}`, title: "score" }, signed(r.score)),
            r.feasible ? null : h("span", { class: "badge bad" }, "does not fit"),
            r.model === shown
              ? h("span", { class: "badge" }, "shown below")
              : h("button", { type: "button", class: "pick", dataset: { pick: r.model }, disabled: !r.feasible, onclick: () => onPick(r.model) }, "show this plan")),
          h("ul", { class: "reasons" },
            r.reasons.map((reason) =>
              h("li", { class: `reason ${reason.effect > 0 ? "for" : reason.effect < 0 ? "against" : "fact"}` },
                h("span", { class: "effect" }, reason.effect === 0 ? "·" : signed(reason.effect)),
                " ",
                reason.text,
                " ",
                h("span", { class: "source", title: "where the criterion comes from" }, reason.source)))))),
    ),
  );
}
