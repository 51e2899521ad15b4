// endstate consultations import | list
#include "endstate/io/consultations.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int consultations_import(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ConsultationImportRequest r;
  r.file = input_path(a.positional(0));
  r.allow_personal_data = a.has("allow-personal-data");
  io::write(out, engine(a).consultations_import(r), wo);
  return 0;
}

int consultations_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).consultations({a.get("locality")}), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> consultations_commands() {
  return {{"consultations",
           "import",
           "Record community feedback per locality from a CSV (locality, territory, date, channel, who, summary, "
           "concerns); every row is checked first and a bad row leaves the database unchanged.",
           {{"FILE", "the consultation log CSV ('-' = standard input)"}},
           {{"allow-personal-data", "",
             "keep phone numbers and e-mail addresses in who, summary and concerns (refused by default)", ""},
            format_flag(false)},
           consultations_import},
          {"consultations",
           "list",
           "The consultation log, oldest first.",
           {},
           {{"locality", "NAME", "only this locality", ""}, format_flag(false)},
           consultations_list}};
}

}  // namespace endstate::cli
