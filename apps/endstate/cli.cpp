#include "cli.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::cli {

std::string Args::get(const std::string& flag) const {
  if (auto it = values_.find(flag); it != values_.end()) return it->second;
  if (auto it = defaults_.find(flag); it != defaults_.end()) return it->second;
  return {};
}

std::optional<std::string> Args::maybe(const std::string& flag) const {
  if (auto it = values_.find(flag); it != values_.end()) return it->second;
  return std::nullopt;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> kAll = [] {
    std::vector<CommandSpec> all;
    for (auto part : {areas_commands(), events_commands(), sites_commands(), observations_commands(),
                      status_commands(), threat_commands(), forecast_commands(), alerts_commands(),
                      benchmarks_commands(), audit_commands(), footprint_commands(), scenario_commands(),
                      demo_commands()}) {
      for (auto& c : part) all.push_back(std::move(c));
    }
    return all;
  }();
  return kAll;
}

namespace {

constexpr const char* kDefaultDb = "endstate.db";

std::string usage_line(const CommandSpec& c) {
  std::string s = "endstate [--db PATH] " + c.noun + (c.verb.empty() ? "" : " " + c.verb);
  for (const auto& p : c.positionals) s += " " + p.name;
  for (const auto& f : c.flags) s += " [--" + f.name + (f.value_name.empty() ? "" : " " + f.value_name) + "]";
  return s;
}

void print_command_help(std::ostream& out, const CommandSpec& c) {
  out << "usage: " << usage_line(c) << "\n\n" << c.summary << "\n";
  if (!c.positionals.empty()) {
    out << "\narguments:\n";
    for (const auto& p : c.positionals) out << "  " << std::left << std::setw(28) << p.name << p.help << "\n";
  }
  out << "\noptions:\n";
  for (const auto& f : c.flags) {
    std::string lhs = "--" + f.name + (f.value_name.empty() ? "" : " " + f.value_name);
    out << "  " << std::left << std::setw(28) << lhs << (lhs.size() >= 28 ? "  " : "") << f.help;
    if (!f.default_value.empty()) out << " (default: " << f.default_value << ")";
    out << "\n";
  }
  out << "  " << std::left << std::setw(28) << "--db PATH" << "database file (default: ./" << kDefaultDb << ")\n";
}

void print_general_help(std::ostream& out) {
  out << "endstate — decision support for the conditions-based transition of UN peace operations\n\n"
      << "usage: endstate [--db PATH] <noun> <verb> [arguments] [options]\n\ncommands:\n";
  auto name_of = [](const CommandSpec& c) { return c.noun + (c.verb.empty() ? "" : " " + c.verb); };
  std::size_t width = 0;
  for (const auto& c : commands()) width = std::max(width, name_of(c).size());
  for (const auto& c : commands()) {
    out << "  " << std::left << std::setw(static_cast<int>(width + 2)) << name_of(c) << c.summary << "\n";
  }
  out << "\n'endstate <noun> <verb> --help' describes one command; docs/cli.md has them all.\n"
      << "exit codes: 0 ok, 1 usage, 2 bad input (nothing written), 3 not found, 4 internal error\n";
}

}  // namespace

class Parser {
 public:
  static Args parse(const CommandSpec& c, const std::vector<std::string>& argv, const std::string& db) {
    Args a;
    a.db_path_ = db;
    for (const auto& f : c.flags) {
      if (!f.default_value.empty()) a.defaults_[f.name] = f.default_value;
    }
    for (std::size_t i = 0; i < argv.size(); ++i) {
      const std::string& tok = argv[i];
      if (tok.rfind("--", 0) == 0 && tok.size() > 2) {
        std::string name = tok.substr(2);
        std::optional<std::string> value;
        if (auto eq = name.find('='); eq != std::string::npos) {
          value = name.substr(eq + 1);
          name = name.substr(0, eq);
        }
        if (name == "db") {
          if (!value) {
            if (i + 1 >= argv.size()) throw usage_error("--db needs a PATH");
            value = argv[++i];
          }
          a.db_path_ = *value;
          continue;
        }
        auto it = std::find_if(c.flags.begin(), c.flags.end(), [&](const FlagSpec& f) { return f.name == name; });
        if (it == c.flags.end()) {
          std::string known;
          for (const auto& f : c.flags) known += " --" + f.name;
          throw usage_error("unknown option --" + name + " for '" + c.noun + (c.verb.empty() ? "" : " " + c.verb) +
                            "'; known:" + known + " --db");
        }
        if (it->value_name.empty()) {
          if (value) throw usage_error("--" + name + " takes no value");
          a.values_[name] = "true";
        } else {
          if (!value) {
            if (i + 1 >= argv.size()) throw usage_error("--" + name + " needs a value (" + it->value_name + ")");
            value = argv[++i];
          }
          a.values_[name] = *value;
        }
        continue;
      }
      a.positionals_.push_back(tok);
    }
    if (a.positionals_.size() != c.positionals.size()) {
      throw usage_error("expected " + std::to_string(c.positionals.size()) + " argument(s), got " +
                        std::to_string(a.positionals_.size()) + "\nusage: " + usage_line(c));
    }
    return a;
  }
};

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string db = kDefaultDb;
  // A command that fails leaves the database exactly as it was; when there was
  // none before, that means no file at all (not an empty, migrated one).
  std::string db_file;
  bool db_existed = true;
  auto forget_new_database = [&] {
    if (db_existed || db_file.empty()) return;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db_file + suffix, ec);
  };
  try {
    // Global --db before the noun.
    while (!args.empty() && args.front().rfind("--db", 0) == 0) {
      if (args.front() == "--db") {
        if (args.size() < 2) throw usage_error("--db needs a PATH");
        db = args[1];
        args.erase(args.begin(), args.begin() + 2);
      } else if (args.front().rfind("--db=", 0) == 0) {
        db = args.front().substr(5);
        args.erase(args.begin());
      } else {
        break;
      }
    }
    if (args.empty() || args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
      if (args.size() >= 2 && args[1] == "--markdown") {
        out << reference_markdown();
        return 0;
      }
      print_general_help(out);
      return args.empty() ? 1 : 0;
    }
    if (args.front() == "--version") {
      out << "endstate 0.1.0\n";
      return 0;
    }
    const std::string noun = args.front();
    const CommandSpec* match = nullptr;
    std::size_t consumed = 1;
    for (const auto& c : commands()) {
      if (c.noun != noun) continue;
      if (c.verb.empty()) {
        match = &c;
        consumed = 1;
        break;
      }
      if (args.size() >= 2 && args[1] == c.verb) {
        match = &c;
        consumed = 2;
        break;
      }
    }
    if (!match) {
      std::string verbs;
      for (const auto& c : commands()) {
        if (c.noun == noun) verbs += " " + c.verb;
      }
      if (verbs.empty()) throw usage_error("unknown command '" + noun + "'; run 'endstate --help'");
      if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
        for (const auto& c : commands()) {
          if (c.noun == noun) print_command_help(out, c), out << "\n";
        }
        return 0;
      }
      throw usage_error("'" + noun + "' needs one of:" + verbs + (args.size() >= 2 ? " (got '" + args[1] + "')" : ""));
    }
    std::vector<std::string> rest(args.begin() + static_cast<long>(consumed), args.end());
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
        std::find(rest.begin(), rest.end(), "-h") != rest.end()) {
      print_command_help(out, *match);
      return 0;
    }
    const Args parsed = Parser::parse(*match, rest, db);
    db_file = parsed.db_path();
    db_existed = std::filesystem::exists(db_file);
    const int code = match->run(parsed, out);
    if (code != 0) forget_new_database();
    return code;
  } catch (const Error& e) {
    forget_new_database();
    out.flush();
    const char* kind = e.category() == ErrorCategory::kUsage      ? "usage"
                       : e.category() == ErrorCategory::kBadInput ? "bad input"
                       : e.category() == ErrorCategory::kNotFound ? "not found"
                                                                  : "internal error";
    err << "endstate: " << kind << ": " << e.what() << "\n";
    if (e.category() == ErrorCategory::kBadInput) err << "endstate: nothing was written to the database\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    forget_new_database();
    out.flush();
    err << "endstate: internal error: " << e.what() << "\n";
    return 4;
  }
}

std::string reference_markdown() {
  std::ostringstream md;
  md << "# endstate command reference\n\n"
     << "Generated from the command table (`endstate help --markdown`); a test keeps this file in step with "
        "the binary.\n\n"
     << "Every command accepts `--db PATH` (default `./" << kDefaultDb
     << "`), before or after the command words, and `--help`.\n"
     << "Exit codes: 0 ok, 1 usage, 2 bad input (nothing written), 3 not found, 4 internal error.\n\n";
  for (const auto& c : commands()) {
    md << "## `endstate " << c.noun << (c.verb.empty() ? "" : " " + c.verb) << "`\n\n" << c.summary << "\n\n";
    md << "```\n" << usage_line(c) << "\n```\n\n";
    if (!c.positionals.empty() || !c.flags.empty()) {
      md << "| argument | meaning | default |\n|---|---|---|\n";
      for (const auto& p : c.positionals) md << "| `" << p.name << "` | " << p.help << " | |\n";
      for (const auto& f : c.flags) {
        md << "| `--" << f.name << (f.value_name.empty() ? "" : " " + f.value_name) << "` | " << f.help << " | "
           << (f.default_value.empty() ? "" : "`" + f.default_value + "`") << " |\n";
      }
      md << "\n";
    }
  }
  return md.str();
}

// --- output helpers -----------------------------------------------------------

Format parse_format(const std::string& s, bool allow_geojson) {
  if (s == "table") return Format::kTable;
  if (s == "csv") return Format::kCsv;
  if (s == "json") return Format::kJson;
  if (s == "geojson" && allow_geojson) return Format::kGeoJson;
  throw usage_error("--format must be one of table, csv, json" + std::string(allow_geojson ? ", geojson" : "") +
                    " (got '" + s + "')");
}

FlagSpec format_flag(bool geojson) {
  return {"format", "FMT", geojson ? "output: table, csv, json or geojson" : "output: table, csv or json", "table"};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

std::string fmt_double(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

namespace {
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}
}  // namespace

void Table::print(std::ostream& out, Format format) const {
  if (format == Format::kCsv) {
    for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << csv_field(header[i]);
    out << "\n";
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) out << (i ? "," : "") << csv_field(r[i]);
      out << "\n";
    }
    return;
  }
  if (format == Format::kJson) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      nlohmann::ordered_json o;
      for (std::size_t i = 0; i < header.size() && i < r.size(); ++i) o[header[i]] = r[i];
      arr.push_back(std::move(o));
    }
    out << arr.dump(2) << "\n";
    return;
  }
  std::vector<std::size_t> w(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) w[i] = display_width(header[i]);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], display_width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(w[i] - display_width(cells[i]) + 2, ' ');
    }
    out << "\n";
  };
  line(header);
  std::vector<std::string> rule;
  for (auto x : w) rule.emplace_back(x, '-');
  line(rule);
  for (const auto& r : rows) line(r);
}

void print_summary(std::ostream& out, const ImportSummary& s, Format format) {
  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["file"] = s.file;
    j["sha256"] = s.sha256;
    j["kind"] = s.kind;
    j["read"] = s.read;
    j["imported"] = s.imported;
    j["duplicates"] = s.duplicates;
    j["rejected"] = s.rejected;
    j["outside_areas"] = s.outside_areas;
    j["outside_inside_if_swapped"] = s.outside_swapped;
    j["outside_inside_if_swapped_lines"] = s.outside_swapped_lines;
    j["rejects"] = nlohmann::ordered_json::array();
    for (const auto& r : s.rejects) {
      // Reasons may quote input bytes; keep the JSON valid UTF-8.
      j["rejects"].push_back({{"line", r.line}, {"field", r.field}, {"reason", is_valid_utf8(r.reason) ? r.reason : "(not UTF-8)"}});
    }
    j["rejects_csv"] = s.rejects_csv;
    out << j.dump(2) << "\n";
    return;
  }
  Table t{{"file", "sha256", "read", "imported", "duplicates", "rejected", "outside_areas"},
          {{s.file, s.sha256.substr(0, 12), std::to_string(s.read), std::to_string(s.imported),
            std::to_string(s.duplicates), std::to_string(s.rejected), std::to_string(s.outside_areas)}}};
  t.print(out, format == Format::kCsv ? Format::kCsv : Format::kTable);
  if (format == Format::kCsv) return;
  if (s.outside_swapped > 0) {
    out << "\nnote: " << s.outside_swapped << " of the points outside every area would fall inside one with latitude "
        << "and longitude swapped (lines";
    for (auto l : s.outside_swapped_lines) out << " " << l;
    out << (s.outside_swapped > static_cast<std::int64_t>(s.outside_swapped_lines.size()) ? " ..." : "")
        << "); they were kept as outside: check the file if they should not be abroad\n";
  }
  if (!s.rejects.empty()) {
    out << "\nrejected rows" << (s.rejects_csv.empty() ? "" : " (first " + std::to_string(s.rejects.size()) + ")")
        << ":\n";
    Table r{{"line", "field", "reason"}, {}};
    for (const auto& x : s.rejects) r.rows.push_back({std::to_string(x.line), x.field, x.reason});
    r.print(out, Format::kTable);
  }
  if (!s.rejects_csv.empty()) out << "all " << s.rejected << " rejects: " << s.rejects_csv << "\n";
}

}  // namespace endstate::cli
