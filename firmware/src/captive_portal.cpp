#include "captive_portal.h"

#include <WiFi.h>

namespace {

constexpr uint16_t kDnsPort = 53;

const char kForm[] PROGMEM = R"html(<!doctype html><html><head>
<meta name="viewport" content="width=device-width,initial-scale=1"><title>edge-node camera</title>
<style>body{font-family:sans-serif;max-width:24em;margin:2em auto}input{width:100%;margin:.3em 0 1em}</style>
</head><body><h2>edge-node camera setup</h2>
<form method="post" action="/save">
<label>Wi-Fi network<input name="ssid" maxlength="32" required></label>
<label>Wi-Fi password<input name="password" type="password" maxlength="64"></label>
<label>Box host[:port] (optional, used when mDNS finds no box)<input name="box" maxlength="63"></label>
<input type="submit" value="Save and connect"></form></body></html>)html";

}  // namespace

void CaptivePortal::start() {
  done_ = false;
  WiFi.mode(WIFI_AP);
  WiFi.softAP(ap_name_);
  dns_.start(kDnsPort, "*", WiFi.softAPIP());
  server_.on("/", HTTP_GET, [this] { handle_form(); });
  server_.on("/save", HTTP_POST, [this] { handle_save(); });
  server_.onNotFound([this] { handle_form(); });  // answers OS captive-portal probes
  server_.begin();
}

bool CaptivePortal::poll(edge::DeviceConfig& config) {
  dns_.processNextRequest();
  server_.handleClient();
  if (!done_) return false;
  edge::copy_string(config.ssid, sizeof(config.ssid), submitted_.ssid);
  edge::copy_string(config.password, sizeof(config.password), submitted_.password);
  edge::copy_string(config.box_host, sizeof(config.box_host), submitted_.box_host);
  config.box_port = submitted_.box_port;
  return true;
}

void CaptivePortal::stop() {
  server_.stop();
  dns_.stop();
  WiFi.softAPdisconnect(true);
}

void CaptivePortal::handle_form() { server_.send_P(200, "text/html", kForm); }

void CaptivePortal::handle_save() {
  const String ssid = server_.arg("ssid");
  const String password = server_.arg("password");
  const String box = server_.arg("box");
  submitted_ = edge::empty_config();
  bool ok = ssid.length() > 0 &&
            edge::copy_string(submitted_.ssid, sizeof(submitted_.ssid), ssid.c_str()) &&
            edge::copy_string(submitted_.password, sizeof(submitted_.password), password.c_str());
  if (ok && box.length() > 0) {
    ok = edge::parse_host_port(box.c_str(), submitted_.box_host, sizeof(submitted_.box_host),
                               &submitted_.box_port);
  }
  if (!ok) {
    server_.send(400, "text/plain", "Invalid network name, password or box host; go back.");
    return;
  }
  server_.send(200, "text/plain", "Saved. The camera now joins the network.");
  done_ = true;
}
