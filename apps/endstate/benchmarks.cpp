// endstate benchmarks ... (being written)
#include "commands.hpp"

namespace endstate::cli {

std::vector<CommandSpec> benchmarks_commands() { return {}; }

}  // namespace endstate::cli
