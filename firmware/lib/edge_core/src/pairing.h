// The camera's half of the pairing exchange (capture.proto, HelloRequest.pairing_*): the commitment
// to its X25519 public key, the pairing code both ends show, and the link key; the box computes the
// same in edge_node/common/link_pairing.py.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "x25519.h"

namespace edge {

constexpr size_t kPairingCodeLen = 9;  // "XXXX-XXXX"

// SHA-256 of the camera's public key, sent before the box's key is known.
void pairing_commitment(const uint8_t camera_public[kX25519Len], uint8_t out[32]);

// Base32 of the first 5 bytes of SHA-256("edge-pair-v1" 0x00 || camera public || box public), as
// "XXXX-XXXX"; out holds kPairingCodeLen + 1 chars.
void pairing_code(const uint8_t camera_public[kX25519Len], const uint8_t box_public[kX25519Len],
                  char out[kPairingCodeLen + 1]);

// HMAC-SHA256(X25519(secret, box public), "edge-link-v1" 0x00 || camera public || box public);
// false when the box's key is a low-order point (an all-zero shared secret).
bool pairing_link_key(const uint8_t secret[kX25519Len], const uint8_t camera_public[kX25519Len],
                      const uint8_t box_public[kX25519Len], uint8_t out[32]);

}  // namespace edge
