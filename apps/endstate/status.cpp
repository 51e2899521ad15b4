// endstate status
#include "commands.hpp"
#include "common.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

int status(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).status(), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> status_commands() {
  return {{"status",
           "",
           "What the database holds: rows per table, areas per level, the events' date range and the last imports.",
           {},
           {format_flag(false)},
           status}};
}

}  // namespace endstate::cli
