// SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104), streaming, no heap: portable C++ for the host
// build and any 32-bit target; the camera link's frame MAC is built on it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace edge {

constexpr size_t kSha256Len = 32;

class Sha256 {
 public:
  Sha256();
  void update(const uint8_t* data, size_t len);
  void finish(uint8_t out[kSha256Len]);

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  uint64_t total_ = 0;
  size_t used_ = 0;
};

class HmacSha256 {
 public:
  HmacSha256(const uint8_t* key, size_t key_len);
  void update(const uint8_t* data, size_t len) { inner_.update(data, len); }
  void finish(uint8_t out[kSha256Len]);

 private:
  Sha256 inner_;
  uint8_t outer_pad_[64];
};

}  // namespace edge
