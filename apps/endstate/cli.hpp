#pragma once
// Command-line plumbing shared by every command: the command table, argument
// parsing against each command's declared flags, and output helpers
// (table, CSV, JSON, GeoJSON). Commands live one per file (areas.cpp, ...).

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"

namespace endstate::cli {

struct FlagSpec {
  std::string name;        ///< without dashes: "level"
  std::string value_name;  ///< "L"; empty for a boolean switch
  std::string help;
  std::string default_value;
};

struct PositionalSpec {
  std::string name;  ///< "FILE"
  std::string help;
};

/// Parsed arguments of one command.
class Args {
 public:
  [[nodiscard]] bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  /// The flag's value, or its declared default.
  [[nodiscard]] std::string get(const std::string& flag) const;
  [[nodiscard]] std::optional<std::string> maybe(const std::string& flag) const;
  [[nodiscard]] const std::string& positional(std::size_t i) const { return positionals_.at(i); }
  [[nodiscard]] std::size_t positional_count() const { return positionals_.size(); }
  [[nodiscard]] const std::string& db_path() const { return db_path_; }

 private:
  friend class Parser;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> defaults_;
  std::vector<std::string> positionals_;
  std::string db_path_;
};

struct CommandSpec;
using Handler = std::function<int(const Args&, std::ostream& out)>;

struct CommandSpec {
  std::string noun;  ///< "areas"
  std::string verb;  ///< "import"; empty for a noun-only command ("status", "demo")
  std::string summary;
  std::vector<PositionalSpec> positionals;
  std::vector<FlagSpec> flags;
  Handler run;
};

/// Every command, in the order of the reference (docs/cli.md).
const std::vector<CommandSpec>& commands();

/// Runs the whole program; returns the exit code.
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

/// The CLI reference as Markdown (docs/cli.md is generated from this).
std::string reference_markdown();

// --- output helpers -----------------------------------------------------------

enum class Format { kTable, kCsv, kJson, kGeoJson };
/// Parses --format; throws a usage error naming the allowed values.
Format parse_format(const std::string& s, bool allow_geojson);

/// A rectangular result printed as an aligned table or as CSV (RFC 4180).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  void print(std::ostream& out, Format format) const;
};

std::string csv_field(const std::string& s);
std::string fmt_double(double v, int decimals);

/// The import summary as a table or as JSON with the documented keys.
void print_summary(std::ostream& out, const ImportSummary& s, Format format);

/// Standard flag sets.
FlagSpec format_flag(bool geojson);

}  // namespace endstate::cli
