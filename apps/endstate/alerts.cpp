// endstate alerts ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> alerts_commands() { return {}; }

}  // namespace endstate::cli
