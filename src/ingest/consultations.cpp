// The consultation log's CSV (ingest/consultations.hpp).
#include "endstate/ingest/consultations.hpp"

#include <chrono>
#include <filesystem>
#include <map>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/types.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::ingest {

namespace fs = std::filesystem;

const std::vector<std::string>& consultation_channels() {
  static const std::vector<std::string> kChannels = {"meeting", "focus_group", "radio",  "sms",  "phone",
                                                     "letter",  "visit",       "survey", "other"};
  return kChannels;
}

namespace {

/// Why `text` looks like personal data, or "".
std::string personal_data(const std::string& text) {
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits >= 7) return "looks like a phone number";
    } else if (!(digits > 0 && (c == ' ' || c == '-' || c == '.' || c == '/') && i + 1 < text.size() &&
                 text[i + 1] >= '0' && text[i + 1] <= '9') &&
               !(c == '+' && digits == 0)) {
      digits = 0;
    }
  }
  const auto at = text.find('@');
  if (at != std::string::npos && at > 0 && text.find('.', at) != std::string::npos) {
    return "looks like an e-mail address";
  }
  return "";
}

}  // namespace

std::vector<store::ConsultationRow> read_consultations(const std::string& path, const ConsultationReadOptions& o) {
  if (!fs::exists(path)) throw Error(ErrorCategory::kNotFound, "no such file", {path, 0, ""});
  CsvReader csv(path);
  if (!csv.next()) throw bad_input("file is empty; expected a header", {path, 1, ""});
  std::vector<std::string> header;
  for (auto f : csv.fields()) header.push_back(to_lower(trim(f)));
  static const std::vector<std::string> kColumns = {"locality", "territory", "date",    "channel",
                                                    "who",      "summary",   "concerns"};
  static const std::vector<std::string> kRequired = {"locality", "date", "channel", "who", "summary"};
  std::map<std::string, int> col;
  for (std::size_t i = 0; i < header.size(); ++i) {
    bool known = false;
    for (const auto& k : kColumns) known = known || k == header[i];
    if (!known) {
      throw bad_input("unknown column '" + header[i] + "' (columns: " + join(kColumns, ", ") + ")",
                      {path, csv.line(), header[i]});
    }
    if (col.count(header[i])) throw bad_input("column appears twice", {path, csv.line(), header[i]});
    col[header[i]] = static_cast<int>(i);
  }
  for (const auto& k : kRequired) {
    if (!col.count(k)) throw bad_input("missing required column", {path, csv.line(), k});
  }
  std::vector<store::ConsultationRow> rows;
  std::vector<Error> problems;
  std::map<std::string, std::int64_t> seen;  // id -> first line
  // Today (UTC) plus a day: a consultation held today somewhere east of UTC is not in the future.
  const Date latest = Date::from_days(static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::days>(std::chrono::system_clock::now().time_since_epoch()).count() + 1));
  while (csv.next()) {
    if (csv.size() == 1 && trim(csv[0]).empty()) continue;  // blank line
    const std::int64_t line = csv.line();
    auto field = [&](const std::string& name) -> std::string {
      const auto it = col.find(name);
      if (it == col.end() || static_cast<std::size_t>(it->second) >= csv.size()) return "";
      return std::string(trim(csv[static_cast<std::size_t>(it->second)]));
    };
    auto problem = [&](const std::string& name, const std::string& why) {
      problems.push_back(bad_input(why, {path, line, name}));
    };
    if (csv.size() != header.size()) {
      problem("", "has " + std::to_string(csv.size()) + " fields, the header " + std::to_string(header.size()));
      continue;
    }
    if (!is_valid_utf8(csv.raw())) {
      problem("", "is not valid UTF-8 (save the file as UTF-8)");
      continue;
    }
    store::ConsultationRow r;
    r.locality = field("locality");
    r.territory = field("territory");
    r.date = field("date");
    r.channel = to_lower(field("channel"));
    r.who = field("who");
    r.summary = field("summary");
    r.personal = o.allow_personal_data;
    for (const auto& c : split(field("concerns"), ';')) {
      const std::string t(trim(c));
      if (!t.empty()) r.concerns.push_back(t);
    }
    const std::size_t before = problems.size();
    for (const char* k : {"locality", "who", "summary"}) {
      if (field(k).empty()) problem(k, "is empty");
    }
    const auto d = Date::parse(r.date);
    if (!d || r.date.size() != 10) {
      problem("date", "'" + r.date + "' is not a date YYYY-MM-DD");
    } else if (*d > latest) {
      problem("date", r.date + " is in the future");
    }
    bool channel_ok = false;
    for (const auto& c : consultation_channels()) channel_ok = channel_ok || c == r.channel;
    if (!channel_ok) {
      problem("channel", "'" + r.channel + "' is not one of " + join(consultation_channels(), ", "));
    }
    if (!o.allow_personal_data) {
      for (const char* k : {"who", "summary", "concerns"}) {
        if (const auto why = personal_data(field(k)); !why.empty()) {
          problem(k, why +
                         "; the log keeps no personal data (describe the group, not a person), or import with "
                         "personal data allowed");
        }
      }
    }
    if (problems.size() != before) continue;
    r.id = sha256_hex(r.locality + '\x1f' + r.territory + '\x1f' + r.date + '\x1f' + r.channel + '\x1f' + r.who +
                      '\x1f' + r.summary);
    if (const auto it = seen.find(r.id); it != seen.end()) {
      problem("summary",
              "repeats line " + std::to_string(it->second) + " (same locality, date, channel, who and summary)");
      continue;
    }
    seen[r.id] = line;
    rows.push_back(std::move(r));
  }
  if (!problems.empty()) {
    const auto& first = problems.front();
    std::string more = problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more: " : "";
    for (std::size_t i = 1; i < problems.size() && i < 6; ++i) {
      more += (i > 1 ? "; " : "") + std::string("line ") + std::to_string(problems[i].where().line) + " " +
              problems[i].where().field + ": " + problems[i].message();
    }
    if (problems.size() > 1) more += problems.size() > 6 ? "; ...)" : ")";
    throw bad_input(first.message() + more + "; nothing was imported", first.where());
  }
  return rows;
}

ImportSummary import_consultations(store::Database& db, const std::string& path, const ConsultationReadOptions& o) {
  auto rows = read_consultations(path, o);  // every row checked before the store changes
  ImportSummary s;
  s.file = path;
  s.kind = "consultations";
  s.sha256 = sha256_file(path);
  store::Database::Transaction tx(db);
  const std::int64_t import_id = db.begin_import("consultations", path, s.sha256, "csv");
  for (auto& r : rows) {
    ++s.read;
    r.import_id = import_id;
    if (db.insert_consultation(r, import_id)) {
      ++s.imported;
    } else {
      ++s.duplicates;
    }
  }
  db.finish_import(import_id, s);
  tx.commit();
  return s;
}

}  // namespace endstate::ingest
