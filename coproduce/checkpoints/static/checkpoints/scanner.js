// The checkpoint scanner: camera or typed code, temperature and direction; online it asks the
// server (POST .../scans); offline it decides alone from the downloaded bundle and queues the scan
// in localStorage, uploading the queue in batches (POST .../scans/batch) when the network is back.

import { startCamera } from "./camera.js";
import { judgeOffline } from "./offline.js";

const root = document.getElementById("scanner");
const config = JSON.parse(document.getElementById("scanner-config").textContent);
const cborg = await import(config.cborg);
const $ = (id) => document.getElementById(id);
const api = `/api/v1/checkpoints/${config.checkpoint}`;
const bundleKey = `cp-bundle-${config.checkpoint}`;
const queueKey = `cp-queue-${config.checkpoint}`;
// The platform's time, which may be an exercise clock in a drill: the device's own clock plus the
// offset measured when the page was served (refreshed with every bundle).
// Offline, the page may come from the service worker's cache with an old server_now: the offset
// measured when last online is kept and used instead.
let clockOffset = Date.parse(config.server_now) - Date.now();
if (!navigator.onLine && localStorage.getItem("cp-clock-offset") !== null) {
  clockOffset = Number(localStorage.getItem("cp-clock-offset"));
} else {
  localStorage.setItem("cp-clock-offset", String(clockOffset));
}
const platformNow = () => new Date(Date.now() + clockOffset);

function deviceId() {
  let id = localStorage.getItem("cp-device-id");
  if (!id) {
    id = `web-${crypto.randomUUID()}`;
    localStorage.setItem("cp-device-id", id);
  }
  return id;
}

const load = (key, fallback) => {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
};
const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));
const queue = () => load(queueKey, []);

function headers() {
  return { "Content-Type": "application/json", "X-CSRFToken": config.csrf };
}

async function send(url, options, timeoutMs = 6000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await fetch(url, { ...options, signal: abort.signal, credentials: "same-origin" });
  } finally {
    clearTimeout(timer);
  }
}

// The platform's local time (Asia/Shanghai by default), as the other pages write it:
// 2020-02-12 10:00, whatever the phone's own time zone and language.
function localTime(iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: config.time_zone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

// --- reopening offline: the service worker and what it keeps -------------------------------------

async function cacheScanner() {
  if (!("serviceWorker" in navigator) || !window.caches) return;
  await navigator.serviceWorker.register(config.service_worker);
  await navigator.serviceWorker.ready;
  // This page and every script, style and icon it loaded, so that a reload works offline.
  const files = performance.getEntriesByType("resource")
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith("/static/"))
    .map((url) => url.href);
  const cache = await caches.open("coproduce-scanner-v1");
  await cache.addAll([location.origin + location.pathname, ...new Set(files)]);
  await cache.add(`${api}/offline-bundle`); // the last full bundle, kept by the worker too
  root.dataset.offlineReady = "yes";
}

// --- status line ---------------------------------------------------------------------------------

function showStatus() {
  const bundle = load(bundleKey, null);
  const online = navigator.onLine;
  root.dataset.online = online ? "yes" : "no";
  $("net").textContent = online ? config.text.online : config.text.offline;
  $("net").className = `badge ${online ? "ok" : "warn"}`;
  const n = queue().length;
  $("queued").textContent = String(n);
  root.dataset.queued = String(n);
  $("bundle-age").textContent = bundle ? localTime(bundle.generated_at) : "—";
  $("bundle-count").textContent = bundle ? String(Object.keys(bundle.nonGreen).length) : "0";
}

// --- offline bundle ------------------------------------------------------------------------------

async function refreshBundle() {
  const bundle = load(bundleKey, null);
  const since = bundle ? `?since=${encodeURIComponent(bundle.generated_at)}` : "";
  const answer = await send(`${api}/offline-bundle${since}`, { headers: headers() });
  if (!answer.ok) throw new Error(`bundle ${answer.status}`);
  const body = await answer.json();
  clockOffset = Date.parse(body.generated_at) - Date.now();
  localStorage.setItem("cp-clock-offset", String(clockOffset));
  const nonGreen = body.full || !bundle ? {} : bundle.nonGreen;
  for (const entry of body.non_green) {
    if (entry.color === "green") delete nonGreen[entry.subject];
    else nonGreen[entry.subject] = { color: entry.color, home_here: Boolean(entry.home_here) };
  }
  save(bundleKey, {
    checkpoint: body.checkpoint, trust_list: body.trust_list, nonGreen, generated_at: body.generated_at,
  });
  root.dataset.bundle = "ready";
  showStatus();
}

// --- deciding ------------------------------------------------------------------------------------

let showing = false;
let lastPayload = "";
let lastAt = 0;

function reasonText(reason) {
  const code = typeof reason === "string" ? reason : reason.code;
  return config.reasons[code] || (typeof reason === "string" ? reason : reason.text);
}

function showDecision({ decision, color, reasons, offline }) {
  const box = $("decision");
  box.dataset.decision = decision;
  box.dataset.color = color || "";
  box.dataset.offline = offline ? "yes" : "no";
  box.className = `decision d-${decision}`;
  $("decision-word").textContent = config.decisions[decision] || decision;
  $("decision-color").textContent = color ? config.colors[color] : config.text.color_unknown;
  $("decision-offline").hidden = !offline;
  const list = $("decision-reasons");
  list.replaceChildren(...reasons.map((r) => {
    const li = document.createElement("li");
    li.textContent = reasonText(r);
    return li;
  }));
  box.hidden = false;
  showing = true;
  $("decision-close").focus();
}

function closeDecision() {
  $("decision").hidden = true;
  showing = false;
  lastAt = Date.now();
  $("temperature").value = "";
  $("payload").value = "";
}

function currentItem(payload) {
  const raw = $("temperature").value.trim();
  return {
    payload,
    temperature_c: raw === "" ? null : raw,
    direction: document.querySelector("input[name=direction]:checked").value,
    device_id: deviceId(),
    scanned_at: platformNow().toISOString(),
    idempotency_key: crypto.randomUUID(),
  };
}

async function decideOffline(item) {
  const bundle = load(bundleKey, null);
  if (!bundle) {
    return { decision: "refer", color: null, reasons: ["no_bundle"] };
  }
  return judgeOffline({
    payload: item.payload, temperature: item.temperature_c, direction: item.direction,
    bundle, now: platformNow(), cborg,
  });
}

async function handle(payload) {
  if (showing) return;
  // The camera sees the same code many times a second: one scan per showing of a code.
  if (payload === lastPayload && Date.now() - lastAt < 8000) return;
  lastPayload = payload;
  lastAt = Date.now();
  const item = currentItem(payload.trim());
  if (navigator.onLine) {
    try {
      const answer = await send(`${api}/scans`, { method: "POST", headers: headers(), body: JSON.stringify(item) });
      if (answer.ok) {
        const body = await answer.json();
        showDecision({ ...body, offline: false });
        return;
      }
      if (answer.status < 500) {
        const body = await answer.json().catch(() => ({}));
        const error = body.error || {};
        showDecision({ decision: "refer", color: null, reasons: [{ code: error.code || "error", text: error.message || String(answer.status) }], offline: false });
        return;
      }
    } catch (e) {
      // network down or too slow: decide offline below
    }
  }
  const result = await decideOffline(item);
  item.offline_decision = result.decision;
  save(queueKey, [...queue(), item]);
  showStatus();
  showDecision({ ...result, offline: true });
}

// --- uploading the queue -------------------------------------------------------------------------

let uploading = false;

async function uploadQueue() {
  if (uploading || !navigator.onLine) return;
  const items = queue().slice(0, 1000);
  if (!items.length) return;
  uploading = true;
  try {
    const answer = await send(`${api}/scans/batch`, { method: "POST", headers: headers(), body: JSON.stringify({ scans: items }) }, 30000);
    if (!answer.ok) return;
    const { results } = await answer.json();
    // Answered items leave the queue, refused ones too (they would be refused again): only a
    // network failure or a server error keeps them for the next try.
    const done = new Set(results.filter((r) => r.status < 500).map((r) => items[r.index].idempotency_key));
    const failed = results.filter((r) => r.status >= 400 && r.status < 500).length;
    save(queueKey, queue().filter((i) => !done.has(i.idempotency_key)));
    $("upload-result").textContent = config.text.uploaded.replace("%(n)s", String(done.size - failed)).replace("%(f)s", String(failed));
    root.dataset.uploaded = String(Number(root.dataset.uploaded || 0) + done.size - failed);
  } catch (e) {
    // still offline: try again later
  } finally {
    uploading = false;
    showStatus();
  }
}

// --- wiring --------------------------------------------------------------------------------------

$("manual").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("payload").value.trim();
  if (value) { lastPayload = ""; handle(value); }
});
$("decision-close").addEventListener("click", closeDecision);
$("decision").addEventListener("click", (event) => { if (event.target === $("decision")) closeDecision(); });
$("upload").addEventListener("click", uploadQueue);
$("refresh").addEventListener("click", () => refreshBundle().catch(() => showStatus()));
$("camera-start").addEventListener("click", () => {
  $("camera-start").hidden = true;
  const camera = startCamera({ video: $("video"), canvas: $("frame"), onCode: handle, isPaused: () => showing });
  camera.started.then(() => { root.dataset.camera = "on"; }).catch((e) => {
    root.dataset.camera = "failed";
    $("camera-error").hidden = false;
    $("camera-start").hidden = false;
  });
});
window.addEventListener("online", () => { showStatus(); uploadQueue(); refreshBundle().catch(() => {}); });
window.addEventListener("offline", showStatus);
setInterval(() => { showStatus(); uploadQueue(); }, 10000);
// The non-green list changes all day: keep it fresh with small deltas while online.
setInterval(() => { if (navigator.onLine) refreshBundle().catch(() => {}); }, 5 * 60 * 1000);

showStatus();
if (navigator.onLine) cacheScanner().catch(() => {});
refreshBundle().catch(() => showStatus()).finally(() => { root.dataset.ready = "yes"; uploadQueue(); });
