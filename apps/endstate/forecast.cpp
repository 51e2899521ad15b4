// endstate forecast ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> forecast_commands() { return {}; }

}  // namespace endstate::cli
