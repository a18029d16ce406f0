// Node (and Bun, Deno) importing the package as an ES module: no init() needed.
import init, { aggregate, carve, version } from "cidrplan";

await init(); // does nothing outside browsers; present so browser code runs unchanged
let code;
try {
  aggregate(["10.0.0.1/8"]);
} catch (err) {
  code = err instanceof Error ? err.code : "not an Error";
}
console.log(JSON.stringify({
  aggregate: aggregate(["10.0.0.0/25", "10.0.0.128/25"]),
  carve: carve(["10.0.0.0/16"], [["pods", "/20"]]).allocations[0].cidr,
  code,
  version: version(),
}));
