#pragma once
// Notice templates: plain UTF-8 text files that a mission's public
// information staff edit, one per language (docs/data-formats.md, "Notice
// templates"):
//
//     # comment lines start with '#'
//     language: fr
//     name: Français
//     [title]
//     Changements de la présence de la {mission} près de {locality}
//     [closure]
//     ...
//
// Each [section] holds text with {field} placeholders ("{{" and "}}" for
// literal braces). The sections and the fields each may use are fixed
// (notice_sections()); an unknown section, an unknown field, an unclosed
// brace or a repeated section is an Error(kBadInput) naming the file and
// line. A missing section is not an error: the notice reports it as a
// missing translation.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace endstate::report {

/// One section of a template and the line where its text starts.
struct TemplateSection {
  std::string text;  ///< lines joined by '\n', surrounding blank lines trimmed
  int line = 0;      ///< line of the [section] header
};

struct NoticeTemplate {
  std::string file;
  std::string language;  ///< code from the file ("fr", "en", "sw", "ln")
  std::string name;      ///< display name ("Français")
  std::map<std::string, TemplateSection> sections;
  [[nodiscard]] bool has(const std::string& section) const { return sections.count(section) > 0; }
};

/// The sections a notice template may hold, each with the fields it may use.
const std::map<std::string, std::set<std::string>>& notice_sections();

/// Parses a template; Error(kBadInput) with file and line on the first problem.
NoticeTemplate parse_template(const std::string& text, const std::string& file);

/// The section's text with every {field} replaced. Error(kInternal) when a
/// field has no value (parse_template has checked the names).
std::string fill(const TemplateSection& s, const std::map<std::string, std::string>& fields);

/// The built-in templates (en, fr, sw, ln) and languages.csv, as (file name, text).
const std::vector<std::pair<std::string, std::string>>& default_notice_files();

}  // namespace endstate::report
