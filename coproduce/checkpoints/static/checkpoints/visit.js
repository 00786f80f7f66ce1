// A resident records a visit: scan the place code with the phone's camera (or type it) and
// POST /api/v1/visits.

import { startCamera } from "./camera.js";

const config = JSON.parse(document.getElementById("visit-config").textContent);
const $ = (id) => document.getElementById(id);
let busy = false;
let last = "";

async function record(payload) {
  if (busy || payload === last) return;
  busy = true;
  last = payload;
  const answer = await fetch("/api/v1/visits", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
    body: JSON.stringify({ place_payload: payload }),
  }).catch(() => null);
  const body = answer ? await answer.json().catch(() => ({})) : {};
  const box = $("visit-result");
  if (answer && answer.ok) {
    box.className = "msg";
    box.textContent = config.text.recorded.replace("%(place)s", body.place.name);
    box.dataset.state = "recorded";
  } else {
    box.className = "msg error";
    box.textContent = (body.error && body.error.message) || config.text.failed;
    box.dataset.state = "failed";
    last = "";
  }
  box.hidden = false;
  busy = false;
}

$("visit-form").addEventListener("submit", (event) => {
  event.preventDefault();
  last = "";
  record($("place").value.trim());
});
$("camera-start").addEventListener("click", () => {
  $("camera-start").hidden = true;
  startCamera({ video: $("video"), canvas: $("frame"), onCode: record, isPaused: () => busy })
    .started.catch(() => { $("camera-error").hidden = false; $("camera-start").hidden = false; });
});
