// Checks that a request read from a shared link or an imported file has the shape the
// form can show. Values are left to the core (its messages appear next to the fields);
// this only refuses what the form could not display at all.

import { MAX_CLUSTERS } from "./field-check.js";
import { POOL_KEYS } from "./pool-kinds.js";

/** Pools: the core takes more, but a form of more pools is not a form. */
const MAX_ITEMS = 256;
/** Allocations: a real network lists many (the form shows the first, all are planned). */
const MAX_ALLOCATIONS = 1_000_000;

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v) => v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function fail(message) {
  throw new SpecShapeError(message);
}

export class SpecShapeError extends Error {
  constructor(message) {
    super(message);
    this.name = "SpecShapeError";
  }
}

function checkList(value, where, each, max = MAX_ITEMS) {
  if (!Array.isArray(value)) fail(`${where} must be a list`);
  if (value.length > max) fail(`${where} has more than ${max.toLocaleString("en-US")} entries`);
  value.forEach((item, i) => each(item, `${where}[${i}]`));
}

function checkFlatObject(value, where, nested = []) {
  if (!isObject(value)) fail(`${where} must be an object`);
  for (const key in value) {
    if (!Object.hasOwn(value, key) || isScalar(value[key])) continue;
    // An imported allocation's labels (NetBox status, VRF...): one level of text.
    if (nested.includes(key)) checkFlatObject(value[key], `${where}.${key}`);
    else fail(`${where}.${key} must be a string, number or boolean`);
  }
}

/**
 * Returns `value` as a plan request the form can show, or throws a SpecShapeError whose
 * message names the first part that is wrong.
 */
export function checkSpecShape(value) {
  if (!isObject(value)) fail("the plan must be a JSON object");
  if (!isObject(value.network)) fail("network must be an object");
  const cidrList = (p, where) => {
    if (typeof p !== "string") fail(`${where} must be a CIDR string`);
  };
  checkList(value.network.pools, "network.pools", cidrList);
  // Pools per kind of range (node subnets, pod ranges, service ranges), each optional.
  for (const key of POOL_KEYS) {
    if (value.network[key] !== undefined) checkList(value.network[key], `network.${key}`, cidrList);
  }
  if (value.network.allocations !== undefined) {
    checkList(value.network.allocations, "network.allocations", (a, where) => {
      checkFlatObject(a, where, ["labels"]);
      if (typeof a.name !== "string") fail(`${where}.name must be a string`);
      if (typeof a.cidr !== "string") fail(`${where}.cidr must be a CIDR string`);
    }, MAX_ALLOCATIONS);
  }
  for (const [key, v] of Object.entries(value.network)) {
    if (key !== "pools" && key !== "allocations" && !POOL_KEYS.includes(key) && !isScalar(v)) {
      fail(`network.${key} must be a string, number or boolean`);
    }
  }
  checkList(value.clusters, "clusters", (c, where) => {
    checkFlatObject(c, where, ["labels"]);
    if (typeof c.name !== "string") fail(`${where}.name must be a string`);
  }, MAX_CLUSTERS);
  if (value.requirements !== undefined) checkFlatObject(value.requirements, "requirements");
  if (value.model !== undefined && typeof value.model !== "string") fail("model must be a string");
  for (const key of Object.keys(value)) {
    if (!["network", "clusters", "requirements", "model"].includes(key)) {
      fail(`unknown key "${key}" (expected network, clusters, requirements, model)`);
    }
  }
  return value;
}
