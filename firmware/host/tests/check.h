// A minimal test runner: TEST(name) registers a case, CHECK/CHECK_EQ record failures, and main()
// ends with the line "N passed, M failed".
#pragma once

#include <iostream>
#include <sstream>

namespace check {

using TestFn = void (*)();

void add(const char* name, TestFn fn);
void fail(const char* file, int line, const std::string& what);

struct Registrar {
  Registrar(const char* name, TestFn fn) { add(name, fn); }
};

}  // namespace check

#define TEST(name)                                              \
  static void name();                                           \
  static const check::Registrar name##_registrar(#name, &name); \
  static void name()

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) check::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_EQ(actual, expected)                                                    \
  do {                                                                                \
    const auto& check_a_ = (actual);                                                  \
    const auto& check_e_ = (expected);                                                \
    if (!(check_a_ == check_e_)) {                                                    \
      std::ostringstream check_s_;                                                    \
      check_s_ << #actual " == " #expected " (got " << check_a_ << ", want " << check_e_ \
               << ")";                                                                \
      check::fail(__FILE__, __LINE__, check_s_.str());                                \
    }                                                                                 \
  } while (0)
