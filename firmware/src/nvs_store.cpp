#include "nvs_store.h"

#include <string.h>

namespace {
constexpr char kNamespace[] = "edge-node";
constexpr char kKey[] = "config";

// The blob of firmware that paired with a token in clear (before the link key): Wi-Fi, box host
// and device nonce carry over, the token is dropped, so the camera asks the box to re-pair.
struct TokenConfig {
  char ssid[edge::kSsidMax + 1];
  char password[edge::kPasswordMax + 1];
  char box_host[edge::kHostMax + 1];
  uint16_t box_port;
  char pairing_token[65];
  uint8_t device_nonce[edge::kNonceLen];
  bool has_nonce;
};
static_assert(sizeof(TokenConfig) != sizeof(edge::DeviceConfig), "the two blobs must differ in size");

edge::DeviceConfig from_token_config(const TokenConfig& old) {
  edge::DeviceConfig config = edge::empty_config();
  memcpy(config.ssid, old.ssid, sizeof(config.ssid));
  memcpy(config.password, old.password, sizeof(config.password));
  memcpy(config.box_host, old.box_host, sizeof(config.box_host));
  config.box_port = old.box_port;
  memcpy(config.device_nonce, old.device_nonce, sizeof(config.device_nonce));
  config.has_nonce = old.has_nonce;
  return config;
}
}  // namespace

bool NvsStore::load(edge::DeviceConfig& config) {
  if (!prefs_.begin(kNamespace, true)) return false;
  const size_t length = prefs_.getBytesLength(kKey);
  edge::DeviceConfig stored;
  TokenConfig old;
  bool ok = false;
  if (length == sizeof(stored)) {
    ok = prefs_.getBytes(kKey, &stored, sizeof(stored)) == sizeof(stored);
  } else if (length == sizeof(old) && prefs_.getBytes(kKey, &old, sizeof(old)) == sizeof(old)) {
    stored = from_token_config(old);
    ok = true;
  }
  prefs_.end();
  if (ok) config = stored;
  return ok;
}

bool NvsStore::save(const edge::DeviceConfig& config) {
  if (!prefs_.begin(kNamespace, false)) return false;
  const bool ok = prefs_.putBytes(kKey, &config, sizeof(config)) == sizeof(config);
  prefs_.end();
  return ok;
}

void NvsStore::clear() {
  if (!prefs_.begin(kNamespace, false)) return;
  prefs_.clear();
  prefs_.end();
}
