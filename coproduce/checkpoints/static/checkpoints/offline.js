// Offline judgement of a health code on the device: verify the CP1 token against the trust list
// (base45, zlib through DecompressionStream, CBOR through cborg, ES256 through WebCrypto) and
// decide as the server would (a port of coproduce/checkpoints/rules.py: scan_decide and
// offline_server_color; the browser test compares the two on every decision path).

const PREFIX = "CP1:";
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const MAX_CHARS = 4296;
const MAX_INFLATED = 16 * 1024;
const LEEWAY_MS = 5 * 60 * 1000;

class Malformed extends Error {}

export function base45Decode(text) {
  const out = [];
  const values = [];
  for (const ch of text) {
    const v = B45.indexOf(ch);
    if (v < 0) throw new Malformed("not base45");
    values.push(v);
  }
  if (values.length % 3 === 1) throw new Malformed("base45 length");
  for (let i = 0; i < values.length; i += 3) {
    if (i + 2 < values.length) {
      const n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
      if (n > 0xffff) throw new Malformed("base45 group");
      out.push(n >> 8, n & 0xff);
    } else {
      const n = values[i] + values[i + 1] * 45;
      if (n > 0xff) throw new Malformed("base45 group");
      out.push(n);
    }
  }
  return new Uint8Array(out);
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INFLATED) { reader.cancel(); throw new Malformed("too large"); }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function b64ToBytes(b64) {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function bytesToB64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

const keyCache = new Map();

async function importKey(entry) {
  if (!keyCache.has(entry.public_key)) {
    keyCache.set(entry.public_key, crypto.subtle.importKey(
      "spki", b64ToBytes(entry.public_key), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]));
  }
  return keyCache.get(entry.public_key);
}

// -> {result, subject, kind, color, issuer}; result is one of the six of PRODUCT.md 3.2.
export async function verifyPayload(payload, trustKeys, now, cborg) {
  let parsed;
  try {
    parsed = await parse(payload, cborg);
  } catch (e) {
    return { result: "malformed", message: String(e.message || e) };
  }
  const { kid, claims } = parsed;
  const base = { subject: claims.subject, kind: claims.kind, color: claims.color, issuer: claims.issuer };
  const entry = trustKeys.find((k) => k.kid === bytesToB64(kid));
  if (!entry) return { ...base, result: "unknown_key" };
  let ok = false;
  try {
    if (parsed.signature.length === 64) {
      const key = await importKey(entry);
      const signed = cborg.encode(["Signature1", parsed.protected, new Uint8Array(0), parsed.body]);
      ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, parsed.signature, signed);
    }
  } catch (e) {
    ok = false;
  }
  if (!ok) return { ...base, result: "bad_signature" };
  if (claims.issuer !== entry.issuer) return { ...base, result: "unknown_key" };
  const iat = claims.iat * 1000;
  if ((entry.not_before && iat < Date.parse(entry.not_before)) || (entry.not_after && iat > Date.parse(entry.not_after))) {
    return { ...base, result: "unknown_key" };
  }
  if (now.getTime() >= claims.exp * 1000) return { ...base, result: "expired" };
  if (iat > now.getTime() + LEEWAY_MS) return { ...base, result: "not_yet_valid" };
  return { ...base, result: "valid" };
}

async function parse(payload, cborg) {
  if (typeof payload !== "string" || !payload.startsWith(PREFIX)) throw new Malformed("not a Coproduce code");
  if (payload.length > MAX_CHARS) throw new Malformed("too long");
  const options = { useMaps: true, tags: [] };
  // cborg 6 hands a tag decoder a function that decodes the tagged content.
  options.tags[18] = (decode) => decode();
  let cose;
  try {
    cose = cborg.decode(await inflate(base45Decode(payload.slice(PREFIX.length))), options);
  } catch (e) {
    throw new Malformed("not a signed code");
  }
  if (!Array.isArray(cose) || cose.length !== 4) throw new Malformed("not COSE_Sign1");
  const [protectedBytes, unprotected, body, signature] = cose;
  if (!(protectedBytes instanceof Uint8Array) || !(body instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    throw new Malformed("COSE parts");
  }
  const header = cborg.decode(protectedBytes, options);
  if (!(header instanceof Map) || header.get(1) !== -7) throw new Malformed("algorithm");
  const kid = header.get(4) || (unprotected instanceof Map ? unprotected.get(4) : null);
  if (!(kid instanceof Uint8Array)) throw new Malformed("key id");
  const map = cborg.decode(body, options);
  if (!(map instanceof Map)) throw new Malformed("claims");
  const own = map.get(-65537);
  if (!(own instanceof Map)) throw new Malformed("claims");
  const claims = {
    issuer: map.get(1), subject: map.get(2), exp: Number(map.get(4)), iat: Number(map.get(6)),
    kind: own.get(1), color: own.get(2) || null,
  };
  if (typeof claims.subject !== "string" || !["live", "card"].includes(claims.kind)) throw new Malformed("claims");
  if ((claims.kind === "live") !== (claims.color !== null)) throw new Malformed("claims");
  if (claims.color !== null && !["green", "yellow", "red"].includes(claims.color)) throw new Malformed("claims");
  return { kid, protected: protectedBytes, body, signature, claims };
}

// --- the decision: a port of rules.scan_decide -----------------------------------------------

const COLOR_RANK = { green: 0, yellow: 1, red: 2 };
const DECISION_RANK = { pass: 0, refer: 1, deny: 2 };
const HOME_GATE_KINDS = ["residential_gate", "village_entrance"];
const TOKEN_REASONS = {
  expired: "token_expired", not_yet_valid: "token_not_yet_valid", bad_signature: "token_bad_signature",
  unknown_key: "token_unknown_key", malformed: "token_malformed",
};

function stricter(a, b) { return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b; }

export function offlineServerColor({ subject, nonGreen, generatedAt, now, maxAgeSeconds }) {
  if (!subject) return null;
  const listed = nonGreen[subject];
  if (listed) return listed.color;
  if (now.getTime() - generatedAt.getTime() > maxAgeSeconds * 1000) return null;
  return "green";
}

// policy: {yellow_may_enter_own_gate, fever_threshold_c, plausible_min_c, plausible_max_c,
// temperature_required_on_entry}; temperature: a number or null. -> {decision, color, reasons}
export function scanDecide({ verification, tokenKind, tokenColor, serverColor, temperature, direction, kind, isHomeArea, policy }) {
  const reasons = [];
  let color = null;
  let gate;
  if (verification !== "valid") {
    reasons.push(TOKEN_REASONS[verification] || "token_malformed");
    gate = "deny";
  } else {
    const own = tokenKind === "live" ? tokenColor : null;
    if (own === null) {
      if (serverColor === null) reasons.push("card_color_unknown");
      color = serverColor;
    } else if (serverColor === null) {
      color = own;
    } else {
      color = COLOR_RANK[own] >= COLOR_RANK[serverColor] ? own : serverColor;
      if (color !== own) reasons.push("server_color_stricter");
    }
    if (color === null) {
      gate = "refer";
    } else {
      const homeGate = HOME_GATE_KINDS.includes(kind) && isHomeArea;
      if (color === "green") { gate = "pass"; reasons.push("green"); }
      else if (color === "red") { gate = "deny"; reasons.push(direction === "out" ? "red_exit_denied" : "red_denied"); }
      else if (direction === "in") {
        if (homeGate && policy.yellow_may_enter_own_gate) { gate = "pass"; reasons.push("yellow_own_gate"); }
        else { gate = "deny"; reasons.push("yellow_denied"); }
      } else if (homeGate) { gate = "deny"; reasons.push("yellow_leaving_home"); }
      else { gate = "pass"; reasons.push("yellow_exit"); }
    }
  }
  let status = "normal";
  if (temperature === null || temperature === undefined || temperature === "") status = "missing";
  else if (!Number.isFinite(Number(temperature))) status = "implausible";
  else {
    const t = Number(temperature);
    if (t < Number(policy.plausible_min_c) || t > Number(policy.plausible_max_c)) status = "implausible";
    else if (t >= Number(policy.fever_threshold_c)) status = "fever";
  }
  if (status === "fever") {
    reasons.push("fever");
    return { decision: "refer", color, reasons, fever: true };
  }
  let decision = gate;
  const readingNeeded = direction === "in" && policy.temperature_required_on_entry;
  if (status === "implausible") {
    reasons.push("temperature_implausible");
    if (readingNeeded) decision = stricter(decision, "refer");
  } else if (status === "missing" && readingNeeded) {
    reasons.push("temperature_missing");
    decision = stricter(decision, "refer");
  }
  return { decision, color, reasons, fever: false };
}

// The whole offline judgement of one scan against a downloaded bundle.
export async function judgeOffline({ payload, temperature, direction, bundle, now, cborg }) {
  const v = await verifyPayload(payload, bundle.trust_list.keys, now, cborg);
  const listed = v.subject ? bundle.nonGreen[v.subject] : null;
  const serverColor = v.result === "valid"
    ? offlineServerColor({
      subject: v.subject, nonGreen: bundle.nonGreen, generatedAt: new Date(bundle.generated_at),
      now, maxAgeSeconds: bundle.checkpoint.max_age_seconds,
    })
    : null;
  return scanDecide({
    verification: v.result, tokenKind: v.kind, tokenColor: v.color, serverColor,
    temperature, direction, kind: bundle.checkpoint.kind,
    isHomeArea: Boolean(listed && listed.home_here), policy: bundle.checkpoint,
  });
}
