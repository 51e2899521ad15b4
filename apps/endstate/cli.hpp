#pragma once
// The command table and its plumbing: argument parsing against each
// command's declared flags, help (wrapped to the terminal), the reference in
// Markdown, the man page and the bash completion, all generated from the one
// table. Commands live one per noun file (areas.cpp, ...); each maps flags to
// an engine request, calls the engine and hands the result to a writer.

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace endstate::cli {

struct FlagSpec {
  FlagSpec(std::string name_, std::string value_name_, std::string help_, std::string default_value_ = "",
           bool required_ = false, std::string field_ = "")
      : name(std::move(name_)),
        value_name(std::move(value_name_)),
        help(std::move(help_)),
        default_value(std::move(default_value_)),
        required(required_),
        field(std::move(field_)) {}

  std::string name;        ///< without dashes: "level"
  std::string value_name;  ///< "L"; empty for a boolean switch
  std::string help;
  std::string default_value;
  bool required = false;
  /// The request field this flag fills, for engine messages that name it
  /// ("" = the flag name with '-' as '_').
  std::string field;
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

/// Runs the whole program; returns the exit code (0 ok, 1 usage, 2 bad input,
/// 3 not found, 4 internal defect, 5 environment: locked, disk full, unwritable).
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

/// The CLI reference as Markdown (docs/cli.md is generated from this).
std::string reference_markdown();
/// The man page (roff, section 1) generated from the command table.
std::string man_page();
/// A bash completion script for nouns, verbs and flags.
std::string bash_completion();
/// "endstate 0.1.0 (commit ...)" and the versions of the libraries it runs on.
std::string version_text();

/// The standard --format flag (with or without geojson).
FlagSpec format_flag(bool geojson);

}  // namespace endstate::cli
