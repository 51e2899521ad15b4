// endstate threat ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> threat_commands() { return {}; }

}  // namespace endstate::cli
