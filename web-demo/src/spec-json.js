// A request as JSON text, made in slices: stringifying (or structured-cloning) 10^5
// allocations at once holds the page's thread for ~50-100 ms, so for large requests the
// allocations are stringified a slice at a time with `pause()` between slices (the caller
// passes one that yields to the page). The text is what JSON.stringify(spec) gives.

export const SLICE = 10_000;

/** JSON.stringify(spec), in slices; resolves to null when `pause()` resolves to false (cancelled). */
export async function specJson(spec, pause, slice = SLICE) {
  const allocations = spec?.network?.allocations;
  if (!Array.isArray(allocations) || allocations.length <= slice) return JSON.stringify(spec);
  const parts = [];
  for (let i = 0; i < allocations.length; i += slice) {
    parts.push(JSON.stringify(allocations.slice(i, i + slice)).slice(1, -1));
    if ((await pause()) === false) return null;
  }
  const { allocations: _list, ...network } = spec.network;
  const head = JSON.stringify(network);
  const networkJson = `${head.slice(0, -1)}${head === "{}" ? "" : ","}"allocations":[${parts.join(",")}]}`;
  const { network: _network, ...others } = spec;
  const rest = JSON.stringify(others);
  return `{"network":${networkJson}${rest === "{}" ? "" : `,${rest.slice(1, -1)}`}}`;
}
