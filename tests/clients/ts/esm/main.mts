// TypeScript compiled to ES modules for Node (module node16): top-level await, the default
// import and the types of the ESM entry.
import init, { aggregate, carve, type CarveResult } from "cidrplan";

await init();
const result: CarveResult = carve(["10.0.0.0/16"], [["pods", "/20"]]);
const prefixes: string[] = aggregate(["10.0.0.0/25", "10.0.0.128/25"]).prefixes;
console.log(JSON.stringify({ aggregate: { prefixes }, carve: result.allocations[0].cidr }));
