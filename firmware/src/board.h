// AI-Thinker ESP32-CAM wiring.
#pragma once

namespace board {

constexpr int kPwdn = 32;
constexpr int kReset = -1;
constexpr int kXclk = 0;
constexpr int kSioD = 26;
constexpr int kSioC = 27;
constexpr int kY9 = 35;
constexpr int kY8 = 34;
constexpr int kY7 = 39;
constexpr int kY6 = 36;
constexpr int kY5 = 21;
constexpr int kY4 = 19;
constexpr int kY3 = 18;
constexpr int kY2 = 5;
constexpr int kVsync = 25;
constexpr int kHref = 23;
constexpr int kPclk = 22;

constexpr int kFlashLed = 4;     // white flash LED, driven by PWM
constexpr int kStatusLed = 33;   // red LED on the back, active low: the feedback GPIO
constexpr int kBootButton = 0;   // IO0 / BOOT, low when pressed

}  // namespace board
