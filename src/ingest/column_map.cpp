// Source names and the generic CSV column map ("--map column=field,...").
// The target fields are listed in docs/data-formats.md ("Generic CSV").

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::ingest {

namespace {

constexpr std::array<std::string_view, 18> kTargets = {"id",
                                                       "date",
                                                       "date_start",
                                                       "date_end",
                                                       "latitude",
                                                       "longitude",
                                                       "violence_type",
                                                       "fatalities",
                                                       "fatalities_best",
                                                       "fatalities_low",
                                                       "fatalities_high",
                                                       "civilian_deaths",
                                                       "actor1",
                                                       "actor2",
                                                       "country",
                                                       "admin1",
                                                       "location",
                                                       "source"};

std::string target_list() {
  std::string out;
  for (std::size_t i = 0; i < kTargets.size(); ++i) {
    if (i) out += ", ";
    out += kTargets[i];
  }
  return out;
}

}  // namespace

std::optional<EventSource> parse_event_source(std::string_view s) {
  const std::string v = to_lower(trim(s));
  if (v == "ucdp") return EventSource::kUcdp;
  if (v == "acled") return EventSource::kAcled;
  if (v == "csv") return EventSource::kCsv;
  return std::nullopt;
}

std::optional<SiteSource> parse_site_source(std::string_view s) {
  const std::string v = to_lower(trim(s));
  if (v == "geopko") return SiteSource::kGeoPko;
  if (v == "csv") return SiteSource::kCsv;
  return std::nullopt;
}

ColumnMap parse_column_map(const std::string& spec) {
  ColumnMap map;
  if (trim(spec).empty()) return map;
  for (const std::string& item : split(spec, ',')) {
    const std::string_view pair = trim(item);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      throw usage_error("--map: '" + std::string(pair) +
                        "' is not column=field (example: --map evt_no=id,lat=latitude,lon=longitude)");
    }
    const std::string column(trim(pair.substr(0, eq)));
    const std::string target = to_lower(trim(pair.substr(eq + 1)));
    if (column.empty() || target.empty()) {
      throw usage_error("--map: '" + std::string(pair) + "' needs a column name before '=' and a field after it");
    }
    if (std::find(kTargets.begin(), kTargets.end(), target) == kTargets.end()) {
      throw usage_error("--map: unknown field '" + target + "'; the fields are " + target_list());
    }
    if (!map.emplace(target, column).second) {
      throw usage_error("--map: field '" + target + "' is mapped twice ('" + map[target] + "' and '" + column + "')");
    }
  }
  return map;
}

}  // namespace endstate::ingest
