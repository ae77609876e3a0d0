// The kiosk page: banner from `result` events; indicators, camera, clock and enrolment from `status`;
// face boxes from `faces`. The box colour and the banner follow the same verdict.
"use strict";

const $ = (id) => document.getElementById(id);
// An empty frame for this long clears the verdict, so the next person is not shown someone else's.
const EMPTY_FRAME_CLEAR_MS = 1500;
let bannerSeconds = 5;
let idleTimer = null;
let emptyTimer = null;
let cameraState = "waiting";
let frameEmpty = false;  // the camera's last face report had no face

// kind (and event_type for MATCH) -> [class, title, detail]
function describe(r) {
  const at = r.time ? ` · ${r.time}` : "";
  switch (r.kind) {
    case "MATCH":
      if (r.event_type === "ENTRY") return ["ok", r.name, `Checked IN${at}`];
      if (r.event_type === "EXIT") return ["ok", r.name, `Checked OUT${at}`];
      if (r.event_type === "DUPLICATE") {
        const since = r.since ? ` since ${r.since}` : "";
        return ["info", r.name, r.state ? `Already checked ${r.state}${since}` : `Already recorded${at}`];
      }
      return ["warn", r.name, r.message || "not allowed to check in"];
    case "UNKNOWN": return ["bad", "Not recognised", "please ask an administrator to enrol you"];
    case "SPOOF": return ["bad", "Spoof detected", "a real face is required"];
    case "LOOK_AT_CAMERA":
    case "LOW_QUALITY": return ["info", "Please look at the camera", r.message || "face the screen and hold still"];
    default: return null;  // NO_FACE and anything new: keep the banner as it is
  }
}

function idleBanner() {
  return cameraState === "missing" ? ["unavailable", "Check-in unavailable", "the camera is not connected"]
                                   : ["idle", "Look at the camera", "to check in or out"];
}

function showBanner(kind, title, detail) {
  const banner = $("banner");
  banner.className = kind;
  document.body.dataset.verdict = kind;
  $("banner-title").textContent = title;
  $("banner-detail").textContent = detail;
  clearTimeout(idleTimer);
  clearTimeout(emptyTimer);
  emptyTimer = null;
  if (kind === "idle" || kind === "unavailable") return;
  idleTimer = setTimeout(() => showBanner(...idleBanner()), bannerSeconds * 1000);
  if (frameEmpty) clearWhenEmpty();  // a late result for someone who has already gone
}

function clearWhenEmpty() {
  if (emptyTimer === null) emptyTimer = setTimeout(() => showBanner(...idleBanner()), EMPTY_FRAME_CLEAR_MS);
}

function setPill(id, cls, text) {
  const pill = $(id);
  pill.className = `pill ${cls}`;
  pill.textContent = text;
}

function drawBoxes(boxes) {
  const group = $("boxes");
  group.replaceChildren(...boxes.map(([x, y, w, h]) => {
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    rect.setAttribute("x", x); rect.setAttribute("y", y);
    rect.setAttribute("width", w); rect.setAttribute("height", h);
    return rect;
  }));
  frameEmpty = boxes.length === 0;
  if (!frameEmpty) {
    clearTimeout(emptyTimer);
    emptyTimer = null;
  } else if (!["idle", "unavailable"].includes($("banner").className)) {
    clearWhenEmpty();
  }
}

function showCamera(state) {
  if (state === cameraState) return;
  cameraState = state;
  document.body.dataset.camera = state;
  $("no-camera").hidden = state !== "missing";
  const idle = ["idle", "unavailable"].includes($("banner").className);
  if (idle) showBanner(...idleBanner());
}

// Clock hook: {state: "synced" | "unsynced" | ..., detail}; absent means nothing is reported.
function showClock(clock) {
  const pill = $("clock-state");
  pill.hidden = !clock;
  if (!clock) return;
  setPill("clock-state", clock.state === "synced" ? "online" : "warn-pill",
          clock.state === "synced" ? "Clock: synced" : `Clock: ${clock.detail || clock.state}`);
}

// Enrolment hook: {person, hint, done, total} while someone is being enrolled at this camera.
function showEnrolment(e) {
  $("enrolment").hidden = !e;
  if (!e) return;
  $("enrolment-title").textContent = `Enrolling ${e.person}` + (e.total ? ` · ${e.done} of ${e.total}` : "");
  $("enrolment-hint").textContent = e.hint || "";
  $("enrolment-progress").value = e.total ? e.done / e.total : 0;
}

function connect() {
  const source = new EventSource("/events");
  source.onopen = () => setPill("node-state", "online", "Node: online");
  source.onerror = () => {
    setPill("node-state", "offline", "Node: offline");
    setPill("hub-state", "off", "Hub: —");
  };
  source.addEventListener("config", (e) => { bannerSeconds = JSON.parse(e.data).banner_seconds; });
  source.addEventListener("status", (e) => {
    const s = JSON.parse(e.data);
    if (s.hub === "off") setPill("hub-state", "off", "Hub: standalone");
    else setPill("hub-state", s.hub === "reachable" ? "online" : "offline",
                 s.hub === "reachable" ? "Hub: online" : "Hub: offline");
    showCamera(s.camera);
    showClock(s.clock);
    showEnrolment(s.enrolment);
  });
  source.addEventListener("faces", (e) => drawBoxes(JSON.parse(e.data).boxes));
  source.addEventListener("result", (e) => {
    const shown = describe(JSON.parse(e.data));
    if (shown) showBanner(...shown);
  });
}

const video = $("video");
video.onload = () => video.classList.add("live");
video.onerror = () => {
  video.classList.remove("live");
  setTimeout(() => { video.src = `/preview.mjpg?t=${Date.now()}`; }, 3000);
};
const tick = () => { $("clock").textContent = new Date().toTimeString().slice(0, 5); };
tick();
setInterval(tick, 1000);
connect();
