#include "config.h"

#include <string.h>

namespace edge {

DeviceConfig empty_config() {
  DeviceConfig config;
  memset(&config, 0, sizeof(config));
  config.box_port = kDefaultBoxPort;
  return config;
}

bool copy_string(char* dst, size_t cap, const char* src) {
  if (cap == 0) return false;
  const size_t len = strlen(src);
  const size_t n = len < cap ? len : cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
  return n == len;
}

bool parse_host_port(const char* text, char* host, size_t host_cap, uint16_t* port) {
  const char* colon = strchr(text, ':');
  const size_t host_len = colon ? static_cast<size_t>(colon - text) : strlen(text);
  if (host_len == 0 || host_len >= host_cap) return false;
  uint32_t value = kDefaultBoxPort;
  if (colon) {
    const char* digits = colon + 1;
    if (*digits == '\0') return false;
    value = 0;
    for (const char* p = digits; *p; ++p) {
      if (*p < '0' || *p > '9') return false;
      value = value * 10 + static_cast<uint32_t>(*p - '0');
      if (value > 65535) return false;
    }
    if (value == 0) return false;
  }
  memcpy(host, text, host_len);
  host[host_len] = '\0';
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace edge
