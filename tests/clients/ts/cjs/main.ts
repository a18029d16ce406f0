// TypeScript compiled to CommonJS (module commonjs, moduleResolution node10): the default
// import and the named ones must be what the CommonJS entry holds at run time.
import init, { aggregate, carve, type CarveResult } from "cidrplan";

async function main(): Promise<void> {
  await init();
  const result: CarveResult = carve(["10.0.0.0/16"], [["pods", "/20"]]);
  const prefixes: string[] = aggregate(["10.0.0.0/25", "10.0.0.128/25"]).prefixes;
  console.log(JSON.stringify({ aggregate: { prefixes }, carve: result.allocations[0].cidr }));
}

void main();
