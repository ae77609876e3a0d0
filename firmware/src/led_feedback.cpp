#include "led_feedback.h"

#include <Arduino.h>
#include <esp_arduino_version.h>

#include "board.h"

namespace {

constexpr uint32_t kPwmHz = 5000;
constexpr uint8_t kPwmBits = 8;
constexpr uint8_t kPwmChannel = 2;  // channel 0 / timer 0 drive the camera's XCLK
constexpr uint32_t kFlashDuty = 40;  // of 255: visible without blinding
constexpr uint32_t kPulseMs = 80;

}  // namespace

void LedFeedback::begin() {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  ledcAttachChannel(board::kFlashLed, kPwmHz, kPwmBits, kPwmChannel);
#else
  ledcSetup(kPwmChannel, kPwmHz, kPwmBits);
  ledcAttachPin(board::kFlashLed, kPwmChannel);
#endif
  pinMode(board::kStatusLed, OUTPUT);
  set_flash(false);
  set_status(false);
}

void LedFeedback::show(edge_capture_v1_ResultSignal signal, uint32_t duration_ms) {
  signal_ = signal;
  started_ms_ = millis();
  duration_ms_ = duration_ms;
}

void LedFeedback::update() {
  const uint32_t t = millis() - started_ms_;
  if (signal_ == edge_capture_v1_ResultSignal_RESULT_SIGNAL_UNSPECIFIED || t >= duration_ms_) {
    signal_ = edge_capture_v1_ResultSignal_RESULT_SIGNAL_UNSPECIFIED;
    set_flash(false);
    set_status(false);
    return;
  }
  const uint32_t pulse = t / kPulseMs;
  if (signal_ == edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED) {
    set_flash(pulse < 2);
    set_status(true);
  } else {
    set_flash(pulse < 6 && pulse % 2 == 0);
    set_status((t / 200) % 2 == 0);
  }
}

void LedFeedback::set_flash(bool on) {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  ledcWrite(board::kFlashLed, on ? kFlashDuty : 0);
#else
  ledcWrite(kPwmChannel, on ? kFlashDuty : 0);
#endif
}

void LedFeedback::set_status(bool on) { digitalWrite(board::kStatusLed, on ? LOW : HIGH); }
