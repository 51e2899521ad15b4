// Public notices per locality (report/notices.hpp).
#include "endstate/report/notices.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/service/engine.hpp"
#include "report/detail/html.hpp"

namespace endstate::report {
namespace {

namespace fs = std::filesystem;
using detail::escape;

/// Fields of one CSV line (quotes with "" escapes; no newlines inside a field).
std::vector<std::string> csv_fields(const std::string& line, const std::string& file, int n) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) throw bad_input("unterminated quoted field", {file, n, ""});
  for (auto& f : out) f = std::string(trim(f));
  return out;
}

std::vector<TerritoryLanguages> parse_languages(const std::string& text, const std::string& file) {
  if (!is_valid_utf8(text)) throw bad_input("not valid UTF-8", {file, 0, ""});
  std::istringstream in(text);
  std::string line;
  int n = 0;
  std::vector<std::string> header;
  std::vector<TerritoryLanguages> out;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    auto f = csv_fields(line, file, n);
    if (header.empty()) {
      for (auto& h : f) h = to_lower(h);
      const std::vector<std::string> want{"territory", "languages", "feedback"};
      for (const auto& h : f) {
        if (std::find(want.begin(), want.end(), h) == want.end()) {
          throw bad_input("unknown column '" + h + "' (columns: territory, languages, feedback)", {file, n, h});
        }
      }
      for (const auto& w : want) {
        if (std::find(f.begin(), f.end(), w) == f.end()) throw bad_input("missing column", {file, n, w});
      }
      header = f;
      continue;
    }
    if (f.size() != header.size()) {
      throw bad_input("has " + std::to_string(f.size()) + " fields, the header " + std::to_string(header.size()),
                      {file, n, ""});
    }
    TerritoryLanguages t;
    t.line = n;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (header[i] == "territory") t.territory = f[i];
      if (header[i] == "feedback") t.feedback = f[i];
      if (header[i] == "languages") {
        for (const auto& l : split(f[i], ';')) {
          const std::string code(trim(l));
          if (!code.empty()) t.languages.push_back(code);
        }
      }
    }
    if (t.territory.empty()) throw bad_input("is empty (an area id or name, or *)", {file, n, "territory"});
    if (t.languages.empty()) throw bad_input("lists no language", {file, n, "languages"});
    if (!seen.insert(to_lower(t.territory)).second) {
      throw bad_input("territory '" + t.territory + "' appears twice", {file, n, "territory"});
    }
    out.push_back(std::move(t));
  }
  if (header.empty()) throw bad_input("no header (territory,languages,feedback)", {file, n, ""});
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw Error(ErrorCategory::kNotFound, "cannot open", {p.string(), 0, ""});
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

std::vector<AlertContact> alert_contacts(const tasks::Register& reg) {
  std::vector<AlertContact> out;
  for (const auto& c : reg.continuity) {
    if (c.kind == tasks::ContinuityKind::kHumanRightsMonitoring) continue;
    std::vector<std::string> how;
    if (!c.contact.phone.empty()) how.push_back(c.contact.phone);
    if (!c.contact.radio.empty()) how.push_back("radio " + c.contact.radio);
    if (how.empty()) continue;  // a mechanism no one can reach is not an alert contact
    out.push_back(
        {c.territory,
         c.kind == tasks::ContinuityKind::kAlertNetwork ? "community alert network" : "local protection committee",
         c.name, join(how, ", ")});
  }
  return out;
}

NoticeTemplates load_notice_templates(const std::string& dir) {
  NoticeTemplates t;
  std::vector<std::pair<std::string, std::string>> files;  // (path shown, text)
  if (dir.empty()) {
    t.source = "built-in";
    for (const auto& [name, text] : default_notice_files()) files.push_back({"built-in:" + name, text});
  } else {
    t.source = dir;
    if (!fs::is_directory(dir)) throw Error(ErrorCategory::kNotFound, "no such folder", {dir, 0, "templates"});
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(dir)) {
      const auto ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".txt" || e.path().filename() == "languages.csv")) paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    if (!fs::exists(fs::path(dir) / "languages.csv")) {
      throw Error(ErrorCategory::kNotFound, "no languages.csv in the templates folder",
                  {(fs::path(dir) / "languages.csv").string(), 0, ""});
    }
    for (const auto& p : paths) files.push_back({p.string(), read_all(p)});
  }
  for (const auto& [path, text] : files) {
    if (path.size() >= 13 && path.substr(path.size() - 13) == "languages.csv") {
      t.territories = parse_languages(text, path);
      continue;
    }
    auto tpl = parse_template(text, path);
    if (t.by_language.count(tpl.language)) {
      throw bad_input(
          "a second template for language '" + tpl.language + "' (also " + t.by_language[tpl.language].file + ")",
          {path, 1, "language"});
    }
    t.by_language[tpl.language] = std::move(tpl);
  }
  return t;
}

std::vector<std::string> write_default_templates(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::vector<std::string> out;
  for (const auto& [name, text] : default_notice_files()) {
    const fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) throw usage_error(p.string() + " exists; not overwriting an edited template");
    std::ofstream f(p, std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw environment_error("cannot write " + p.string());
    out.push_back(p.string());
  }
  return out;
}

namespace {

struct Writer {
  const NoticeTemplates& t;
  const NoticeTemplate* own = nullptr;       // the language's template (may be null)
  const NoticeTemplate* fallback = nullptr;  // English
  std::string language;
  std::vector<std::string>* missing;

  /// The section's text in the language, else the fallback's, flagged.
  std::string text(const std::string& section, const std::map<std::string, std::string>& fields) {
    if (own && own->has(section)) return fill(own->sections.at(section), fields);
    missing->push_back("translation:" + section);
    if (fallback && fallback->has(section)) {
      return "[translation missing (" + language + "), English: " + fill(fallback->sections.at(section), fields) + "]";
    }
    return "[translation missing (" + language + "): " + section + "]";
  }
  std::string month_name(Month m) {
    for (const auto* tpl : {own, fallback}) {
      if (tpl && tpl->has("months")) {
        const auto names = split(tpl->sections.at("months").text, '\n');
        const std::string name(trim(names[static_cast<std::size_t>(m.month() - 1)]));
        if (tpl != own) missing->push_back("translation:months");
        return name + " " + std::to_string(m.year());
      }
    }
    missing->push_back("translation:months");
    return m.str();
  }
};

const TerritoryLanguages* config_for(const NoticeTemplates& t, const service::AffectedLocality& a) {
  const TerritoryLanguages* star = nullptr;
  for (const auto& c : t.territories) {
    if (c.territory == "*") {
      star = &c;
    } else if (iequals(c.territory, a.area_id) || iequals(c.territory, a.area)) {
      return &c;
    }
  }
  return star;
}

std::vector<const AlertContact*> contacts_for(const std::vector<AlertContact>& all,
                                              const service::AffectedLocality& a) {
  std::vector<const AlertContact*> out;
  for (const auto& c : all) {
    if (iequals(c.area, a.name) || (!a.area_id.empty() && (iequals(c.area, a.area_id) || iequals(c.area, a.area))) ||
        (!a.province_id.empty() && (iequals(c.area, a.province_id) || iequals(c.area, a.province)))) {
      out.push_back(&c);
    }
  }
  return out;
}

std::string hours_text(double h) { return svg::fixed(std::max(0.1, h), 1); }

}  // namespace

NoticeSet compose_notices(const service::NoticeTargetsResult& targets, const NoticeTemplates& templates,
                          const NoticeOptions& options) {
  NoticeSet set;
  set.targets = &targets;
  set.templates_source = templates.source;
  const auto fb = templates.by_language.find(templates.fallback);
  const NoticeTemplate* fallback = fb == templates.by_language.end() ? nullptr : &fb->second;
  std::optional<Month> earliest;
  for (const auto& a : targets.localities) earliest = earliest ? std::min(*earliest, a.when) : a.when;
  const std::string issued =
      !options.issued.empty() ? options.issued : (earliest ? earliest->plus(-1).first_day().iso() : "");
  for (const auto& a : targets.localities) {
    const auto* cfg = config_for(templates, a);
    std::vector<std::string> languages = cfg ? cfg->languages : std::vector<std::string>{templates.fallback};
    if (!cfg) {
      set.problems.push_back({a.name, "", "languages",
                              "no row of languages.csv covers territory '" + a.area +
                                  "' and there is no '*' row; written in " + templates.fallback});
    }
    const auto contacts = contacts_for(options.contacts, a);
    std::vector<std::string> contact_texts;
    contact_texts.reserve(contacts.size());
    for (const auto* c : contacts) contact_texts.push_back(c->name + " (" + c->kind + "): " + c->contact);
    const std::string feedback = cfg ? cfg->feedback : "";
    for (const auto& lang : languages) {
      Notice n;
      n.locality = &a;
      n.language = lang;
      const auto it = templates.by_language.find(lang);
      const NoticeTemplate* own = it == templates.by_language.end() ? nullptr : &it->second;
      n.language_name = own ? own->name : lang;
      Writer w{templates, own, fallback, lang, &n.missing};
      if (!own) n.missing.push_back("template:" + lang);
      const std::string date = w.month_name(a.when);
      std::map<std::string, std::string> f{{"mission", options.mission},
                                           {"locality", a.name},
                                           {"territory", a.area.empty() ? a.area_id : a.area},
                                           {"province", a.province.empty() ? a.province_id : a.province},
                                           {"site", a.site},
                                           {"date", date},
                                           {"date_issued", issued}};
      n.title = w.text("title", f);
      n.paragraphs.push_back(w.text("intro", f));
      const std::string change_section = a.change == "exit" ? "exit" : "closure";
      n.paragraphs.push_back(w.text(change_section, f));
      auto sf = f;
      sf["site"] = a.after_site;
      sf["hours"] = hours_text(a.after_hours);
      const std::string sec = a.after == service::SecurityAfter::kBase  ? "security_base"
                              : a.after == service::SecurityAfter::kAir ? "security_air"
                                                                        : "security_police";
      n.paragraphs.push_back(w.text(sec, sf));
      std::string contacts_text;
      if (contact_texts.empty()) {
        n.missing.push_back("contacts");
        contacts_text = options.contacts_from_register
                            ? "[MISSING: no community alert network or protection committee contact for " + a.name +
                                  " in the task register]"
                            : "[MISSING: alert contacts for " + a.name + " - give the task register (--tasks)]";
      } else {
        contacts_text = join(contact_texts, "; ");
      }
      auto cf = f;
      cf["contacts"] = contacts_text;
      n.paragraphs.push_back(w.text("alert", cf));
      std::string feedback_text = feedback;
      if (feedback_text.empty()) {
        n.missing.push_back("feedback");
        feedback_text =
            "[MISSING: feedback channel for " + (a.area.empty() ? a.area_id : a.area) + " in languages.csv]";
      }
      cf["feedback"] = feedback_text;
      n.paragraphs.push_back(w.text("feedback", cf));
      n.footer = w.text("footer", f);
      auto smsf = cf;
      smsf["change"] = w.text("sms_" + change_section, f);
      smsf["security"] = w.text("sms_" + sec, sf);
      n.sms_text = w.text("sms", smsf);
      n.sms = split_sms(n.sms_text);
      std::sort(n.missing.begin(), n.missing.end());
      n.missing.erase(std::unique(n.missing.begin(), n.missing.end()), n.missing.end());
      for (const auto& m : n.missing) {
        std::string msg = m == "contacts"   ? "no alert contact (community alert network, local protection committee)"
                          : m == "feedback" ? "no feedback channel for the territory in languages.csv"
                          : m.rfind("template:", 0) == 0
                              ? "no template for language '" + lang + "' (add " + lang + ".txt)"
                              : "section [" + m.substr(12) + "] missing in the " + lang + " template";
        set.problems.push_back({a.name, lang, m, msg});
      }
      set.notices.push_back(std::move(n));
    }
  }
  return set;
}

std::string notices_html(const NoticeSet& set, const std::string& mission) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Public notices - " << escape(mission)
    << "</title><style>"
    << R"css(
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt; color: #111; margin: 0; }
.page { break-before: page; display: grid; grid-template-columns: 64% 34%; column-gap: 2%; }
.index { break-before: auto; }
.notice { border: 2pt solid #0b3d6e; padding: 10pt 14pt; }
.notice h1 { font-size: 17pt; color: #0b3d6e; margin: 0 0 8pt 0; }
.notice p { margin: 0 0 8pt 0; line-height: 1.4; }
.notice .lang { float: right; font-size: 9pt; color: #555; }
.notice footer { font-size: 9pt; color: #444; border-top: 0.5pt solid #999; padding-top: 4pt; margin-top: 10pt; }
.staff { font-size: 8.5pt; background: #f3f3f3; padding: 6pt 8pt; }
.staff h2 { font-size: 10pt; margin: 0 0 4pt 0; }
.sms { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; background: #fff; border: 0.5pt solid #bbb; padding: 3pt; margin: 3pt 0; }
.missing { color: #b00000; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
)css"
    << "</style></head><body>\n";
  const auto& t = *set.targets;
  o << "<section class=\"index\"><h1>Public notices: " << escape(join(t.closed_sites, ", ")) << "</h1><p>"
    << set.notices.size() << " notice(s) for " << t.localities.size() << " localit"
    << (t.localities.size() == 1 ? "y" : "ies") << " within " << svg::fixed(t.response_hours, 1)
    << " h of a base that closes; templates: " << escape(set.templates_source)
    << ". Print one page per notice; the grey panel beside each is for mission staff and is not part of the "
       "notice.</p>\n";
  o << "<h2>Problems to fix before posting (" << set.problems.size() << ")</h2>";
  if (set.problems.empty()) {
    o << "<p>None.</p>";
  } else {
    o << "<table data-problems=\"" << set.problems.size()
      << "\"><thead><tr><th>locality</th><th>language</th><th>what</th><th>problem</th></tr></thead><tbody>";
    for (const auto& p : set.problems) {
      o << "<tr><td>" << escape(p.locality) << "</td><td>" << escape(p.language) << "</td><td>" << escape(p.what)
        << "</td><td>" << escape(p.message) << "</td></tr>";
    }
    o << "</tbody></table>";
  }
  o << "</section>\n";
  auto marked = [](const std::string& text) {
    // Visible markers for what is missing.
    std::string e = escape(text), out;
    std::size_t i = 0;
    while (i < e.size()) {
      const auto open = e.find('[', i);
      if (open == std::string::npos) {
        out += e.substr(i);
        break;
      }
      const auto close = e.find(']', open);
      const std::string inner = close == std::string::npos ? "" : e.substr(open, close - open + 1);
      out += e.substr(i, open - i);
      if (inner.rfind("[MISSING", 0) == 0 || inner.rfind("[translation missing", 0) == 0) {
        out += "<span class=\"missing\">" + inner + "</span>";
        i = close + 1;
      } else {
        out += "[";
        i = open + 1;
      }
    }
    return out;
  };
  for (const auto& n : set.notices) {
    const auto& a = *n.locality;
    o << "<section class=\"page\"><article class=\"notice\" lang=\"" << escape(n.language) << "\" data-locality=\""
      << escape(a.name) << "\" data-area=\"" << escape(a.area_id) << "\" data-language=\"" << escape(n.language)
      << "\" data-missing=\"" << escape(join(n.missing, ";")) << "\"><span class=\"lang\">" << escape(n.language_name)
      << "</span><h1>" << marked(n.title) << "</h1>";
    for (const auto& p : n.paragraphs) o << "<p>" << marked(p) << "</p>";
    o << "<footer>" << marked(n.footer) << "</footer></article>\n<aside class=\"staff\"><h2>For mission staff</h2><p>"
      << escape(a.name) << ", " << escape(a.area) << (a.province.empty() ? "" : ", " + escape(a.province))
      << ". Population " << svg::fixed(a.population, 0) << ". Change: " << escape(a.change) << " of " << escape(a.site)
      << " (" << svg::fixed(a.hours_before, 1) << " h), " << a.when.str()
      << ". Afterwards: " << escape(service::to_string(a.after))
      << (a.after_site.empty() ? "" : " from " + escape(a.after_site))
      << (a.after == service::SecurityAfter::kPolice ? "" : " (" + svg::fixed(a.after_hours, 1) + " h)") << ".</p>";
    o << "<h2>SMS (" << to_string(n.sms.encoding) << ", at most " << n.sms.limit << " "
      << (n.sms.encoding == SmsEncoding::kGsm7 ? "characters" : "UCS-2 units") << " each)</h2>";
    for (const auto& p : n.sms.parts) {
      o << "<div class=\"sms\" data-encoding=\"" << to_string(n.sms.encoding) << "\" data-units=\"" << p.units
        << "\" data-limit=\"" << n.sms.limit << "\">" << marked(p.text) << " <em>(" << p.units << ")</em></div>";
    }
    o << "<h2>Consultations here (" << a.consultations.size() << ")</h2>";
    if (a.consultations.empty()) o << "<p>None recorded.</p>";
    for (const auto& c : a.consultations) {
      o << "<p><strong>" << escape(c.date) << "</strong>, " << escape(c.channel) << ", " << escape(c.who) << ": "
        << escape(c.summary);
      if (!c.concerns.empty()) o << " <em>Concerns: " << escape(join(c.concerns, "; ")) << ".</em>";
      o << "</p>";
    }
    if (!n.missing.empty()) {
      o << "<h2>Missing</h2><p class=\"missing\">" << escape(join(n.missing, ", ")) << "</p>";
    }
    o << "</aside></section>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

io::Table notices_table(const NoticeSet& set) {
  io::Table t({{"locality"},
               {"area"},
               {"province"},
               {"language"},
               {"change"},
               {"site"},
               {"month"},
               {"security"},
               {"security_site"},
               {"security_hours", 1},
               {"consultations"},
               {"sms_encoding"},
               {"sms_limit"},
               {"sms_parts"},
               {"missing"}});
  for (const auto& n : set.notices) {
    const auto& a = *n.locality;
    std::vector<std::string> parts;
    for (const auto& p : n.sms.parts) parts.push_back(p.text);
    t.add({a.name, a.area.empty() ? io::Cell() : io::Cell(a.area),
           a.province.empty() ? io::Cell() : io::Cell(a.province), n.language, a.change, a.site, a.when.str(),
           service::to_string(a.after), a.after_site.empty() ? io::Cell() : io::Cell(a.after_site),
           a.after == service::SecurityAfter::kPolice ? io::Cell() : io::Cell(a.after_hours),
           static_cast<std::int64_t>(a.consultations.size()), to_string(n.sms.encoding),
           static_cast<std::int64_t>(n.sms.limit), parts, n.missing});
  }
  return t;
}

NoticeSet public_notices(service::Engine& engine, const PublicNoticesRequest& request,
                         service::NoticeTargetsResult& targets) {
  const auto templates = load_notice_templates(request.templates_dir);
  targets = engine.notice_targets(request.targets);
  NoticeOptions o = request.options;
  if (request.register_file) {
    service::TasksRequest tr;
    tr.file = *request.register_file;
    tr.base_dir = request.register_base_dir;
    o.contacts = alert_contacts(engine.tasks_validate(tr).reg);
    o.contacts_from_register = true;
  }
  return compose_notices(targets, templates, o);
}

}  // namespace endstate::report
