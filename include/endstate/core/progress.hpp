#pragma once
// Progress on stderr for long work, shown only when stderr is a terminal
// (never in pipes, files or CI logs).

#include <chrono>
#include <cstdint>
#include <string>

namespace endstate {

class Progress {
 public:
  /// `total` may be 0 when unknown.
  Progress(std::string label, std::int64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Reports `done` units (cheap: redraws at most a few times a second).
  void update(std::int64_t done);
  void finish();
  /// Forces display on or off (tests); default follows isatty(stderr).
  static void set_enabled(bool on);

 private:
  std::string label_;
  std::int64_t total_;
  std::chrono::steady_clock::time_point last_;
  bool active_;
  bool drawn_ = false;
};

}  // namespace endstate
