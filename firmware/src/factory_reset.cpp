#include "factory_reset.h"

#include <Arduino.h>
#include <Preferences.h>

#include "board.h"

namespace factory_reset {

namespace {

constexpr char kNamespace[] = "edge-reset";
constexpr char kKey[] = "quick";
constexpr uint8_t kQuickResets = 3;
constexpr uint32_t kSettleMs = 5000;
constexpr uint32_t kHoldMs = 2000;
bool settled = false;

uint8_t bump_quick_resets() {
  Preferences prefs;
  prefs.begin(kNamespace, false);
  const uint8_t count = prefs.getUChar(kKey, 0) + 1;
  prefs.putUChar(kKey, count >= kQuickResets ? 0 : count);
  prefs.end();
  return count;
}

bool button_held() {
  pinMode(board::kBootButton, INPUT_PULLUP);
  const uint32_t start = millis();
  while (digitalRead(board::kBootButton) == LOW) {
    if (millis() - start >= kHoldMs) return true;
    delay(10);
  }
  return false;
}

}  // namespace

bool requested() { return bump_quick_resets() >= kQuickResets || button_held(); }

void settle(uint32_t uptime_ms) {
  if (settled || uptime_ms < kSettleMs) return;
  settled = true;
  Preferences prefs;
  prefs.begin(kNamespace, false);
  prefs.putUChar(kKey, 0);
  prefs.end();
}

}  // namespace factory_reset
