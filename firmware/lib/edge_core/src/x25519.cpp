#include "x25519.h"

#include <string.h>

namespace edge {

namespace {

typedef int64_t Field[16];

void carry(Field o) {
  for (int i = 0; i < 16; ++i) {
    o[i] += int64_t(1) << 16;
    const int64_t c = o[i] >> 16;
    if (i < 15) {
      o[i + 1] += c - 1;
    } else {
      o[0] += 38 * (c - 1);
    }
    o[i] -= c * 65536;
  }
}

// Swaps p and q when bit is 1, without a branch on it.
void swap(Field p, Field q, int64_t bit) {
  const int64_t mask = -bit;
  for (int i = 0; i < 16; ++i) {
    const int64_t t = mask & (p[i] ^ q[i]);
    p[i] ^= t;
    q[i] ^= t;
  }
}

void pack(uint8_t out[kX25519Len], const Field n) {
  Field t, m;
  for (int i = 0; i < 16; ++i) t[i] = n[i];
  carry(t);
  carry(t);
  carry(t);
  for (int pass = 0; pass < 2; ++pass) {
    m[0] = t[0] - 0xffed;
    for (int i = 1; i < 15; ++i) {
      m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
      m[i - 1] &= 0xffff;
    }
    m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
    const int64_t borrow = (m[15] >> 16) & 1;
    m[14] &= 0xffff;
    swap(t, m, 1 - borrow);
  }
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = uint8_t(t[i] & 0xff);
    out[2 * i + 1] = uint8_t((t[i] >> 8) & 0xff);
  }
}

void unpack(Field o, const uint8_t in[kX25519Len]) {
  for (int i = 0; i < 16; ++i) o[i] = in[2 * i] + (int64_t(in[2 * i + 1]) << 8);
  o[15] &= 0x7fff;
}

void add(Field o, const Field a, const Field b) {
  for (int i = 0; i < 16; ++i) o[i] = a[i] + b[i];
}

void sub(Field o, const Field a, const Field b) {
  for (int i = 0; i < 16; ++i) o[i] = a[i] - b[i];
}

void mul(Field o, const Field a, const Field b) {
  int64_t t[31] = {};
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) t[i + j] += a[i] * b[j];
  }
  for (int i = 0; i < 15; ++i) t[i] += 38 * t[i + 16];
  for (int i = 0; i < 16; ++i) o[i] = t[i];
  carry(o);
  carry(o);
}

void square(Field o, const Field a) { mul(o, a, a); }

// o = i^(p-2) = 1/i.
void invert(Field o, const Field i) {
  Field c;
  for (int a = 0; a < 16; ++a) c[a] = i[a];
  for (int a = 253; a >= 0; --a) {
    square(c, c);
    if (a != 2 && a != 4) mul(c, c, i);
  }
  for (int a = 0; a < 16; ++a) o[a] = c[a];
}

}  // namespace

void x25519(uint8_t out[kX25519Len], const uint8_t scalar[kX25519Len],
            const uint8_t point[kX25519Len]) {
  static const Field k121665 = {0xDB41, 1};
  uint8_t z[kX25519Len];
  memcpy(z, scalar, kX25519Len);
  z[31] = uint8_t((z[31] & 127) | 64);
  z[0] &= 248;
  Field x, a, b, c, d, e, f;
  unpack(x, point);
  for (int i = 0; i < 16; ++i) {
    b[i] = x[i];
    a[i] = c[i] = d[i] = 0;
  }
  a[0] = d[0] = 1;
  for (int i = 254; i >= 0; --i) {
    const int64_t bit = (z[i >> 3] >> (i & 7)) & 1;
    swap(a, b, bit);
    swap(c, d, bit);
    add(e, a, c);
    sub(a, a, c);
    add(c, b, d);
    sub(b, b, d);
    square(d, e);
    square(f, a);
    mul(a, c, a);
    mul(c, b, e);
    add(e, a, c);
    sub(a, a, c);
    square(b, a);
    sub(c, d, f);
    mul(a, c, k121665);
    add(a, a, d);
    mul(c, c, a);
    mul(a, d, f);
    mul(d, b, x);
    square(b, e);
    swap(a, b, bit);
    swap(c, d, bit);
  }
  invert(c, c);
  mul(a, a, c);
  pack(out, a);
  memset(z, 0, sizeof(z));
}

void x25519_public(uint8_t out[kX25519Len], const uint8_t scalar[kX25519Len]) {
  static const uint8_t kBase[kX25519Len] = {9};
  x25519(out, scalar, kBase);
}

}  // namespace edge
