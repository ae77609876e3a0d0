// edge::Feedback on the flash LED (GPIO4, dimmed PWM) and the red status LED (GPIO33).
//   accepted: one short flash, status LED on for the duration
//   rejected: three short flashes, status LED blinking for the duration
// show() only records the pattern; update() drives the LEDs from loop() without blocking.
#pragma once

#include "ports.h"

class LedFeedback : public edge::Feedback {
 public:
  void begin();
  void show(edge_capture_v1_ResultSignal signal, uint32_t duration_ms) override;
  void update();

 private:
  void set_flash(bool on);
  void set_status(bool on);

  edge_capture_v1_ResultSignal signal_ = edge_capture_v1_ResultSignal_RESULT_SIGNAL_UNSPECIFIED;
  uint32_t started_ms_ = 0;
  uint32_t duration_ms_ = 0;
};
