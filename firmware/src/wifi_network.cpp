#include "wifi_network.h"

#include <ESPmDNS.h>
#include <esp_arduino_version.h>

namespace {
constexpr char kService[] = "_edge-node";
constexpr char kProto[] = "_tcp";
}  // namespace

void WifiNetwork::begin(const edge::DeviceConfig& config) {
  WiFi.disconnect(true);
  WiFi.mode(WIFI_STA);
  WiFi.setHostname(hostname_);
  WiFi.setSleep(false);  // modem sleep adds latency to every frame
  WiFi.setAutoReconnect(true);
  WiFi.begin(config.ssid, config.password);
}

bool WifiNetwork::connected() { return WiFi.status() == WL_CONNECTED; }

bool WifiNetwork::discover(edge::BoxAddress& box) {
  if (!mdns_started_) mdns_started_ = MDNS.begin(hostname_);
  if (!mdns_started_ || MDNS.queryService(kService, kProto) <= 0) return false;
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  const IPAddress ip = MDNS.address(0);
#else
  const IPAddress ip = MDNS.IP(0);
#endif
  edge::copy_string(box.host, sizeof(box.host), ip.toString().c_str());
  box.port = MDNS.port(0);
  return true;
}

bool WifiSocket::connect(const char* host, uint16_t port, uint32_t timeout_ms) {
  client_.stop();
  if (!client_.connect(host, port, static_cast<int32_t>(timeout_ms))) return false;
  client_.setNoDelay(true);
  return true;
}

bool WifiSocket::connected() { return client_.connected(); }

bool WifiSocket::write(const uint8_t* data, size_t len) { return client_.write(data, len) == len; }

int WifiSocket::read(uint8_t* buf, size_t cap, uint32_t timeout_ms) {
  const uint32_t start = millis();
  while (client_.available() == 0) {
    if (!client_.connected()) return -1;
    if (millis() - start >= timeout_ms) return 0;
    delay(1);
  }
  const int n = client_.read(buf, cap);
  return n < 0 ? 0 : n;
}

void WifiSocket::close() { client_.stop(); }
