// X25519 (RFC 7748): Diffie-Hellman on Curve25519, portable C++ with no heap and no tables,
// constant-time in the secret scalar (the ladder swaps by masks). About 2 KB of stack; it runs once
// per pairing on the camera. Follows the public-domain TweetNaCl field arithmetic (16 limbs of 16
// bits held in 64-bit integers).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace edge {

constexpr size_t kX25519Len = 32;

// out = scalar * point (u-coordinates, little-endian); the scalar is clamped as RFC 7748 says.
void x25519(uint8_t out[kX25519Len], const uint8_t scalar[kX25519Len],
            const uint8_t point[kX25519Len]);

// out = scalar * 9: the public key of a private scalar.
void x25519_public(uint8_t out[kX25519Len], const uint8_t scalar[kX25519Len]);

}  // namespace edge
