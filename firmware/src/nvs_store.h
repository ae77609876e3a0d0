// edge::ConfigStore in NVS through Preferences: the whole DeviceConfig as one blob.
#pragma once

#include <Preferences.h>

#include "ports.h"

class NvsStore : public edge::ConfigStore {
 public:
  bool load(edge::DeviceConfig& config) override;
  bool save(const edge::DeviceConfig& config) override;
  // Forgets Wi-Fi, box host, link key and device nonce.
  void clear();

 private:
  Preferences prefs_;
};
