#include "pairing.h"

#include <string.h>

#include "sha256.h"

namespace edge {

namespace {

constexpr char kCodeLabel[] = "edge-pair-v1";  // the terminating 0x00 is part of the label
constexpr char kLinkLabel[] = "edge-link-v1";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

void pairing_commitment(const uint8_t camera_public[kX25519Len], uint8_t out[32]) {
  Sha256 hash;
  hash.update(camera_public, kX25519Len);
  hash.finish(out);
}

void pairing_code(const uint8_t camera_public[kX25519Len], const uint8_t box_public[kX25519Len],
                  char out[kPairingCodeLen + 1]) {
  Sha256 hash;
  hash.update(reinterpret_cast<const uint8_t*>(kCodeLabel), sizeof(kCodeLabel));
  hash.update(camera_public, kX25519Len);
  hash.update(box_public, kX25519Len);
  uint8_t digest[kSha256Len];
  hash.finish(digest);
  uint64_t bits = 0;
  for (int i = 0; i < 5; ++i) bits = (bits << 8) | digest[i];
  char* p = out;
  for (int i = 0; i < 8; ++i) {
    if (i == 4) *p++ = '-';
    *p++ = kBase32[(bits >> (35 - 5 * i)) & 31];
  }
  *p = '\0';
}

bool pairing_link_key(const uint8_t secret[kX25519Len], const uint8_t camera_public[kX25519Len],
                      const uint8_t box_public[kX25519Len], uint8_t out[32]) {
  uint8_t shared[kX25519Len];
  x25519(shared, secret, box_public);
  uint8_t any = 0;
  for (size_t i = 0; i < kX25519Len; ++i) any = uint8_t(any | shared[i]);
  if (any == 0) return false;
  HmacSha256 mac(shared, kX25519Len);
  mac.update(reinterpret_cast<const uint8_t*>(kLinkLabel), sizeof(kLinkLabel));
  mac.update(camera_public, kX25519Len);
  mac.update(box_public, kX25519Len);
  mac.finish(out);
  memset(shared, 0, sizeof(shared));
  return true;
}

}  // namespace edge
