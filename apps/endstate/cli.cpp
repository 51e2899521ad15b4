#include "cli.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "build_info.hpp"
#include "commands.hpp"
#include "endstate/core/error.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/geo/versions.hpp"
#include "endstate/store/database.hpp"

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
    for (auto part :
         {areas_commands(), events_commands(), sites_commands(), observations_commands(), status_commands(),
          threat_commands(), forecast_commands(), benchmarks_commands(), footprint_commands(), plan_commands(),
          tasks_commands(), simulate_commands(), scenario_commands(), consultations_commands(), notices_commands(),
          report_commands(), export_commands(), serve_commands(), users_commands()}) {
      for (auto& c : part) all.push_back(std::move(c));
    }
    return all;
  }();
  return kAll;
}

FlagSpec format_flag(bool geojson) {
  return {"format", "FMT", geojson ? "output: table, csv, json or geojson" : "output: table, csv or json", "table"};
}

namespace {

constexpr const char* kDefaultDb = "endstate.db";
constexpr const char* kExitCodes =
    "exit codes: 0 ok, 1 usage, 2 bad input (nothing written), 3 not found, 4 internal defect, "
    "5 environment (database locked by another process, disk full, output not writable)";

std::string name_of(const CommandSpec& c) { return c.noun + (c.verb.empty() ? "" : " " + c.verb); }

std::string flag_lhs(const FlagSpec& f) { return "--" + f.name + (f.value_name.empty() ? "" : " " + f.value_name); }

std::string field_of(const FlagSpec& f) {
  if (!f.field.empty()) return f.field;
  std::string s = f.name;
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

std::string usage_line(const CommandSpec& c) {
  std::string s = "endstate [--db PATH] " + name_of(c);
  for (const auto& p : c.positionals) s += " " + p.name;
  for (const auto& f : c.flags) {
    if (f.required) s += " " + flag_lhs(f);
  }
  s += " [options]";
  return s;
}

/// The terminal's width for help text: the window of stdout, else $COLUMNS, else 100.
std::size_t terminal_width() {
  winsize w{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 40) return w.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    const long v = std::strtol(c, nullptr, 10);
    if (v >= 40 && v <= 1000) return static_cast<std::size_t>(v);
  }
  return 100;
}

/// `text` wrapped at word boundaries to `width`, continuation lines indented by `indent`.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent, std::size_t first_col) {
  std::string out;
  std::size_t col = first_col;
  std::istringstream words(text);
  std::string w;
  bool first = true;
  while (words >> w) {
    if (!first && col + 1 + w.size() > width) {
      out += "\n" + std::string(indent, ' ');
      col = indent;
    } else if (!first) {
      out += ' ';
      ++col;
    }
    out += w;
    col += w.size();
    first = false;
  }
  return out;
}

void print_command_help(std::ostream& out, const CommandSpec& c) {
  const std::size_t width = terminal_width();
  constexpr std::size_t kCol = 30;
  out << "usage: " << usage_line(c) << "\n\n" << wrap(c.summary, width, 0, 0) << "\n";
  auto row = [&](const std::string& lhs, const std::string& help) {
    out << "  " << lhs;
    std::size_t col = 2 + lhs.size();
    if (col + 2 > kCol) {
      out << "  ";
      col += 2;
    } else {
      out << std::string(kCol - col, ' ');
      col = kCol;
    }
    out << wrap(help, width, kCol, col) << "\n";
  };
  if (!c.positionals.empty()) {
    out << "\narguments:\n";
    for (const auto& p : c.positionals) row(p.name, p.help);
  }
  out << "\noptions:\n";
  for (const auto& f : c.flags) {
    std::string help = f.help;
    if (f.required) help += " (required)";
    if (!f.default_value.empty()) help += " (default: " + f.default_value + ")";
    row(flag_lhs(f), help);
  }
  row("--db PATH", std::string("database: an SQLite file (default: ./") + kDefaultDb +
                       ") or a shared PostgreSQL server, postgresql://USER@HOST/DBNAME or postgresql: (PG* variables)");
}

void print_general_help(std::ostream& out) {
  out << "endstate - decision support for the conditions-based transition of UN peace operations\n\n"
      << "usage: endstate [--db PATH] <noun> <verb> [arguments] [options]\n\ncommands:\n";
  const std::size_t width = terminal_width();
  std::size_t w = 0;
  for (const auto& c : commands()) w = std::max(w, name_of(c).size());
  for (const auto& c : commands()) {
    const std::string n = name_of(c);
    out << "  " << n << std::string(w + 2 - n.size(), ' ') << wrap(c.summary, width, w + 4, w + 4) << "\n";
  }
  out << "\n'endstate help <noun> <verb>' (or '<noun> <verb> --help') describes one command; docs/cli.md has them "
         "all.\n"
      << kExitCodes << "\n";
}

/// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The nearest of `known` to `name` when it is close enough to be a typo.
std::optional<std::string> nearest(const std::string& name, const std::vector<std::string>& known) {
  std::optional<std::string> best;
  std::size_t d = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t x = distance(name, k);
    const bool prefix = k.rfind(name, 0) == 0 && name.size() >= 3;
    if (prefix && !best) best = k;
    if (x < d) {
      d = x;
      best = k;
    }
  }
  return best;
}

const CommandSpec* find_command(const std::vector<std::string>& words, std::size_t* consumed) {
  for (const auto& c : commands()) {
    if (words.empty() || c.noun != words[0]) continue;
    if (c.verb.empty()) {
      *consumed = 1;
      return &c;
    }
    if (words.size() >= 2 && words[1] == c.verb) {
      *consumed = 2;
      return &c;
    }
  }
  return nullptr;
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
          std::vector<std::string> known;
          for (const auto& f : c.flags) known.push_back(f.name);
          known.push_back("db");
          const auto near = nearest(name, known);
          std::string list;
          for (const auto& k : known) list += " --" + k;
          throw usage_error("unknown option --" + name + " for '" + name_of(c) + "'" +
                            (near ? "; did you mean --" + *near + "?" : "") + " (known:" + list + ")");
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
    for (const auto& f : c.flags) {
      if (f.required && !a.has(f.name)) {
        throw usage_error("--" + f.name + " " + f.value_name + " is required\nusage: " + usage_line(c));
      }
    }
    return a;
  }
};

std::string version_text() {
  return std::string("endstate ") + ENDSTATE_VERSION + " (commit " + ENDSTATE_COMMIT + ")\n" + geo::gdal_version() +
         ", " + geo::geos_version() + ", " + footprint::cbc_version() + ", " + store::library_versions() + "\n";
}

namespace {

/// The message of an engine error as the user typed it: request fields named as --flags.
std::string message_for(const Error& e, const CommandSpec* c) {
  if (c && e.category() == ErrorCategory::kUsage && !e.where().field.empty() && e.where().file.empty()) {
    for (const auto& f : c->flags) {
      if (field_of(f) == e.where().field) return "--" + f.name + " " + e.message();
    }
    for (const auto& p : c->positionals) {
      std::string lower = p.name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (lower == e.where().field) return p.name + " " + e.message();
    }
  }
  return e.what();
}

const char* kind_of(ErrorCategory c) {
  switch (c) {
    case ErrorCategory::kUsage:
      return "usage";
    case ErrorCategory::kBadInput:
      return "bad input";
    case ErrorCategory::kNotFound:
      return "not found";
    case ErrorCategory::kEnvironment:
      return "cannot proceed";
    case ErrorCategory::kInternal:
      break;
  }
  return "internal error";
}

/// Fails when standard output could not be written (a full disk, /dev/full, a closed pipe).
void check_output(std::ostream& out) {
  out.flush();
  if (!out) {
    const int e = errno;
    throw environment_error(std::string("cannot write the output") + (e ? ": " + std::string(std::strerror(e)) : "") +
                            "; it is incomplete");
  }
}

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string db = kDefaultDb;
  // A command that fails leaves the database exactly as it was; when there was
  // none before, that means no file at all (not an empty, migrated one).
  std::string db_file;
  bool db_existed = true;
  const CommandSpec* match = nullptr;
  auto forget_new_database = [&] {
    if (db_existed || db_file.empty() || store::is_server_location(db_file)) return;
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
      if (args.size() >= 2) {
        const std::string& what = args[1];
        if (what == "--markdown")
          out << reference_markdown();
        else if (what == "--man")
          out << man_page();
        else if (what == "--bash-completion")
          out << bash_completion();
        else {
          std::vector<std::string> words(args.begin() + 1, args.end());
          std::size_t consumed = 0;
          if (const CommandSpec* one = find_command(words, &consumed)) {
            print_command_help(out, *one);
          } else {
            bool any = false;
            for (const auto& c : commands()) {
              if (c.noun == words[0]) {
                print_command_help(out, c);
                out << "\n";
                any = true;
              }
            }
            if (!any) throw usage_error("no command '" + words[0] + "'; run 'endstate help'");
          }
        }
        check_output(out);
        return 0;
      }
      print_general_help(out);
      check_output(out);
      return args.empty() ? 1 : 0;
    }
    if (args.front() == "--version" || args.front() == "version") {
      out << version_text();
      check_output(out);
      return 0;
    }
    const std::string noun = args.front();
    std::size_t consumed = 1;
    match = find_command(args, &consumed);
    if (!match) {
      std::vector<std::string> verbs, nouns;
      for (const auto& c : commands()) {
        if (c.noun == noun) verbs.push_back(c.verb);
        if (nouns.empty() || nouns.back() != c.noun) nouns.push_back(c.noun);
      }
      if (verbs.empty()) {
        const auto near = nearest(noun, nouns);
        throw usage_error("unknown command '" + noun + "'" + (near ? "; did you mean '" + *near + "'?" : "") +
                          " Run 'endstate help'");
      }
      if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
        for (const auto& c : commands()) {
          if (c.noun == noun) print_command_help(out, c), out << "\n";
        }
        check_output(out);
        return 0;
      }
      std::string list;
      for (const auto& v : verbs) list += " " + v;
      const auto near = args.size() >= 2 ? nearest(args[1], verbs) : std::nullopt;
      throw usage_error(
          "'" + noun + "' needs one of:" + list +
          (args.size() >= 2 ? " (got '" + args[1] + "'" + (near ? "; did you mean '" + *near + "'?" : "") + ")" : ""));
    }
    std::vector<std::string> rest(args.begin() + static_cast<long>(consumed), args.end());
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
        std::find(rest.begin(), rest.end(), "-h") != rest.end()) {
      print_command_help(out, *match);
      check_output(out);
      return 0;
    }
    const Args parsed = Parser::parse(*match, rest, db);
    db_file = parsed.db_path();
    db_existed = std::filesystem::exists(db_file);
    const int code = match->run(parsed, out);
    check_output(out);
    if (code != 0) forget_new_database();
    return code;
  } catch (const Error& e) {
    forget_new_database();
    out.flush();
    err << "endstate: " << kind_of(e.category()) << ": " << message_for(e, match) << "\n";
    if (e.category() == ErrorCategory::kBadInput) err << "endstate: nothing was written to the database\n";
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    forget_new_database();
    err << "endstate: cannot proceed: out of memory; nothing was written to the database\n";
    return static_cast<int>(ErrorCategory::kEnvironment);
  } catch (const std::system_error& e) {
    forget_new_database();
    err << "endstate: cannot proceed: " << e.what() << "\n";
    return static_cast<int>(ErrorCategory::kEnvironment);
  } catch (const std::exception& e) {
    forget_new_database();
    out.flush();
    err << "endstate: internal error: " << e.what() << "\n";
    return 4;
  }
}

namespace {

/// Text for a Markdown table cell: '|' escaped (help texts list choices as "a | b").
std::string md_cell(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|') o += '\\';
    o += c;
  }
  return o;
}

}  // namespace

std::string reference_markdown() {
  std::ostringstream md;
  md << "# endstate command reference\n\n"
     << "Generated from the command table (`endstate help --markdown`); a test keeps this file in step with "
        "the binary.\n\n"
     << "Every command accepts `--db PATH` (default `./" << kDefaultDb
     << "`), before or after the command words, and `--help`. `PATH` is an SQLite file, or a shared PostgreSQL "
        "server: `postgresql://USER@HOST[:PORT]/DBNAME`, `postgresql:` alone (every parameter from the `PG*` "
        "environment variables) or `postgresql:` followed by libpq keywords (`postgresql:host=db1 dbname=mission`); "
        "docs/deployment.md. A `FILE` argument may be `-` for standard input "
        "(not for vector files read by GDAL).\n"
     << "Exit codes: 0 ok, 1 usage, 2 bad input (nothing written), 3 not found, 4 internal defect, 5 environment "
        "(database locked by another process past the 5 s busy timeout, disk full, output not writable).\n\n";
  for (const auto& c : commands()) {
    md << "## `endstate " << name_of(c) << "`\n\n" << c.summary << "\n\n";
    md << "```\n" << usage_line(c) << "\n```\n\n";
    if (!c.positionals.empty() || !c.flags.empty()) {
      md << "| argument | meaning | default |\n|---|---|---|\n";
      for (const auto& p : c.positionals) md << "| `" << p.name << "` | " << md_cell(p.help) << " | |\n";
      for (const auto& f : c.flags) {
        md << "| `" << flag_lhs(f) << "` | " << md_cell(f.help) << (f.required ? " **(required)**" : "") << " | "
           << (f.default_value.empty() ? "" : "`" + f.default_value + "`") << " |\n";
      }
      md << "\n";
    }
  }
  return md.str();
}

namespace {

/// roff-escapes text: backslashes, leading dots and quotes, hyphens.
std::string roff(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\')
      o += "\\e";
    else if (c == '-')
      o += "\\-";
    else
      o += c;
  }
  if (!o.empty() && (o[0] == '.' || o[0] == '\'')) o = "\\&" + o;
  return o;
}

}  // namespace

std::string man_page() {
  std::ostringstream m;
  m << ".TH ENDSTATE 1 \"\" \"endstate " << ENDSTATE_VERSION << "\" \"User Commands\"\n"
    << ".SH NAME\nendstate \\- decision support for the conditions\\-based transition of UN peace operations\n"
    << ".SH SYNOPSIS\n.B endstate\n[\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fInoun\\fR [\\fIverb\\fR] [\\fIarguments\\fR] "
       "[\\fIoptions\\fR]\n"
    << ".SH DESCRIPTION\n"
    << roff(
           "endstate loads a mission's geography, conflict events, deployments and indicators into one "
           "database and answers the questions of a drawdown: where civilians are threatened, which provinces "
           "meet the agreed benchmarks and by whose standard, where the remaining troops should be, and in what "
           "order bases can close.")
    << "\n.SH COMMANDS\n";
  for (const auto& c : commands()) {
    m << ".SS \"" << roff("endstate " + name_of(c)) << "\"\n" << roff(c.summary) << "\n";
    for (const auto& p : c.positionals) m << ".TP\n.I " << roff(p.name) << "\n" << roff(p.help) << "\n";
    for (const auto& f : c.flags) {
      m << ".TP\n.B \\-\\-" << roff(f.name) << (f.value_name.empty() ? "" : " \\fI" + roff(f.value_name) + "\\fR")
        << "\n"
        << roff(f.help) << (f.required ? " (required)" : "")
        << (f.default_value.empty() ? "" : " (default: " + roff(f.default_value) + ")") << "\n";
    }
  }
  m << ".SH OPTIONS\n.TP\n.B \\-\\-db \\fIPATH\\fR\n"
    << roff(std::string("the database (default ./") + kDefaultDb +
            "): an SQLite file, or a PostgreSQL server as postgresql://USER@HOST/DBNAME or postgresql: (PG* "
            "environment variables); any command takes it")
    << "\n"
    << ".TP\n.B \\-\\-help\nhelp of the command\n.TP\n.B \\-\\-version\nversion, commit and library versions\n"
    << ".SH EXIT STATUS\n"
    << roff(kExitCodes) << "\n"
    << ".SH ENVIRONMENT\n.TP\n.B PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD ...\n"
    << "libpq's connection parameters, read for a \\-\\-db postgresql: location\n"
    << ".SH FILES\n.TP\n.I endstate.db\nthe default database (SQLite)\n"
    << ".SH SEE ALSO\nThe command reference docs/cli.md and the method notes in docs/ of the source.\n";
  return m.str();
}

std::string bash_completion() {
  std::ostringstream b;
  b << "# bash completion for endstate (generated by 'endstate help --bash-completion')\n"
    << "_endstate() {\n"
    << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" words=() i w\n"
    << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
    << "    w=\"${COMP_WORDS[i]}\"\n"
    << "    if [[ $w == --db ]]; then ((i++)); continue; fi\n"
    << "    [[ $w == -* ]] && continue\n"
    << "    words+=(\"$w\")\n"
    << "  done\n"
    << "  local prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
    << "  if [[ $prev == --db ]]; then COMPREPLY=($(compgen -f -- \"$cur\")); return; fi\n"
    << "  case \"${#words[@]}\" in\n"
    << "    0)\n      COMPREPLY=($(compgen -W \"";
  std::vector<std::string> nouns;
  for (const auto& c : commands()) {
    if (std::find(nouns.begin(), nouns.end(), c.noun) == nouns.end()) nouns.push_back(c.noun);
  }
  for (const auto& n : nouns) b << n << " ";
  b << "help --help --version --db\" -- \"$cur\"))\n      return;;\n  esac\n"
    << "  local cmd=\"${words[0]} ${words[1]}\"\n"
    << "  case \"${words[0]}\" in\n";
  for (const auto& n : nouns) {
    std::string verbs;
    for (const auto& c : commands()) {
      if (c.noun == n && !c.verb.empty()) verbs += c.verb + " ";
    }
    if (verbs.empty()) continue;
    b << "    " << n << ")\n      if [[ ${#words[@]} -eq 1 ]]; then COMPREPLY=($(compgen -W \"" << verbs
      << "\" -- \"$cur\")); return; fi;;\n";
  }
  b << "  esac\n  local flags=\"\"\n  case \"$cmd\" in\n";
  for (const auto& c : commands()) {
    b << "    \"" << c.noun << " " << c.verb << "\"*|\"" << name_of(c) << " \"*)\n      flags=\"";
    for (const auto& f : c.flags) b << "--" << f.name << " ";
    b << "--db --help\";;\n";
  }
  b << "  esac\n"
    << "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\")); else COMPREPLY=($(compgen -f -- "
       "\"$cur\")); fi\n"
    << "}\n"
    << "complete -F _endstate endstate\n";
  return b.str();
}

}  // namespace endstate::cli
