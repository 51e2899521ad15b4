// endstate footprint ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> footprint_commands() { return {}; }

}  // namespace endstate::cli
