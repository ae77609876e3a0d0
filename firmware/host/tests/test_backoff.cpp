#include "backoff.h"
#include "check.h"
#include "fakes.h"

TEST(backoff_ceiling_doubles_then_caps) {
  fake::Random random;
  random.fallback = 0xFFFFFFFFu;  // always draws the ceiling
  edge::Backoff backoff(random, 500, 30000);
  const uint32_t expected[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (uint32_t want : expected) CHECK_EQ(backoff.next_delay_ms(), want);
}

TEST(backoff_full_jitter_stays_within_zero_and_ceiling) {
  fake::Random random;
  edge::Backoff backoff(random, 500, 30000);
  uint32_t seed = 12345;
  for (int i = 0; i < 200; ++i) {
    seed = seed * 1664525u + 1013904223u;
    random.words.push_back(seed);
    const uint32_t ceiling = backoff.ceiling_ms();
    const uint32_t delay = backoff.next_delay_ms();
    CHECK(delay <= ceiling);
    CHECK(ceiling <= 30000u);
  }
  random.words.push_back(0);
  CHECK_EQ(backoff.next_delay_ms(), 0u);  // full jitter reaches zero
}

TEST(backoff_reset_restarts_from_base) {
  fake::Random random;
  random.fallback = 0xFFFFFFFFu;
  edge::Backoff backoff(random, 100, 10000);
  for (int i = 0; i < 5; ++i) backoff.next_delay_ms();
  CHECK_EQ(backoff.ceiling_ms(), 3200u);
  backoff.reset();
  CHECK_EQ(backoff.next_delay_ms(), 100u);
}

TEST(backoff_survives_many_attempts_without_overflow) {
  fake::Random random;
  random.fallback = 0xFFFFFFFFu;
  edge::Backoff backoff(random, 0x40000000u, 0xF0000000u);
  for (int i = 0; i < 100; ++i) backoff.next_delay_ms();
  CHECK_EQ(backoff.next_delay_ms(), 0xF0000000u);
}

TEST(uniform_upto_covers_both_ends) {
  fake::Random random;
  random.words = {0, 0xFFFFFFFFu, 0x80000000u};
  CHECK_EQ(edge::uniform_upto(random, 10), 0u);
  CHECK_EQ(edge::uniform_upto(random, 10), 10u);
  CHECK_EQ(edge::uniform_upto(random, 10), 5u);
}
