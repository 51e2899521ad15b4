#include "endstate/core/progress.hpp"

#include <unistd.h>
#include <cstdio>

namespace endstate {
namespace {
int g_forced = -1;  // -1: follow the terminal
}

void Progress::set_enabled(bool on) { g_forced = on ? 1 : 0; }

Progress::Progress(std::string label, std::int64_t total)
    : label_(std::move(label)),
      total_(total),
      last_(std::chrono::steady_clock::now()),
      active_(g_forced == -1 ? ::isatty(STDERR_FILENO) == 1 : g_forced == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(std::int64_t done) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  drawn_ = true;
  if (total_ > 0) {
    std::fprintf(stderr, "\r%s: %5.1f%%", label_.c_str(),
                 100.0 * static_cast<double>(done) / static_cast<double>(total_));
  } else {
    std::fprintf(stderr, "\r%s: %lld", label_.c_str(), static_cast<long long>(done));
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (active_ && drawn_) {
    std::fprintf(stderr, "\r%s: done      \n", label_.c_str());
    drawn_ = false;
  }
  active_ = false;
}

}  // namespace endstate
