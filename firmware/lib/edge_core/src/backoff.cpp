#include "backoff.h"

namespace edge {

uint32_t uniform_upto(Random& random, uint32_t upper) {
  const uint64_t span = static_cast<uint64_t>(upper) + 1;
  return static_cast<uint32_t>((static_cast<uint64_t>(random.next_u32()) * span) >> 32);
}

Backoff::Backoff(Random& random, uint32_t base_ms, uint32_t cap_ms)
    : random_(random), base_ms_(base_ms), cap_ms_(cap_ms) {}

uint32_t Backoff::ceiling_ms() const {
  uint64_t ceiling = base_ms_;
  for (uint32_t i = 0; i < attempts_ && ceiling < cap_ms_; ++i) ceiling *= 2;
  return ceiling < cap_ms_ ? static_cast<uint32_t>(ceiling) : cap_ms_;
}

uint32_t Backoff::next_delay_ms() {
  const uint32_t delay = uniform_upto(random_, ceiling_ms());
  if (attempts_ < UINT32_MAX) ++attempts_;
  return delay;
}

}  // namespace edge
