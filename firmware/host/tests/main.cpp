#include <cstring>
#include <vector>

#include "check.h"

namespace check {

namespace {
struct Case {
  const char* name;
  TestFn fn;
};
std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}
int failures_in_case = 0;
}  // namespace

void add(const char* name, TestFn fn) { cases().push_back({name, fn}); }

void fail(const char* file, int line, const std::string& what) {
  ++failures_in_case;
  std::cout << "  " << file << ":" << line << ": " << what << "\n";
}

}  // namespace check

// Usage: unit_tests [substring]  runs the cases whose name contains substring (all by default).
int main(int argc, char** argv) {
  int passed = 0;
  int failed = 0;
  for (const auto& c : check::cases()) {
    if (argc > 1 && std::strstr(c.name, argv[1]) == nullptr) continue;
    check::failures_in_case = 0;
    c.fn();
    if (check::failures_in_case == 0) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << c.name << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
