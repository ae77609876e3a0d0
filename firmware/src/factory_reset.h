// Detects the user's request to forget Wi-Fi, box host, link key and device nonce:
// IO0/BOOT held low for 2 s right after boot (press it after releasing RST: IO0 low *during*
// reset starts the ROM bootloader instead), or three resets each within 5 s of boot.
#pragma once

#include <stdint.h>

namespace factory_reset {

// Call first thing in setup(); true when the stored config should be cleared.
bool requested();
// Call from loop(); once the boot has lasted 5 s it clears the quick-reset count.
void settle(uint32_t uptime_ms);

}  // namespace factory_reset
