// What the camera keeps in NVS across reboots.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace edge {

constexpr size_t kSsidMax = 32;
constexpr size_t kPasswordMax = 64;
constexpr size_t kHostMax = 63;
constexpr size_t kLinkKeyLen = 32;
constexpr size_t kNonceLen = 16;
constexpr uint16_t kDefaultBoxPort = 8080;

struct DeviceConfig {
  char ssid[kSsidMax + 1];
  char password[kPasswordMax + 1];
  // Fallback when mDNS finds no box; empty for mDNS only.
  char box_host[kHostMax + 1];
  uint16_t box_port;
  // Derived at pairing from the X25519 exchange (it never travels): Hellos carry a MAC made with it,
  // frames one made with a session key derived from it. Replaced only by a new pairing the admin
  // approved, cleared only by a REVOKED reply signed with it or by re-provisioning.
  uint8_t link_key[kLinkKeyLen];
  bool has_link_key;
  uint8_t device_nonce[kNonceLen];
  bool has_nonce;
};

// An all-empty config (no Wi-Fi, no link key, no nonce).
DeviceConfig empty_config();

// Splits "host" or "host:port" into its parts; false when the text is empty, too long or the port
// is not 1-65535.
bool parse_host_port(const char* text, char* host, size_t host_cap, uint16_t* port);

// Bounded copy that always terminates dst; false when src did not fit.
bool copy_string(char* dst, size_t cap, const char* src);

}  // namespace edge
