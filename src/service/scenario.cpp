// Built-in scenarios through the engine (no store needed).
#include <filesystem>

#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/service/folders.hpp"

namespace endstate::service {

ScenarioResult Engine::scenario_generate(const ScenarioRequest& r) {
  if (r.name != "carana") throw invalid_field("name", "the only built-in scenario is 'carana' (got '" + r.name + "')");
  if (r.out.empty()) throw invalid_field("out", "is required (the folder to write into)");
  const auto config = r.config_file.empty() ? scenario::default_config() : scenario::load_config(r.config_file);
  prepare_output_folder(r.out, r.force, "out");
  return {scenario::generate_carana(config, r.seed, r.out)};
}

}  // namespace endstate::service
