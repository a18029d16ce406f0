// The recommendation, answer first: the recommended model in one plain sentence with its
// strongest reasons (each marked: what the user said, the example's value, assumed or
// measured), then every model with its score, its sentence and, folded, all its reasons.
// Choosing a model asks the app to plan with it.
import { h, fill } from "./dom.js";
import { MODEL_TEXT, reasonOrigin } from "./model-text.js";

const signed = (n) => (n > 0 ? `+${n}` : String(n));
const TOP_REASONS = 3;

function reasonItem(reason, origin) {
  const o = origin(reason);
  return h("li", { class: `reason ${reason.effect > 0 ? "for" : reason.effect < 0 ? "against" : "fact"}`, dataset: { origin: o.id } },
    h("span", { class: "effect" }, reason.effect === 0 ? "·" : signed(reason.effect)),
    h("span", { class: "reason-text" }, reason.text, " ", h("span", { class: `origin origin-${o.id}` }, o.text)));
}

/** The reasons that weigh most, strongest first (ties keep the core's order). */
export function topReasons(reasons, n = TOP_REASONS) {
  return reasons
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.effect !== 0)
    .sort((a, b) => Math.abs(b.r.effect) - Math.abs(a.r.effect) || a.i - b.i)
    .slice(0, n)
    .map(({ r }) => r);
}

/**
 * @param container element to fill
 * @param ranking the core's ranking (best first)
 * @param shown the model of the plan on screen
 * @param chosen the request's model ("auto" or a model name)
 * @param onPick called with a model name, or "auto"
 * @param origin (reason) => {id, text}: where the reason's criterion came from
 * @param failure a sentence saying why no plan fits (or null)
 */
export function renderRanking(container, ranking, shown, chosen, onPick, origin = (r) => reasonOrigin(r), failure = null) {
  const best = ranking.find((r) => r.feasible) ?? null;
  const assumed = best ? best.reasons.filter((r) => origin(r).id !== "stated" && origin(r).id !== "measured" && origin(r).id !== "derived" && r.effect !== 0).length : 0;
  fill(
    container,
    h("div", { class: "answer-head" },
      best
        ? h("p", { class: "ranking-summary" }, "Recommended: ", h("strong", { id: "recommended-model", class: "model-name" }, best.model),
          h("span", { class: `score ${best.score >= 0 ? "pos" : "neg"}`, title: "score" }, signed(best.score)))
        : h("p", { class: "ranking-summary" }, h("strong", {}, "No model fits this network.")),
      best ? h("p", { class: "model-text", id: "recommended-text" }, MODEL_TEXT[best.model] ?? "") : null,
      failure ? h("p", { class: "failure", id: "plan-failure" }, failure) : null,
      best ? h("ul", { class: "reasons top-reasons", id: "top-reasons", "aria-label": "strongest reasons" }, topReasons(best.reasons).map((r) => reasonItem(r, origin))) : null,
      assumed ? h("p", { class: "note assumed-note", id: "assumed-note" }, `${assumed} of ${best.model}'s ${best.reasons.length} reasons rest on requirement values you have not stated (marked "the example's" or "assumed"). State yours under Requirements to be sure.`) : null,
      chosen && chosen !== "auto"
        ? h("p", {}, "Showing ", h("strong", {}, chosen), " (chosen). ", h("button", { type: "button", class: "link", onclick: () => onPick("auto") }, "Back to the recommendation"))
        : null),
    h("h3", { class: "models-title" }, "All five models"),
    h("ol", { class: "ranking", id: "ranking" },
      ranking.map((r, i) =>
        h("li", { class: `model${r.model === shown ? " shown" : ""}${r.feasible ? "" : " infeasible"}`, dataset: { model: r.model, rank: String(i + 1) } },
          h("div", { class: "model-head" },
            h("span", { class: "model-name" }, r.model),
            h("span", { class: `score ${r.score >= 0 ? "pos" : "neg"}`, title: "score" }, signed(r.score)),
            r.feasible ? null : h("span", { class: "badge bad" }, "does not fit"),
            r.model === shown
              ? h("span", { class: "badge" }, "on the map")
              : h("button", { type: "button", class: "pick", dataset: { pick: r.model }, disabled: !r.feasible, "aria-label": `show this plan: ${r.model}` }, "show this plan")),
          h("p", { class: "model-text" }, MODEL_TEXT[r.model] ?? ""),
          h("details", { class: "model-reasons" },
            h("summary", {}, `Why ${signed(r.score)}: ${r.reasons.length} reasons`),
            h("ul", { class: "reasons" }, r.reasons.map((reason) => reasonItem(reason, origin))))))),
  );
  for (const button of container.querySelectorAll("button.pick")) button.addEventListener("click", () => onPick(button.dataset.pick));
}
