// endstate status
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

int status(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  const auto st = db.status();
  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["database"] = a.db_path();
    j["schema_version"] = st.schema_version;
    for (const auto& [t, n] : st.table_counts) j["counts"][t] = n;
    j["areas_by_level"] = nlohmann::ordered_json::object();
    for (const auto& [l, n] : st.areas_by_level) j["areas_by_level"][l] = n;
    j["first_event"] = st.first_event ? nlohmann::ordered_json(st.first_event->iso()) : nlohmann::ordered_json();
    j["last_event"] = st.last_event ? nlohmann::ordered_json(st.last_event->iso()) : nlohmann::ordered_json();
    j["last_imports"] = nlohmann::ordered_json::array();
    for (const auto& r : st.last_imports) {
      j["last_imports"].push_back({{"id", r.id}, {"kind", r.kind}, {"file", r.file}, {"sha256", r.sha256},
                                   {"source", r.source}, {"imported_at", r.imported_at}, {"read", r.read},
                                   {"imported", r.imported}, {"duplicates", r.duplicates}, {"rejected", r.rejected},
                                   {"outside_areas", r.outside_areas}});
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  out << "database: " << a.db_path() << " (schema " << st.schema_version << ")\n\n";
  Table counts{{"table", "rows"}, {}};
  for (const auto& [t, n] : st.table_counts) counts.rows.push_back({t, std::to_string(n)});
  counts.print(out, format);
  if (!st.areas_by_level.empty()) {
    out << "\n";
    Table levels{{"level", "areas"}, {}};
    for (const auto& [l, n] : st.areas_by_level) levels.rows.push_back({l, std::to_string(n)});
    levels.print(out, format);
  }
  if (st.first_event) out << "\nevents from " << st.first_event->iso() << " to " << st.last_event->iso() << "\n";
  if (!st.last_imports.empty()) {
    out << "\nlast imports:\n";
    Table imp{{"id", "kind", "file", "imported_at", "read", "imported", "duplicates", "rejected", "outside_areas"}, {}};
    for (const auto& r : st.last_imports) {
      imp.rows.push_back({std::to_string(r.id), r.kind, r.file, r.imported_at, std::to_string(r.read),
                          std::to_string(r.imported), std::to_string(r.duplicates), std::to_string(r.rejected),
                          std::to_string(r.outside_areas)});
    }
    imp.print(out, format);
  }
  return 0;
}

}  // namespace

std::vector<CommandSpec> status_commands() {
  return {{"status",
           "",
           "What the database holds: rows per table, areas per level, the events' date range and the last imports.",
           {},
           {format_flag(false)},
           status}};
}

}  // namespace endstate::cli
