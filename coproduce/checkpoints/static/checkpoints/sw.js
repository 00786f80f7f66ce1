// The scanner's service worker (served at /checkpoints/sw.js, so its scope is /checkpoints/): a
// checkpoint phone that lost the network can reload the scanner and go on scanning.
// - the scanner page: network first (fresh CSRF token and clock), else the copy kept here;
// - scripts, styles and icons under /static/: the copy kept here first, refreshed in the
//   background when the network answers;
// - the offline bundle (the trust list and the non-green ids): network first, else the last full
//   bundle kept here (the page keeps its own copy in localStorage too; this one survives a
//   cleared page storage).
// The page itself puts its URL and the files it loaded into the cache once the worker is ready
// (scanner.js: cacheScanner), since its first load happens before the worker exists.

const CACHE = "coproduce-scanner-v1";
const SCANNER_PAGE = /^\/checkpoints\/\d+\/scanner\/$/;
const BUNDLE = /^\/api\/v1\/checkpoints\/\d+\/offline-bundle$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("coproduce-scanner-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, { key = request, keep = true } = {}) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request);
    if (answer.ok && keep) await cache.put(key, answer.clone());
    return answer;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function keptFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const refresh = fetch(request).then((answer) => {
    if (answer.ok) cache.put(request, answer.clone());
    return answer;
  });
  if (kept) {
    refresh.catch(() => {});
    return kept;
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // scans go to the network; the page queues them offline
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SCANNER_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, { key: url.origin + url.pathname }));
  } else if (BUNDLE.test(url.pathname)) {
    // A delta (?since=) is kept only by the page; a full bundle is kept here too.
    const full = !url.searchParams.has("since");
    event.respondWith(full ? networkFirst(request) : fetch(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(keptFirst(request));
  }
});
