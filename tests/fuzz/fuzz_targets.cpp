#include "fuzz_targets.hpp"

#include <cstdio>
#include <string>
#include <unistd.h>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::fuzz {
namespace {

/// Writes the input to a private temporary file (the readers take paths).
std::string to_temp_file(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/endstate_fuzz_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  std::size_t off = 0;
  while (off < size) {
    const auto n = write(fd, data + off, size - off);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
  close(fd);
  return path;
}

class NullSink final : public ingest::EventSink {
 public:
  void on_event(Event&&, std::int64_t) override {}
  void on_reject(Reject&&) override {}
};

}  // namespace

int csv_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = to_temp_file(data, size);
  if (path.empty()) return 0;
  try {
    CsvReader r(path);
    std::size_t total = 0;
    while (r.next()) {
      for (std::size_t i = 0; i < r.size(); ++i) total += r[i].size();
    }
    (void)total;
  } catch (const Error&) {
  }
  std::remove(path.c_str());
  return 0;
}

int events_target(const std::uint8_t* data, std::size_t size) {
  const std::string path = to_temp_file(data, size);
  if (path.empty()) return 0;
  for (auto source : {ingest::EventSource::kUcdp, ingest::EventSource::kAcled, ingest::EventSource::kCsv}) {
    try {
      NullSink sink;
      ingest::read_events(path, source, {}, sink);
    } catch (const Error&) {
    }
  }
  std::remove(path.c_str());
  return 0;
}

}  // namespace endstate::fuzz
