// edge::Network and edge::Socket on the Arduino-ESP32 WiFi stack.
#pragma once

#include <WiFi.h>

#include "ports.h"

class WifiNetwork : public edge::Network {
 public:
  explicit WifiNetwork(const char* hostname) : hostname_(hostname) {}
  void begin(const edge::DeviceConfig& config) override;
  bool connected() override;
  bool discover(edge::BoxAddress& box) override;

 private:
  const char* hostname_;
  bool mdns_started_ = false;
};

class WifiSocket : public edge::Socket {
 public:
  bool connect(const char* host, uint16_t port, uint32_t timeout_ms) override;
  bool connected() override;
  bool write(const uint8_t* data, size_t len) override;
  int read(uint8_t* buf, size_t cap, uint32_t timeout_ms) override;
  void close() override;

 private:
  WiFiClient client_;
};
