// The kiosk page: banner from `result` events, indicators from `status` and the connection, face boxes.
"use strict";

const $ = (id) => document.getElementById(id);
let bannerSeconds = 5;
let idleTimer = null;

// kind (and event_type for MATCH) -> [class, title, detail]
function describe(r) {
  const at = r.time ? ` · ${r.time}` : "";
  switch (r.kind) {
    case "MATCH":
      if (r.event_type === "ENTRY") return ["ok", r.name, `ENTRY${at}`];
      if (r.event_type === "EXIT") return ["ok", r.name, `EXIT${at}`];
      if (r.event_type === "DUPLICATE") return ["info", r.name, `already recorded${at}`];
      return ["warn", r.name, r.message || "not allowed to check in"];
    case "UNKNOWN": return ["bad", "Not recognised", "please ask an administrator to enrol you"];
    case "SPOOF": return ["bad", "Spoof detected", "a real face is required"];
    case "LOOK_AT_CAMERA":
    case "LOW_QUALITY": return ["info", "Please look at the camera", r.message || "face the screen and hold still"];
    default: return null;  // NO_FACE and anything new: keep the banner as it is
  }
}

function showBanner(kind, title, detail) {
  const banner = $("banner");
  banner.className = kind;
  $("banner-title").textContent = title;
  $("banner-detail").textContent = detail;
  clearTimeout(idleTimer);
  if (kind !== "idle") idleTimer = setTimeout(() => showBanner("idle", "Look at the camera", "to check in or out"),
                                              bannerSeconds * 1000);
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
  });
  source.addEventListener("faces", (e) => drawBoxes(JSON.parse(e.data).boxes));
  source.addEventListener("result", (e) => {
    const shown = describe(JSON.parse(e.data));
    if (shown) showBanner(...shown);
  });
}

const video = $("video");
video.onload = () => { video.classList.add("live"); $("no-video").hidden = true; };
video.onerror = () => {
  video.classList.remove("live");
  $("no-video").hidden = false;
  setTimeout(() => { video.src = `/preview.mjpg?t=${Date.now()}`; }, 3000);
};
const tick = () => { $("clock").textContent = new Date().toTimeString().slice(0, 5); };
tick();
setInterval(tick, 1000);
connect();
