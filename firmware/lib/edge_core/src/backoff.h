// Exponential backoff with full jitter: the n-th delay is uniform in [0, min(cap, base * 2^n)].
#pragma once

#include <stdint.h>

#include "ports.h"

namespace edge {

class Backoff {
 public:
  Backoff(Random& random, uint32_t base_ms, uint32_t cap_ms);

  // The delay before the next retry; each call widens the window until the cap.
  uint32_t next_delay_ms();
  // The upper bound the next call draws from.
  uint32_t ceiling_ms() const;
  uint32_t attempts() const { return attempts_; }
  void reset() { attempts_ = 0; }

 private:
  Random& random_;
  uint32_t base_ms_;
  uint32_t cap_ms_;
  uint32_t attempts_ = 0;
};

// Uniform integer in [0, upper] from a 32-bit random word.
uint32_t uniform_upto(Random& random, uint32_t upper);

}  // namespace edge
