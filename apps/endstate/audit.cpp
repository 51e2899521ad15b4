// endstate audit ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> audit_commands() { return {}; }

}  // namespace endstate::cli
