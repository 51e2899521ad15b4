#pragma once
// Readers for every input format. They stream a file row by row, hand each
// parsed record (or a reject: line, field, reason) to a sink, and throw
// Error(kBadInput) for problems that make the whole file unusable (wrong
// format, missing required column, wrong delimiter, unterminated quote ...).
// Readers know nothing about the store or areas; ingest/importer.hpp wires
// them to both. Each reads a path (a file, a pipe, a FIFO, /dev/stdin) or an
// InputStream (core/io.hpp: the same, or bytes in memory for tests and fuzzing).
//
// Checks every reader makes on every row: text is UTF-8 without NUL bytes;
// dates and months lie in the plausible range kFirstEventYear..last_event_year()
// (core/types.hpp); the rest per format, docs/data-formats.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "endstate/core/domain.hpp"
#include "endstate/core/io.hpp"

namespace endstate::ingest {

enum class EventSource { kUcdp, kAcled, kCsv };
/// "ucdp" | "acled" | "csv"; nullopt otherwise.
std::optional<EventSource> parse_event_source(std::string_view s);

/// Generic CSV column map: target field -> column name in the file.
/// Parsed from "--map column=field,column=field" (see docs/data-formats.md).
using ColumnMap = std::map<std::string, std::string>;
/// Throws Error(kUsage) on a malformed spec or an unknown target field.
ColumnMap parse_column_map(const std::string& spec);

/// Receives what a reader parses. `line` is the 1-based line where the record starts.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(Event&& event, std::int64_t line) = 0;
  virtual void on_reject(Reject&& reject) = 0;
  /// Bytes consumed so far and total (0 if unknown), for progress reporting.
  virtual void on_progress(std::int64_t /*done*/, std::int64_t /*total*/) {}
};

/// UCDP GED CSV (49 columns) or GeoJSON export; ACLED export CSV; generic CSV with `map`.
void read_events(const std::string& path, EventSource source, const ColumnMap& map, EventSink& sink);
void read_events(InputStream in, EventSource source, const ColumnMap& map, EventSink& sink);

class SiteSink {
 public:
  virtual ~SiteSink() = default;
  virtual void on_site(Site&& site, Deployment&& deployment, std::int64_t line) = 0;
  virtual void on_reject(Reject&& reject) = 0;
  virtual void on_progress(std::int64_t /*done*/, std::int64_t /*total*/) {}
};

enum class SiteSource { kGeoPko, kCsv };
std::optional<SiteSource> parse_site_source(std::string_view s);

/// Geo-PKO v2.0 map-level (monthly) or v2.3 location-year (detected from the
/// header), or generic sites CSV; admin and location names repaired when
/// double-encoded.
void read_sites(const std::string& path, SiteSource source, SiteSink& sink);
void read_sites(InputStream in, SiteSource source, SiteSink& sink);

class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  /// `area` is an id or a name, resolved by the caller.
  virtual void on_observation(Observation&& obs, std::int64_t line) = 0;
  virtual void on_reject(Reject&& reject) = 0;
};

/// CSV with columns indicator, area, month (YYYY-MM), value, source.
void read_observations(const std::string& path, ObservationSink& sink);
void read_observations(InputStream in, ObservationSink& sink);

}  // namespace endstate::ingest
