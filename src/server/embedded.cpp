// docs/openapi.yaml and docs/schemas/*.json as built into the binary.
#include <string>
#include <utility>
#include <vector>

#include "server/detail/server_routes.hpp"

namespace endstate::server::detail {

const std::vector<std::pair<std::string, std::string>>& embedded_files();  // generated

const std::string& embedded_openapi() {
  static const std::string kEmpty;
  for (const auto& [name, text] : embedded_files()) {
    if (name == "openapi.yaml") return text;
  }
  return kEmpty;
}

const std::string* embedded_schema(const std::string& name) {
  if (name == "openapi.yaml") return nullptr;
  for (const auto& [n, text] : embedded_files()) {
    if (n == name) return &text;
  }
  return nullptr;
}

std::vector<std::string> embedded_schema_names() {
  std::vector<std::string> out;
  for (const auto& [name, text] : embedded_files()) {
    if (name != "openapi.yaml") out.push_back(name);
  }
  return out;
}

}  // namespace endstate::server::detail
