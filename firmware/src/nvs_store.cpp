#include "nvs_store.h"

namespace {
constexpr char kNamespace[] = "edge-node";
constexpr char kKey[] = "config";
}  // namespace

bool NvsStore::load(edge::DeviceConfig& config) {
  if (!prefs_.begin(kNamespace, true)) return false;
  edge::DeviceConfig stored;
  const bool ok = prefs_.getBytesLength(kKey) == sizeof(stored) &&
                  prefs_.getBytes(kKey, &stored, sizeof(stored)) == sizeof(stored);
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
