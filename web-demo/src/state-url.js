// The request in the URL: `#plan=` + base64url(UTF-8 JSON), so a link reproduces the plan.
import { checkSpecShape } from "./spec-shape.js";

const KEY = "plan=";
const MAX_HASH = 200_000;

export class LinkError extends Error {
  constructor(message) {
    super(message);
    this.name = "LinkError";
  }
}

function toBase64Url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new LinkError("it is not base64url text");
  if (text.length % 4 === 1) throw new LinkError("its base64url text is truncated");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The hash fragment (with '#') that carries `spec`. */
export function encodeSpec(spec) {
  return `#${KEY}${toBase64Url(new TextEncoder().encode(JSON.stringify(spec)))}`;
}

/**
 * The hash for `spec`, or null when it is longer than a link may be (MAX_HASH): a request
 * with thousands of allocations is shared as a file instead.
 */
export function encodeSpecIfFits(spec) {
  return encodeJsonIfFits(JSON.stringify(spec));
}

/** encodeSpecIfFits for a request already in JSON text. */
export function encodeJsonIfFits(json) {
  // base64 is 4/3 of the UTF-8 bytes, and there are at least as many bytes as UTF-16 units.
  if (json.length > (MAX_HASH / 4) * 3) return null;
  const payload = toBase64Url(new TextEncoder().encode(json));
  return payload.length > MAX_HASH ? null : `#${KEY}${payload}`;
}

/**
 * The request carried by `hash`, null when the hash carries none, or a LinkError saying
 * why it cannot be read.
 */
export function decodeSpec(hash) {
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  if (body === "") return null;
  if (!body.startsWith(KEY)) throw new LinkError(`the link's fragment does not start with "${KEY}"`);
  const payload = body.slice(KEY.length);
  if (payload.length > MAX_HASH) throw new LinkError("the link is too long");
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(payload));
  } catch (err) {
    throw err instanceof LinkError ? err : new LinkError("it does not decode to UTF-8 text");
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LinkError("it does not hold valid JSON");
  }
  try {
    return checkSpecShape(value);
  } catch (err) {
    throw new LinkError(err.message);
  }
}
