// edge::Portal: an open access point "edge-cam-XXXX" whose DNS answers every name with the portal,
// serving a form for SSID, password and an optional box host[:port].
#pragma once

#include <DNSServer.h>
#include <WebServer.h>

#include "ports.h"

class CaptivePortal : public edge::Portal {
 public:
  explicit CaptivePortal(const char* ap_name) : ap_name_(ap_name) {}
  void start() override;
  bool poll(edge::DeviceConfig& config) override;
  void stop() override;

 private:
  void handle_form();
  void handle_save();

  const char* ap_name_;
  WebServer server_{80};
  DNSServer dns_;
  edge::DeviceConfig submitted_ = {};
  bool done_ = false;
};
