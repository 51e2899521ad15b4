// Notice templates (report/templates.hpp).
#include "endstate/report/templates.hpp"

#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::report {

const std::map<std::string, std::set<std::string>>& notice_sections() {
  static const std::map<std::string, std::set<std::string>> kSections = {
      {"title", {"mission", "locality"}},
      {"intro", {"mission", "locality", "territory", "province"}},
      {"closure", {"mission", "locality", "site", "date"}},
      {"exit", {"mission", "locality", "province", "site", "date"}},
      {"security_base", {"mission", "locality", "site", "hours"}},
      {"security_air", {"mission", "locality", "site", "hours"}},
      {"security_police", {"mission", "locality", "province"}},
      {"alert", {"mission", "locality", "contacts"}},
      {"feedback", {"mission", "locality", "feedback"}},
      {"footer", {"mission", "date_issued"}},
      {"sms", {"mission", "locality", "change", "security", "contacts", "feedback"}},
      {"sms_closure", {"mission", "locality", "site", "date"}},
      {"sms_exit", {"mission", "locality", "province", "site", "date"}},
      {"sms_security_base", {"mission", "locality", "site", "hours"}},
      {"sms_security_air", {"mission", "locality", "site", "hours"}},
      {"sms_security_police", {"mission", "locality", "province"}},
      {"months", {}},
  };
  return kSections;
}

namespace {

/// Checks the {field} placeholders of one line; returns the problem or "".
std::string check_fields(const std::string& line, const std::set<std::string>& allowed, const std::string& section) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '{') {
      if (i + 1 < line.size() && line[i + 1] == '{') {
        ++i;
        continue;
      }
      const auto close = line.find('}', i);
      if (close == std::string::npos) return "'{' without a closing '}' (write {{ for a literal brace)";
      const std::string name = line.substr(i + 1, close - i - 1);
      if (!allowed.count(name)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("{" + a + "}");
        return "unknown field {" + name + "} in [" + section + "]" +
               (list.empty() ? std::string(" (this section takes no fields)") : " (fields: " + list + ")");
      }
      i = close;
    } else if (line[i] == '}') {
      if (i + 1 < line.size() && line[i + 1] == '}') {
        ++i;
        continue;
      }
      return "'}' without an opening '{' (write }} for a literal brace)";
    }
  }
  return "";
}

}  // namespace

NoticeTemplate parse_template(const std::string& text, const std::string& file) {
  NoticeTemplate t;
  t.file = file;
  if (!is_valid_utf8(text)) {
    throw bad_input("not valid UTF-8 (save the template as UTF-8)", {file, 0, ""});
  }
  std::istringstream in(text);
  std::string line, section;
  int n = 0;
  std::vector<std::string> body;
  auto flush = [&] {
    if (section.empty()) return;
    while (!body.empty() && trim(body.back()).empty()) body.pop_back();
    std::size_t first = 0;
    while (first < body.size() && trim(body[first]).empty()) ++first;
    std::string joined;
    for (std::size_t i = first; i < body.size(); ++i) joined += (i > first ? "\n" : "") + body[i];
    t.sections[section].text = joined;
    body.clear();
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    const std::string_view tl = trim(line);
    if (!tl.empty() && tl[0] == '#') continue;
    if (!tl.empty() && tl.front() == '[' && tl.back() == ']') {
      flush();
      section = std::string(tl.substr(1, tl.size() - 2));
      if (!notice_sections().count(section)) {
        std::string list;
        for (const auto& [k, v] : notice_sections()) list += (list.empty() ? "" : ", ") + k;
        throw bad_input("unknown section [" + section + "] (sections: " + list + ")", {file, n, section});
      }
      if (t.sections.count(section)) throw bad_input("section [" + section + "] appears twice", {file, n, section});
      t.sections[section].line = n;
      continue;
    }
    if (section.empty()) {
      if (tl.empty()) continue;
      const auto colon = tl.find(':');
      const std::string key = colon == std::string_view::npos ? "" : std::string(trim(tl.substr(0, colon)));
      const std::string value = colon == std::string_view::npos ? "" : std::string(trim(tl.substr(colon + 1)));
      if (key == "language") {
        t.language = value;
      } else if (key == "name") {
        t.name = value;
      } else {
        throw bad_input("expected 'language: CODE', 'name: NAME' or a [section] header", {file, n, key});
      }
      continue;
    }
    if (const auto problem = check_fields(line, notice_sections().at(section), section); !problem.empty()) {
      throw bad_input(problem, {file, n, section});
    }
    body.push_back(line);
  }
  flush();
  if (t.language.empty()) throw bad_input("missing 'language: CODE' before the first section", {file, 1, "language"});
  if (t.language.size() > 12 || t.language.find_first_of(" ;,/") != std::string::npos) {
    throw bad_input("language code '" + t.language + "' is not a code such as fr, en, sw, ln", {file, 1, "language"});
  }
  if (t.name.empty()) t.name = t.language;
  if (t.has("months")) {
    const auto& m = t.sections["months"];
    const auto names = split(m.text, '\n');
    if (names.size() != 12) {
      throw bad_input("[months] must list 12 month names, one per line (found " + std::to_string(names.size()) + ")",
                      {file, m.line, "months"});
    }
  }
  return t;
}

std::string fill(const TemplateSection& s, const std::map<std::string, std::string>& fields) {
  std::string out;
  const std::string& x = s.text;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if ((x[i] == '{' || x[i] == '}') && i + 1 < x.size() && x[i + 1] == x[i]) {
      out += x[i];
      ++i;
    } else if (x[i] == '{') {
      const auto close = x.find('}', i);
      const std::string name = x.substr(i + 1, close - i - 1);
      const auto it = fields.find(name);
      if (it == fields.end()) throw internal_error("template field {" + name + "} has no value");
      out += it->second;
      i = close;
    } else {
      out += x[i];
    }
  }
  return out;
}

}  // namespace endstate::report
