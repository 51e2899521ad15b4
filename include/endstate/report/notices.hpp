#pragma once
// Public notices per locality (docs/report.md, "Notices"): for every
// locality a closure or exit affects, in every language configured for its
// territory, a print-ready notice (what changes and when, who provides
// security afterwards, how to raise an alert, where to give feedback) and
// SMS-length messages (report/sms.hpp), from templates the mission's public
// information staff edit (report/templates.hpp). Missing alert contacts,
// feedback channels and translations are reported and shown as visible
// markers in the notice, never left blank. The consultations held in each
// locality are shown beside its notice, for the staff who post it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "endstate/io/table.hpp"
#include "endstate/report/sms.hpp"
#include "endstate/report/templates.hpp"
#include "endstate/service/notices.hpp"
#include "endstate/tasks/register.hpp"

namespace endstate::service {
class Engine;
}  // namespace endstate::service

namespace endstate::report {

/// A community alert network or local protection committee contact (from the task register).
struct AlertContact {
  std::string area;     ///< locality name, area id or area name the contact serves
  std::string kind;     ///< "community alert network", "local protection committee", ...
  std::string name;     ///< the network or committee (not a person)
  std::string contact;  ///< phone number, radio frequency or place
};

/// The register's community alert networks and local protection committees
/// that can be reached (phone or radio), one contact each; other mechanisms
/// (human rights monitoring) and mechanisms without a phone or radio are left out.
std::vector<AlertContact> alert_contacts(const tasks::Register& reg);

/// Languages and feedback channel of a territory (templates/notices/languages.csv).
struct TerritoryLanguages {
  std::string territory;  ///< area id or name, or "*"
  std::vector<std::string> languages;
  std::string feedback;
  int line = 0;
};

/// Templates and their configuration.
struct NoticeTemplates {
  std::string source;  ///< folder, or "built-in"
  std::map<std::string, NoticeTemplate> by_language;
  std::vector<TerritoryLanguages> territories;  ///< in file order
  std::string fallback = "en";                  ///< text used (and flagged) where a translation is missing
};

/// Reads DIR/languages.csv and every DIR/*.txt template ("" = the built-in
/// ones). Error(kBadInput) with file and line for an unknown section or
/// field, a malformed line or an unknown column; kNotFound for a missing folder
/// or languages.csv.
NoticeTemplates load_notice_templates(const std::string& dir);

/// Writes the built-in templates and languages.csv into `dir` (created) for editing.
std::vector<std::string> write_default_templates(const std::string& dir);

struct NoticeOptions {
  std::string mission = "the mission";
  std::string issued;  ///< date printed on the notices ("" = the month before the earliest change)
  std::vector<AlertContact> contacts;
  bool contacts_from_register = false;  ///< a task register was given (else contacts are reported missing as such)
};

/// Something a notice lacks.
struct NoticeProblem {
  std::string locality, language;
  std::string what;  ///< "contacts", "feedback", "translation:<section>", "template:<language>"
  std::string message;
};

struct Notice {
  const service::AffectedLocality* locality = nullptr;
  std::string language, language_name;
  std::string title;
  std::vector<std::string> paragraphs;  ///< intro, change, security, alert, feedback
  std::string footer;
  std::string sms_text;  ///< before splitting
  SmsMessage sms;
  std::vector<std::string> missing;  ///< what this notice lacks ("contacts", "translation:security_air" ...)
};

struct NoticeSet {
  const service::NoticeTargetsResult* targets = nullptr;
  std::vector<Notice> notices;  ///< by locality (targets order), then language (configured order)
  std::vector<NoticeProblem> problems;
  std::string templates_source;
};

/// The notices of `targets` (which must outlive the result).
NoticeSet compose_notices(const service::NoticeTargetsResult& targets, const NoticeTemplates& templates,
                          const NoticeOptions& options);

/// What `endstate notices` and `POST /api/notices` compose, in one place.
struct PublicNoticesRequest {
  service::NoticeTargetsRequest targets;  ///< the closure (a list of bases or a plan) and its localities
  std::string templates_dir;              ///< "" = the built-in templates
  /// A task register whose alert contacts go into the notices (its file and
  /// base_dir are used); none: the contacts are reported missing as such.
  std::optional<std::string> register_file;
  std::string register_base_dir;
  NoticeOptions options;  ///< mission, issued (contacts are filled from the register)
};

/// The templates (a bad one refused before the store is read), the targets
/// of the closure through the engine (into `targets`, which must outlive the
/// result), the register's alert contacts, then the notices.
NoticeSet public_notices(service::Engine& engine, const PublicNoticesRequest& request,
                         service::NoticeTargetsResult& targets);

/// Print-ready HTML: an index, then one page per notice with the
/// consultation log and problems of its locality beside it.
std::string notices_html(const NoticeSet& set, const std::string& mission);

/// One row per notice (locality, language, change, security, SMS parts, what is missing).
io::Table notices_table(const NoticeSet& set);

}  // namespace endstate::report
